// The inputs both actions share (where the flows are, how to reach Kestra), read once, typed and checked.
import * as core from '@actions/core';
import * as path from 'node:path';
import { getBoolean, getHeaders, getInteger, getList, getString, InputError } from './inputs.js';
import type { ClientOptions } from './kestra/api.js';
import { authorizationValue } from './kestra/client.js';
import { redactServer } from './kestra/paths.js';
import type { SourceInputs } from './pipeline.js';

export function readSourceInputs(): SourceInputs {
  const workspace = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  const directory = getString('directory', {
    required: true,
    hint: "the folder of your flows, relative to the repository root (e.g. 'directory: flows')",
  });
  return {
    workspace,
    directory,
    // Empty is the resource's default: the flows' YAML globs, or every namespace file.
    include: getList('include'),
    exclude: getList('exclude'),
  };
}

/**
 * Connection inputs; undefined when no `server` is given (validate then works offline).
 * Secrets are masked here, before anything can log them: the password, the token and the derived header.
 */
export function readConnectionInputs(): ClientOptions | undefined {
  const password = getString('password');
  // Legacy actions spelled it `apiToken`: still read, with a deprecation warning.
  const apiToken = getString('api-token', { legacy: 'apiToken' });
  for (const secret of [password, apiToken]) if (secret) core.setSecret(secret);

  const server = getString('server');
  const user = getString('user');
  if (!server) {
    if (user || password || apiToken) {
      core.warning("Credentials were given but no 'server': they are ignored and flows are checked offline.");
    }
    return undefined;
  }
  if (!/^https?:\/\//i.test(server)) {
    throw new InputError(`'server' must start with http:// or https://, got "${redactServer(server)}"`);
  }
  if (password && !user)
    throw new InputError("'password' is set but 'user' is empty: set both, or use 'api-token'");
  if (user && !password && !apiToken) throw new InputError("'user' is set but 'password' is empty: set both");
  const options: ClientOptions = {
    server,
    user,
    password,
    apiToken,
    tenant: getString('tenant', { default: 'main' }),
    headers: getHeaders('headers'),
    timeoutSeconds: getInteger('timeout', { default: 30, min: 1, max: 3600, what: 'seconds' }),
  };
  const authorization = authorizationValue(options);
  if (authorization) core.setSecret(authorization);
  warnOnPlainHttp(options);
  return options;
}

/** Credentials over plain http to another machine travel in clear text. */
function warnOnPlainHttp(options: ClientOptions): void {
  if (!options.password && !options.apiToken) return;
  let url: URL;
  try {
    url = new URL(options.server);
  } catch {
    return; // the client refuses it with a clear message
  }
  const loopback =
    ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.startsWith('127.');
  if (url.protocol === 'http:' && !loopback) {
    core.warning(
      `Credentials are sent to ${url.origin} over plain http: use https:// for a server on another machine.`,
    );
  }
}

export function readFailOnWarnings(): boolean {
  return getBoolean('fail-on-warnings', false);
}

export interface CommentInputs {
  token: string;
}

/** `comment: true` posts a sticky pull-request comment; undefined when it is off. */
export function readCommentInputs(): CommentInputs | undefined {
  if (!getBoolean('comment', false)) return undefined;
  const token = getString('github-token') ?? '';
  if (token) core.setSecret(token);
  return { token };
}
