// Credentials and extra headers: checked before the first request (a bad one would otherwise read as "cannot
// reach the server", or be retried although it can never succeed), and which credentials go out per edition.
import type { ClientOptions } from './api.js';
import type { ErrorContext } from './errors.js';

/** `Bearer ` pasted in front of a token (any case, spaces around); the client adds its own. */
const BEARER_PREFIX = /^\s*bearer(\s+|$)/i;
const codes = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

/** A control character (C0 or DEL): in a secret, a line break or tab pasted with it. */
export const hasControlCharacter = (text: string): boolean => codes(text).some((n) => n < 0x20 || n === 0x7f);

/** What an HTTP header value can carry: tab, space, visible ASCII and the rest of Latin-1. */
export const isSendableHeaderValue = (text: string): boolean =>
  codes(text).every((n) => (n >= 0x20 || n === 0x09) && n !== 0x7f && n <= 0xff);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** True when the token was pasted with its `Bearer ` prefix. */
export const hasBearerPrefix = (apiToken: string | undefined): boolean =>
  BEARER_PREFIX.test(apiToken?.trim() ?? '');

/** The token as sent after `Bearer `: trimmed, without a pasted `Bearer ` prefix; undefined when empty. */
export function bareToken(apiToken: string | undefined): string | undefined {
  return apiToken?.trim().replace(BEARER_PREFIX, '').trim() || undefined;
}

/** The `Authorization` values the options produce: `bearer` from the token, `basic` from user and password. */
export function authorizations(options: Pick<ClientOptions, 'apiToken' | 'user' | 'password'>): {
  bearer?: string;
  basic?: string;
} {
  const token = bareToken(options.apiToken);
  return {
    bearer: token ? `Bearer ${token}` : undefined,
    basic:
      options.user && options.password
        ? `Basic ${Buffer.from(`${options.user}:${options.password}`, 'utf8').toString('base64')}`
        : undefined,
  };
}

/**
 * Which credentials go out: on open-source Kestra, basic auth when given (it has no API tokens and ignores
 * them); elsewhere the token wins, as Enterprise Edition users expect.
 */
export function chooseAuth(
  given: { bearer?: string; basic?: string },
  edition: ErrorContext['edition'],
): ErrorContext['auth'] {
  if (edition === 'OSS' && given.basic) return 'basic';
  return given.bearer ? 'bearer' : given.basic ? 'basic' : 'none';
}

/**
 * Why the credentials cannot be sent, naming the input and never the value; undefined when they can.
 * Names are the action's input names: the client's messages reach the action's users.
 */
export function credentialProblem(
  options: Pick<ClientOptions, 'apiToken' | 'user' | 'password'>,
): string | undefined {
  const token = bareToken(options.apiToken);
  if (options.apiToken?.trim() && !token) {
    return "'api-token' holds only the word 'Bearer': paste the token itself";
  }
  const given: [string, string | undefined][] = [
    ['api-token', token],
    ['user', options.user],
    ['password', options.password],
  ];
  for (const [name, value] of given) {
    if (value && hasControlCharacter(value)) {
      return `'${name}' holds a control character (a line break or tab pasted with it?): set it again as one line (the value is not shown)`;
    }
  }
  if (token && !isSendableHeaderValue(token)) {
    return "'api-token' holds a character an HTTP header cannot carry (beyond Latin-1): set it again (the value is not shown)";
  }
  if (options.user?.includes(':')) {
    return "'user' holds a ':', which basic authentication cannot send (it separates user and password)";
  }
  if (!token && !!options.user !== !!options.password) {
    return `'user' and 'password' go together: ${options.user ? "'password'" : "'user'"} is missing`;
  }
  return undefined;
}

/** Framing and connection headers: the HTTP client sets them per request, a fixed value breaks every one. */
const CLIENT_SET: Record<string, string> = {
  'content-length': 'the client sets it from each request body',
  'transfer-encoding': 'the client sets it from each request body',
  'content-type': 'the client sets it per request (YAML, JSON or multipart)',
  accept: 'the client asks for JSON',
  host: "the client sends the host of 'server' (to reach Kestra under another name, change 'server')",
  connection: 'the HTTP client manages its connections',
  'keep-alive': 'the HTTP client manages its connections',
  'proxy-connection': 'the HTTP client manages its connections',
  upgrade: 'the HTTP client manages its connections',
  te: 'the HTTP client manages its connections',
  trailer: 'the client sends no trailers',
  expect: 'the HTTP client does not support it',
};

/**
 * Header names (lower case) the caller may not set, with why. `Authorization` only when credentials are
 * given: without them, a header is how some set up a proxy's or gateway's own auth.
 */
export function reservedHeaders(withCredentials: boolean): Record<string, string> {
  if (!withCredentials) return CLIENT_SET;
  return {
    ...CLIENT_SET,
    authorization: "the credentials given ('user'/'password' or 'api-token') set it already",
  };
}

/** The extra headers, lower-cased, checked before any request; the messages never echo a value. */
export function extraHeaders(
  given: Record<string, string>,
  withCredentials: boolean,
): Record<string, string> {
  const reserved = reservedHeaders(withCredentials);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (!HEADER_NAME.test(name)) throw new Error(`header name '${name}' is not valid`);
    const lower = name.toLowerCase();
    const why = reserved[lower];
    if (why !== undefined) throw new Error(`header '${name}' in 'headers': ${why}; remove it`);
    if (/[\r\n]/.test(String(value))) throw new Error(`header '${name}' has a line break in its value`);
    if (!isSendableHeaderValue(String(value))) {
      throw new Error(
        `header '${name}' holds a control character or a character beyond Latin-1 in its value, which HTTP headers cannot carry`,
      );
    }
    if (lower in headers) throw new Error(`header '${name}' is given twice (names ignore case): keep one`);
    headers[lower] = String(value);
  }
  return headers;
}
