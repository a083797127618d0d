// Connecting to Kestra: reads the options, asks `GET /api/v1/configs` (with the credentials) which version
// and edition the server is, chooses the credentials to send, and returns the client for that server.
import type { ClientOptions, KestraClient, Logger, ServerInfo } from './api.js';
import { authorizations, chooseAuth, credentialProblem, extraHeaders } from './auth.js';
import { Client } from './client.js';
import { KestraError } from './errors.js';
import { Transport, secretsOf } from './http.js';
import { Paths, normaliseServer, serverInfo } from './paths.js';

const silent: Logger = { info: () => {}, warning: () => {}, debug: () => {} };

/**
 * The `Authorization` header value the options produce first (Bearer wins over Basic), or undefined; a
 * `Bearer ` prefix pasted with the token is dropped. connect() sends Basic instead on open-source Kestra.
 */
export function authorizationValue(
  options: Pick<ClientOptions, 'apiToken' | 'user' | 'password'>,
): string | undefined {
  const { bearer, basic } = authorizations(options);
  return bearer ?? basic;
}

/** Every secret a connection carries (password, token, both auth headers, extra header values), to scrub. */
export function connectionSecrets(options: ClientOptions): string[] {
  const { bearer = '', basic = '' } = authorizations(options);
  return secretsOf({ ...(options.headers ?? {}), bearer, basic });
}

/**
 * Detects the server (`GET /api/v1/configs`, sent with the credentials) and returns a client for it.
 * `sends`: what the run will send, so the connect line names the flow format only when flows go.
 */
export async function connect(
  options: ClientOptions,
  log: Logger = silent,
  sends: 'flows' | 'namespace-files' = 'flows',
): Promise<KestraClient> {
  const server = normaliseServer(options.server);
  if (options.tenant !== undefined && !options.tenant.trim()) {
    // An empty tenant is most often an unset variable: reading it as 'main' would write to another tenant.
    throw new Error("'tenant' is empty: give the tenant id, or leave 'tenant' out for 'main'");
  }
  const tenant = options.tenant?.trim() || 'main';
  const timeoutSeconds = options.timeoutSeconds ?? 30;
  if (!(timeoutSeconds > 0))
    throw new Error(`'timeout' must be a positive number of seconds, got ${timeoutSeconds}`);
  const problem = credentialProblem(options);
  if (problem) throw new Error(problem);
  const given = authorizations(options);
  const headers = extraHeaders(options.headers ?? {}, !!(given.bearer || given.basic));
  const http = new Transport({
    server,
    headers,
    timeoutSeconds,
    retry: options.retry,
    log,
    secrets: connectionSecrets(options),
    context: { auth: 'none', tenant, tenantInPath: false, timeoutSeconds },
  });
  useCredentials(http, given, undefined);
  try {
    const value = await readConfigs(http, given);
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(`${server}/api/v1/configs did not answer a JSON object; is 'server' the Kestra URL?`);
    }
    const info = serverInfo(value as { version?: unknown; edition?: unknown });
    // Without a version, only what works whatever the version: the tenant paths every server since 0.23
    // (and every EE) routes, and YAML bodies, which all accept (multipart needs 1.3).
    if (!info.known)
      log.warning(
        `Kestra at ${server} reports no readable version ('${info.version}'): using what every Kestra since 0.23 ` +
          `accepts, API paths with the tenant ('/api/v1/${tenant}/…') and flows sent as YAML rather than the ` +
          'multipart files of 1.3+',
      );
    Object.assign(http.context, { tenantInPath: info.tenantInPath, edition: info.edition });
    useCredentials(http, given, info.edition, log);
    if (info.tenantInPath && info.edition === 'OSS' && tenant !== 'main') {
      log.warning(`open-source Kestra only knows the tenant 'main', and 'tenant' is '${tenant}'`);
    }
    if (!info.tenantInPath && options.tenant && tenant !== 'main') {
      log.warning(`Kestra ${info.version} has no tenants in its API; 'tenant' ('${tenant}') is ignored`);
    }
    const format = sends === 'flows' ? `, flows sent as ${info.multipart ? 'multipart files' : 'YAML'}` : '';
    log.info(
      `Kestra ${info.version} (${info.edition}) at ${server}` +
        `${info.tenantInPath ? `, tenant '${tenant}'` : ''}${format}`,
    );
    return new Client(http, info, server, tenant);
  } catch (err) {
    await http.close();
    if (err instanceof KestraError && err.status === 404) {
      err.message +=
        " (no Kestra API here: 'server' should be the Kestra base URL, e.g. https://kestra.example.com)";
    }
    throw err;
  }
}

type Given = ReturnType<typeof authorizations>;

/**
 * `GET /api/v1/configs`. Open-source Kestra ≤ 0.23 protects it with basic auth and ignores tokens: with both
 * kinds of credentials given, a 401 to the token is asked again with user and password.
 */
async function readConfigs(http: Transport, given: Given): Promise<unknown> {
  try {
    return (await http.json<unknown>({ method: 'GET', path: Paths.configs })).value;
  } catch (err) {
    if (!(err instanceof KestraError && err.status === 401 && http.context.auth === 'bearer' && given.basic))
      throw err;
    http.setAuthorization(given.basic, 'basic');
    http.context.alsoGiven = 'bearer';
    return (await http.json<unknown>({ method: 'GET', path: Paths.configs })).value;
  }
}

/**
 * Sets the credentials to send (see chooseAuth): before /configs, with the edition unknown, the token wins;
 * after it, open-source Kestra gets basic auth, with a notice when a token was given too.
 */
function useCredentials(
  http: Transport,
  given: Given,
  edition: ServerInfo['edition'] | undefined,
  log?: Logger,
): void {
  const auth = chooseAuth(given, edition);
  if (auth === 'none') return;
  http.setAuthorization((auth === 'bearer' ? given.bearer : given.basic) as string, auth);
  if (!given.bearer || !given.basic) return;
  http.context.alsoGiven = auth === 'bearer' ? 'basic' : 'bearer';
  if (auth === 'basic' && log) {
    (log.notice ?? log.info)(
      "open-source Kestra has no API tokens: 'api-token' is ignored, and 'user'/'password' are sent (basic auth)",
    );
  }
}
