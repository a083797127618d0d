// The words every front-end shows for the model's states (statuses, icons, signs, verbs, count lines,
// what a failure left undone). One source: the log, the job summary and the pull-request comment say the
// same thing. Pure: text from the model, nothing here knows of a runner or a terminal.
import type {
  DeployReport,
  DeployResult,
  FlowResult,
  FlowStatus,
  NamespaceStatus,
  ValidateTotals,
} from '../model/results.js';

export type Action = DeployResult['action'];
export type ActionCounts = Record<Action, number>;

/** The actions in the order every table and count line shows them. */
export const ACTIONS = ['created', 'updated', 'unchanged', 'deleted'] as const satisfies readonly Action[];

/** A flow's or a file's verdict, with its icon. */
export const FLOW_STATUS: Record<FlowStatus, string> = {
  valid: '✅ valid',
  warning: '⚠️ warning',
  invalid: '❌ invalid',
};

/** A flow whose offline verdict is not sure: its plugin types need a server (src/core/check/needs-server.ts). */
export const NEEDS_SERVER = '🔌 needs a server';

/** The status cell of a flow: its verdict, and "needs a server" when offline could not be sure. */
export const statusText = (r: FlowResult): string =>
  r.needsServer ? `${FLOW_STATUS[r.status]} · ${NEEDS_SERVER}` : FLOW_STATUS[r.status];

/** Offline: how many flows were checked fully and how many need a server; nothing with a server. */
export function offlineCounts(totals: ValidateTotals): string | undefined {
  if (totals.needsServer === undefined) return undefined;
  const n = totals.needsServer;
  return `${totals.flows - n} checked fully offline, ${n} need${n === 1 ? 's' : ''} a server`;
}

/** A namespace's state after a deploy (or in a plan), with its icon: the summary's and the comment's. */
export const NAMESPACE_STATUS: Record<NamespaceStatus['status'], string> = {
  planned: '📝 planned',
  written: '✅ written',
  unchanged: '✅ unchanged, nothing sent',
  failed: '❌ failed (may be partly written)',
  skipped: '⏭️ not written',
};

/** The same states in a plain log line, without icons. */
export const LOG_STATUS: Record<NamespaceStatus['status'], string> = {
  planned: 'planned',
  written: 'written',
  unchanged: 'unchanged',
  failed: 'FAILED',
  skipped: 'not written',
};

export const ACTION_SIGN: Record<Action, string> = {
  created: '+',
  updated: '~',
  unchanged: '=',
  deleted: '-',
};

/** A plan (dry-run) speaks of what it will do; a deploy of what it did. */
const PLANNED: Record<Action, string> = {
  created: 'will create',
  updated: 'will update',
  unchanged: 'unchanged',
  deleted: 'will delete',
};

/** An action as a reader sees it: `will create` in a plan, `created` after a deploy. */
export function actionWord(action: Action, dryRun: boolean): string {
  return dryRun ? PLANNED[action] : action;
}

export function countActions(results: readonly DeployResult[]): ActionCounts {
  const counts = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
  for (const r of results) counts[r.action]++;
  return counts;
}

/** `2 created · 1 updated · …`, or in a plan `2 to create · 1 to update · …`. */
export function countsLine(c: ActionCounts, dryRun: boolean): string {
  return dryRun
    ? `${c.created} to create · ${c.updated} to update · ${c.unchanged} unchanged · ${c.deleted} to delete`
    : `${c.created} created · ${c.updated} updated · ${c.unchanged} unchanged · ${c.deleted} deleted`;
}

/** `1 flow`, `2 flows`. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** A deployed resource's name: the flow's id or the file's path. */
export const resourceName = (r: DeployResult): string => r.id ?? r.path ?? '';

/** A validated flow's name, `namespace.id`; a file with no readable flow has none. */
export const flowName = (r: FlowResult): string =>
  r.namespace && r.id ? `${r.namespace}.${r.id}` : (r.id ?? '');

export const resourceNoun = (resource: DeployReport['resource']): string =>
  resource === 'flows' ? 'flows' : 'namespace files';

/** The deploy's verdict in a few words, with its icon: the summary's and the comment's heading. */
export function deployHeading(report: DeployReport): string {
  const what = resourceNoun(report.resource);
  if (report.dryRun) return `📝 Kestra deploy plan (dry-run): ${what}`;
  return report.namespaces.some((n) => n.status === 'failed')
    ? `❌ Kestra deploy of ${what} stopped`
    : `✅ Kestra ${what} deployed`;
}

/** What the log says before a namespace's lines and before the count line. */
export const deployVerb = (dryRun: boolean): string =>
  dryRun ? 'Plan (dry-run, nothing written)' : 'Deployed';

/** When a deploy changes nothing. */
export const nothingChanged = (dryRun: boolean): string =>
  dryRun ? 'Nothing to change.' : 'Nothing changed.';

/** What a failed namespace left undone, one entry per kind: `[title, names]`, empty kinds left out. */
export function leftUndone(ns: NamespaceStatus, resource: DeployReport['resource']): [string, string[]][] {
  const files = resource === 'namespace-files';
  const kinds: [string, string[] | undefined][] = [
    ['failed', ns.failed],
    [files ? 'not uploaded' : 'not written', ns.notWritten],
    ['not deleted', ns.notDeleted],
  ];
  return kinds.filter((k): k is [string, string[]] => (k[1]?.length ?? 0) > 0);
}

/** Names for a one-line message: the first `max`, then how many more. */
export function names(list: readonly string[], max = 20): string {
  return list.length > max
    ? `${list.slice(0, max).join(', ')} and ${list.length - max} more`
    : list.join(', ');
}

/**
 * The run's failure as one message (one line unless the server's own message has several): which
 * namespace failed and why, which were written and which were not, and inside the failed namespace what
 * was done and what was not. Undefined when nothing failed.
 */
export function failureMessage(report: DeployReport): string | undefined {
  const failed = report.namespaces.find((n) => n.status === 'failed');
  if (!failed) return undefined;
  const files = report.resource === 'namespace-files';
  const parts = [`deploy to ${failed.namespace} failed: ${failed.error ?? 'unknown error'}.`];
  if (report.namespaces.length > 1) {
    const list = (status: NamespaceStatus['status']): string =>
      names(report.namespaces.filter((n) => n.status === status).map((n) => n.namespace)) || 'none';
    parts.push(`Namespaces written: ${list('written')}; not written: ${list('skipped')}.`);
  }
  const done = report.results.filter((r) => r.namespace === failed.namespace && r.action !== 'unchanged');
  const inside = [
    `${files ? 'uploaded or deleted' : 'written or deleted'}: ${names(done.map(resourceName)) || 'none'}`,
    ...leftUndone(failed, report.resource).map(([title, list]) => `${title}: ${names(list)}`),
  ];
  parts.push(`In ${failed.namespace}, ${inside.join('; ')}.`);
  parts.push(
    files
      ? 'Fix the cause and re-run the deploy: it only uploads what differs, and deletes only after every upload succeeded.'
      : `${failed.namespace} may be partly written: fix the cause and re-run the deploy (it sends only the flows ` +
          "that differ from the server's, and deletes only after every write succeeded).",
  );
  return parts.join(' ');
}

/** The run's one line after a validation: how many flows, how checked, how many invalid and warnings. */
export function validationLine(totals: ValidateTotals, mode: string, failOnWarnings: boolean): string {
  const why = totals.valid ? '' : failOnWarnings && totals.errors === 0 ? ' (fail-on-warnings)' : '';
  const offline = offlineCounts(totals);
  return `${totals.flows} flows checked (${mode}): ${totals.errors} invalid, ${totals.warnings} warnings${offline ? `, ${offline}` : ''}${why}`;
}

/** Why a validation fails the run (errors, or warnings with `fail-on-warnings`). */
export function validationFailure(totals: ValidateTotals): string {
  if (totals.errors === 0) return `${totals.warnings} warnings and 'fail-on-warnings' is true`;
  const what =
    totals.errors === 1 ? '1 Kestra flow or file is' : `${totals.errors} Kestra flows or files are`;
  return `${what} invalid: see the annotations and the job summary`;
}

/** Why a deploy wrote nothing: its validation failed. */
export function invalidDeployMessage(totals: ValidateTotals): string {
  const warnings = totals.errors === 0 ? ` (${totals.warnings} warnings with 'fail-on-warnings')` : '';
  return `${totals.errors} of ${totals.results.length} flows or files failed validation${warnings}: nothing was written or deleted`;
}
