// The step's sticky pull-request comment: which comment is the step's own, and posting it safely.
import type { ClientOptions } from '../kestra/api.js';
import { connectionSecrets } from '../kestra/connect.js';
import { scrubSecrets } from '../kestra/http.js';
import type { Resource, SourceSettings } from '../model/settings.js';
import { log } from './log.js';
import { stepMarker } from '../render/marker.js';
import { upsertPullRequestComment } from './comment.js';
import type { CommentInputs } from './settings.js';

/** What keys a step's comment (see src/render/marker.ts): the settings that say what the step does. */
export interface CommentedStep extends SourceSettings {
  comment?: CommentInputs;
  connection?: ClientOptions;
  resource?: Resource;
  namespace?: string;
  to?: string;
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
  const marker = stepMarker(action, {
    directory: step.directory,
    include: step.include,
    exclude: step.exclude,
    server: step.connection?.server,
    tenant: step.connection?.tenant,
    resource: step.resource,
    namespace: step.namespace,
    to: step.to,
    commentId: step.comment.id,
  });
  const secrets = step.connection ? connectionSecrets(step.connection) : [];
  await upsertPullRequestComment({
    token: step.comment.token,
    marker,
    body: scrubSecrets(body(marker), secrets),
    warn: log.warning,
    info: log.info,
  });
}
