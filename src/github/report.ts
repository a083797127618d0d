// Report stage: the only code that talks to the GitHub runner (annotations, log, job summary, outputs).
import * as core from '@actions/core';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { log } from './log.js';
import type { Severity, Violation } from '../model/types.js';
import type {
  DeployReport,
  DeployResult,
  FlowStatus,
  NamespaceStatus,
  ValidateTotals,
} from '../model/results.js';

/** GitHub shows at most 10 annotations of each level per step and drops the rest. */
export const ANNOTATIONS_PER_LEVEL = 10;

const annotate: Record<Severity, (msg: string, props: core.AnnotationProperties) => void> = {
  error: core.error,
  warning: core.warning,
  notice: core.notice,
};

const position = (v: Violation): string => `${v.file}:${v.line}:${v.column}`;

/**
 * Every violation goes to the log; the first ones of each level also become annotations at file:line.
 * Past GitHub's cap, one last annotation says how many more there are, so nothing is silently hidden.
 */
export function annotateViolations(violations: Violation[]): void {
  for (const v of violations)
    log.info(`${position(v)}: ${v.severity}: ${v.flow ? `${v.flow}: ` : ''}${v.message}`);
  for (const level of ['error', 'warning', 'notice'] as const) {
    const all = violations.filter((v) => v.severity === level);
    const shown = all.length > ANNOTATIONS_PER_LEVEL ? all.slice(0, ANNOTATIONS_PER_LEVEL - 1) : all;
    for (const v of shown) {
      annotate[level](v.message, {
        title: v.flow ?? v.file,
        file: v.file,
        startLine: v.line,
        startColumn: v.column,
      });
    }
    const rest = all.length - shown.length;
    if (rest > 0) {
      annotate[level](
        `${rest} more ${level}s are not shown as annotations: see the job summary and the log`,
        {
          title: `${rest} more ${level}s`,
        },
      );
    }
  }
}

const STATUS_ICON: Record<FlowStatus, string> = {
  valid: '✅ valid',
  warning: '⚠️ warning',
  invalid: '❌ invalid',
};

/** Keeps the summary well under GitHub's 1 MiB per step. */
const MAX_SUMMARY_ROWS = 500;

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string,
  );
}

type Cell = string | { data: string; header: true };

/** An HTML table with every cell closed (@actions/core's addTable leaves an empty cell open: `<td>`). */
function htmlTable(rows: Cell[][]): string {
  const cell = (c: Cell): string => (typeof c === 'string' ? `<td>${c}</td>` : `<th>${c.data}</th>`);
  return `<table>${rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('')}</table>`;
}

export async function writeValidateSummary(totals: ValidateTotals, mode: string): Promise<void> {
  // Problems first: on a big repo the rows a reader needs must not be cut off.
  const order: Record<FlowStatus, number> = { invalid: 0, warning: 1, valid: 2 };
  const rows = [...totals.results].sort((a, b) => order[a.status] - order[b.status]);
  const shown = rows.slice(0, MAX_SUMMARY_ROWS);
  const heading = totals.valid
    ? `✅ ${totals.flows} Kestra flows valid`
    : `❌ ${totals.errors} of ${totals.results.length} Kestra files or flows invalid`;
  core.summary
    .addHeading(heading, 2)
    .addRaw(`<p>${escapeHtml(mode)} · ${totals.warnings} warnings</p>`, true)
    .addRaw(
      htmlTable([
        [
          { data: 'File', header: true },
          { data: 'Flow', header: true },
          { data: 'Status', header: true },
          { data: 'Messages', header: true },
        ],
        ...shown.map((r) => [
          `<code>${escapeHtml(r.file)}:${r.line}</code>`,
          escapeHtml(r.namespace && r.id ? `${r.namespace}.${r.id}` : (r.id ?? '')),
          STATUS_ICON[r.status],
          r.messages.map(escapeHtml).join('<br>'),
        ]),
      ]),
      true,
    );
  if (rows.length > shown.length)
    core.summary.addRaw(`<p>… and ${rows.length - shown.length} more rows</p>`, true);
  await writeSummary();
}

/** The summary is a courtesy: a runner without one (act, local runs) must not fail the step. */
async function writeSummary(): Promise<void> {
  try {
    await core.summary.write();
  } catch (error) {
    core.summary.emptyBuffer();
    core.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function setValidateOutputs(totals: ValidateTotals): void {
  core.setOutput('valid', String(totals.valid));
  core.setOutput('flows', String(totals.flows));
  core.setOutput('errors', String(totals.errors));
  core.setOutput('warnings', String(totals.warnings));
  setResults('validate', totals.results);
}

/**
 * GitHub evaluates an expression in at most 1 MB counted as UTF-16 and fails the step that reads a larger
 * output ("The maximum allowed memory size was exceeded"); a job's outputs share 1 MB too. 10,000 flows make
 * ~1.5 MB of results, so the output keeps whole entries up to half that limit, and the file has them all.
 */
export const RESULTS_OUTPUT_CHARS = 256 * 1024;

/** The `results` output, cut to fit with a warning when needed, and `results-file`, always whole. */
function setResults(action: 'validate' | 'deploy', results: readonly unknown[]): void {
  const json = JSON.stringify(results);
  const file = path.join(
    process.env.RUNNER_TEMP || tmpdir(),
    `kestra-${action}-results-${randomUUID()}.json`,
  );
  writeFileSync(file, json);
  core.setOutput('results-file', file);
  if (json.length <= RESULTS_OUTPUT_CHARS) {
    core.setOutput('results', json);
    return;
  }
  const kept: string[] = [];
  let length = 2; // the brackets
  for (const result of results) {
    const entry = JSON.stringify(result);
    const grown = length + entry.length + (kept.length > 0 ? 1 : 0); // and a comma after the first
    if (grown > RESULTS_OUTPUT_CHARS) break;
    kept.push(entry);
    length = grown;
  }
  core.setOutput('results', `[${kept.join(',')}]`);
  core.warning(
    `The 'results' output holds the first ${kept.length} of ${results.length} entries: all of them take ` +
      `${Math.round(json.length / 1024)} K characters, more than a workflow expression can read. ` +
      `Read the whole list from the file named by the 'results-file' output.`,
  );
}

/** The one place a failure becomes the step's result: one line, no stack trace unless debugging. */
export function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.stack && core.isDebug()) core.debug(error.stack);
  core.setFailed(message);
}

const ACTIONS = ['created', 'updated', 'unchanged', 'deleted'] as const;
export const ACTION_SIGN: Record<DeployResult['action'], string> = {
  created: '+',
  updated: '~',
  unchanged: '=',
  deleted: '-',
};

/** A plan (dry-run) speaks of what it will do; a deploy of what it did. */
const PLANNED: Record<DeployResult['action'], string> = {
  created: 'will create',
  updated: 'will update',
  unchanged: 'unchanged',
  deleted: 'will delete',
};

/** An action as a reader sees it: `will create` in a plan, `created` after a deploy. */
export function actionWord(action: DeployResult['action'], dryRun: boolean): string {
  return dryRun ? PLANNED[action] : action;
}

export function countActions(results: DeployResult[]): Record<(typeof ACTIONS)[number], number> {
  const counts = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
  for (const r of results) counts[r.action]++;
  return counts;
}

const label = (r: DeployResult): string => r.id ?? r.path ?? '';

const LOG_STATUS: Record<NamespaceStatus['status'], string> = {
  planned: 'planned',
  written: 'written',
  failed: 'FAILED',
  skipped: 'not written',
};

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
function names(list: string[], max = 20): string {
  return list.length > max
    ? `${list.slice(0, max).join(', ')} and ${list.length - max} more`
    : list.join(', ');
}

/** The plan (dry-run) or what was done, in the log: one line per resource, grouped by namespace. */
export function logDeploy(report: DeployReport): void {
  const verb = report.dryRun ? 'Plan (dry-run, nothing written)' : 'Deployed';
  for (const ns of report.namespaces) {
    const rows = report.results.filter((r) => r.namespace === ns.namespace);
    log.startGroup(`${verb}: ${ns.namespace} (${LOG_STATUS[ns.status]})`);
    for (const r of rows)
      log.info(
        `${ACTION_SIGN[r.action]} ${actionWord(r.action, report.dryRun).padEnd(report.dryRun ? 11 : 9)} ${label(r)}` +
          (r.file ? `  (${r.file})` : ''),
      );
    for (const [title, list] of leftUndone(ns, report.resource))
      for (const name of list) log.info(`! ${title.padEnd(14)} ${name}`);
    if (ns.error) log.info(`! ${ns.error}`);
    log.endGroup();
  }
  for (const n of report.notices ?? []) log.info(`Note: ${n.message}`);
  log.info(`${verb}: ${countsLine(countActions(report.results), report.dryRun)}`);
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
    `${files ? 'uploaded or deleted' : 'written or deleted'}: ${names(done.map(label)) || 'none'}`,
    ...leftUndone(failed, report.resource).map(([title, list]) => `${title}: ${names(list)}`),
  ];
  parts.push(`In ${failed.namespace}, ${inside.join('; ')}.`);
  parts.push(
    files
      ? 'Fix the cause and re-run the deploy: it only uploads what differs, and deletes only after every upload succeeded.'
      : `${failed.namespace} may be partly written: fix the cause and re-run the deploy (it only sends what differs).`,
  );
  return parts.join(' ');
}

const STATUS_TEXT: Record<NamespaceStatus['status'], string> = {
  planned: '📝 planned',
  written: '✅ written',
  failed: '❌ failed (may be partly written)',
  skipped: '⏭️ not written',
};

function countsLine(c: Record<DeployResult['action'], number>, dryRun: boolean): string {
  return dryRun
    ? `${c.created} to create · ${c.updated} to update · ${c.unchanged} unchanged · ${c.deleted} to delete`
    : `${c.created} created · ${c.updated} updated · ${c.unchanged} unchanged · ${c.deleted} deleted`;
}

export async function writeDeploySummary(report: DeployReport): Promise<void> {
  const c = countActions(report.results);
  const what = report.resource === 'flows' ? 'flows' : 'namespace files';
  const failed = report.namespaces.some((n) => n.status === 'failed');
  const heading = report.dryRun
    ? `📝 Kestra deploy plan (dry-run): ${what}`
    : failed
      ? `❌ Kestra deploy of ${what} stopped`
      : `✅ Kestra ${what} deployed`;
  core.summary
    .addHeading(heading, 2)
    .addRaw(`<p>${countsLine(c, report.dryRun)}</p>`, true)
    .addRaw(
      htmlTable([
        ['Namespace', 'Status', ...ACTIONS.map((a) => actionWord(a, report.dryRun))].map((h) => ({
          data: h,
          header: true,
        })),
        ...report.namespaces.map((ns) => {
          const rows = report.results.filter((r) => r.namespace === ns.namespace);
          const undone = leftUndone(ns, report.resource).map(
            ([title, list]) =>
              `<br>${title} (${list.length}): ${list
                .slice(0, MAX_SUMMARY_ROWS)
                .map((n) => `<code>${escapeHtml(n)}</code>`)
                .join(', ')}${list.length > MAX_SUMMARY_ROWS ? ' …' : ''}`,
          );
          return [
            `<code>${escapeHtml(ns.namespace)}</code>`,
            STATUS_TEXT[ns.status] + (ns.error ? `<br>${escapeHtml(ns.error)}` : '') + undone.join(''),
            ...ACTIONS.map((a) => String(rows.filter((r) => r.action === a).length)),
          ];
        }),
      ]),
      true,
    );
  if (report.notices?.length) core.summary.addList(report.notices.map((n) => escapeHtml(n.message)));
  const changed = report.results.filter((r) => r.action !== 'unchanged').slice(0, MAX_SUMMARY_ROWS);
  if (changed.length) {
    core.summary.addDetails(
      `${changed.length} changes`,
      '\n\n' +
        changed
          .map(
            (r) =>
              `- ${ACTION_SIGN[r.action]} ${actionWord(r.action, report.dryRun)} <code>${escapeHtml(r.namespace)}</code> ${escapeHtml(label(r))}`,
          )
          .join('\n') +
        '\n',
    );
  }
  await writeSummary();
}

export function setDeployOutputs(report: DeployReport): void {
  const c = countActions(report.results);
  for (const a of ACTIONS) core.setOutput(a, String(c[a]));
  core.setOutput('plan', JSON.stringify(report.plan));
  setResults('deploy', report.results);
}
