// A dry-run's changes for review, as Markdown with inline HTML (the job summary and the pull-request comment
// render both): each update's diff folded in `<details>` with a ```diff block, binary files by size, and the
// deletions with their revision. Capped so it stays readable and within GitHub's limits; what is cut is said,
// with where the whole plan is. Plain text for a terminal: see diffLines.
import type { DeployReport, PlannedChange } from '../model/results.js';
import { escapeHtml } from './html.js';
import { plural } from './words.js';

/** Lines of one item's diff shown; the rest is in the plan file. */
export const DIFF_LINES_PER_ITEM = 80;
/** A longer diff line is cut (a minified file is one line). */
export const DIFF_LINE_CHARS = 400;

/** How many items' diffs, and how many characters of them, one rendering may hold. */
export interface DiffCaps {
  items: number;
  chars: number;
}

/** The job summary: well under its 1 MiB, beside the tables. */
export const SUMMARY_DIFF_CAPS: DiffCaps = { items: 100, chars: 400_000 };
/** The comment: a few diffs, within what its 65,536 characters leave (the budget caps it further). */
export const COMMENT_DIFF_CAPS: DiffCaps = { items: 20, chars: 25_000 };

/** A change's display name: `namespace.id` for a flow, `namespace` + path for a file. */
export const changeName = (c: PlannedChange): string =>
  c.resource === 'flows' ? `${c.namespace}.${c.name}` : `${c.namespace}${c.name}`;

/** Names are cut past this, so the lists' length stays within what the comment keeps for them. */
const NAME_CHARS = 200;
const shortName = (c: PlannedChange): string => cut(changeName(c), NAME_CHARS);

/** `s` cut to `max` characters with an ellipsis, never between the halves of a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const end = /[\uD800-\uDBFF]/.test(s.charAt(max - 2)) ? max - 2 : max - 1;
  return `${s.slice(0, end)}…`;
}

/** User text inert in HTML, and pinging nobody (`@name`, `#123` get a zero-width space). */
const inert = (s: string): string =>
  escapeHtml(s)
    .replace(/#(?=\d)/g, '#&#8203;')
    .replace(/@(?=\w)/g, '@&#8203;');

/** A diff's lines, each cut at DIFF_LINE_CHARS, at most `max`; and how many were left out. */
export function diffLines(diff: string, max = DIFF_LINES_PER_ITEM): { lines: string[]; rest: number } {
  const all = diff.replace(/\n$/, '').split('\n');
  const lines = all.slice(0, max).map((l) => cut(l, DIFF_LINE_CHARS));
  return { lines, rest: all.length - lines.length };
}

/**
 * A code fence no line of `text` can close: backticks, one more than the longest run in it (at least three).
 * A flow holding a line of backticks (a Markdown task) then stays inside the block.
 */
export function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

const counts = (c: PlannedChange): string => `+${c.added ?? 0} −${c.removed ?? 0}`;

/** One update, folded: its name and line counts, then the diff (cut) in a fenced block. */
function diffBlock(c: PlannedChange, fullPlan: string): string {
  const { lines, rest } = diffLines(c.diff ?? '');
  // A flow quoting a step's comment marker must not make this comment look like that step's (the markers are
  // found by substring): a zero-width space inside `<!--` keeps the text as read, not as matched.
  const body = lines.join('\n').replace(/<!--/g, '<!-\u200B-');
  const fence = fenceFor(body);
  const more = rest ? `\n_… ${plural(rest, 'more line')} of this diff in ${fullPlan}_\n` : '';
  return (
    `<details><summary>~ <code>${inert(shortName(c))}</code> ${counts(c)}</summary>\n\n` +
    `${fence}diff\n${body}\n${fence}\n${more}\n</details>\n`
  );
}

/** Why an update shows no diff: a binary or large file's size change, line ends only, or content not read. */
export function noDiffReason(c: PlannedChange): string {
  if (c.size) return `${c.large ? 'too large to diff' : 'binary'}, ${sizeChange(c.size)}`;
  if (c.diff === '')
    return 'only line endings or whitespace at the ends differ (the diff hides them): Kestra stores a new revision';
  return "the server's content was not read: no diff";
}

const noDiffLine = (c: PlannedChange): string =>
  `- ~ <code>${inert(shortName(c))}</code>: ${noDiffReason(c)}`;

/** `3 → 5 bytes`, or `5 bytes` when the server's size is not known. */
export const sizeChange = (size: NonNullable<PlannedChange['size']>): string =>
  `${size.before === undefined ? '' : `${size.before} → `}${plural(size.after, 'byte')}`;

function deletionLine(c: PlannedChange): string {
  const revision = c.revision === undefined ? '' : ` (revision ${c.revision})`;
  const why = c.reason ? `, from <code>${c.reason}</code>` : '';
  return `- − <code>${inert(shortName(c))}</code>${revision}${why}`;
}

/**
 * The review section: the diffs of updated items, the updates without a diff, then the deletions, in at most
 * `caps.chars` characters (the lists first, then as many diffs as fit, up to `caps.items`). `fullPlan` says
 * where the whole plan is (the `plan-file` output, `--plan-file`). Empty when nothing is updated or deleted.
 */
export function changesMarkdown(changes: readonly PlannedChange[], caps: DiffCaps, fullPlan: string): string {
  const updates = changes.filter((c) => c.action === 'update');
  const diffed = updates.filter((c) => c.diff);
  const deleted = changes.filter((c) => c.action === 'delete');
  if (!updates.length && !deleted.length) return '';
  // Each list keeps at most a quarter of the room, so the diffs are never crowded out.
  const lists = [
    list(
      plural(updates.length - diffed.length, 'update without a diff', 'updates without a diff'),
      updates.filter((c) => !c.diff).map(noDiffLine),
      caps,
      fullPlan,
    ),
    list(plural(deleted.length, 'deletion'), deleted.map(deletionLine), caps, fullPlan),
  ].filter(Boolean);
  const parts: string[] = [];
  let used = lists.join('\n').length + 200;
  for (const c of diffed.slice(0, caps.items)) {
    const block = diffBlock(c, fullPlan);
    if (used + block.length + 1 > caps.chars) break;
    parts.push(block);
    used += block.length + 1;
  }
  if (diffed.length > parts.length) {
    parts.push(
      `_… ${diffed.length - parts.length} more of ${plural(diffed.length, 'diff')} not shown: every diff is in ${fullPlan}_\n`,
    );
  }
  return [...parts, ...lists].join('\n');
}

/** A titled list of at most `caps.items` lines in a quarter of `caps.chars`, then how many more and where. */
function list(title: string, lines: string[], caps: DiffCaps, fullPlan: string): string {
  if (!lines.length) return '';
  const kept: string[] = [];
  let used = title.length + 200;
  for (const line of lines.slice(0, caps.items)) {
    if (used + line.length + 1 > caps.chars / 4) break;
    kept.push(line);
    used += line.length + 1;
  }
  const more = lines.length > kept.length ? `\n- … ${lines.length - kept.length} more in ${fullPlan}` : '';
  return `**${title}**\n\n${kept.join('\n')}${more}\n`;
}

/**
 * The plan file: every change with its whole diff, as JSON (what the `plan-file` output and `--plan-file`
 * name). `scrub` hides any secret a server might have echoed into its content.
 */
export function planFileJson(report: DeployReport, scrub: (text: string) => string = (t) => t): string {
  const plan = {
    resource: report.resource,
    dryRun: report.dryRun,
    namespaces: report.namespaces.map((n) => n.namespace),
    changes: report.changes ?? [],
    notices: report.notices ?? [],
  };
  return `${JSON.stringify(plan, (_key, value: unknown) => (typeof value === 'string' ? scrub(value) : value), 2)}\n`;
}
