// The job summary as one HTML string: the validate verdict with a row per file or flow, the deploy's
// per-namespace table and its changes. A front-end only writes the string (see src/github/summary.ts).
import type { DeployReport, FlowStatus, ValidateTotals, Validation } from '../model/results.js';
import { changesMarkdown, SUMMARY_DIFF_CAPS } from './changes.js';
import { readinessHtml } from './readiness.js';
import {
  ACTION_SIGN,
  ACTIONS,
  actionWord,
  countActions,
  countsLine,
  deployHeading,
  flowName,
  leftUndone,
  NAMESPACE_STATUS,
  offlineCounts,
  plural,
  resourceName,
  statusText,
} from './words.js';
import { escapeHtml, htmlTable, type Cell } from './html.js';

/** Keeps the summary well under GitHub's 1 MiB per step. */
export const MAX_SUMMARY_ROWS = 500;

const header = (data: string): Cell => ({ data, header: true });

/**
 * Blocks one under the other, each ended by `eol`: the runner's line end, which @actions/core's summary
 * builder put after each block (os.EOL), so a front-end that passes it writes the same bytes.
 */
const blocks = (parts: string[], eol: string): string => parts.map((p) => `${p}${eol}`).join('');

export function validateSummary(totals: ValidateTotals, mode: string, eol = '\n'): string {
  // Problems first: on a big repo the rows a reader needs must not be cut off.
  const order: Record<FlowStatus, number> = { invalid: 0, warning: 1, valid: 2 };
  const rows = [...totals.results].sort((a, b) => order[a.status] - order[b.status]);
  const shown = rows.slice(0, MAX_SUMMARY_ROWS);
  // Warnings alone fail a run with `fail-on-warnings`: the heading says so rather than "0 … invalid".
  const heading = totals.valid
    ? `✅ ${totals.flows} Kestra flows valid`
    : totals.errors > 0
      ? `❌ ${totals.errors} of ${totals.results.length} Kestra files or flows invalid`
      : `❌ ${plural(totals.warnings, 'warning')} (warnings fail this run)`;
  const parts = [
    `<h2>${heading}</h2>`,
    `<p>${[mode, `${totals.warnings} warnings`, offlineCounts(totals)]
      .filter((p) => p !== undefined)
      .map(escapeHtml)
      .join(' · ')}</p>`,
    htmlTable([
      ['File', 'Flow', 'Status', 'Messages'].map(header),
      ...shown.map((r) => [
        `<code>${escapeHtml(r.file)}:${r.line}</code>`,
        escapeHtml(flowName(r)),
        statusText(r),
        [...r.messages, ...(r.needsServer ? [`needs a server: ${r.needsServerReason ?? ''}`] : [])]
          .map(escapeHtml)
          .join('<br>'),
      ]),
    ]),
  ];
  if (rows.length > shown.length) parts.push(`<p>… and ${rows.length - shown.length} more rows</p>`);
  return blocks(parts, eol);
}

/** A validation's summary, ended by the "Ready for Kestra 2.0?" table when the run targeted 1.x. */
export function validationSummary(validation: Validation, eol = '\n'): string {
  return validateSummary(validation.totals, validation.mode, eol) + readinessHtml(validation, eol);
}

/** Names as `<code>` items, cut at MAX_SUMMARY_ROWS. */
const codeList = (list: string[]): string =>
  list
    .slice(0, MAX_SUMMARY_ROWS)
    .map((n) => `<code>${escapeHtml(n)}</code>`)
    .join(', ') + (list.length > MAX_SUMMARY_ROWS ? ' …' : '');

/**
 * `validation`: the one before the deploy, for its "Ready for Kestra 2.0?" table at the end. `fullPlan`: where
 * the whole plan is, named where the diffs are cut.
 */
export function deploySummary(
  report: DeployReport,
  eol = '\n',
  validation?: Validation,
  fullPlan = 'the plan file',
): string {
  const parts = [
    `<h2>${deployHeading(report)}</h2>`,
    `<p>${countsLine(countActions(report.results), report.dryRun)}</p>`,
    htmlTable([
      ['Namespace', 'Status', ...ACTIONS.map((a) => actionWord(a, report.dryRun))].map(header),
      ...report.namespaces.map((ns) => {
        const rows = report.results.filter((r) => r.namespace === ns.namespace);
        const undone = leftUndone(ns, report.resource).map(
          ([title, list]) => `<br>${title} (${list.length}): ${codeList(list)}`,
        );
        return [
          `<code>${escapeHtml(ns.namespace)}</code>`,
          NAMESPACE_STATUS[ns.status] + (ns.error ? `<br>${escapeHtml(ns.error)}` : '') + undone.join(''),
          ...ACTIONS.map((a) => String(rows.filter((r) => r.action === a).length)),
        ];
      }),
    ]),
  ];
  if (report.notices?.length)
    parts.push(`<ul>${report.notices.map((n) => `<li>${escapeHtml(n.message)}</li>`).join('')}</ul>`);
  const changes = report.results.filter((r) => r.action !== 'unchanged');
  const changed = changes.slice(0, MAX_SUMMARY_ROWS);
  if (changed.length) {
    const items = changed.map(
      (r) =>
        `- ${ACTION_SIGN[r.action]} ${actionWord(r.action, report.dryRun)} <code>${escapeHtml(r.namespace)}</code> ${escapeHtml(resourceName(r))}`,
    );
    // The count is of every change (the list stops at MAX_SUMMARY_ROWS), worded as the comment words it.
    const count = plural(changes.length, report.dryRun ? 'planned change' : 'change');
    parts.push(`<details><summary>${count}</summary>\n\n${items.join('\n')}\n</details>`);
  }
  const review = changesMarkdown(report.changes ?? [], SUMMARY_DIFF_CAPS, fullPlan);
  if (review) parts.push(`<h3>What the deploy would change</h3>\n\n${review}`);
  return blocks(parts, eol) + (validation ? readinessHtml(validation, eol) : '');
}
