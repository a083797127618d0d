// A dry-run's diffs on the terminal, after the plan: each updated flow or text file's unified diff (coloured
// on a terminal, folded per item in CI), cut as the job summary cuts them, then the updates without a diff
// and the deletions with their revision. The whole plan goes to --plan-file.
import type { DeployReport } from '../model/results.js';
import { changeName, diffLines, noDiffReason, SUMMARY_DIFF_CAPS } from '../render/changes.js';
import { plural } from '../render/words.js';
import type { Output } from './output.js';
import { fold, type Part, type Style } from './terminal.js';

const LINE_STYLE: Record<string, Style> = { '+': 'green', '-': 'red', '@': 'cyan', '\\': 'dim' };

/** `fullPlan`: where the rest is (the --plan-file path, or how to get one). */
export function printChanges(out: Output, report: DeployReport, fullPlan: string): void {
  const changes = report.changes ?? [];
  const diffed = changes.filter((c) => c.action === 'update' && c.diff);
  const plain = changes.filter((c) => c.action === 'update' && !c.diff);
  const deleted = changes.filter((c) => c.action === 'delete');
  if (!diffed.length && !plain.length && !deleted.length) return;
  out.report.line();
  out.report.line(['bold', 'What the deploy would change']);
  const shown = diffed.slice(0, SUMMARY_DIFF_CAPS.items);
  for (const c of shown) {
    fold(out.report, out.ci, `~ ${changeName(c)} +${c.added ?? 0} −${c.removed ?? 0}`, () => {
      const { lines, rest } = diffLines(c.diff ?? '');
      for (const l of lines) out.report.line(styled(l));
      if (rest) out.report.line(['dim', `… ${plural(rest, 'more line')} of this diff in ${fullPlan}`]);
    });
  }
  if (diffed.length > shown.length) {
    out.report.line([
      'dim',
      `… ${diffed.length - shown.length} more diffs not shown: every diff is in ${fullPlan}`,
    ]);
  }
  for (const c of plain) out.report.line(['yellow', '~ '], `${changeName(c)}: ${noDiffReason(c)}`);
  for (const c of deleted) {
    const revision = c.revision === undefined ? '' : ` (revision ${c.revision})`;
    out.report.line(['red', '- '], `${changeName(c)}${revision}, deleted by ${c.reason ?? 'delete: true'}`);
  }
}

function styled(line: string): Part {
  const style = line.startsWith('---') || line.startsWith('+++') ? 'bold' : LINE_STYLE[line.charAt(0)];
  return style ? [style, line] : line;
}
