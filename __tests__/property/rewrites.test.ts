// Properties of the two source rewrites deploy makes (override-namespace, read-only): on random valid flows in
// every namespace and label style, the result parses to the same data except the intended change, only the
// lines that must change do, line endings are kept, and a second rewrite changes nothing.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parse } from 'yaml';
import { parseFlows } from '../../src/core/parse/parse.js';
import { setNamespace, setReadOnlyLabel } from '../../src/core/parse/rewrite.js';
import { flowFile, type GenFile } from './flow-gen.js';

const RUNS = Number(process.env.PROP_RUNS ?? 150);

const oneFlow = flowFile({
  maxDocs: 1,
  namespaceStyles: ['plain', 'single', 'double', 'comment', 'missing'],
});

/** The flow's source as deploy hands it over: one document, decoded (no BOM). */
function sourceOf(file: GenFile): string {
  const parsed = parseFlows([{ path: 'f.yml', absolutePath: '/f.yml', bytes: Buffer.from(file.text) }]);
  expect(parsed.flows).toHaveLength(1);
  return parsed.flows[0]!.source;
}

const splitLines = (s: string): string[] => s.split(/\r?\n/);

/** Lines removed from `a` and added in `b` (a longest-common-subsequence diff). */
function diff(a: string[], b: string[]): { removed: string[]; added: string[] } {
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) removed.push(a[i++]!);
    else added.push(b[j++]!);
  }
  return { removed: [...removed, ...a.slice(i)], added: [...added, ...b.slice(j)] };
}

/** Line endings are the source's own: a CRLF file gets no bare LF, an LF file no CR. */
function expectSameEndings(before: string, after: string): void {
  if (before.includes('\r\n')) expect(after.replace(/\r\n/g, '')).not.toMatch(/\n/);
  else expect(after).not.toMatch(/\r/);
}

const namespace = fc.oneof(
  fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,30}$/),
  fc.constantFrom('null', 'true', 'no', '1e3', '0x1f', '1.10', '123', '0o17', 'team.a', 'a-b_c.d'),
);

describe('property: setNamespace', () => {
  it('changes only the namespace line (or adds one after id), keeps all else and the line endings', () => {
    fc.assert(
      fc.property(oneFlow, namespace, (file, ns) => {
        const before = sourceOf(file);
        const after = setNamespace(before, ns);
        const data = parse(before) as Record<string, unknown>;
        expect(parse(after)).toEqual({ ...data, namespace: ns });
        expectSameEndings(before, after);

        const { removed, added } = diff(splitLines(before), splitLines(after));
        if ('namespace' in data) {
          if (data.namespace === ns && !removed.length) return;
          expect(removed).toHaveLength(1);
          expect(removed[0]).toMatch(/^namespace:/);
          expect(added).toHaveLength(1);
          expect(added[0]).toMatch(/^namespace: /);
          // A comment after the value stays, and so does the quoting style.
          if (removed[0]!.includes('#')) expect(added[0]).toContain('# where it runs');
          const quote = /^namespace: (['"])/.exec(removed[0]!)?.[1];
          if (quote) expect(added[0]!.charAt('namespace: '.length)).toBe(quote);
        } else {
          expect(removed).toEqual([]);
          expect(added).toHaveLength(1);
          expect(added[0]).toMatch(/^namespace: /);
          const lines = splitLines(after);
          expect(lines[lines.indexOf(added[0]!) - 1]).toMatch(/^id: /);
        }
        expect(setNamespace(after, ns)).toBe(after);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('property: setReadOnlyLabel', () => {
  it('adds (or sets) only the system.readOnly label, keeps all else and the line endings', () => {
    fc.assert(
      fc.property(oneFlow, (file) => {
        const before = sourceOf(file);
        const after = setReadOnlyLabel(before);
        const data = parse(before) as Record<string, unknown>;
        const labels = data.labels;
        let expected: unknown;
        if (Array.isArray(labels)) {
          const list = labels as { key: string; value: unknown }[];
          expected = list.some((l) => l.key === 'system.readOnly')
            ? list.map((l) => (l.key === 'system.readOnly' ? { ...l, value: 'true' } : l))
            : [...list, { key: 'system.readOnly', value: 'true' }];
        } else {
          expected = { ...(labels as Record<string, unknown> | null), 'system.readOnly': 'true' };
        }
        expect(parse(after)).toEqual({ ...data, labels: expected });
        expectSameEndings(before, after);

        // Block forms only gain lines; flow forms (`labels: {…}`, `[…]`) change their one line. A block
        // appended to a source without a final line break ends with one (the line after it is empty).
        const { removed, added } = diff(splitLines(before), splitLines(after));
        if (
          !/\n$/.test(before) &&
          added.at(-1) === '' &&
          after.endsWith('"true"' + (before.includes('\r\n') ? '\r\n' : '\n'))
        )
          added.pop();
        expect(removed.length).toBeLessThanOrEqual(1);
        for (const line of removed) expect(line).toMatch(/^labels: [[{]|system\.readOnly|value: /);
        for (const line of added) expect(line).toMatch(/^labels:|system\.readOnly|value: "true"/);
        expect(added.length).toBeLessThanOrEqual(2);
        expect(setReadOnlyLabel(after)).toBe(after);
      }),
      { numRuns: RUNS },
    );
  });

  it('composes with setNamespace in either order', () => {
    fc.assert(
      fc.property(oneFlow, namespace, (file, ns) => {
        const before = sourceOf(file);
        const a = setReadOnlyLabel(setNamespace(before, ns));
        const b = setNamespace(setReadOnlyLabel(before), ns);
        expect(parse(a)).toEqual(parse(b));
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });
});
