// Bad input, table-driven: each case is a small workspace and the outcome it must give, checked three ways —
// validate offline, validate on a Kestra 1.3 emulator, and deploy with `delete: true` on that emulator.
// A bad case must fail the run with an annotation at the right file and line, never with a stack trace, and
// a deploy must send no write at all (the flow seeded beforehand survives). A good case must just work.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { run as deploy } from '../../deploy/main.js';
import { startEmulator } from '../../emulator/index.js';
import { repoRoot } from '../../scripts/action-runner.js';
import { run as validate } from '../../validate/main.js';
import { runMain, type MainRun } from '../helpers/run-main.js';
import { flow, makeWorkspace as makeTempWorkspace } from '../helpers/workspace.js';

// Some workspaces hold 10 MB: remove them all at the end.
const workspaces: string[] = [];
const makeWorkspace = (files: Record<string, string | Buffer>): string => {
  const ws = makeTempWorkspace(files);
  workspaces.push(ws);
  return ws;
};
afterAll(() => {
  for (const ws of workspaces) rmSync(ws, { recursive: true, force: true });
});

const credentials = { username: 'ci@kestra.io', password: 'Bad-input-pass1' };
const fixture = (name: string): Buffer =>
  readFileSync(path.join(repoRoot, '__tests__', 'fixtures', 'bad-input', name));

/** A stack frame (`\n    at fn (file.ts:12:5)`): users must never see one. */
const STACK_FRAME = /\n\s+at .*:\d+:\d+/;

interface Problem {
  file: string;
  line: number;
  column?: number;
  message: RegExp;
}

interface Case {
  name: string;
  files: () => Record<string, string | Buffer>;
  /** Bad cases: the errors that must be annotated. */
  errors?: Problem[];
  /** Good cases: warnings that must be annotated (the run still passes). */
  warnings?: Problem[];
  /** Good cases: flows the deploy must have stored, with a check of the stored source. */
  stored?: { namespace: string; id: string; source?: (s: string) => void }[];
  /** Seconds a single run may take (default: jest's timeout). */
  slowSeconds?: number;
}

const good = (id: string, ns = 'team.a'): string => flow(ns, id);
const GOOD = { 'flows/good.yml': good('good') };

// 10 MB of tasks, the last one a duplicate id: the error must still name its exact line.
function tenMegabytes(): { text: string; lastLine: number } {
  const parts = ['id: huge\nnamespace: team.a\ntasks:\n'];
  let size = parts[0]!.length;
  for (let i = 0; size < 10 * 1024 * 1024; i++) {
    const task = `  - id: t${i}\n    type: io.kestra.plugin.core.log.Log\n    message: "task ${i} of a very long flow, padded to look like a real one"\n`;
    parts.push(task);
    size += task.length;
  }
  parts.push('  - id: t0\n    type: io.kestra.plugin.core.log.Log\n    message: duplicate\n');
  const text = parts.join('');
  return { text, lastLine: text.split('\n').length - 3 };
}
const HUGE = tenMegabytes();

const crlf = (s: string): string => s.replace(/\n/g, '\r\n');
const METACHAR_NAME = `flows/$(touch pwned-1); \`touch pwned-2\` & | ; 'q" ü 漢字 🚀, a:b <b>x</b>.yml`;

const cases: Case[] = [
  {
    name: 'an empty file',
    files: () => ({ ...GOOD, 'flows/empty.yml': '' }),
    errors: [{ file: 'flows/empty.yml', line: 1, message: /file is empty/ }],
  },
  {
    name: 'a whitespace-only file',
    files: () => ({ ...GOOD, 'flows/blank.yaml': '  \n\t\n   \n \t ' }),
    errors: [{ file: 'flows/blank.yaml', line: 1, message: /file is empty/ }],
  },
  {
    name: 'a binary file named .yml',
    // A PNG header: the first NUL byte is on line 3 (after `\r\n` and `\x1a\n`).
    files: () => ({
      ...GOOD,
      'flows/logo.yml': Buffer.from([
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff,
      ]),
    }),
    errors: [{ file: 'flows/logo.yml', line: 3, message: /not a text YAML file: it contains NUL bytes/ }],
  },
  {
    name: 'a Latin-1 (not UTF-8) file',
    files: () => ({
      ...GOOD,
      'flows/latin1.yml': Buffer.from('id: cafe\nnamespace: team.a\ndescription: caf\xe9\n', 'latin1'),
    }),
    errors: [{ file: 'flows/latin1.yml', line: 3, message: /not a text YAML file: it is not valid UTF-8/ }],
  },
  {
    name: 'a UTF-8 byte order mark (works)',
    files: () => ({ 'flows/bom.yml': '\ufeff' + good('bom') }),
    stored: [
      {
        namespace: 'team.a',
        id: 'bom',
        source: (s) => expect(s.trimEnd()).toBe(good('bom').trimEnd()),
      },
    ],
  },
  {
    name: 'a UTF-8 byte order mark before an error (right line)',
    files: () => ({ ...GOOD, 'flows/bom.yml': '\ufeff' + good('bom').replace('namespace:', 'namespace: [') }),
    errors: [
      {
        file: 'flows/bom.yml',
        line: 2,
        column: 12,
        message: /'\[' here starts a flow list that is never closed/,
      },
    ],
  },
  {
    name: 'CRLF line endings (works, source kept)',
    files: () => ({ 'flows/crlf.yml': crlf(`# windows\n${good('crlf')}`) }),
    stored: [
      {
        namespace: 'team.a',
        id: 'crlf',
        source: (s) => {
          expect(s.trimEnd()).toBe(crlf(`# windows\n${good('crlf')}`).trimEnd());
          expect(s.split('\r\n')).toHaveLength(8);
        },
      },
    ],
  },
  {
    name: 'CRLF line endings with a duplicate task id (right line)',
    files: () => ({
      ...GOOD,
      'flows/crlf.yml': crlf(
        good('crlf') + '  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: again\n',
      ),
    }),
    errors: [{ file: 'flows/crlf.yml', line: 8, message: /Duplicate task id with name \[log\]/ }],
  },
  {
    name: 'tabs in indentation',
    files: () => ({
      ...GOOD,
      'flows/tabs.yml':
        'id: tabs\nnamespace: team.a\ntasks:\n\t- id: x\n\t  type: io.kestra.plugin.core.log.Log\n',
    }),
    errors: [{ file: 'flows/tabs.yml', line: 4, message: /Tabs are not allowed in YAML indentation/ }],
  },
  {
    name: 'a 10 MB file (no hang, exact line)',
    files: () => ({ ...GOOD, 'flows/huge.yml': HUGE.text }),
    errors: [{ file: 'flows/huge.yml', line: HUGE.lastLine, message: /Duplicate task id with name \[t0\]/ }],
    slowSeconds: 90,
  },
  {
    name: 'duplicate keys',
    files: () => ({ ...GOOD, 'flows/dup.yml': good('dup').replace('\ntasks:', '\nid: again\ntasks:') }),
    errors: [
      {
        file: 'flows/dup.yml',
        line: 4,
        message: /Duplicate field 'id' \(already set at line 1 of the same mapping\)/,
      },
    ],
  },
  {
    // Valid YAML that Kestra validates but does not resolve when the flow runs (kestra-io/kestra#16315).
    name: 'anchors and aliases (works, with a warning at the alias)',
    files: () => ({
      'flows/anchors.yml': [
        'id: anchors',
        'namespace: team.a',
        'variables:',
        '  first: &greeting hello',
        '  second: *greeting',
        'tasks:',
        '  - id: log',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: "{{ vars.second }}"',
        '',
      ].join('\n'),
    }),
    warnings: [{ file: 'flows/anchors.yml', line: 5, message: /alias '\*greeting'.*16315/ }],
    stored: [{ namespace: 'team.a', id: 'anchors', source: (s) => expect(s).toContain('*greeting') }],
  },
  {
    name: 'an alias to a missing anchor',
    files: () => ({
      ...GOOD,
      'flows/alias.yml': good('alias').replace('message: hi from alias', 'message: *nope'),
    }),
    errors: [{ file: 'flows/alias.yml', line: 7, message: /unknown alias '\*nope'/ }],
  },
  {
    name: 'several flows in one file (works: each document is a flow)',
    files: () => ({
      'flows/many.yml': [good('one'), good('two'), `# third\n${good('three')}`].join('---\n'),
    }),
    stored: [
      { namespace: 'team.a', id: 'one', source: (s) => expect(s.trimEnd()).toBe(good('one').trimEnd()) },
      { namespace: 'team.a', id: 'two', source: (s) => expect(s.trimEnd()).toBe(good('two').trimEnd()) },
      {
        namespace: 'team.a',
        id: 'three',
        source: (s) => expect(s.trimEnd()).toBe(`# third\n${good('three')}`.trimEnd()),
      },
    ],
  },
  {
    name: 'several flows in one file, the second one bad (its own line)',
    files: () => ({
      'flows/many.yml': [good('one'), good('two').replace('    type:', '   type:'), good('three')].join(
        '---\n',
      ),
    }),
    // Document 2 starts on line 9; its `type:` is its line 6.
    errors: [{ file: 'flows/many.yml', line: 14, message: /Bad indentation: this line is not aligned/ }],
  },
  {
    name: 'a value that starts like a list ([WARN] …)',
    files: () => ({
      ...GOOD,
      'flows/warn.yml': good('warn').replace('message: hi from warn', 'message: [WARN] disk full'),
    }),
    errors: [
      {
        file: 'flows/warn.yml',
        line: 7,
        column: 14,
        message: /value of 'message' starts with '\['.*Quote the whole value: message: "\[WARN\] disk full"/,
      },
    ],
  },
  {
    name: 'a Kestra App',
    files: () => ({ ...GOOD, 'flows/app.yaml': fixture('app.yaml') }),
    errors: [
      { file: 'flows/app.yaml', line: 2, message: /not a Kestra flow: this file looks like a Kestra App/ },
    ],
  },
  {
    name: 'a Kestra Dashboard',
    files: () => ({ ...GOOD, 'flows/dashboard.yaml': fixture('dashboard.yaml') }),
    errors: [
      {
        file: 'flows/dashboard.yaml',
        line: 2,
        message: /not a Kestra flow: this file looks like a Kestra Dashboard/,
      },
    ],
  },
  {
    name: 'a Kestra flow unit test',
    files: () => ({ ...GOOD, 'flows/unit-test.yaml': fixture('unit-test.yaml') }),
    errors: [
      {
        file: 'flows/unit-test.yaml',
        line: 2,
        message: /not a Kestra flow: this file looks like a Kestra flow unit test/,
      },
    ],
  },
  {
    name: 'an unquoted {{ }} expression',
    files: () => ({
      ...GOOD,
      'flows/pebble.yml': good('pebble').replace('message: hi from pebble', 'message: {{ inputs.name }}'),
    }),
    errors: [
      {
        file: 'flows/pebble.yml',
        line: 7,
        message: /unquoted Pebble expression \{\{ inputs\.name \}\}.*Quote the value/,
      },
    ],
  },
  {
    name: 'the same namespace and id in two files (both named)',
    files: () => ({ 'flows/a.yml': good('twin'), 'flows/b.yml': `# copy\n${good('twin')}` }),
    errors: [{ file: 'flows/b.yml', line: 2, message: /team\.a\.twin is also defined in flows\/a\.yml:1/ }],
  },
  {
    name: 'an id of exactly 100 characters and a namespace of exactly 150 (works)',
    files: () => ({ 'flows/long.yml': flow(`team.${'n'.repeat(145)}`, `f${'x'.repeat(99)}`) }),
    stored: [{ namespace: `team.${'n'.repeat(145)}`, id: `f${'x'.repeat(99)}` }],
  },
  {
    name: 'an id of 101 characters',
    files: () => ({ ...GOOD, 'flows/long.yml': good(`f${'x'.repeat(100)}`) }),
    errors: [{ file: 'flows/long.yml', line: 1, message: /id: size must be between 1 and 100 \(it has 101/ }],
  },
  {
    name: 'a namespace of 151 characters',
    files: () => ({ ...GOOD, 'flows/long.yml': flow(`team.${'n'.repeat(146)}`, 'long') }),
    errors: [
      { file: 'flows/long.yml', line: 2, message: /namespace: size must be between 1 and 150 \(it has 151/ },
    ],
  },
  {
    name: 'a flow without namespace',
    files: () => ({ ...GOOD, 'flows/nons.yml': good('nons').replace('namespace: team.a\n', '') }),
    errors: [{ file: 'flows/nons.yml', line: 1, message: /namespace: must not be null/ }],
  },
  {
    name: 'a flow without id',
    files: () => ({ ...GOOD, 'flows/noid.yml': `\n${good('noid').replace('id: noid\n', '')}` }),
    errors: [{ file: 'flows/noid.yml', line: 2, message: /id: must not be null/ }],
  },
  {
    name: 'a file that is a YAML list',
    files: () => ({ ...GOOD, 'flows/list.yml': '# a list\n- id: a\n  namespace: team.a\n- id: b\n' }),
    errors: [{ file: 'flows/list.yml', line: 2, message: /not a Kestra flow: this file is a list/ }],
  },
  {
    name: 'a file name with spaces, unicode and shell metacharacters (works, runs nothing)',
    files: () => ({ [METACHAR_NAME]: good('metachar') }),
    stored: [{ namespace: 'team.a', id: 'metachar' }],
  },
  {
    name: 'a file name with shell metacharacters and an error (annotated at that exact name)',
    files: () => ({ ...GOOD, [METACHAR_NAME]: good('metachar').replace('type: io', 'type io') }),
    errors: [{ file: METACHAR_NAME, line: 6, message: /Missing ':' after 'type'/ }],
  },
];

function expectReported(r: MainRun, c: Case): void {
  expect(r.stdout).not.toMatch(STACK_FRAME);
  for (const want of c.errors ?? []) {
    expect(r.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'error',
          file: want.file,
          line: want.line,
          ...(want.column ? { col: want.column } : {}),
          message: expect.stringMatching(want.message),
        }),
      ]),
    );
  }
  for (const want of c.warnings ?? []) {
    expect(r.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'warning',
          file: want.file,
          line: want.line,
          message: expect.stringMatching(want.message),
        }),
      ]),
    );
  }
  if (!c.errors) {
    expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(r.failed).toBe(false);
  } else {
    expect(r.failed).toBe(true);
  }
}

/** Nothing in the workspace or the current directory was created by a shell running a file name. */
function expectNothingExecuted(workspace: string): void {
  for (const dir of [workspace, path.join(workspace, 'flows'), process.cwd()]) {
    expect(existsSync(path.join(dir, 'pwned-1'))).toBe(false);
    expect(existsSync(path.join(dir, 'pwned-2'))).toBe(false);
  }
}

describe.each(cases)('bad input: $name', (c) => {
  const timeout = (c.slowSeconds ?? 25) * 1000 + 5000;

  it(
    'validate offline reports it at its file and line, without a stack trace',
    async () => {
      const ws = makeWorkspace(c.files());
      const started = Date.now();
      const r = await runMain(validate, { directory: 'flows' }, { workspace: ws });
      expect(Date.now() - started).toBeLessThan(timeout);
      expectReported(r, c);
      expect(r.outputs.valid).toBe(String(!c.errors));
      expectNothingExecuted(ws);
    },
    timeout,
  );

  it(
    'validate on Kestra 1.3 reports it the same way, writing nothing',
    async () => {
      const kestra = await startEmulator({ basicAuth: credentials });
      try {
        const ws = makeWorkspace(c.files());
        const r = await runMain(
          validate,
          {
            directory: 'flows',
            server: kestra.url,
            user: credentials.username,
            password: credentials.password,
          },
          { workspace: ws },
        );
        expectReported(r, c);
        expect(kestra.writes()).toEqual([]);
        expectNothingExecuted(ws);
      } finally {
        await kestra.close();
      }
    },
    timeout,
  );

  it(
    c.errors ? 'deploy with delete: true fails and sends no write at all' : 'deploy with delete: true works',
    async () => {
      const kestra = await startEmulator({ basicAuth: credentials });
      try {
        kestra.seedFlow(good('keep'));
        kestra.clearRequests();
        const ws = makeWorkspace(c.files());
        const r = await runMain(
          deploy,
          {
            directory: 'flows',
            server: kestra.url,
            user: credentials.username,
            password: credentials.password,
            delete: 'true',
          },
          { workspace: ws },
        );
        expectReported(r, c);
        expectNothingExecuted(ws);
        if (c.errors) {
          expect(kestra.writes()).toEqual([]);
          expect(kestra.getFlow('team.a', 'keep')).toBeDefined();
          expect(r.stdout).toMatch(/nothing was written or deleted/);
        } else {
          for (const s of c.stored ?? []) {
            const stored = kestra.getFlow(s.namespace, s.id);
            expect(stored).toBeDefined();
            s.source?.(stored!.source);
          }
          expect(Number(r.outputs.created)).toBe(c.stored?.length);
          // `delete: true` was live: the seeded flow of a deployed namespace is gone.
          if (c.stored?.some((s) => s.namespace === 'team.a')) {
            expect(kestra.getFlow('team.a', 'keep')).toBeUndefined();
          }
        }
      } finally {
        await kestra.close();
      }
    },
    timeout,
  );
});

describe('bad input: the outcome is reported in the outputs', () => {
  it('lists every bad file in `results`, with its line and messages', async () => {
    const ws = makeWorkspace({
      ...GOOD,
      'flows/empty.yml': '',
      'flows/list.yml': '- a\n',
      'flows/tabs.yml': 'id: t\nnamespace: team.a\ntasks:\n\t- id: x\n',
    });
    const r = await runMain(validate, { directory: 'flows' }, { workspace: ws });
    expect(r.failed).toBe(true);
    const results = parse(r.outputs.results as string) as {
      file: string;
      status: string;
      messages: string[];
    }[];
    expect(results.map((x) => [x.file, x.status])).toEqual([
      ['flows/empty.yml', 'invalid'],
      ['flows/good.yml', 'valid'],
      ['flows/list.yml', 'invalid'],
      ['flows/tabs.yml', 'invalid'],
    ]);
    expect(r.outputs.errors).toBe('3');
  });
});

describe('bad input: a 5 MB file of tens of thousands of small flows', () => {
  // Line numbers of each document used to be counted from the top of the file: quadratic, about 80 s here.
  it('is checked in linear time and names the line of its one bad document', async () => {
    const docs: string[] = [];
    let size = 0;
    for (let i = 0; size < 5 * 1024 * 1024; i++) {
      const doc = `id: f${i}\nnamespace: team.a\ntasks:\n  - id: x\n    type: io.kestra.plugin.core.log.Log\n`;
      docs.push(doc);
      size += doc.length + 4;
    }
    docs.push('id: last\nnamespace: team.a\ntasks:\n  - id: x\n\ttype: io.kestra.plugin.core.log.Log\n');
    const text = docs.join('---\n');
    const ws = makeWorkspace({ 'flows/many.yml': text });
    const started = Date.now();
    const r = await runMain(validate, { directory: 'flows' }, { workspace: ws });
    expect(Date.now() - started).toBeLessThan(40_000);
    expect(r.failed).toBe(true);
    expect(r.outputs.flows).toBe(String(docs.length - 1));
    expect(r.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'error',
          file: 'flows/many.yml',
          line: text.split('\n').length - 1,
          message: expect.stringMatching(/Tabs are not allowed/),
        }),
      ]),
    );
    expect(r.stdout).not.toMatch(STACK_FRAME);
  }, 60_000);
});
