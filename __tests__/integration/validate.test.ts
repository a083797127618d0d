// The validate action end to end in this process: real inputs, real HTTP to the emulator, real outputs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { RESULTS_OUTPUT_CHARS } from '../../src/github/outputs.js';
import { run } from '../../validate/main.js';
import { runMain } from '../helpers/run-main.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

const BROKEN = 'examples/invalid/broken.yml';
const credentials = { username: 'ci@kestra.io', password: 'Secret-pass1' };

describe('validate offline (no server)', () => {
  it('passes the example flows and says it works offline', async () => {
    const r = await runMain(run, { directory: 'examples/flows' });
    expect(r.failed).toBe(false);
    expect(r.outputs).toMatchObject({ valid: 'true', flows: '3', errors: '0' });
    expect(r.stdout).toMatch(/offline/);
    const results = JSON.parse(r.outputs.results as string) as { file: string; status: string }[];
    expect(results.map((x) => x.file)).toEqual([
      'examples/flows/company.data/report.yml',
      'examples/flows/company.team/hello.yml',
      'examples/flows/company.team/nightly.yml',
    ]);
    expect(results.every((x) => x.status === 'valid')).toBe(true);
    expect(r.summary).toContain('company.team.hello');
    expect(readFileSync(r.outputs['results-file'] as string, 'utf8')).toBe(r.outputs.results);
  });

  it('cuts a results output too big for an expression to whole entries, warns, and keeps all in results-file', async () => {
    // Long folder names make each entry ~400 characters, so 1,000 flows pass the limit.
    const folder = 'f'.repeat(250);
    const files: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) files[`flows/${folder}/${i}/${'x'.repeat(40)}.yml`] = flow('big', `f${i}`);
    const r = await runMain(run, { directory: 'flows' }, { workspace: makeWorkspace(files) });
    expect(r.failed).toBe(false);
    const all = JSON.parse(readFileSync(r.outputs['results-file'] as string, 'utf8')) as unknown[];
    expect(all).toHaveLength(1000);
    const output = r.outputs.results as string;
    expect(output.length).toBeLessThanOrEqual(RESULTS_OUTPUT_CHARS);
    const kept = JSON.parse(output) as unknown[];
    expect(kept.length).toBeGreaterThan(0);
    expect(kept).toEqual(all.slice(0, kept.length));
    // Whole entries up to the limit: one more would not fit.
    expect(output.length + JSON.stringify(all[kept.length]).length + 1).toBeGreaterThan(RESULTS_OUTPUT_CHARS);
    const warning = r.annotations.find((a) => a.level === 'warning' && /'results' output/.test(a.message));
    expect(warning?.message).toContain(`first ${kept.length} of 1000 entries`);
    expect(warning?.message).toContain('results-file');
  });

  it('fails on a duplicate task id and annotates its second occurrence', async () => {
    const r = await runMain(run, { directory: 'examples' });
    expect(r.failed).toBe(true);
    expect(r.outputs.valid).toBe('false');
    expect(r.outputs.errors).toBe('1');
    const dup = r.annotations.find((a) => a.level === 'error' && /Duplicate task id/.test(a.message));
    expect(dup).toMatchObject({ file: BROKEN, line: 9, title: 'company.team.broken' });
  });

  it('refuses a directory that does not exist, naming it', async () => {
    const r = await runMain(run, { directory: 'no/such/folder' });
    expect(r.failed).toBe(true);
    expect(r.stdout).toMatch(/no\/such\/folder/);
  });

  it('refuses a missing directory input', async () => {
    const r = await runMain(run, {});
    expect(r.failed).toBe(true);
    expect(r.stdout).toMatch(/directory/);
  });
});

describe.each(['0.22.0', '1.2.0', '1.3.19', '2.0.0'])('validate on a Kestra %s server', (version) => {
  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ version, basicAuth: credentials });
  });
  afterAll(() => kestra.close());
  const server = (): Record<string, string> => ({
    server: kestra.url,
    user: credentials.username,
    password: credentials.password,
  });

  it('accepts the valid examples without writing anything', async () => {
    kestra.clearRequests();
    const r = await runMain(run, { directory: 'examples/flows', ...server() });
    expect(r.failed).toBe(false);
    expect(r.outputs).toMatchObject({ valid: 'true', flows: '3', errors: '0' });
    expect(kestra.writes()).toEqual([]);
    expect(kestra.requests.some((q) => q.path.endsWith('/flows/validate'))).toBe(true);
  });

  it('points an unknown plugin type at its `type:` line, and a local duplicate id at its line', async () => {
    const r = await runMain(run, { directory: 'examples', ...server() });
    expect(r.failed).toBe(true);
    const errors = r.annotations.filter((a) => a.level === 'error' && a.file === BROKEN);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          line: 14,
          message: expect.stringContaining('Invalid type: io.kestra.plugin.core.log.Logg'),
        }),
        expect.objectContaining({ line: 9, message: expect.stringContaining('Duplicate task id') }),
      ]),
    );
  });

  it('says what to do on a wrong password, without a stack trace', async () => {
    const r = await runMain(run, { directory: 'examples/flows', ...server(), password: 'Wrong-pass1' });
    expect(r.failed).toBe(true);
    expect(r.stdout).toMatch(/401/);
    expect(r.stdout).toMatch(/password|api-token/);
    expect(r.stdout).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  });
});

describe("validate: a '!' glob gets advice that fits its input", () => {
  const ws = (): string => makeWorkspace({ 'flows/one.yml': flow('team', 'one') });

  it("in 'exclude': write it without the '!'", async () => {
    const r = await runMain(run, { directory: 'flows', exclude: '!one.yml' }, { workspace: ws() });
    expect(r.failed).toBe(true);
    expect(r.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      "exclude glob '!one.yml' starts with '!': every 'exclude' glob already leaves its files out, so write 'one.yml' (there is no re-including: narrow 'include' instead).",
    ]);
  });

  it("in 'include': list it under 'exclude'", async () => {
    const r = await runMain(run, { directory: 'flows', include: '**/*.yml\n!one.yml' }, { workspace: ws() });
    expect(r.failed).toBe(true);
    expect(r.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      "include glob '!one.yml' starts with '!': to leave those files out, list 'one.yml' under 'exclude'.",
    ]);
  });
});

/** A flow's task list in the form these cases use. */
const LOG = '  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';

describe.each(['0.22.0', '1.3.19', '2.0.0'])('one finding per problem on a Kestra %s server', (version) => {
  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ version });
  });
  afterAll(() => kestra.close());

  // Each of these the offline rules and the server both see; each must be reported once, at its node.
  it.each([
    ['a missing namespace', 'id: nons\n\ntasks:\n' + LOG, 1, /^namespace: must not be null\. Add/],
    ['a missing id', 'namespace: team\ntasks:\n' + LOG, 1, /^id: must not be null\. Add/],
    [
      'a duplicate task id',
      'id: dup\nnamespace: team\ntasks:\n' + LOG + LOG,
      7,
      /^Duplicate task id with name \[a\] \(first at line 4\)/,
    ],
    [
      'an unknown core type (named offline, with the closest one)',
      'id: typo\nnamespace: team\ntasks:\n' + LOG + '  - id: b\n    type: io.kestra.plugin.core.log.Logg\n',
      8,
      /^Invalid type: io\.kestra\.plugin\.core\.log\.Logg\. .*Did you mean io\.kestra\.plugin\.core\.log\.Log\?$/,
    ],
    [
      'an unknown plugin type (the server says so)',
      'id: typo\nnamespace: team\ntasks:\n' +
        LOG +
        '  - id: b\n    type: io.kestra.plugin.scripts.shell.Commandz\n',
      8,
      /^Invalid type: io\.kestra\.plugin\.scripts\.shell\.Commandz$/,
    ],
    [
      'a type that is not a class name',
      'id: bad\nnamespace: team\ntasks:\n  - id: a\n    type: not-a-type\n',
      5,
      /^Invalid type: not-a-type\. A type is a Java class name/,
    ],
    [
      'an invalid input id',
      'id: in\nnamespace: team\ninputs:\n  - id: my input\n    type: STRING\ntasks:\n' + LOG,
      4,
      /^inputs\[0\]\.id: must match .*\(got 'my input'\)/,
    ],
    [
      'an invalid label key (map form)',
      'id: lab\nnamespace: team\nlabels:\n  env: prod\n  Team: data\ntasks:\n' + LOG,
      5,
      /^Invalid label key\..* Got 'Team'\.$/,
    ],
    [
      'a subflow that runs its own flow',
      'id: me\nnamespace: team\ntasks:\n  - id: again\n    type: io.kestra.plugin.core.flow.Subflow\n' +
        '    namespace: team\n    flowId: me\n',
      7,
      /^Recursive call to flow \[team\.me\]: a flow cannot run itself/,
    ],
  ])('%s', async (_what, text, line, message) => {
    const workspace = makeWorkspace({ 'flows/f.yml': text });
    const r = await runMain(run, { directory: 'flows', server: kestra.url }, { workspace });
    expect(r.failed).toBe(true);
    const errors = r.annotations.filter((a) => a.level === 'error' && a.file === 'flows/f.yml');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line, message: expect.stringMatching(message) });
    expect(r.outputs.errors).toBe('1');
  });
});

describe('the server findings that name a node, at that node (Kestra 1.3)', () => {
  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
  });
  afterAll(() => kestra.close());

  /** Every annotation on the flow: level, line, and the message's start. */
  const annotationsOf = async (lines: string[]) => {
    const workspace = makeWorkspace({ 'flows/f.yml': lines.join('\n') + '\n' });
    const r = await runMain(run, { directory: 'flows', server: kestra.url }, { workspace });
    return r.annotations.filter((a) => a.file === 'flows/f.yml').map((a) => [a.level, a.line, a.message]);
  };
  const HEAD = ['id: n', 'namespace: team'];
  const TASKS = ['tasks:', '  - id: a', '    type: io.kestra.plugin.core.log.Log', '    message: hi'];
  const starts = (text: string) =>
    expect.stringMatching(new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

  it('a missing property of a nested task (`c.c.message`): the task', async () => {
    expect(
      await annotationsOf([
        ...HEAD,
        'tasks:',
        '  - id: p',
        '    type: io.kestra.plugin.core.flow.Sequential',
        '    tasks:',
        '      - id: c', // 7
        '        type: io.kestra.plugin.core.log.Log',
      ]),
    ).toEqual([['error', 7, 'c.c.message: must not be null']]);
  });

  it("a task's unknown property: its key", async () => {
    expect(await annotationsOf([...HEAD, ...TASKS, '    colour: red'])).toEqual([
      ['error', 7, starts('Unrecognized field "colour" (class io.kestra.plugin.core.log.Log)')],
    ]);
  });

  it('an unknown property of a listener: its key; the deprecated listeners: once', async () => {
    expect(
      await annotationsOf([
        ...HEAD,
        ...TASKS,
        'listeners:', // 7
        '  - description: after',
        '    colour: red', // 9
        '    tasks:',
        '      - id: b',
        '        type: io.kestra.plugin.core.log.Log',
        '        message: done',
      ]),
    ).toEqual([
      ['error', 9, starts('Unrecognized field "colour" (class io.kestra.core.models.listeners.Listener)')],
      ['warning', 7, "'listeners' was removed in Kestra 2.0: use 'afterExecution' (or a Flow trigger)."],
    ]);
  });

  it("an unknown condition type in a trigger's conditions: the condition's type", async () => {
    expect(
      await annotationsOf([
        ...HEAD,
        ...TASKS,
        'triggers:',
        '  - id: t',
        '    type: io.kestra.plugin.core.trigger.Schedule',
        '    cron: "0 * * * *"',
        '    conditions:',
        // Not a core type (those are named offline): the server's finding is placed.
        '      - type: io.kestra.plugin.other.condition.Nope', // 12
      ]),
    ).toEqual([
      ['error', 12, 'Invalid type: io.kestra.plugin.other.condition.Nope'],
      // The emulated server is 1.3: its version is the target, so 2.0's removals are warnings.
      [
        'warning',
        11,
        "'conditions' was removed in Kestra 2.0: use 'when' (a Pebble condition; 'dependsOn' on a Flow trigger).",
      ],
    ]);
  });

  it("a missing subflow: its flowId; a Flow trigger without conditions: its conditions; a non-runnable task's timeout: the key", async () => {
    expect(
      await annotationsOf([
        ...HEAD,
        'tasks:',
        '  - id: seq',
        '    type: io.kestra.plugin.core.flow.Sequential',
        '    timeout: PT1M', // 6
        '    tasks:',
        '      - id: a',
        '        type: io.kestra.plugin.core.log.Log',
        '        message: hi',
        '  - id: sub',
        '    type: io.kestra.plugin.core.flow.Subflow',
        '    namespace: team',
        '    flowId: ghost', // 14
        'triggers:',
        '  - id: upstream',
        '    type: io.kestra.plugin.core.trigger.Flow',
        '    conditions: []', // 18
      ]),
    ).toEqual([
      [
        'warning',
        18,
        "'conditions' was removed in Kestra 2.0: use 'when' (a Pebble condition; 'dependsOn' on a Flow trigger).",
      ],
      ['warning', 14, "The subflow 'ghost' not found in namespace 'team'."],
      ['warning', 18, starts('This flow will be triggered for EVERY execution')],
      ['warning', 6, starts("The task 'seq' cannot use the 'timeout' property")],
    ]);
  });

  it('an input of a type this server does not know: one error at its type (the offline warning folded in)', async () => {
    expect(await annotationsOf([...HEAD, 'inputs:', '  - id: x', '    type: COLOUR', ...TASKS])).toEqual([
      ['error', 5, starts('Invalid type: COLOUR is not a Kestra 1.3 input type')],
    ]);
  });

  it("an input's deprecated `name`: once", async () => {
    expect(await annotationsOf([...HEAD, 'inputs:', '  - name: x', '    type: STRING', ...TASKS])).toEqual([
      ['warning', 4, "inputs[0].name is deprecated: rename 'name' to 'id'."],
    ]);
  });
});

describe('counts are per file or flow, not per message', () => {
  // Three syntax errors on three lines: one broken file.
  const THREE_ERRORS = [
    'id: broken',
    'namespace: team',
    'tasks:',
    '  - id: a',
    '    type: io.kestra.plugin.core.log.Log',
    '    message: [WARN] disk full',
    '  - id: b',
    '    type: io.kestra.plugin.core.log.Log',
    '    message: hi',
    '    message: again',
    '  - id: c',
    '    type: io.kestra.plugin.core.log.Log',
    `    message: "it's" ok`,
    '',
  ].join('\n');
  const files: Record<string, string> = { 'flows/broken.yml': THREE_ERRORS };
  for (let i = 1; i <= 9; i++) files[`flows/ok${i}.yml`] = flow('team', `ok${i}`);

  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
  });
  afterAll(() => kestra.close());

  it.each([
    ['offline', () => ({})],
    ['with a server', () => ({ server: kestra.url })],
  ])('a file with 3 syntax errors among 9 valid flows is 1 invalid file (%s)', async (_mode, server) => {
    const r = await runMain(run, { directory: 'flows', ...server() }, { workspace: makeWorkspace(files) });
    expect(r.failed).toBe(true);
    expect(r.outputs).toMatchObject({ valid: 'false', flows: '9', errors: '1' });
    const results = JSON.parse(r.outputs.results as string) as {
      file: string;
      status: string;
      messages: string[];
    }[];
    expect(results).toHaveLength(10);
    const broken = results.filter((x) => x.status === 'invalid');
    expect(broken.map((x) => [x.file, x.messages.length])).toEqual([['flows/broken.yml', 3]]);
    expect(r.annotations.filter((a) => a.level === 'error' && a.file === 'flows/broken.yml')).toHaveLength(3);
    expect(r.stdout).toMatch(/9 flows checked \(.*\): 1 invalid, 0 warnings/);
    expect(r.stdout).toContain('1 Kestra flow or file is invalid');
    expect(r.summary).toContain('1 of 10 Kestra files or flows invalid');
  });

  it('a file of several documents counts each broken document once', async () => {
    const twoBroken = `${flow('team', 'fine')}---\n${THREE_ERRORS}---\nid: also\nnamespace: team\ntasks:\n  - id: x\n   type: y\n`;
    const r = await runMain(
      run,
      { directory: 'flows' },
      { workspace: makeWorkspace({ 'flows/multi.yml': twoBroken }) },
    );
    expect(r.outputs).toMatchObject({ flows: '1', errors: '2' });
    const results = JSON.parse(r.outputs.results as string) as { status: string; messages: string[] }[];
    expect(results.map((x) => [x.status, x.messages.length])).toEqual([
      ['valid', 0],
      ['invalid', 3],
      ['invalid', 1],
    ]);
  });
});

describe('a YAML alias of a text used as a label value', () => {
  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
  });
  afterAll(() => kestra.close());

  it('is a plain value, as for Kestra: valid, with only the warning about aliases at run time', async () => {
    const text = 'id: al\nnamespace: team\nlabels:\n  team: &team data\n  owner: *team\ntasks:\n' + LOG;
    const r = await runMain(
      run,
      { directory: 'flows', server: kestra.url },
      { workspace: makeWorkspace({ 'flows/al.yml': text }) },
    );
    expect(r.failed).toBe(false);
    expect(r.outputs).toMatchObject({ valid: 'true', errors: '0', warnings: '1' });
    expect(r.annotations.map((a) => [a.level, a.line, a.message.slice(0, 40)])).toEqual([
      ['warning', 5, "YAML alias '*team': Kestra accepts it bu"],
    ]);
  });
});
