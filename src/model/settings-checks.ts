// A setting's value, whoever gives it (an action input, a command-line flag, a variable): the spellings
// accepted and the messages for bad ones. Pure: each front-end reads its values and names them (`'timeout'`
// for the action, `'--timeout'` for the CLI); the messages are the same for both.

/** A bad setting. `String(err)` reads `InputError: 'timeout' must be …`. */
export class InputError extends Error {
  override name = 'InputError';
}

/**
 * The error for an empty value where the default is not empty. A front-end fills in the default when the
 * setting is left out, so an empty value was written: most often a variable or secret that is not set.
 * `hint` says what to write.
 */
export function emptyInput(name: string, hint: string): InputError {
  return new InputError(`Input '${name}' is empty (an unset variable or secret?): ${hint}`);
}

/**
 * The spellings @actions/core's getBooleanInput accepts (YAML 1.2's core schema), and no others: a value
 * such as `yes` or `1` is a typo to point at, not a guess to make.
 */
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/** true or false. Empty is refused: read as false, `dry-run: ${{ vars.UNSET }}` would write for real. */
export function parseBoolean(name: string, value: string): boolean {
  if (!value) throw emptyInput(name, 'write true or false, or remove the line to use its default');
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(
    `'${name}' must be true or false (accepted: ${[...TRUE, ...FALSE].join(', ')}), got ${JSON.stringify(value)}`,
  );
}

export interface IntegerOptions {
  default: number;
  min?: number;
  max?: number;
  /** The unit, used in messages: `'timeout' must be a whole number of seconds`. */
  what?: string;
}

/** A whole number within the range; empty reads as the default (for settings that change nothing written). */
export function parseInteger(name: string, value: string, options: IntegerOptions): number {
  if (!value) return options.default;
  const unit = options.what ? ` ${options.what}` : '';
  if (!/^[+-]?\d+$/.test(value)) {
    throw new InputError(
      `'${name}' must be a whole number${unit ? ` of${unit}` : ''}, got ${JSON.stringify(value)}`,
    );
  }
  const n = Number(value);
  const { min, max } = options;
  const outOfRange =
    (min !== undefined && n < min) || (max !== undefined && n > max) || !Number.isSafeInteger(n);
  if (outOfRange) {
    const range =
      min !== undefined && max !== undefined
        ? `between ${min} and ${max}`
        : min !== undefined
          ? `at least ${min}`
          : max !== undefined
            ? `at most ${max}`
            : `a safe integer`;
    throw new InputError(`'${name}' must be ${range}${unit}, got ${value}`);
  }
  return n;
}

/**
 * One of `values` (case-insensitive, returned in the canonical spelling), or an alias of one (`aliases`:
 * other spellings, e.g. `{ flow: 'flows' }`). Empty is refused: every enum selects what runs or is written.
 */
export function parseEnum<T extends string>(
  name: string,
  value: string,
  values: readonly T[],
  aliases: Record<string, T> = {},
): T {
  if (!value)
    throw emptyInput(name, `write one of ${values.join(', ')}, or remove the line to use its default`);
  const lower = value.toLowerCase();
  const direct = values.find((v) => v.toLowerCase() === lower);
  if (direct !== undefined) return direct;
  for (const [alias, target] of Object.entries(aliases)) {
    if (alias.toLowerCase() === lower) return target;
  }
  throw new InputError(`'${name}' must be one of ${values.join(', ')}, got ${JSON.stringify(value)}`);
}

/**
 * A list: one item per line or comma, trimmed, empties dropped. Commas inside `{…}` stay (so a glob like
 * `**\/*.{yml,yaml}` is one item).
 */
export function splitList(value: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '{') depth++;
    else if (ch === '}' && depth > 0) depth--;
    if (ch === '\n' || ch === '\r' || (ch === ',' && depth === 0)) {
      items.push(current);
      current = '';
      if (ch !== ',') depth = 0;
    } else {
      current += ch;
    }
  }
  items.push(current);
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

// RFC 9110 token: the characters a header name may contain.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Header values that carry credentials: handed to `onSecret` as soon as they are read.
const SENSITIVE_HEADER = /auth|token|secret|key|cookie|session|password|credential/i;

export interface HeaderOptions {
  /** Lower-case header names the caller sets itself, each with why: a line naming one is refused. */
  reserved?: Record<string, string>;
  /** Whether HTTP can carry the value (src/kestra/auth.ts's isSendableHeaderValue). */
  sendable: (value: string) => boolean;
  /** Called with each value whose header name says it carries a credential, before any check. */
  onSecret?: (value: string) => void;
  /** How a message names line `n` (default `'headers' line 2`), and an earlier one (default `line 1`). */
  label?: (n: number) => string;
  earlier?: (n: number) => string;
  /** How to write one header (default: one 'Name: value' per line). */
  shape?: string;
  /** What to do with a refused line (default: remove that line). */
  remove?: string;
}

/**
 * Extra HTTP headers from `Name: value` lines (blank lines and `#` comments skipped). The error for a bad
 * line names its number (and the header) but never echoes a value: it may hold a credential.
 */
export function parseHeaderLines(
  name: string,
  lines: readonly string[],
  options: HeaderOptions,
): Record<string, string> {
  const label = options.label ?? ((n: number): string => `'${name}' line ${n}`);
  const shape = options.shape ?? "write one 'Name: value' per line";
  const remove = options.remove ?? 'remove that line';
  const earlier = options.earlier ?? ((n: number): string => `line ${n}`);
  const headers: Record<string, string> = {};
  const seen = new Map<string, number>();
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    const text = line.trim();
    if (!text || text.startsWith('#')) return;
    const colon = text.indexOf(':');
    const key = colon > 0 ? text.slice(0, colon).trim() : '';
    if (!key || !HEADER_NAME.test(key)) {
      throw new InputError(`${label(lineNo)} is not a header: ${shape} (the name is letters, digits or -)`);
    }
    const lower = key.toLowerCase();
    const reserved = options.reserved?.[lower];
    if (reserved !== undefined) {
      throw new InputError(`${label(lineNo)} sets '${key}': ${reserved}; ${remove}`);
    }
    const first = seen.get(lower);
    if (first !== undefined) {
      throw new InputError(`${label(lineNo)} repeats header '${key}' from ${earlier(first)}: keep one`);
    }
    seen.set(lower, lineNo);
    const headerValue = text.slice(colon + 1).trim();
    if (headerValue && SENSITIVE_HEADER.test(key)) options.onSecret?.(headerValue);
    if (!options.sendable(headerValue)) {
      throw new InputError(
        `${label(lineNo)}: the value of '${key}' holds a control character or a character beyond Latin-1, which HTTP headers cannot carry`,
      );
    }
    headers[key] = headerValue;
  });
  return headers;
}

/** Templates were removed from Kestra: `resource: template` gets a clear refusal, not "must be one of". */
export function refuseTemplate(resource: string | undefined): void {
  if (resource?.toLowerCase() === 'template') {
    throw new InputError(
      "'resource: template' is not supported: templates were removed from Kestra (use subflows)",
    );
  }
}

/**
 * The deploy's target, checked before the first request. An empty namespace here is most often an unset
 * variable: the flows would go to the namespaces they declare (production, usually), and `delete` would
 * prune there.
 */
export function checkDeployTarget(target: {
  resource: 'flows' | 'namespace-files';
  namespace: string | undefined;
  overrideNamespace: boolean;
}): void {
  if (target.overrideNamespace && !target.namespace) {
    throw new InputError(
      "'override-namespace' is true but 'namespace' is empty (an unset variable?): set 'namespace' to the namespace to deploy to, or remove 'override-namespace' to deploy each flow to the namespace it declares",
    );
  }
  if (target.resource === 'namespace-files' && !target.namespace) {
    throw new InputError(
      "'namespace' is required with 'resource: namespace-files', and it is empty (an unset variable?): set it to the namespace the files go to",
    );
  }
}

/** A comment id is a name, not a document: it is kept in every comment's hidden marker. */
const MAX_COMMENT_ID = 100;

export function checkCommentId(id: string | undefined): void {
  if (id && id.length > MAX_COMMENT_ID) {
    throw new InputError(
      `'comment-id' is ${id.length} characters long: keep it under ${MAX_COMMENT_ID}, e.g. 'flows-prod'`,
    );
  }
}

const MAJOR_MINOR = /^(\d{1,4})\.(\d{1,4})$/;

/** The `kestra-version` setting: `major.minor`; empty reads as not given. */
export function parseKestraVersion(name: string, value: string): string | undefined {
  const text = value.trim();
  if (!text) return undefined;
  const match = MAJOR_MINOR.exec(text.replace(/^v/i, ''));
  if (!match) {
    throw new InputError(
      `'${name}' must be a Kestra version as major.minor (e.g. 1.3 or 2.0), got ${JSON.stringify(value)}`,
    );
  }
  return `${Number(match[1])}.${Number(match[2])}`;
}

/**
 * The `max-deletes` setting: how many flows or files a deploy may delete, `unlimited` (the default) for no
 * limit. It guards what is deleted, so empty is refused rather than read as either.
 */
export function parseMaxDeletes(name: string, value: string): number | undefined {
  const text = value.trim();
  if (!text) throw emptyInput(name, "write a number of deletions, or 'unlimited' (its default)");
  if (/^unlimited$/i.test(text)) return undefined;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new InputError(
      `'${name}' must be a whole number of deletions (0 or more) or 'unlimited', got ${JSON.stringify(value)}`,
    );
  }
  return Number(text);
}
