// Kestra's error model (docs/kestra-api.md#errors): Java exceptions mapped by ErrorController to a status and a
// Micronaut JsonError body `{message, _links.self, _embedded.errors[{message, path}]}`.

/** One entry of `_embedded.errors`: a violation message and its property path. */
export interface ViolationEntry {
  message: string;
  path: string;
}

/**
 * A `jakarta.validation.ConstraintViolationException`: `message` is what Java's getMessage() gives,
 * `violations` its set (rendered in `_embedded.errors`). ErrorController answers 422 `Invalid entity: …`.
 */
export class ConstraintViolationError extends Error {
  constructor(
    message: string,
    readonly violations: ViolationEntry[],
  ) {
    super(message);
    this.name = 'ConstraintViolationError';
  }

  /** `new ConstraintViolationException(set)`: jakarta joins `path: message` with `, `. */
  static of(violations: ViolationEntry[]): ConstraintViolationError {
    return new ConstraintViolationError(
      violations.map((v) => `${v.path}: ${v.message}`).join(', '),
      violations,
    );
  }
}

/** A bean-validation violation, with the bean it sits on (Kestra renders task and input paths by id). */
export interface BeanViolation extends ViolationEntry {
  leaf?: { kind: 'tasks' | 'inputs'; id: string | undefined };
}

/**
 * KestraConstraintViolationException.getMessage(): one `path: message\n` line per violation, where
 * `tasks[i]` (or `inputs[i]`) anywhere in the path of a task (input) violation is replaced by the id of
 * that task (input) — all occurrences, as Java's `Matcher.replaceAll` does.
 */
export function kestraViolationMessage(violations: BeanViolation[]): string {
  return violations
    .map((v) => {
      let path = v.path;
      if (v.leaf && v.leaf.id !== undefined) {
        const id = v.leaf.id;
        path = path.replace(new RegExp(`${v.leaf.kind}\\[\\d+\\]`, 'g'), () => id);
      }
      return `${path}: ${v.message}\n`;
    })
    .join('');
}

export function beanViolationError(violations: BeanViolation[]): ConstraintViolationError {
  return new ConstraintViolationError(
    kestraViolationMessage(violations),
    violations.map(({ message, path }) => ({ message, path })),
  );
}

/** An answer other than 2xx; `message` is the full JsonError message (`<Reason>: <detail>`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly options: {
      errors?: ViolationEntry[];
      headers?: Record<string, string>;
      /** Answer with no body at all (1.x basic-auth 401s; 2.0 sends a problem body anyway). */
      emptyBody?: boolean;
      /** The 2.0 problem type slug, when the status alone does not tell it (problems.ts). */
      problem?: string;
    } = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (detail?: string): HttpError =>
  new HttpError(404, detail === undefined ? 'Not Found' : `Not Found: ${detail}`);

export const illegalArgument = (detail: string): HttpError =>
  new HttpError(422, `Illegal argument: ${detail}`);

export const badRequest = (detail: string): HttpError => new HttpError(400, `Bad Request: ${detail}`);

export const missingQueryValue = (name: string): HttpError =>
  badRequest(`Required QueryValue [${name}] not specified`);

export const unsupportedMediaType = (contentType: string, allowed: string[]): HttpError =>
  new HttpError(
    415,
    `Unsupported Media Type: Content Type [${contentType || 'none'}] not allowed. Allowed types: [${allowed.join(', ')}]`,
  );

/** ErrorController's mapping of any thrown value to an HttpError. */
export function toHttpError(e: unknown): HttpError {
  if (e instanceof HttpError) return e;
  if (e instanceof ConstraintViolationError) {
    return new HttpError(422, `Invalid entity: ${e.message}`, { errors: e.violations });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new HttpError(500, `Internal server error: ${message}`);
}

/** The JsonError body Micronaut writes; `_embedded.errors` only for constraint violations. */
export function errorBody(href: string, message: string, errors?: ViolationEntry[]): Record<string, unknown> {
  const body: Record<string, unknown> = { message, _links: { self: { href, templated: false } } };
  if (errors) body._embedded = { errors: errors.map((e) => ({ message: e.message, path: e.path })) };
  return body;
}
