// Authentication (docs/kestra-api.md#authentication).
// OSS: the basic-auth filter (optional ≤ 0.23, with realm; mandatory
// from 0.24, bearer tokens ignored). EE: Micronaut Security with API tokens (Bearer) or user basic auth.
// An emulator configured with no credentials at all is open, so tests can start it without ceremony.
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './errors.js';
import type { Features } from './version.js';

export interface AuthConfig {
  basicAuth?: { username: string; password: string };
  tokens?: string[];
}

function cookie(headers: IncomingHttpHeaders, name: string): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function basicMatches(encoded: string | undefined, cfg: AuthConfig): boolean {
  if (!encoded || !cfg.basicAuth) return false;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return (
    colon >= 0 &&
    decoded.slice(0, colon) === cfg.basicAuth.username &&
    decoded.slice(colon + 1) === cfg.basicAuth.password
  );
}

/** Paths the OSS filter lets through without credentials. */
function openOss(path: string, f: Features): boolean {
  if (path === '/ping') return true;
  if (f.basicRealm) {
    // ≤ 0.23: only /api/v1/** is protected, and /configs is not exempt.
    return !path.startsWith('/api/v1/') || path.startsWith('/api/v1/executions/webhook/');
  }
  return (
    path.endsWith('/configs') ||
    path === '/api/v1/basicAuthValidationErrors' ||
    /^\/api\/v1\/([^/]+\/)?executions\/webhook\//.test(path)
  );
}

/** undefined when the request may proceed; otherwise the 401 to send. */
export function authenticate(
  headers: IncomingHttpHeaders,
  path: string,
  f: Features,
  cfg: AuthConfig,
): HttpError | undefined {
  const authorization = headers.authorization ?? '';
  const [scheme = '', credentials] = authorization.split(/\s+/, 2);
  const basic = scheme.toLowerCase() === 'basic' ? credentials : undefined;

  if (f.edition === 'EE') {
    if (!cfg.basicAuth && !cfg.tokens?.length) return undefined;
    if (path === '/api/v1/configs') return undefined;
    if (scheme.toLowerCase() === 'bearer' && credentials && cfg.tokens?.includes(credentials))
      return undefined;
    if (basicMatches(basic, cfg)) return undefined;
    return new HttpError(401, 'Unauthorized');
  }

  if (!cfg.basicAuth || openOss(path, f)) return undefined;
  if (basicMatches(basic, cfg)) return undefined;
  if (f.basicAuthCookie && basicMatches(cookie(headers, 'BASIC_AUTH'), cfg)) return undefined;
  const headersOut: Record<string, string> = {};
  // From 0.24 the challenge is left out for the UI's own login page, so browsers show no popup.
  if (f.basicRealm) headersOut['www-authenticate'] = 'Basic realm=Kestra';
  else if (!String(headers.referer ?? '').endsWith('/login')) headersOut['www-authenticate'] = 'Basic';
  return new HttpError(401, 'Unauthorized', { emptyBody: true, headers: headersOut });
}
