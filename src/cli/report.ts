// The report as a terminal or a CI log shows it: the findings at file:line:column (and, on GitHub Actions and
// Azure Pipelines, as annotations), the results and the plan as the action's job summary shows them (in
// plain-text tables, words from src/render/), then the verdict.
import type { DeployReport, FlowResult, FlowStatus, ValidateTotals, Validation } from '../model/results.js';
import type { Violation } from '../model/types.js';
import { deployLogBlocks } from '../render/log-lines.js';
import { azureLogIssues } from '../render/reporters/azure.js';
import { githubAnnotations } from '../render/reporters/github.js';
import { readinessText } from '../render/readiness.js';
import { MAX_SUMMARY_ROWS } from '../render/summary.js';
import {
  ACTIONS,
  actionWord,
  countActions,
  countsLine,
  deployHeading,
  failureMessage,
  flowName,
  invalidDeployMessage,
  NAMESPACE_STATUS,
  statusText,
  validationLine,
} from '../render/words.js';
import { printChanges } from './changes.js';
import type { Output } from './output.js';
import { fold, type Part, type Style } from './terminal.js';

const SEVERITY_STYLE: Record<Violation['severity'], Style> = {
  error: 'red',
  warning: 'yellow',
  notice: 'cyan',
};
const STATUS_STYLE: Record<FlowStatus, Style> = { invalid: 'red', warning: 'yellow', valid: 'green' };
const SIGN_STYLE: Record<string, Style> = { '+': 'green', '~': 'yellow', '-': 'red', '=': 'dim', '!': 'red' };

/** Columns padded to their widest cell; the last column is not padded (it may hold emoji). */
function table(channel: Output['report'], head: string[], rows: Part[][]): void {
  const text = (p: Part): string => (typeof p === 'string' ? p : p[1]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => text(r[i] ?? '').length)));
  const pad = (cells: Part[]): Part[] =>
    cells.flatMap((c, i) =>
      i === cells.length - 1 ? [c] : [c, ' '.repeat((widths[i] as number) - text(c).length + 2)],
    );
  channel.line(...pad(head.map((h): Part => ['bold', h])));
  for (const row of rows) channel.line(...pad(row));
}

/** Every finding at its position (as the action's log shows it), then the CI's annotations. */
export function printFindings(out: Output, findings: readonly Violation[]): void {
  for (const v of findings) {
    out.report.line(
      ['dim', `${v.file}:${v.line}:${v.column}: `],
      [SEVERITY_STYLE[v.severity], v.severity],
      `: ${v.flow ? `${v.flow}: ` : ''}${v.message}`,
    );
  }
  const commands =
    out.ci === 'github'
      ? githubAnnotations([...findings])
      : out.ci === 'azure'
        ? azureLogIssues([...findings])
        : [];
  for (const command of commands) out.report.raw(command);
}

/** The validation's rows, problems first, as the job summary lists them. */
export function printValidation(out: Output, totals: ValidateTotals): void {
  if (out.quiet) return;
  const order: Record<FlowStatus, number> = { invalid: 0, warning: 1, valid: 2 };
  const rows = [...totals.results].sort((a, b) => order[a.status] - order[b.status]);
  const shown = rows.slice(0, MAX_SUMMARY_ROWS);
  out.report.line();
  table(
    out.report,
    ['File', 'Flow', 'Status'],
    shown.map((r: FlowResult): Part[] => [
      `${r.file}:${r.line}`,
      flowName(r),
      [STATUS_STYLE[r.status], statusText(r)],
    ]),
  );
  if (rows.length > shown.length) out.report.line(['dim', `… and ${rows.length - shown.length} more rows`]);
  printNeedsServer(out, totals);
}

/** Offline, the flows whose plugin types only a server can check, each with why (the first few). */
function printNeedsServer(out: Output, totals: ValidateTotals): void {
  const unsure = totals.results.filter((r) => r.needsServer);
  if (unsure.length === 0) return;
  const MAX = 20;
  out.report.line();
  out.report.line(
    ['cyan', `${unsure.length} flow${unsure.length > 1 ? 's need' : ' needs'} a server`],
    ' for a sure verdict (give --server to check them):',
  );
  for (const r of unsure.slice(0, MAX))
    out.report.line(`  ${r.file}:${r.line} ${flowName(r)}: `, ['dim', r.needsServerReason ?? '']);
  if (unsure.length > MAX) out.report.line(['dim', `  … and ${unsure.length - MAX} more`]);
}

/** With a 1.x target, what each flow must change for Kestra 2.0, with the lines (src/render/readiness.ts). */
export function printReadiness(out: Output, validation: Validation | undefined): void {
  if (out.quiet || !validation) return;
  const [title, count, ...rest] = readinessText(validation);
  if (title === undefined) return;
  out.report.line();
  out.report.line(['bold', title]);
  out.report.line(['yellow', count ?? '']);
  for (const line of rest) out.report.line(line.startsWith(' ') ? line : ['bold', line]);
}

/** The verdict of a validation: how many flows, how checked, how many invalid and warnings. */
export function printValidateVerdict(out: Output, validation: Validation, failOnWarnings: boolean): void {
  const { totals, mode } = validation;
  out.report.line();
  out.report.line(
    totals.valid ? ['green', '✔ Kestra validation passed: '] : ['red', '✖ Kestra validation failed: '],
    validationLine(totals, mode, failOnWarnings),
  );
}

/** A deploy refused because its validation failed: the rows, then why nothing was written. */
export function printInvalidDeploy(out: Output, validation: Validation): void {
  printValidation(out, validation.totals);
  printReadiness(out, validation);
  out.report.line();
  out.report.line(['red', '✖ '], invalidDeployMessage(validation.totals));
}

/**
 * The plan (dry-run) or what was done: each namespace folded, then the summary's table and notes, and the
 * "Ready for Kestra 2.0?" table of the `validation` before it, when there is one.
 */
export function printDeploy(
  out: Output,
  report: DeployReport,
  validation?: Validation,
  fullPlan = 'the file --plan-file names',
): void {
  if (!out.quiet) {
    // The groups only: the notes are printed below, and the count line is the verdict's.
    for (const block of deployLogBlocks(report)) {
      if (block.group === undefined) continue;
      fold(out.report, out.ci, block.group, () => {
        for (const line of block.lines) {
          const style = SIGN_STYLE[line.charAt(0)];
          if (style && line.charAt(1) === ' ') out.report.line([style, line.slice(0, 1)], line.slice(1));
          else out.report.line(line);
        }
      });
    }
    out.report.line();
    const counts = new Map<string, Record<string, number>>();
    for (const r of report.results) {
      const n = counts.get(r.namespace) ?? {};
      n[r.action] = (n[r.action] ?? 0) + 1;
      counts.set(r.namespace, n);
    }
    table(
      out.report,
      ['Namespace', ...ACTIONS.map((a) => actionWord(a, report.dryRun)), 'Status'],
      report.namespaces.map((ns): Part[] => [
        ns.namespace,
        ...ACTIONS.map((a) => String(counts.get(ns.namespace)?.[a] ?? 0)),
        [
          ns.status === 'failed'
            ? 'red'
            : ns.status === 'written' || ns.status === 'unchanged'
              ? 'green'
              : 'cyan',
          NAMESPACE_STATUS[ns.status],
        ],
      ]),
    );
    for (const notice of report.notices ?? []) out.report.line(['cyan', 'Note: '], notice.message);
    printChanges(out, report, fullPlan);
  }
  printReadiness(out, validation);
  printDeployVerdict(out, report);
}

function printDeployVerdict(out: Output, report: DeployReport): void {
  const failure = failureMessage(report);
  out.report.line();
  out.report.line(
    [failure ? 'red' : 'green', deployHeading(report)],
    `: ${countsLine(countActions(report.results), report.dryRun)}`,
  );
  if (failure) out.report.line(['red', '✖ '], failure);
}
