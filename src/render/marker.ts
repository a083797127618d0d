// The hidden marker that finds a step's own comment again: one rule for the GitHub pull-request comment and
// the GitLab merge-request note, so a step keeps one comment (or note) and a re-run edits it in place.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { redactServer } from '../kestra/paths.js';

/**
 * The marker for an action and a key. Keyed on what the step does (`scope`: the resource, namespace,
 * folder, server…) so two steps of one pull request (flows and namespace files, a dev/prod matrix) keep a
 * comment each and a re-run updates its own; `scope` is hashed, as it may name internal servers. A
 * `comment-id` (`id`) replaces the scope. The action always counts: validate and deploy never share one.
 */
export function commentMarker(
  action: 'validate' | 'deploy',
  key: { id: string } | { scope: Record<string, unknown> },
): string {
  const tail =
    'id' in key
      ? // Percent-encoded: `-->` or a line break cannot end the HTML comment.
        `id=${encodeURIComponent(key.id)}`
      : createHash('sha256').update(JSON.stringify(key.scope)).digest('hex').slice(0, 16);
  return `<!-- kestra-actions:${action}:${tail} -->`;
}

/** What keys a step's marker: the settings that say what the step does. */
export interface MarkedStep {
  directory: string;
  include: string[];
  exclude: string[];
  /** The Kestra server as given; absent or blank: offline. */
  server?: string;
  tenant?: string;
  resource?: string;
  namespace?: string;
  to?: string;
  /** `comment-id`: names the comment instead of the step's settings. */
  commentId?: string;
}

/**
 * The step's marker. The scope's keys, their order and their normal forms are part of every marker
 * already posted: changing any of them makes the next run post a second comment instead of editing its own.
 */
export function stepMarker(action: 'validate' | 'deploy', step: MarkedStep): string {
  if (step.commentId) return commentMarker(action, { id: step.commentId });
  const server = step.server?.trim()
    ? redactServer(step.server.trim()).replace(/\/+$/, '').toLowerCase()
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
      tenant: step.tenant?.trim() || 'main',
    },
  });
}
