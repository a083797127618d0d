import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { call, fixtures, flow, form, postYaml, type ValidateJson } from './http.js';

let emulator: Emulator | undefined;
const start = async (opts: EmulatorOptions = {}): Promise<Emulator> => (emulator = await startEmulator(opts));
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const VALIDATE = '/api/v1/main/flows/validate';
const validate = async (e: Emulator, body: string): Promise<ValidateJson[]> => {
  const res = await postYaml(e, VALIDATE, body);
  expect(res.status).toBe(200);
  return res.json<ValidateJson[]>();
};

describe('YAML body split', () => {
  it('splits on lines starting with ---, never on an inline ---, and answers one entry per document', async () => {
    const e = await start();
    const body = [
      flow('a').replace('Hello a', '"strange---string"'),
      flow('b'),
      'id: c\nnamespace: x\ntasks: []',
    ].join('\n---\n');
    const results = await validate(e, body);
    expect(results.map((r) => [r.index, r.flow])).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
    ]);
    expect(results[0]).toEqual({
      index: 0,
      flow: 'a',
      namespace: 'company.team',
      outdated: false,
      deprecationPaths: [],
      warnings: [],
      infos: [],
    });
    expect(results[2]!.constraints).toBe('Validation error: tasks: must not be empty\n');
    expect(results.some((r) => 'filename' in r)).toBe(false);
  });

  it('treats a leading --- as a document marker, and keeps a block scalar with --- in one document', async () => {
    const e = await start();
    const block = readFileSync(path.join(fixtures, 'valid', 'block-scalar-separator.yaml'), 'utf8');
    const results = await validate(e, '---\n' + block);
    expect(results).toHaveLength(1);
    expect(results[0]!.constraints).toBeUndefined();
  });

  it('always answers 200, also for YAML that does not parse (then without the parsed-only fields)', async () => {
    const e = await start();
    const [result] = await validate(e, 'id: broken\n  namespace: : x\n');
    expect(result!.constraints).toMatch(
      /^Validation error: Illegal Flow source: YAML parsing error: .* \(at line \d+\)$/,
    );
    expect(result).not.toHaveProperty('flow');
    expect(result).not.toHaveProperty('deprecationPaths');
    expect(result).not.toHaveProperty('warnings');
    expect(result).not.toHaveProperty('infos');
    expect(result!.outdated).toBe(false);
  });

  it('answers one failing entry for an empty body', async () => {
    const e = await start();
    const results = await validate(e, '');
    expect(results).toHaveLength(1);
    expect(results[0]!.constraints).toContain('No content to map due to end-of-input');
  });
});

describe('multipart `flows` parts (1.3+)', () => {
  it('echoes each part filename and trims the content', async () => {
    const e = await start();
    const body = form([
      { name: 'flows', content: '\n\n' + flow('a') + '\n\n', filename: 'flows/a.yml' },
      { name: 'flows', content: flow('b', 'company.team', 'unknown: 1\n'), filename: 'b.yaml' },
      { name: 'other', content: 'ignored' },
    ]);
    const res = await call(e, 'POST', VALIDATE, { body });
    expect(res.status).toBe(200);
    const results = res.json<ValidateJson[]>();
    expect(results.map((r) => [r.index, r.filename, r.flow])).toEqual([
      [0, 'flows/a.yml', 'a'],
      [1, 'b.yaml', undefined],
    ]);
    expect(results[0]!.constraints).toBeUndefined();
    expect(results[1]!.constraints).toContain('Unrecognized field "unknown"');
  });
});

describe('message formats by version', () => {
  it('1.3 prefixes `Validation error: ` (two spaces before a class-level violation); 1.2 does not', async () => {
    const dup =
      'id: d\nnamespace: n\ntasks:\n  - {id: x, type: io.kestra.plugin.core.log.Log, message: a}\n  - {id: x, type: io.kestra.plugin.core.log.Log, message: b}\n';
    const e13 = await start({ version: '1.3.19' });
    expect((await validate(e13, dup))[0]!.constraints).toBe(
      'Validation error:  Invalid Flow: Duplicate task id with name [x]\n',
    );
    await e13.close();
    const e12 = await start({ version: '1.2.0' });
    expect((await validate(e12, dup))[0]!.constraints).toBe(
      ': Invalid Flow: Duplicate task id with name [x]\n',
    );
  });

  it('reserved flow ids are refused before 2.0 only; 2.0 also drops listeners and taskDefaults', async () => {
    const source = flow('pause');
    const e13 = await start({ version: '1.3.19' });
    expect((await validate(e13, source))[0]!.constraints).toContain('Flow id is a reserved keyword: pause');
    await e13.close();
    const e20 = await start({ version: '2.0.0' });
    expect((await validate(e20, source))[0]!.constraints).toBeUndefined();
    const legacy = flow(
      'l',
      'company.team',
      'listeners:\n  - tasks:\n      - {id: x, type: io.kestra.plugin.core.log.Log, message: a}\n',
    );
    expect((await validate(e20, legacy))[0]!.constraints).toContain('Unrecognized field "listeners"');
  });
});

describe('outdated, warnings, infos and deprecation paths', () => {
  it('marks outdated when `revision` is not the next one', async () => {
    const e = await start();
    e.seedFlow(flow('a'));
    const results = await validate(
      e,
      [
        flow('a', 'company.team', 'revision: 1\n'),
        flow('a', 'company.team', 'revision: 2\n'),
        flow('a'),
      ].join('\n---\n'),
    );
    expect(results.map((r) => r.outdated)).toEqual([true, false, false]);
    const [fresh] = await validate(e, flow('new', 'company.team', 'revision: 1\n'));
    expect(fresh!.outdated).toBe(false);
  });

  it('warns about a missing subflow until it exists', async () => {
    const e = await start();
    const parent =
      'id: parent\nnamespace: company.team\ntasks:\n  - id: call\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: company.team\n    flowId: child\n';
    expect((await validate(e, parent))[0]!.warnings).toEqual([
      "The subflow 'child' not found in namespace 'company.team'.",
    ]);
    e.seedFlow(flow('child'));
    expect((await validate(e, parent))[0]!.warnings).toEqual([]);
  });

  it('reports relocated aliases as infos and deprecated elements as paths', async () => {
    const e = await start();
    const legacy = readFileSync(path.join(fixtures, 'valid', 'legacy-syntax.yaml'), 'utf8');
    const [result] = await validate(e, legacy);
    expect(result!.constraints).toBeUndefined();
    expect(result!.infos).toContain(
      'io.kestra.core.tasks.log.Log is replaced by io.kestra.plugin.core.log.Log',
    );
    expect(result!.infos).toContain(
      'io.kestra.core.models.conditions.types.ExecutionStatusCondition is replaced by io.kestra.plugin.core.condition.ExecutionStatus',
    );
    expect(result!.deprecationPaths).toEqual(['inputs[0].name', 'listeners', 'taskDefaults']);
  });
});

describe('plugin types', () => {
  it('knows only the given types when knownTypes is set (and their legacy aliases)', async () => {
    const e = await start({ knownTypes: ['io.kestra.plugin.core.log.Log'] });
    const alias =
      'id: a\nnamespace: n\ntasks:\n  - {id: x, type: io.kestra.core.tasks.log.Log, message: a}\n';
    expect((await validate(e, alias))[0]!.constraints).toBeUndefined();
    const third = 'id: a\nnamespace: n\ntasks:\n  - {id: x, type: com.example.Task}\n';
    expect((await validate(e, third))[0]!.constraints).toBe(
      'Validation error: Invalid type: com.example.Task',
    );
  });

  it('by default knows the corpus types and anything outside io.kestra.', async () => {
    const e = await start();
    const third = 'id: a\nnamespace: n\ntasks:\n  - {id: x, type: com.example.Task}\n';
    expect((await validate(e, third))[0]!.constraints).toBeUndefined();
    const missing =
      'id: a\nnamespace: n\ntasks:\n  - {id: x, type: io.kestra.plugin.core.debug.UnknownTask}\n';
    expect((await validate(e, missing))[0]!.constraints).toBe(
      'Validation error: Invalid type: io.kestra.plugin.core.debug.UnknownTask',
    );
  });

  it("knows Kestra's core types of its version, aliases included (docs/kestra-api.md#core-types)", async () => {
    const task = (type: string, extra = ''): string =>
      `id: a\nnamespace: n\ntasks:\n  - {id: x, type: ${type}${extra}}\n`;
    const trigger = (condition: string): string =>
      task('io.kestra.plugin.core.log.Log', ', message: m') +
      `triggers:\n  - id: t\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: "0 * * * *"\n` +
      `    conditions:\n      - type: ${condition}\n`;
    const on13 = await start({ version: '1.3.19' });
    for (const body of [
      task('io.kestra.plugin.core.kv.Put'),
      task('io.kestra.plugin.core.flow.LoopUntil'),
      task('io.kestra.plugin.core.flow.WaitFor'),
      task('io.kestra.plugin.core.execution.SetVariables'),
      trigger('io.kestra.plugin.core.condition.ExecutionStatusCondition'),
      trigger('io.kestra.core.models.conditions.types.DayWeekCondition'),
    ])
      expect([body, (await validate(on13, body))[0]!.constraints]).toEqual([body, undefined]);
    // A core type of another kind does not bind: a trigger as a task, a task as a condition.
    expect((await validate(on13, task('io.kestra.plugin.core.trigger.Flow')))[0]!.constraints).toBe(
      'Validation error: Invalid type: io.kestra.plugin.core.trigger.Flow',
    );
    expect((await validate(on13, trigger('io.kestra.core.tasks.log.Log')))[0]!.constraints).toBe(
      'Validation error: Invalid type: io.kestra.core.tasks.log.Log',
    );
    // A declared alias is relocated, as Kestra's infos say.
    const relocated = await validate(
      on13,
      trigger('io.kestra.plugin.core.condition.ExecutionStatusCondition'),
    );
    expect(relocated[0]!.infos).toEqual([
      'io.kestra.plugin.core.condition.ExecutionStatusCondition is replaced by io.kestra.plugin.core.condition.ExecutionStatus',
    ]);
    // Not an alias Kestra declares, though its package moved: refused.
    const undeclared = task('io.kestra.core.tasks.storages.Write');
    expect((await validate(on13, undeclared))[0]!.constraints).toBe(
      'Validation error: Invalid type: io.kestra.core.tasks.storages.Write',
    );
    await on13.close();
    // kv.Put came in 1.3.
    const on12 = await start({ version: '1.2.0' });
    expect((await validate(on12, task('io.kestra.plugin.core.kv.Put')))[0]!.constraints).toBe(
      'Invalid type: io.kestra.plugin.core.kv.Put',
    );
  });

  it("walks a plugin's own `tasks` only for items with id and type; a flowable's always", async () => {
    const e = await start({
      knownTypes: [
        'io.kestra.plugin.azure.batch.job.Create',
        'io.kestra.plugin.core.flow.Sequential',
        'io.kestra.plugin.core.log.Log',
      ],
    });
    const batch =
      'id: batch\nnamespace: company\ntasks:\n' +
      '  - id: create\n    type: io.kestra.plugin.azure.batch.job.Create\n    tasks:\n' +
      '      - id: env\n        commands: [echo hi]\n' +
      '      - id: real\n        type: io.kestra.plugin.core.log.Loggg\n';
    // The Batch task spec without a type is the plugin's data; the item with id and type is a task.
    expect((await validate(e, batch))[0]!.constraints).toBe(
      'Validation error: Invalid type: io.kestra.plugin.core.log.Loggg',
    );
    expect(
      (await validate(e, batch.replace('Loggg', 'Log\n        message: hi')))[0]!.constraints,
    ).toBeUndefined();
    const sequential =
      'id: seq\nnamespace: company\ntasks:\n' +
      '  - id: seq\n    type: io.kestra.plugin.core.flow.Sequential\n    tasks:\n' +
      '      - id: untyped\n';
    expect((await validate(e, sequential))[0]!.constraints).toBe('Validation error: Invalid type: null');
  });
});
