// The pull-request comment's body as Markdown: verdict, counts, problem tables and change lists, folded
// when long and always under GitHub's limit, with user text unable to break the Markdown or inject HTML.
// The marker that finds the comment again is src/render/marker.ts; the upsert is each front-end's.
import type { DeployReport, DeployResult, FlowResult, ValidateTotals } from '../model/results.js';
import { changesMarkdown, COMMENT_DIFF_CAPS } from './changes.js';
import { escapeHtml } from './html.js';
import { countLine, READINESS_TITLE, type ReadinessRow } from './readiness.js';
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
  nothingChanged,
  offlineCounts,
  plural,
  resourceName,
  statusText,
  type ActionCounts,
} from './words.js';

/** GitHub refuses a comment body longer than this (422 "Body is too long"). */
export const COMMENT_LIMIT = 65_536;

/** Room kept free below the limit for the closing lines of every section. */
const RESERVE = 2_000;
/** Kept for a dry-run's review section (its diffs and lists): changesMarkdown stays within it. */
const REVIEW_ROOM = COMMENT_DIFF_CAPS.chars + 100;
/** Tables and lists longer than this are folded into a `<details>` block. */
const FOLD_AFTER = 10;
/** One flow's messages and one message's length are capped so a single row cannot eat the budget. */
const MAX_MESSAGES_PER_ROW = 10;
const MAX_TEXT = 300;

/** Cuts long text, never between the two halves of a surrogate pair (an emoji cut in half is invalid UTF-16). */
function clip(s: string, max = MAX_TEXT): string {
  if (s.length <= max) return s;
  const end = /[\uD800-\uDBFF]/.test(s.charAt(max - 2)) ? max - 2 : max - 1;
  return `${s.slice(0, end)}…`;
}

/**
 * User text (file names, flow ids, messages) made inert inside a Markdown table cell or list item:
 * HTML is escaped, inline Markdown (emphasis, code, links, `|` cell breaks, `$` math) is backslash-escaped,
 * line breaks become `<br>`, and `@name` / `#123` get a zero-width space so nobody is pinged and no issue
 * is cross-referenced.
 */
export function escapeMarkdown(s: string): string {
  return (
    escapeHtml(s)
      .replace(/[\\`*_[\]~|$]/g, '\\$&')
      // `#` first: the `&#8203;` that `@` gets must not be split again.
      .replace(/#(?=\d)/g, '#&#8203;')
      .replace(/@(?=\w)/g, '@&#8203;')
      .replace(/\r\n?|\n/g, '<br>')
  );
}

const code = (s: string): string => `<code>${escapeMarkdown(clip(s))}</code>`;

/**
 * Appends rows while they fit in `budget` characters; returns what was kept and how many rows were left out. Rows are whole lines: a table is never cut in the middle of a row.
 */
function fit(rows: string[], budget: number): { shown: string[]; rest: number } {
  const shown: string[] = [];
  let used = 0;
  for (const row of rows) {
    if (used + row.length + 1 > budget) break;
    shown.push(row);
    used += row.length + 1;
  }
  return { shown, rest: rows.length - shown.length };
}

const moreLine = (n: number): string => `\n_… ${n} more, see the job summary_\n`;

/**
 * One section: a title line, a header (table head or nothing), the rows that fit, a "… N more" line.
 * Past FOLD_AFTER rows the section goes into a collapsed `<details>` whose summary is the title.
 */
function section(title: string, head: string, rows: string[], budget: number): string {
  if (!rows.length) return '';
  const fold = rows.length > FOLD_AFTER;
  const open = fold ? `<details><summary>${title}</summary>\n\n` : `**${title}**\n\n`;
  const close = fold ? '\n</details>\n' : '';
  const { shown, rest } = fit(rows, budget - open.length - head.length - close.length - 100);
  // No table head without a row under it: an empty table renders as a stray header.
  const list = shown.length ? `${head}${shown.join('\n')}\n` : '';
  return `${open}${list}${rest ? moreLine(rest) : ''}${close}\n`;
}

function validateRow(r: FlowResult): string {
  const flow = flowName(r);
  const messages = r.messages.slice(0, MAX_MESSAGES_PER_ROW).map((m) => escapeMarkdown(clip(m)));
  if (r.messages.length > MAX_MESSAGES_PER_ROW)
    messages.push(`… ${r.messages.length - MAX_MESSAGES_PER_ROW} more`);
  return `| ${code(`${r.file}:${r.line}`)} | ${flow ? code(flow) : ''} | ${statusText(r)} | ${messages.join('<br>')} |`;
}

/** A flow offline could not be sure of: where, which flow, why. */
function needsServerRow(r: FlowResult): string {
  const flow = flowName(r);
  return `| ${code(`${r.file}:${r.line}`)} | ${flow ? code(flow) : ''} | ${escapeMarkdown(clip(r.needsServerReason ?? ''))} |`;
}

/** A readiness row: the flow and its file, then each change with its lines (capped like messages). */
function readinessRow(r: ReadinessRow): string {
  const changes = r.changes
    .slice(0, MAX_MESSAGES_PER_ROW)
    .map(
      (c) => `${escapeMarkdown(clip(c.what))} (line${c.lines.length > 1 ? 's' : ''} ${c.lines.join(', ')})`,
    );
  if (r.changes.length > MAX_MESSAGES_PER_ROW)
    changes.push(`… ${r.changes.length - MAX_MESSAGES_PER_ROW} more`);
  return `| ${code(r.flow)}<br>${code(r.file)} | ${changes.join('<br>')} |`;
}

/** "Ready for Kestra 2.0?" (src/render/readiness.ts): last, within what the findings left of the budget. */
function readinessSection(rows: ReadinessRow[], budget: number): string {
  if (!rows.length) return '';
  const head = `${escapeMarkdown(countLine(rows))}\n\n| Flow | What to change |\n| --- | --- |\n`;
  return section(READINESS_TITLE, head, rows.map(readinessRow), budget);
}

const VALIDATE_HEAD = '| File | Flow | Status | Messages |\n| --- | --- | --- | --- |\n';

/**
 * The validate action's comment: verdict, counts, then the files and flows with errors or warnings, and with
 * a 1.x target what each flow must change for Kestra 2.0 (`readinessRows`).
 */
export function validateCommentBody(
  totals: ValidateTotals,
  mode: string,
  marker: string,
  readiness: ReadinessRow[] = [],
): string {
  const invalid = totals.results.filter((r) => r.status === 'invalid');
  const warned = totals.results.filter((r) => r.status === 'warning');
  const valid = totals.results.length - invalid.length - warned.length;
  const heading = totals.valid
    ? `### ✅ Kestra validation passed: ${plural(totals.flows, 'flow')} valid`
    : invalid.length
      ? `### ❌ Kestra validation failed: ${invalid.length} of ${totals.results.length} files or flows invalid`
      : `### ❌ Kestra validation failed: ${plural(totals.warnings, 'warning')} (warnings fail this run)`;
  const counts =
    `${plural(totals.flows, 'flow')} checked · ${invalid.length} invalid · ${warned.length} with warnings · ` +
    `${valid} valid · ${plural(totals.warnings, 'warning')} · mode: ${code(mode)}`;
  const offline = offlineCounts(totals);
  let body = `${marker}\n${heading}\n\n${counts}${offline ? ` · ${offline}` : ''}\n\n`;
  body += section(
    `${plural(invalid.length, 'invalid file or flow', 'invalid files or flows')}`,
    VALIDATE_HEAD,
    invalid.map(validateRow),
    COMMENT_LIMIT - RESERVE - body.length,
  );
  body += section(
    `${plural(warned.length, 'flow with warnings', 'flows with warnings')}`,
    VALIDATE_HEAD,
    warned.map(validateRow),
    COMMENT_LIMIT - RESERVE - body.length,
  );
  const unsure = totals.results.filter((r) => r.needsServer);
  body += section(
    `${plural(unsure.length, 'flow needs', 'flows need')} a server`,
    '| File | Flow | Why |\n| --- | --- | --- |\n',
    unsure.map(needsServerRow),
    COMMENT_LIMIT - RESERVE - body.length,
  );
  body += readinessSection(readiness, COMMENT_LIMIT - RESERVE - body.length);
  return body.trimEnd() + '\n';
}

/**
 * A comment body ended by "Ready for Kestra 2.0?" in what is left of the budget (a deploy's, whose
 * validation targeted 1.x); the body as it was when there are no rows.
 */
export function withReadiness(body: string, rows: ReadinessRow[]): string {
  if (!rows.length) return body;
  const base = body.trimEnd() + '\n\n';
  return (base + readinessSection(rows, COMMENT_LIMIT - RESERVE - base.length)).trimEnd() + '\n';
}

/**
 * The deploy action's comment: verdict, counts, the per-namespace table, every change (not the unchanged),
 * then on a dry-run the diffs, cut to fit; `fullPlan` says where the whole plan is.
 */
export function deployCommentBody(report: DeployReport, marker: string, fullPlan = 'the plan file'): string {
  const counts = countsLine(countActions(report.results), report.dryRun);
  let body = `${marker}\n### ${deployHeading(report)}\n\n${counts}\n\n`;

  // One pass over the results: a namespace table of 1,000 rows must not cost 1,000 scans of 10,000 results.
  const perNamespace = new Map<string, ActionCounts>();
  for (const r of report.results) {
    const n = perNamespace.get(r.namespace) ?? { created: 0, updated: 0, unchanged: 0, deleted: 0 };
    n[r.action]++;
    perNamespace.set(r.namespace, n);
  }
  const nsRows = report.namespaces.map((ns) => {
    const n = perNamespace.get(ns.namespace) ?? { created: 0, updated: 0, unchanged: 0, deleted: 0 };
    const undone = leftUndone(ns, report.resource).map(([title, list]) => `${title}: ${list.join(', ')}`);
    const notes = [ns.error, ...undone].filter((n): n is string => Boolean(n));
    const status = NAMESPACE_STATUS[ns.status] + notes.map((n) => `<br>${escapeMarkdown(clip(n))}`).join('');
    return `| ${code(ns.namespace)} | ${status} | ${ACTIONS.map((a) => n[a]).join(' | ')} |`;
  });
  const verb = (r: DeployResult): string => `${ACTION_SIGN[r.action]} ${actionWord(r.action, report.dryRun)}`;
  const changes = report.results
    .filter((r) => r.action !== 'unchanged')
    .map((r) => {
      const file = r.file ? ` (${code(r.file)})` : '';
      return `- \`${verb(r)}\` ${code(r.namespace)} ${code(resourceName(r))}${file}`;
    });
  // A thousand namespaces must not crowd out the changes, which matter more: the table gets half at most.
  // A dry-run's diffs come last and have their room kept: the lists above leave it to them.
  const reviewRoom = report.changes?.some((c) => c.action !== 'create') ? REVIEW_ROOM : 0;
  const left = COMMENT_LIMIT - RESERVE - reviewRoom - body.length;
  body += section(
    plural(report.namespaces.length, 'namespace'),
    `| Namespace | Status | ${ACTIONS.map((a) => actionWord(a, report.dryRun)).join(' | ')} |\n| --- | --- | ${ACTIONS.map(() => '---:').join(' | ')} |\n`,
    nsRows,
    changes.length ? Math.floor(left / 2) : left,
  );
  body += section(
    report.dryRun ? plural(changes.length, 'planned change') : plural(changes.length, 'change'),
    '',
    changes,
    COMMENT_LIMIT - RESERVE - reviewRoom - body.length,
  );
  if (!changes.length) body += `${nothingChanged(report.dryRun)}\n`;
  // The diffs come last, in the room kept for them or what the sections above left, whichever is less.
  const room = COMMENT_LIMIT - RESERVE - body.length - 100;
  const review = changesMarkdown(
    report.changes ?? [],
    { items: COMMENT_DIFF_CAPS.items, chars: Math.min(COMMENT_DIFF_CAPS.chars, room) },
    fullPlan,
  );
  if (review && room > 0) body += `\n**What the deploy would change**\n\n${review}`;
  return body.trimEnd() + '\n';
}
