// Properties of parse → check → position mapping:
// - on valid flows in any style (indent widths, list styles, comments, block scalars, CRLF, BOM, several
//   documents), parseFlows finds each flow, the offline rules find nothing, collectTasks finds every task, and
//   positionOfPath points at the line and column where the node really is;
// - on anything at all (random text, bytes, valid flows with garbage inserted or lines misindented),
//   parseFlows, checkOffline and the server-answer mapping never throw, and every violation has
//   1 ≤ line ≤ the file's line count and column ≥ 1.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkOffline, serverViolations } from '../../src/core/check/check.js';
import { parseFlows } from '../../src/core/parse/parse.js';
import { collectTasks, positionOfPath } from '../../src/core/parse/positions.js';
import type { SourceFile, Violation } from '../../src/model/types.js';
import { flowFile, type GenFile } from './flow-gen.js';

const RUNS = Number(process.env.PROP_RUNS ?? 120);
const source = (bytes: Buffer | string, path = 'flows/f.yml'): SourceFile => ({
  path,
  absolutePath: `/ws/${path}`,
  bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'),
});

/** Lines of the file as an editor counts them (CRLF and LF alike; a final newline opens one more line). */
const lineCount = (bytes: Buffer): number => bytes.toString('utf8').split('\n').length;

function expectInRange(violations: Violation[], bytes: Buffer): void {
  const lines = lineCount(bytes);
  for (const v of violations) {
    expect({ line: v.line, column: v.column, message: v.message }).toEqual({
      line: expect.any(Number),
      column: expect.any(Number),
      message: expect.any(String),
    });
    expect(Number.isInteger(v.line) && v.line >= 1 && v.line <= lines).toBe(true);
    expect(Number.isInteger(v.column) && v.column >= 1).toBe(true);
    expect(v.message.trim()).not.toBe('');
  }
}

/** Runs everything a validate would on these bytes, including mapping made-up server answers back. */
function checkAll(bytes: Buffer, serverTexts: string[] = []): void {
  const parsed = parseFlows([source(bytes)]);
  const checked = checkOffline(parsed.flows, parsed.violations);
  expectInRange(
    checked.flatMap((c) => c.violations),
    bytes,
  );
  for (const flow of parsed.flows) {
    expect(flow.line).toBeGreaterThanOrEqual(1);
    expect(flow.line).toBeLessThanOrEqual(lineCount(bytes));
    for (const text of serverTexts) {
      expectInRange(
        serverViolations(flow, {
          index: 0,
          constraints: text,
          warnings: [text],
          deprecationPaths: [text],
          infos: [text],
          outdated: true,
        }),
        bytes,
      );
      const p = positionOfPath(flow, text);
      expect(p.line >= 1 && p.line <= lineCount(bytes) && p.column >= 1).toBe(true);
    }
  }
}

describe('property: valid flows in any style', () => {
  it('parse into their flows with no finding, and every path maps to its own line and column', () => {
    fc.assert(
      fc.property(flowFile(), (file: GenFile) => {
        const bytes = Buffer.from(file.text, 'utf8');
        const parsed = parseFlows([source(bytes)]);
        expect(parsed.violations).toEqual([]);
        expect(parsed.flows.map((f) => `${f.namespace}.${f.id}`)).toEqual(
          file.docs.map((d) => `${d.namespace}.${d.id}`),
        );
        const checked = checkOffline(parsed.flows, parsed.violations);
        expect(checked.flatMap((c) => c.violations)).toEqual([]);

        parsed.flows.forEach((flow, i) => {
          const gen = file.docs[i]!;
          expect(collectTasks(flow).map((t) => t.path)).toEqual(gen.taskPaths);
          for (const [path, pos] of gen.paths) {
            expect({ path, ...positionOfPath(flow, path) }).toEqual({ path, ...pos });
          }
          // The server names tasks by id (`t3.message`): the id key of that task.
          for (const [id, pos] of gen.taskIds) {
            expect({ id, ...positionOfPath(flow, id) }).toEqual({ id, ...pos });
          }
        });
      }),
      { numRuns: RUNS },
    );
  });
});

// Garbage that trips the YAML parser in different ways.
const GARBAGE = [
  ':',
  '- ',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '&a ',
  '*a',
  '*',
  '!',
  '!!binary ',
  '|',
  '>',
  '%',
  '@',
  '`',
  '#',
  '\t',
  '\r',
  '\n',
  '\n---\n',
  '\n...\n',
  '? ',
  '{{ x }}',
  '<<: *a\n',
  '\u0000',
  '\ufeff',
  '\u2028',
  '💥',
  'id: dup\n',
  '  ',
];

type Mutation =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'indent'; line: number; by: number }
  | { op: 'duplicate'; line: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...GARBAGE), fc.string({ maxLength: 6 })),
  }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ op: fc.constant('duplicate' as const), line: fc.nat() }),
);

function mutate(text: string, m: Mutation): string {
  if (m.op === 'insert') {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + m.text + text.slice(at);
  }
  if (m.op === 'delete') {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + text.slice(at + m.length);
  }
  const lines = text.split('\n');
  const i = m.line % lines.length;
  if (m.op === 'duplicate') lines.splice(i, 0, lines[i]!);
  else
    lines[i] = m.by > 0 ? ' '.repeat(m.by) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-m.by}}`), '');
  return lines.join('\n');
}

const PATHS = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc
    .array(
      fc.constantFrom(
        'tasks',
        '[0]',
        '[1]',
        '[99]',
        '.',
        'then',
        'type',
        't0',
        'id',
        'labels',
        'flow',
        '[x]',
        ']',
        '[',
      ),
      {
        maxLength: 8,
      },
    )
    .map((parts) => parts.join('')),
  fc.constantFrom(
    'Invalid Flow: A, B [c, d], E',
    'tasks[0].type: must not be null',
    'Invalid type: io.kestra.nope (at line 99999)',
    'Unrecognized field "nope"',
    'Duplicate task id with name [t0]',
    'offending label: system.x=1',
    '(at line 0)',
    '(at line -5)',
  ),
);

describe('property: nothing crashes and every finding points inside the file', () => {
  it('on mutated valid flows (garbage, deletions, misindented and duplicated lines)', () => {
    fc.assert(
      fc.property(
        flowFile({ maxDocs: 2 }),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.array(PATHS, { maxLength: 3 }),
        (file, ms, paths) => {
          const text = ms.reduce(mutate, file.text);
          checkAll(Buffer.from(text, 'utf8'), paths);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('on random text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc
            .array(fc.constantFrom(...GARBAGE, 'id: a', 'namespace: b', 'tasks:', 'a: b', '\n  '), {
              maxLength: 30,
            })
            .map((a) => a.join('')),
        ),
        fc.array(PATHS, { maxLength: 2 }),
        (text, paths) => checkAll(Buffer.from(text, 'utf8'), paths),
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('on random bytes (invalid UTF-8, NUL)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => checkAll(Buffer.from(bytes))),
      { numRuns: RUNS },
    );
  });
});
