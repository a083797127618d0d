// A unified diff of two texts (the server's content against Git's), as `diff -u` and `git diff` print it:
// our own Myers line diff (no dependency), 3 lines of context, `\ No newline at end of file` where it applies.

/** Lines of context around each change, as `diff -u`. */
export const CONTEXT_LINES = 3;

/**
 * Past this many differing lines (Myers' D) the search stops and the diff replaces the whole text: still a
 * correct diff, with bounded time and memory (the trace grows with D²) on texts that share almost nothing.
 */
export const MAX_EDIT_DISTANCE = 2_000;

type Op = ' ' | '-' | '+';
interface Edit {
  op: Op;
  line: string;
}

export interface TextDiff {
  /** The unified diff, headers and hunks, ending with a newline; empty when the texts are equal. */
  text: string;
  added: number;
  removed: number;
}

/**
 * A text's lines without their line ends. A last line with no newline keeps a `\n` as a mark (no line holds
 * one otherwise): it then differs from the same words with a newline, as `diff` holds, and prints the note.
 */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += '\n';
  return lines;
}

/** Myers' O(ND) shortest edit script between `a` and `b` (common prefix and suffix taken out first). */
function editScript(a: string[], b: string[]): Edit[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head = a.slice(0, start).map((line): Edit => ({ op: ' ', line }));
  const tail = a.slice(endA).map((line): Edit => ({ op: ' ', line }));
  return [...head, ...middle(a.slice(start, endA), b.slice(start, endB)), ...tail];
}

function middle(a: string[], b: string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const replaceAll = (): Edit[] => [
    ...a.map((line): Edit => ({ op: '-', line })),
    ...b.map((line): Edit => ({ op: '+', line })),
  ];
  if (n === 0 || m === 0) return replaceAll();
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    // Only diagonals -d…d can be read back at this step: the trace holds those (index k + d).
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number));
      let x = down ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d, k);
    }
  }
  return replaceAll();
}

/** Walks the saved frontiers back from the end to list the edits in order. */
function backtrack(a: string[], b: string[], trace: Int32Array[], d: number, k: number): Edit[] {
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  for (; d > 0; d--) {
    const v = trace[d] as Int32Array;
    const down = k === -d || (k !== d && (v[d + k - 1] as number) < (v[d + k + 1] as number));
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[d + prevK] as number;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      edits.push({ op: ' ', line: a[x] as string });
    }
    if (down) edits.push({ op: '+', line: b[--y] as string });
    else edits.push({ op: '-', line: a[--x] as string });
    k = prevK;
  }
  while (x > 0) edits.push({ op: ' ', line: a[--x] as string });
  return edits.reverse();
}

/** `start,count` as `diff -u` writes it: the count left out when 1; an empty range names the line before it. */
function range(start: number, count: number): string {
  if (count === 1) return String(start + 1);
  return `${count === 0 ? start : start + 1},${count}`;
}

/**
 * The unified diff from `before` to `after`, headed `--- <from>` / `+++ <to>`. Lines end at `\n` only: a `\r`
 * stays part of its line, so a change of line ends shows as a change.
 */
export function unifiedDiff(before: string, after: string, from: string, to: string): TextDiff {
  const edits = editScript(splitLines(before), splitLines(after));
  const added = edits.filter((e) => e.op === '+').length;
  const removed = edits.filter((e) => e.op === '-').length;
  if (added === 0 && removed === 0) return { text: '', added, removed };
  const out = [`--- ${from}`, `+++ ${to}`];
  for (const hunk of hunks(edits)) {
    out.push(`@@ -${range(hunk.oldStart, hunk.oldCount)} +${range(hunk.newStart, hunk.newCount)} @@`);
    for (const e of hunk.edits) {
      if (e.line.endsWith('\n')) out.push(e.op + e.line.slice(0, -1), '\\ No newline at end of file');
      else out.push(e.op + e.line);
    }
  }
  return { text: `${out.join('\n')}\n`, added, removed };
}

interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  edits: Edit[];
}

/** Groups the edits into hunks: each change with CONTEXT_LINES around it, close changes merged. */
function hunks(edits: Edit[]): Hunk[] {
  const changed = edits.flatMap((e, i) => (e.op === ' ' ? [] : [i]));
  const groups: [number, number][] = [];
  for (const i of changed) {
    const last = groups[groups.length - 1];
    if (last && i - last[1] <= 2 * CONTEXT_LINES + 1) last[1] = i;
    else groups.push([i, i]);
  }
  // Old and new line numbers before each edit.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let i = 0;
  let j = 0;
  for (const e of edits) {
    oldAt.push(i);
    newAt.push(j);
    if (e.op !== '+') i++;
    if (e.op !== '-') j++;
  }
  return groups.map(([first, lastChange]) => {
    const from = Math.max(0, first - CONTEXT_LINES);
    const to = Math.min(edits.length, lastChange + CONTEXT_LINES + 1);
    const slice = edits.slice(from, to);
    return {
      oldStart: oldAt[from] as number,
      newStart: newAt[from] as number,
      oldCount: slice.filter((e) => e.op !== '+').length,
      newCount: slice.filter((e) => e.op !== '-').length,
      edits: slice,
    };
  });
}
