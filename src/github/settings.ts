// The inputs both actions share (where the flows are, how to reach Kestra), read once, typed and checked.
import * as core from '@actions/core';
import * as path from 'node:path';
import { getBoolean, getHeaders, getInteger, getList, getString, InputError } from './inputs.js';
import type { ClientOptions } from '../kestra/api.js';
import { authorizations, bareToken, hasBearerPrefix, reservedHeaders } from '../kestra/auth.js';
import { connectionProblem, plainHttpWarning } from '../kestra/connection-checks.js';
import { checkCommentId } from '../model/settings-checks.js';
import { parseKestraVersion } from '../model/settings-checks.js';
import type { SourceSettings } from '../model/settings.js';

export function readSourceInputs(): SourceSettings {
  const workspace = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  const directory = getString('directory', {
    required: true,
    hint: "the folder of your flows, relative to the repository root (e.g. 'directory: flows')",
  });
  return {
    workspace,
    directory,
    // Empty is refused, not read as the default: an unset variable would widen what is deployed and pruned.
    include: getList('include', {
      notEmpty: "write the globs of the files to manage, or remove the line to take every file ('**')",
    }),
    exclude: getList('exclude'),
    ...kestraVersion(getString('kestra-version') ?? ''),
  };
}

/** The `kestra-version` input, checked; nothing when empty. */
function kestraVersion(value: string): { kestraVersion?: string } {
  const version = parseKestraVersion('kestra-version', value);
  return version ? { kestraVersion: version } : {};
}

/**
 * Connection inputs; undefined when no `server` is given (validate then works offline).
 * Secrets are masked here, before anything can log them: the password, the token and the derived headers.
 */
export function readConnectionInputs(): ClientOptions | undefined {
  const password = getString('password');
  // Legacy actions spelled it `apiToken`: still read, with a deprecation warning.
  const givenToken = getString('api-token', { legacy: 'apiToken' });
  const apiToken = bareToken(givenToken);
  for (const secret of new Set([password, givenToken, apiToken])) if (secret) core.setSecret(secret);

  const server = getString('server');
  const user = getString('user');
  if (!server) {
    if (user || password || givenToken) {
      core.warning("Credentials were given but no 'server': they are ignored and flows are checked offline.");
    }
    return undefined;
  }
  const problem = connectionProblem({ server, user, password, apiToken: givenToken });
  if (problem) throw new InputError(problem);
  if (hasBearerPrefix(givenToken)) {
    core.notice("'api-token' starts with 'Bearer ': the prefix is dropped (the action adds it itself)");
  }
  const options: ClientOptions = {
    server,
    user,
    password,
    apiToken,
    // Empty is refused, not read as 'main': that would write to another tenant.
    tenant: getString('tenant', { notEmpty: "set the tenant id, or remove the line to use 'main'" }),
    headers: getHeaders('headers', { reserved: reservedHeaders(!!(apiToken || (user && password))) }),
    // Lenient on purpose: an empty timeout changes nothing written, so it reads as the default.
    timeoutSeconds: getInteger('timeout', { default: 30, min: 1, max: 3600, what: 'seconds' }),
  };
  // Both forms: on open-source Kestra the client sends Basic even when a token is given.
  const { bearer, basic } = authorizations(options);
  for (const header of [bearer, basic]) if (header) core.setSecret(header);
  const plainHttp = plainHttpWarning(options);
  if (plainHttp) core.warning(plainHttp);
  return options;
}

export function readFailOnWarnings(): boolean {
  return getBoolean('fail-on-warnings');
}

/** Pull-request comment settings; absent when `comment` is false. */
export interface CommentInputs {
  token: string;
  /** `comment-id`: names the comment instead of the step's inputs. */
  id?: string;
}

/** `comment: true` posts a sticky pull-request comment; undefined when it is off. */
export function readCommentInputs(): CommentInputs | undefined {
  if (!getBoolean('comment')) return undefined;
  const token = getString('github-token') ?? '';
  if (token) core.setSecret(token);
  const id = getString('comment-id')?.trim() || undefined;
  checkCommentId(id);
  return { token, id };
}
