// The corpus of real Kestra fixtures (../shared/corpus), validated over HTTP. Skipped when it is absent.
// - kestra-valids must validate, with the exceptions a real 1.3 server makes too (listed below, with why);
// - kestra-invalids(-newer) whose reason is a rule the emulator models must fail with that reason's text.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KNOWN_TYPES, startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { postYaml, repoRoot, type ValidateJson } from './http.js';

// KESTRA_CORPUS points at another copy of the corpus (a worktree without ../shared beside it).
const corpus = process.env.KESTRA_CORPUS ?? path.resolve(repoRoot, '..', 'shared', 'corpus');
const present = existsSync(corpus);
if (!present) console.log(`emulator corpus tests skipped: ${corpus} not found`);
const suite = present ? describe : describe.skip;

const yamlFiles = (dir: string): string[] =>
  present
    ? readdirSync(path.join(corpus, dir))
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];
const read = (dir: string, file: string): string => readFileSync(path.join(corpus, dir, file), 'utf8');

function withEmulator(opts: EmulatorOptions): () => Emulator {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator(opts);
  });
  afterAll(() => emulator.close());
  return () => emulator;
}

async function validate(e: Emulator, source: string): Promise<ValidateJson[]> {
  const res = await postYaml(e, '/api/v1/main/flows/validate', source);
  expect(res.status).toBe(200);
  return res.json<ValidateJson[]>();
}

// Test fixtures Kestra loads without validation, which a real server of that version refuses too.
const VALID_EXCEPTIONS: Record<string, Record<string, string>> = {
  '1.3.19': { 'pause.yaml': 'Flow id is a reserved keyword: pause' },
  '2.0.0': { 'logs.yaml': 'Unrecognized field "taskDefaults"' },
};

// What 2.0 GA removed (docs/kestra-api.md#removed-in-20): the valid 1.x fixtures using it fail there.
const REMOVED_IN_2 =
  /type:\s*["']?(io\.kestra\.plugin\.core\.(flow\.(ForEach|ForEachItem|EachSequential|EachParallel|Template)|debug\.Echo|state\.|storage\.LocalFiles|execution\.(Count|Resume)|trigger\.Toggle|log\.Fetch|condition\.)|io\.kestra\.core\.tasks\.(?!test\.)|io\.kestra\.core\.models\.conditions\.)|^\s+(conditions|preconditions|multipleConditions|timeWindow|windowAdvance|resetOnSuccess):|^(pluginDefaults|taskDefaults|listeners):/m;

for (const version of ['1.3.19', '2.0.0']) {
  suite(`corpus kestra-valids on ${version}`, () => {
    const emulator = withEmulator({ version });
    const exceptions = VALID_EXCEPTIONS[version]!;
    it.each(yamlFiles('kestra-valids'))('%s', async (file) => {
      const source = read('kestra-valids', file);
      const results = await validate(emulator(), source);
      expect(results).toHaveLength(1);
      if (exceptions[file]) expect(results[0]!.constraints).toContain(exceptions[file]);
      else if (version === '2.0.0' && REMOVED_IN_2.test(source))
        expect(results[0]!.constraints).toMatch(/Invalid type: |Unrecognized field "/);
      else expect(results[0]!.constraints).toBeUndefined();
    });
  });
}

// Newer fixtures, from Kestra's develop: the ones using a core type 1.3 does not have fail on 1.3
// (docs/kestra-api.md#core-types).
const NEWER_EXCEPTIONS: Record<string, Record<string, string>> = {
  '1.3.19': { 'approval-basic.yaml': 'Invalid type: io.kestra.plugin.core.flow.Approval' },
  '2.0.0': {},
};

for (const version of ['1.3.19', '2.0.0']) {
  suite(`corpus kestra-valids-newer on ${version}`, () => {
    const emulator = withEmulator({ version });
    const exceptions = NEWER_EXCEPTIONS[version]!;
    it.each(yamlFiles('kestra-valids-newer'))('%s', async (file) => {
      const [result] = await validate(emulator(), read('kestra-valids-newer', file));
      if (exceptions[file]) expect(result!.constraints).toContain(exceptions[file]);
      else expect(result!.constraints).toBeUndefined();
    });
  });
}

// Expected texts from INDEX.md, for the rules the emulator models.
const INVALID_REASONS: Record<string, string[]> = {
  'kestra-invalids/duplicate-inputs.yaml': ['Duplicate input with name [first_input]'],
  'kestra-invalids/duplicate-key.yaml': ["Duplicate field 'variables.tf'"],
  'kestra-invalids/duplicate-parallel.yaml': ['Duplicate task id with name [t3]'],
  'kestra-invalids/duplicate.yaml': [
    'Duplicate task id with name [date, listen]',
    'Duplicate trigger id with name [trigger]',
  ],
  'kestra-invalids/empty.yaml': ['tasks: must not be empty'],
  'kestra-invalids/inputs-bad-type.yaml': ['Invalid type: FOO'],
  'kestra-invalids/inputs.yaml': ['Invalid type: null'],
  'kestra-invalids/invalid-parallel.yaml': [
    'must not be empty',
    'id: must not be blank',
    'namespace: must match',
  ],
  'kestra-invalids/invalid-property.yaml': [
    'Unrecognized field "invalid" (class io.kestra.plugin.core.debug.Return), not marked as ignorable',
  ],
  'kestra-invalids/invalid-task.yaml': ['Invalid type: io.kestra.plugin.core.debug.MissingOne'],
  'kestra-invalids/invalid.yaml': [
    'id: must match',
    'namespace: must match',
    'tasks[0].id: must not be null',
  ],
  'kestra-invalids/listener.yaml': [
    'listeners[0].tasks: must not be empty',
    'listeners[1].tasks: must not be empty',
  ],
  'kestra-invalids/recursive-flow.yaml': [
    'Invalid Flow: Recursive call to flow [io.kestra.tests.recursive-flow]',
  ],
  'kestra-invalids/system-labels.yaml': [
    'System labels can only be set by Kestra itself, offending label: system.label=system_key',
    'System labels can only be set by Kestra itself, offending label: system.id=id',
  ],
  'kestra-invalids-newer/duplicate-preconditions.yaml': ['Duplicate preconditions with id [flows]'],
  'kestra-invalids-newer/inputs-key-with-subtraction-symbol-validation.yaml': [
    'Invalid input reference: use inputs[key-name] instead of inputs.key-name — keys with dashes require bracket notation, offending tasks: [hello]',
  ],
  'kestra-invalids-newer/outputs-key-with-subtraction-symbol-validation.yaml': [
    'Invalid output reference: use outputs[key-name] instead of outputs.key-name — keys with dashes require bracket notation, offending tasks: [use_output]',
    'offending outputs: [final]',
  ],
};

suite('corpus kestra-invalids with a modelled reason', () => {
  const emulator = withEmulator({});
  it.each(Object.entries(INVALID_REASONS))('%s', async (file, reasons) => {
    const [dir, name] = file.split('/') as [string, string];
    const [result] = await validate(emulator(), read(dir, name));
    expect(result!.constraints).toMatch(/^Validation error: /);
    for (const reason of reasons) expect(result!.constraints).toContain(reason);
  });

  it('lists reasons only for files that exist', () => {
    for (const file of Object.keys(INVALID_REASONS)) expect(existsSync(path.join(corpus, file))).toBe(true);
  });
});

suite('corpus webserver multi-document fixtures (FlowControllerTest)', () => {
  // Kestra's own test plugin, installed on the server those tests run against.
  const emulator = withEmulator({
    knownTypes: [...KNOWN_TYPES, 'io.kestra.core.plugins.test.DeprecatedTask'],
  });
  const dir = 'kestra-other/webserver/src/test/resources/flows';

  it('validateMultipleValidFlows.yaml: two valid flows despite `---` inside values', async () => {
    const results = await validate(emulator(), read(dir, 'validateMultipleValidFlows.yaml'));
    expect(results.map((r) => [r.flow, r.constraints])).toEqual([
      ['first_flow', undefined],
      ['second_flow', undefined],
    ]);
    expect(results[0]!.deprecationPaths).toContain('listeners');
  });

  it('validateMultipleInvalidFlows.yaml: an unknown property, then an unknown task type', async () => {
    const results = await validate(emulator(), read(dir, 'validateMultipleInvalidFlows.yaml'));
    expect(results).toHaveLength(2);
    expect(results[0]!.constraints).toContain('Unrecognized field "unknownProp"');
    expect(results[1]!.constraints).toContain('Invalid type: io.kestra.plugin.core.debug.UnknownTask');
  });
});
