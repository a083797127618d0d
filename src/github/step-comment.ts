// The step's sticky pull-request comment: which comment is the step's own, and posting it safely.
import * as path from 'node:path';
import type { ClientOptions } from '../kestra/api.js';
import { connectionSecrets } from '../kestra/client.js';
import { scrubSecrets } from '../kestra/http.js';
import { redactServer } from '../kestra/paths.js';
import type { Resource, SourceSettings } from '../model/settings.js';
import { log } from './log.js';
import { commentMarker, upsertPullRequestComment } from './comment.js';
import type { CommentInputs } from './settings.js';

/** What keys a step's comment (see `commentMarker`): the settings that say what the step does. */
export interface CommentedStep extends SourceSettings {
  comment?: CommentInputs;
  connection?: ClientOptions;
  resource?: Resource;
  namespace?: string;
  to?: string;
}

function stepMarker(action: 'validate' | 'deploy', step: CommentedStep): string {
  if (step.comment?.id) return commentMarker(action, { id: step.comment.id });
  const server = step.connection
    ? redactServer(step.connection.server.trim()).replace(/\/+$/, '').toLowerCase()
    : 'offline';
  return commentMarker(action, {
    scope: {
      resource: step.resource,
      namespace: step.namespace,
      to: step.resource === 'namespace-files' ? step.to : undefined,
      directory: path.posix.normalize(step.directory.replace(/\\/g, '/')).replace(/(.)\/+$/, '$1'),
      include: step.include,
      exclude: step.exclude,
      server,
      tenant: step.connection?.tenant?.trim() || 'main',
    },
  });
}

/**
 * Posts or updates the step's comment; its failures are warnings, never the run's result. GitHub masks
 * secrets in logs, not in comments, so any secret a server's message might echo is scrubbed from the body.
 */
export async function commentOnPullRequest(
  action: 'validate' | 'deploy',
  step: CommentedStep,
  body: (marker: string) => string,
): Promise<void> {
  if (!step.comment) return;
  const marker = stepMarker(action, step);
  const secrets = step.connection ? connectionSecrets(step.connection) : [];
  await upsertPullRequestComment({
    token: step.comment.token,
    marker,
    body: scrubSecrets(body(marker), secrets),
    warn: log.warning,
    info: log.info,
  });
}
