// Properties of the unified diff (src/core/plan/diff.ts): on random texts (few distinct lines, so changes
// interleave; with and without a final newline; `\r`, blank lines), applying the diff to the old text gives the
// new one, the context and counts hold, and GNU patch applies it byte for byte.
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONTEXT_LINES, MAX_EDIT_DISTANCE, unifiedDiff } from '../../src/core/plan/diff.js';

const RUNS = Number(process.env.PROP_RUNS ?? 300);

const line = fc.constantFrom('a', 'b', 'c', '', '  - id: x', 'type: io.kestra', 'x\r', '```', '+', '-', ' ');
const text = fc
  .tuple(fc.array(line, { maxLength: 30 }), fc.boolean())
  .map(([lines, newline]) => lines.join('\n') + (newline && lines.length ? '\n' : ''));

/** A text's lines, each with its `\n`, so the last line's missing newline is part of that line. */
const linesOf = (t: string): string[] => t.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/** Applies a unified diff the way patch does, written apart from the code under test: hunk by hunk. */
function apply(before: string, diff: string): string {
  if (diff === '') return before;
  const old = linesOf(before);
  const lines = diff.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines[0]).toMatch(/^--- /);
  expect(lines[1]).toMatch(/^\+\+\+ /);
  const out: string[] = [];
  let at = 0;
  let i = 2;
  while (i < lines.length) {
    const head = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(lines[i++]!);
    expect(head).not.toBeNull();
    const oldCount = head![2] === undefined ? 1 : Number(head![2]);
    const start = oldCount === 0 ? Number(head![1]) : Number(head![1]) - 1;
    expect(start).toBeGreaterThanOrEqual(at);
    out.push(...old.slice(at, start));
    at = start;
    let seenOld = 0;
    let seenNew = 0;
    while (i < lines.length && !lines[i]!.startsWith('@@')) {
      const l = lines[i++]!;
      const noNewline = lines[i] === '\\ No newline at end of file';
      if (noNewline) i++;
      const body = l.slice(1) + (noNewline ? '' : '\n');
      if (l[0] === ' ' || l[0] === '-') {
        expect(old[at++]).toBe(body);
        seenOld++;
      }
      if (l[0] === ' ' || l[0] === '+') {
        out.push(body);
        seenNew++;
      }
    }
    expect(seenOld).toBe(oldCount);
    expect(seenNew).toBe(head![4] === undefined ? 1 : Number(head![4]));
  }
  return [...out, ...old.slice(at)].join('');
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('unifiedDiff', () => {
  it('applied to the old text gives the new one', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const d = unifiedDiff(a, b, 'server/x', 'git/x');
        expect(apply(a, d.text)).toBe(b);
        expect(d.text === '').toBe(a === b);
      }),
      { numRuns: RUNS },
    );
  });

  it('counts its lines and keeps at most CONTEXT_LINES of context at each end of a hunk', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const d = unifiedDiff(a, b, 'server/x', 'git/x');
        const body = d.text.split('\n').filter((l) => !/^(---|\+\+\+|@@|\\)/.test(l) && l !== '');
        expect(body.filter((l) => l.startsWith('+')).length).toBe(d.added);
        expect(body.filter((l) => l.startsWith('-')).length).toBe(d.removed);
        for (const hunk of d.text.split(/^@@.*@@$/m).slice(1)) {
          const ops = hunk
            .split('\n')
            .filter((l) => l !== '' && !l.startsWith('\\'))
            .map((l) => l[0]);
          const lead = ops.findIndex((o) => o !== ' ');
          const trail = [...ops].reverse().findIndex((o) => o !== ' ');
          expect(lead).toBeLessThanOrEqual(CONTEXT_LINES);
          expect(trail).toBeLessThanOrEqual(CONTEXT_LINES);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('is applied by GNU patch byte for byte', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-'));
    dirs.push(dir);
    fc.assert(
      fc.property(text, text, (a, b) => {
        const d = unifiedDiff(a, b, 'server/f', 'git/f');
        if (!d.text) return;
        const file = path.join(dir, 'f');
        fs.writeFileSync(file, a);
        fs.writeFileSync(path.join(dir, 'p'), d.text);
        execFileSync('patch', ['-s', '--binary', file, path.join(dir, 'p')]);
        expect(fs.readFileSync(file, 'utf8')).toBe(b);
      }),
      { numRuns: 60 },
    );
  });

  it('prints what diff -u prints for a small change', () => {
    const d = unifiedDiff('1\n2\n3\n4\n5\n6\n7\n8\n9\n', '1\n2\n3\n4\nfive\n6\n7\n8\n9', 'server/a', 'git/a');
    expect(d.text).toBe(
      [
        '--- server/a',
        '+++ git/a',
        '@@ -2,8 +2,8 @@',
        ' 2',
        ' 3',
        ' 4',
        '-5',
        '+five',
        ' 6',
        ' 7',
        ' 8',
        '-9',
        '+9',
        '\\ No newline at end of file',
        '',
      ].join('\n'),
    );
    expect(d).toMatchObject({ added: 2, removed: 2 });
  });

  it('gives a whole replacement, still correct, past MAX_EDIT_DISTANCE', () => {
    const a = Array.from({ length: MAX_EDIT_DISTANCE + 10 }, (_, i) => `a${i}`).join('\n') + '\n';
    const b =
      Array.from({ length: MAX_EDIT_DISTANCE + 10 }, (_, i) => (i % 2 ? `a${i}` : `b${i}`)).join('\n') + '\n';
    const d = unifiedDiff(a, b, 'server/a', 'git/a');
    expect(apply(a, d.text)).toBe(b);
  });
});
