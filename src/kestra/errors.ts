// Every failure of the client becomes a KestraError whose message says what happened and what to do,
// in one readable block: the status, the request, the server's words, a hint. Never a stack trace.
import { STATUS_CODES } from 'node:http';

export interface ErrorDetail {
  message: string;
  path?: string;
}

/** The `type` of Kestra 2.x problem details: this base plus a slug (docs/kestra-api.md#errors). */
export const PROBLEM_BASE = 'https://kestra.io/docs/api-reference/problems/';
export const ALREADY_EXISTS = PROBLEM_BASE + 'entity-already-exists';

/** What the client reads of an error body, whichever its shape. */
export interface ErrorBody {
  /** 1.x `message`, or 2.x `detail`. */
  message?: string;
  details: ErrorDetail[];
  /** 2.x problem `type` (absent on 1.x): the only member to branch on. */
  type?: string;
  /** 2.x 5xx: the id to look the failure up in the server logs. */
  traceId?: string;
}

/** What the message hints need to know about the request (no secrets here: this may end up in messages). */
export interface ErrorContext {
  /** Which credentials were sent. */
  auth: 'none' | 'basic' | 'bearer';
  /** Credentials given but not sent (both kinds were given; see chooseAuth in auth.ts). */
  alsoGiven?: 'basic' | 'bearer';
  tenant: string;
  tenantInPath: boolean;
  edition?: 'OSS' | 'EE';
  namespace?: string;
  timeoutSeconds: number;
}

export class KestraError extends Error {
  status?: number;
  url: string;
  method: string;
  serverMessage?: string;
  details: ErrorDetail[];
  /** Network error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, …) when no answer came. */
  code?: string;
  /** Attempts made, retries included. */
  attempts = 1;
  /** The problem `type` of a Kestra 2.x error body. */
  problemType?: string;

  constructor(
    message: string,
    init: {
      method: string;
      url: string;
      status?: number;
      serverMessage?: string;
      details?: ErrorDetail[];
      code?: string;
      problemType?: string;
    },
  ) {
    super(message);
    this.name = 'KestraError';
    this.method = init.method;
    this.url = init.url;
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.details = init.details ?? [];
    this.code = init.code;
    this.problemType = init.problemType;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The parts of an error body we rely on (docs/kestra-api.md#errors), in either shape:
 * - 1.x Micronaut `JsonError`: `message`, `_embedded.errors[{message, path}]`;
 * - 2.x RFC 9457 problem details: `type`, `detail`, `errors[{detail, pointer, path}]`.
 */
export function parseErrorBody(text: string): ErrorBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const type = str(o.type);
  if (type !== undefined || 'detail' in o || 'title' in o) return problem(o, type);
  const raw = (o._embedded as { errors?: unknown } | undefined)?.errors;
  // Micronaut 4 writes a list; the Kestra UI also accepts a single object, so do we.
  const list: unknown[] = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const details: ErrorDetail[] = [];
  for (const e of list) {
    const entry = (e && typeof e === 'object' ? e : {}) as Record<string, unknown>;
    const message = typeof entry.message === 'string' ? entry.message : undefined;
    if (message === undefined) continue;
    const path = str(entry.path);
    details.push(path ? { message, path } : { message });
  }
  return { message: typeof o.message === 'string' ? o.message : undefined, details };
}

/** A 2.x problem document. `errors[]` may be absent (a 422 may carry everything in `detail` alone). */
function problem(o: Record<string, unknown>, type: string | undefined): ErrorBody {
  const details: ErrorDetail[] = [];
  for (const e of Array.isArray(o.errors) ? o.errors : []) {
    const entry = (e && typeof e === 'object' ? e : {}) as Record<string, unknown>;
    const message = str(entry.detail) ?? str(entry.message);
    if (message === undefined) continue;
    // `path` is the property path Kestra names; `pointer` (a JSON pointer into the body) when it is absent.
    const path = str(entry.path) ?? str(entry.pointer);
    details.push(path ? { message, path } : { message });
  }
  // `title` is the same for every occurrence of a type: only worth showing when there is no `detail`.
  // A multi-line detail (one `path: message` per line, as 1.x joined violations) becomes one line.
  const text = str(o.detail) ?? str(o.title);
  const message = text
    ?.split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('; ');
  const traceId = str(o.traceId);
  return {
    ...(message !== undefined ? { message } : {}),
    details,
    ...(type ? { type } : {}),
    ...(traceId ? { traceId } : {}),
  };
}

/** A create that failed because the entity exists: 2.x says so by type (409), 1.x by a 422 text. */
export function isAlreadyExists(err: KestraError): boolean {
  if (err.problemType !== undefined) return err.problemType === ALREADY_EXISTS;
  return err.status === 422 && /already exists/i.test(err.serverMessage ?? '');
}

/** Readable text of an HTML (or any) body: tags, scripts and extra whitespace removed, cut to `max` chars. */
export function textSnippet(body: string, max = 200): string {
  const text = body
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

const reason = (status: number): string => STATUS_CODES[status] ?? 'HTTP error';

/** Builds the error for an HTTP answer outside 2xx. */
export function httpError(
  method: string,
  url: string,
  status: number,
  contentType: string,
  body: string,
  ctx: ErrorContext,
): KestraError {
  const head = `${status} ${reason(status)} from ${method} ${url}`;
  const parsed = contentType.includes('json') || /^\s*[[{]/.test(body) ? parseErrorBody(body) : undefined;
  if (!parsed && body.trim() !== '') {
    // Not Kestra's JSON: a proxy, a load balancer or an SSO page answered.
    const hint =
      status >= 500 || /<html|<!doctype/i.test(body)
        ? ' (not a Kestra answer: a proxy or load balancer?)'
        : '';
    return new KestraError(`${head}: ${textSnippet(body)}${hint}`, { method, url, status });
  }
  const serverMessage = parsed?.message;
  const details = parsed?.details ?? [];
  const said = serverMessage ? `: ${serverMessage}` : '';
  let message: string;
  if (status === 401) {
    message = `${head}${said}: ${authHint(ctx)}`;
  } else if (status === 403) {
    const where = ctx.namespace
      ? `namespace '${ctx.namespace}' in tenant '${ctx.tenant}'`
      : `tenant '${ctx.tenant}'`;
    message = `${head}${said}: the credentials are valid but lack permission on ${where}; grant the user or service account access (EE roles) or use other credentials`;
  } else if (status === 400 && (/tenant must be/i.test(serverMessage ?? '') || wrongOssTenant(ctx))) {
    message = `${head}${said}: open-source Kestra only knows the tenant 'main'; set 'tenant' to main or leave 'tenant' out`;
  } else if (status === 404) {
    const tenantHint = ctx.tenantInPath
      ? `; if nothing here should be missing, check 'tenant' ('${ctx.tenant}') and the server URL (paths carry the tenant from Kestra 0.23)`
      : '; check the server URL';
    message = `${head}${said || ': Not Found'}${tenantHint}`;
  } else if (status === 422 || status === 409 || (parsed?.type !== undefined && status === 400)) {
    const lines = details
      .map((d) => (d.path ? `${d.path}: ${d.message}` : d.message))
      .filter((line) => !(serverMessage ?? '').includes(line));
    const first = `${head}${said || ': the server rejected the request'}`;
    // 2.x: `detail` and the field errors it does not already say, on one line; 1.x: one line per error.
    message = parsed?.type
      ? [first, ...lines].join('; ')
      : [first, ...lines.map((l) => `  - ${l}`)].join('\n');
  } else if (status === 429) {
    message = `${head}${said}: the server is rate limiting requests; try again later`;
  } else if (status >= 500) {
    const trace = parsed?.traceId ? ` (traceId ${parsed.traceId})` : '';
    message = `${head}${said}: server error, the request may be fine; see the Kestra server logs${trace}`;
  } else {
    message = `${head}${said}`;
  }
  return new KestraError(message, { method, url, status, serverMessage, details, problemType: parsed?.type });
}

/** A tenant other than `main` in the paths of an OSS server: 1.x words its 400, 2.x's `detail` is unknown. */
const wrongOssTenant = (ctx: ErrorContext): boolean =>
  ctx.edition === 'OSS' && ctx.tenantInPath && ctx.tenant !== 'main';

/** What to check after a 401, naming the credentials that were actually sent. */
function authHint(ctx: ErrorContext): string {
  if (ctx.auth === 'none') return "the server requires authentication: set 'user'/'password' or 'api-token'";
  if (ctx.auth === 'bearer') {
    if (ctx.edition === 'OSS') {
      return "open-source Kestra ignores API tokens: set 'user'/'password' (basic auth) instead of 'api-token'";
    }
    const unsent =
      ctx.alsoGiven === 'basic'
        ? "; 'user'/'password' were not sent (the token wins when both are given): remove 'api-token' to use them"
        : '';
    return `the server refused the API token sent from 'api-token': check it is current and not revoked${unsent}`;
  }
  const unsent =
    ctx.alsoGiven !== 'bearer'
      ? ''
      : ctx.edition === 'OSS'
        ? " ('api-token' was not sent: open-source Kestra has no API tokens)"
        : " ('api-token' was refused too)";
  return `the server refused the basic auth sent from 'user'/'password': check both${unsent}`;
}

const TLS_CODE = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_OSSL)/;

/** The code of a network error: undici wraps them, Node 20 may put them in an AggregateError (happy eyeballs). */
export function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const o = e as { code?: unknown; name?: unknown; errors?: unknown[]; cause?: unknown };
    if (o.name === 'TimeoutError') return 'TIMEOUT';
    if (typeof o.code === 'string' && o.code !== 'UND_ERR_ABORTED') return o.code;
    e = Array.isArray(o.errors) && o.errors.length > 0 ? o.errors[0] : o.cause;
  }
  return undefined;
}

export const isTimeoutCode = (code: string | undefined): boolean =>
  code === 'TIMEOUT' ||
  code === 'ETIMEDOUT' ||
  (code?.startsWith('UND_ERR_') === true && code.endsWith('TIMEOUT'));

export const isTlsCode = (code: string | undefined): boolean => code !== undefined && TLS_CODE.test(code);

/** Network errors worth another attempt: the server may be restarting, or a connection was dropped. */
export function isRetryableNetworkCode(code: string | undefined): boolean {
  if (code === undefined || isTlsCode(code)) return false;
  // ENOTFOUND is a wrong host name (EAI_AGAIN is the transient DNS failure): retrying cannot help.
  return code !== 'ENOTFOUND' && code !== 'ERR_INVALID_URL' && !code.startsWith('UND_ERR_INVALID');
}

/** Builds the error for a request that got no HTTP answer. */
export function networkError(method: string, url: string, err: unknown, ctx: ErrorContext): KestraError {
  const code = errorCode(err) ?? 'ERROR';
  let message: string;
  if (isTimeoutCode(code)) {
    message = `no answer from ${method} ${url} within ${ctx.timeoutSeconds} s (timeout); is the server overloaded? raise 'timeout' if it is just slow`;
  } else if (isTlsCode(code)) {
    message = `cannot reach ${url}: TLS error ${code} — for a private CA, point NODE_EXTRA_CA_CERTS at its PEM file`;
  } else {
    const what =
      code === 'ERROR' ? firstLine(err) : code === 'UND_ERR_SOCKET' ? `connection closed (${code})` : code;
    message = `cannot reach ${url}: ${what} — is 'server' right and the server up?`;
  }
  return new KestraError(message, { method, url, code });
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]?.slice(0, 200) || 'network error';
}
