// "Ready for Kestra 2.0?": with a 1.x target, what each flow must change before the server moves to 2.0, with
// the lines, from the findings the offline rules marked with `upgrade` (src/core/check/lint-versions.ts).
// Pure: HTML for the job summary, plain lines for a terminal.
import { majorOf } from '../model/kestra-version.js';
import type { Validation } from '../model/results.js';
import { escapeHtml, htmlTable } from './html.js';

export const READINESS_TITLE = 'Ready for Kestra 2.0?';

/** One flow and what it must change, each change with the lines where it is needed. */
export interface ReadinessRow {
  file: string;
  /** `namespace.id`, or the file when the flow has no name. */
  flow: string;
  changes: { what: string; lines: number[] }[];
}

/** The rows, when the run targeted 1.x and a flow uses something 2.0 removed; else none. */
export function readinessRows(validation: Validation): ReadinessRow[] {
  const target = validation.kestraVersion;
  if (target === undefined || majorOf(target) >= 2) return [];
  const rows: ReadinessRow[] = [];
  for (const checked of validation.checked) {
    const changes = new Map<string, number[]>();
    for (const v of checked.violations) {
      if (!v.upgrade) continue;
      const lines = changes.get(v.upgrade) ?? [];
      if (!lines.includes(v.line)) lines.push(v.line);
      changes.set(v.upgrade, lines);
    }
    if (changes.size === 0) continue;
    const flow = checked.violations.find((v) => v.flow)?.flow ?? checked.file;
    rows.push({
      file: checked.file,
      flow,
      changes: [...changes].map(([what, lines]) => ({ what, lines: lines.sort((a, b) => a - b) })),
    });
  }
  return rows;
}

const linesOf = (lines: number[]): string => `line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`;

/** One line of one change, flat: what the CLI's JSON document carries (`readiness`). */
export interface ReadinessItem {
  file: string;
  line: number;
  flow: string;
  change: string;
}

/** The rows flattened to one item per change and line, in file order. */
export function readinessItems(validation: Validation): ReadinessItem[] {
  return readinessRows(validation).flatMap((r) =>
    r.changes.flatMap((c) => c.lines.map((line) => ({ file: r.file, line, flow: r.flow, change: c.what }))),
  );
}

/** The count line under the title. */
export function countLine(rows: ReadinessRow[]): string {
  const changes = rows.reduce((n, r) => n + r.changes.length, 0);
  return `Not yet: ${rows.length} flow${rows.length > 1 ? 's' : ''} use${rows.length > 1 ? '' : 's'} what Kestra 2.0 removed (${changes} change${changes > 1 ? 's' : ''} to make).`;
}

/** The summary's last part; empty when there is nothing to report. `eol` ends each block (summary.ts). */
export function readinessHtml(validation: Validation, eol = '\n'): string {
  const rows = readinessRows(validation);
  if (rows.length === 0) return '';
  const table = htmlTable([
    [
      { data: 'Flow', header: true },
      { data: 'What to change', header: true },
    ],
    ...rows.map((r) => [
      `${escapeHtml(r.flow)}<br><code>${escapeHtml(r.file)}</code>`,
      r.changes.map((c) => `${escapeHtml(c.what)} (${linesOf(c.lines)})`).join('<br>'),
    ]),
  ]);
  return [`<h3>${READINESS_TITLE}</h3>`, `<p>${escapeHtml(countLine(rows))}</p>`, table]
    .map((p) => `${p}${eol}`)
    .join('');
}

/** The same as plain text lines (title, count, then a flow's line and one indented line per change). */
export function readinessText(validation: Validation): string[] {
  const rows = readinessRows(validation);
  if (rows.length === 0) return [];
  const out = [READINESS_TITLE, countLine(rows)];
  for (const r of rows) {
    out.push(`${r.flow} (${r.file})`);
    for (const c of r.changes) out.push(`  ${c.what} (${linesOf(c.lines)})`);
  }
  return out;
}
