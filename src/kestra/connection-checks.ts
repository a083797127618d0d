// The connection a front-end was given, checked before connect(): what is refused (the same messages from
// the action and the CLI, naming settings by their input names) and what is only worth a warning.
import type { ClientOptions } from './api.js';
import { credentialProblem } from './auth.js';
import { redactServer } from './paths.js';

/** Why the server and credentials cannot be used, never quoting a secret; undefined when they can. */
export function connectionProblem(
  given: Pick<ClientOptions, 'server' | 'user' | 'password' | 'apiToken'>,
): string | undefined {
  const { server, user, password, apiToken } = given;
  if (!/^https?:\/\//i.test(server)) {
    return `'server' must start with http:// or https://, got "${redactServer(server)}"`;
  }
  if (password && !user) return "'password' is set but 'user' is empty: set both, or use 'api-token'";
  if (user && !password && !apiToken) return "'user' is set but 'password' is empty: set both";
  return credentialProblem({ apiToken, user, password });
}

/** Credentials over plain http to another machine travel in clear text: the warning to give, if any. */
export function plainHttpWarning(options: ClientOptions): string | undefined {
  if (!options.password && !options.apiToken) return undefined;
  let url: URL;
  try {
    url = new URL(options.server);
  } catch {
    return undefined; // the client refuses it with a clear message
  }
  const loopback =
    ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.startsWith('127.');
  if (url.protocol === 'http:' && !loopback) {
    return `Credentials are sent to ${url.origin} over plain http: use https:// for a server on another machine.`;
  }
  return undefined;
}
