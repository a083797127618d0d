// Edit distance for "did you mean …?" suggestions: a key typo (lint-flow.ts) or a core type name
// (core-types.ts). A suggestion is offered only when the distance is small for the name's length.

/** Levenshtein distance: insertions, deletions and substitutions, one row at a time. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Whether a name this far from `typed` is close enough to suggest: 1 to 3 edits, a third of its length. */
export const closeEnough = (typed: string, distance: number): boolean =>
  distance <= Math.max(1, Math.min(3, Math.floor(typed.length / 3)));
