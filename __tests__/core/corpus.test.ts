// The core stages against the corpus of real Kestra flows (../shared/corpus). Skipped when it is absent.
import { describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFlows } from '../../src/core/parse/parse.js';
import { lintFlow } from '../../src/core/check/lint.js';
import type { SourceFile, Violation } from '../../src/model/types.js';
import { validateSource } from '../../emulator/validation.js';
import { features } from '../../emulator/version.js';
import { typeRegistry } from '../../emulator/plugins.js';
import { repoRoot } from './helpers.js';

// KESTRA_CORPUS points at another copy of the corpus (a worktree without ../shared beside it).
const corpus = process.env.KESTRA_CORPUS ?? path.join(path.resolve(repoRoot, '..', 'shared'), 'corpus');
const present = fs.existsSync(corpus);
if (!present) console.log(`corpus tests skipped: ${corpus} is absent (set KESTRA_CORPUS to its path)`);
const suite = present ? describe : describe.skip;

function yamlFiles(dir: string): SourceFile[] {
  const root = path.join(corpus, dir);
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => /\.ya?ml$/i.test(f) && fs.statSync(path.join(root, f)).isFile())
    .sort()
    .map((f) => ({
      path: `${dir}/${f.split(path.sep).join('/')}`,
      absolutePath: path.join(root, f),
      bytes: fs.readFileSync(path.join(root, f)),
    }));
}

/** Everything the offline stages say about one file. */
function check(file: SourceFile): Violation[] {
  const { flows, violations } = parseFlows([file]);
  return [...violations, ...flows.flatMap((f) => lintFlow(f))];
}

const show = (vs: Violation[]): string[] => vs.map((v) => `${v.file}:${v.line}:${v.column} ${v.message}`);

// Files of kestra-invalids whose reason (INDEX.md) is a rule the offline checks know, with the text expected
// among the errors.
const OFFLINE: Record<string, string[]> = {
  'kestra-invalids/dag-cyclicdependency.yaml': ['dag: Cyclic dependency detected: task1, task2'],
  'kestra-invalids/dag-notexist-task.yaml': ['dag: Not existing task id in dependency: taskX'],
  'kestra-invalids/duplicate-inputs.yaml': ['Duplicate input with name [first_input]'],
  'kestra-invalids/duplicate-key.yaml': ["Duplicate field 'variables.tf'"],
  'kestra-invalids/duplicate-parallel.yaml': ['Duplicate task id with name [t3]'],
  'kestra-invalids/duplicate.yaml': [
    'Duplicate task id with name [date]',
    'Duplicate task id with name [listen]',
    'Duplicate trigger id with name [trigger]',
  ],
  'kestra-invalids/empty.yaml': ['tasks: must not be empty'],
  'kestra-invalids/inputs-bad-type.yaml': [
    'inputs[0].id: must match "^[a-zA-Z0-9][.a-zA-Z0-9_-]*" (got \'wrong one\')',
    'Invalid type: FOO',
  ],
  'kestra-invalids/inputs-bad-validator-syntax.yaml': [
    "inputs[0].validator: invalid regular expression '\\'",
  ],
  'kestra-invalids/inputs-validation.yaml': [
    "inputs[0].defaults: inputs of type 'FILE' only support `defaults` as local files",
    'inputs[1]: `itemType` cannot be ARRAY',
  ],
  'kestra-invalids/inputs.yaml': ["(got 'wrong one')", "inputs[0]: missing type id property 'type'"],
  'kestra-invalids/invalid-parallel.yaml': [
    'id: must not be blank',
    'namespace: must not be blank',
    'tasks[0].tasks: must not be empty',
    'tasks[1].tasks: must not be empty',
    'tasks[2].tasks: must not be empty',
  ],
  // Not core types of any Kestra version (core-types.generated.ts), in listeners, tasks and errors.
  'kestra-invalids/invalid-task.yaml': [
    'Invalid type: io.kestra.plugin.core.debug.MissingOne',
    'Invalid type: io.kestra.plugin.core.debug.MissingTwo',
    'Invalid type: io.kestra.plugin.core.debug.MissingThree',
  ],
  'kestra-invalids/invalid.yaml': [
    'id: must match "^[a-zA-Z0-9][a-zA-Z0-9._-]*" (got \'my#flow\')',
    'namespace: must match "^[a-z0-9][a-z0-9._-]*" (got \'MY$NAMESPACE\')',
    'tasks[0].id: must not be null',
  ],
  'kestra-invalids/listener.yaml': [
    'listeners[0].tasks: must not be empty',
    'listeners[1].tasks: must not be empty',
  ],
  'kestra-invalids/recursive-flow.yaml': ['Recursive call to flow [io.kestra.tests.recursive-flow]'],
  'kestra-invalids/switch-invalid.yaml': [
    'impossible: No task defined, neither cases or default have any tasks',
  ],
  'kestra-invalids/system-labels.yaml': [
    'System labels can only be set by Kestra itself, offending label: system.label=system_key',
    'offending label: system.id=id',
  ],
  'kestra-invalids/workingdirectory-invalid.yaml': [
    'impossible: Only runnable tasks are allowed as children of a WorkingDirectory task',
  ],
  'kestra-invalids/workingdirectory-no-tasks.yaml': ["impossible: The 'tasks' property cannot be empty"],
  'kestra-invalids-newer/duplicate-preconditions.yaml': ['Duplicate preconditions with id [flows]'],
  'kestra-invalids-newer/if-without-condition.yaml': ['tasks[0].condition: must not be null'],
  'kestra-invalids-newer/inputs-key-with-subtraction-symbol-validation.yaml': [
    'Invalid input reference: use inputs[key-name] instead of inputs.key-name',
  ],
  'kestra-invalids-newer/outputs-key-with-subtraction-symbol-validation.yaml': [
    'offending tasks: [use_output]',
    'offending outputs: [final]',
  ],
  'kestra-invalids-newer/secret-element-type.yaml': ['inputs[0]: `itemType` cannot be SECRET'],
  'kestra-invalids-newer/secret-input-as-item-type.yaml': ['inputs[0]: `itemType` cannot be SECRET'],
};

// Invalid for a reason that needs no plugin knowledge, but not (yet) caught offline.
const STRUCTURAL_MISSED = [
  // Warned offline: Kestra 1.3 saves such a flow (newer versions refuse it), and its scheduled runs fail.
  'kestra-invalids-newer/scheduled-missing-inputs-defaults.yaml',
  'kestra-invalids-newer/scheduled-missing-inputs-defaults-2.yaml',
  // Rules of Kestra versions newer than 1.3 (an empty case or `defaults: []` beside other cases).
  'kestra-invalids-newer/switch-empty-case-invalid.yaml',
  'kestra-invalids-newer/switch-empty-defaults-invalid.yaml',
];

// Invalid only for a server with the right plugins or edition, or only at runtime.
const SERVER_ONLY = [
  'kestra-invalids/invalid-property.yaml',
  'kestra-invalids/worker-group.yaml',
  'kestra-invalids-newer/dag-invalid-subtask.yaml',
  'kestra-invalids-newer/foreach-switch-failed.yaml',
  'kestra-invalids-newer/inputs-with-multiple-constraint-violations.yaml',
  'kestra-invalids-newer/loop-switch-failed.yaml',
  'kestra-invalids-newer/worker-trigger-failure.yaml',
];

suite('corpus: valid flows', () => {
  const files = present ? [...yamlFiles('kestra-valids'), ...yamlFiles('kestra-valids-newer')] : [];

  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(150);
  });

  it('parses every valid flow into flows and lints it with zero errors', () => {
    const failures: string[] = [];
    let flowCount = 0;
    for (const file of files) {
      const { flows, violations } = parseFlows([file]);
      flowCount += flows.length;
      if (flows.length === 0) failures.push(`${file.path}: no flow`);
      const errors = [...violations, ...flows.flatMap((f) => lintFlow(f))].filter(
        (v) => v.severity === 'error',
      );
      failures.push(...show(errors));
    }
    expect(failures).toEqual([]);
    expect(flowCount).toBe(files.length);
  });
});

suite('corpus: invalid flows', () => {
  const files = present ? [...yamlFiles('kestra-invalids'), ...yamlFiles('kestra-invalids-newer')] : [];

  it('knows every invalid fixture: checked offline, or left to the server', () => {
    const known = new Set([...Object.keys(OFFLINE), ...STRUCTURAL_MISSED, ...SERVER_ONLY]);
    expect(files.map((f) => f.path).filter((p) => !known.has(p))).toEqual([]);
    expect([...known].filter((p) => !files.some((f) => f.path === p))).toEqual([]);
    // Every entry is a file INDEX.md explains.
    for (const p of known) {
      const [dir, name] = p.split('/') as [string, string];
      expect(fs.readFileSync(path.join(corpus, dir, 'INDEX.md'), 'utf8')).toContain(name);
    }
  });

  it.each(Object.entries(OFFLINE))('%s fails offline with its rule', (file, expected) => {
    const source = files.find((f) => f.path === file)!;
    const errors = check(source).filter((v) => v.severity === 'error');
    const messages = errors.map((v) => v.message);
    for (const text of expected) expect(messages.some((m) => m.includes(text))).toBe(true);
    for (const v of errors) {
      expect(v.file).toBe(file);
      expect(v.line).toBeGreaterThanOrEqual(1);
      expect(v.column).toBeGreaterThanOrEqual(1);
    }
  });
});

// How close the offline verdicts come to the expected ones, and to the emulated server's (Kestra 1.3 OSS).
// The table is printed, and goes to the README ("Offline fidelity"). Invalid flows whose reason needs no
// plugin knowledge must keep being caught: OFFLINE lists them, and the count may not drop.
suite('corpus: offline fidelity', () => {
  const valid = present ? [...yamlFiles('kestra-valids'), ...yamlFiles('kestra-valids-newer')] : [];
  const invalid = present ? [...yamlFiles('kestra-invalids'), ...yamlFiles('kestra-invalids-newer')] : [];
  const emulated = {
    features: features('1.3.0', 'OSS'),
    isKnownType: typeRegistry(),
  };
  const noFlows = { lastRevision: () => undefined, findFlow: () => undefined };
  const offlineRejects = (f: SourceFile): boolean => check(f).some((v) => v.severity === 'error');
  const serverRejects = (f: SourceFile): boolean =>
    validateSource(f.bytes.toString('utf8'), emulated, noFlows).constraints !== undefined;

  it('rejects no valid flow, catches the structural invalid ones, and prints the confusion table', () => {
    const groups: [string, SourceFile[]][] = [
      ['valid', valid],
      ['invalid, no plugin knowledge needed', invalid.filter((f) => !SERVER_ONLY.includes(f.path))],
      ['invalid, needs plugins, edition or a run', invalid.filter((f) => SERVER_ONLY.includes(f.path))],
    ];
    const rows = groups.map(([name, files]) => {
      const offline = files.filter(offlineRejects);
      const server = files.filter(serverRejects);
      const both = offline.filter((f) => server.includes(f));
      return { name, files, offline, server, both };
    });
    const line = (cells: (string | number)[]): string => `| ${cells.join(' | ')} |`;
    const table = [
      line(['expected', 'flows', 'rejected offline', 'rejected by the emulator (1.3)', 'rejected by both']),
      line(['---', '---:', '---:', '---:', '---:']),
      ...rows.map((r) => line([r.name, r.files.length, r.offline.length, r.server.length, r.both.length])),
    ];
    const disagree = rows.flatMap((r) => [
      ...r.offline.filter((f) => !r.server.includes(f)).map((f) => `offline only: ${f.path}`),
      ...r.server.filter((f) => !r.offline.includes(f)).map((f) => `emulator only: ${f.path}`),
    ]);
    console.log(['Offline fidelity over ' + corpus, ...table, '', 'Disagreements:', ...disagree].join('\n'));

    const [valids, structural] = rows;
    expect(valids!.offline.map((f) => f.path)).toEqual([]);
    expect(structural!.offline.map((f) => f.path).sort()).toEqual(Object.keys(OFFLINE).sort());
    expect(structural!.offline.length).toBeGreaterThanOrEqual(26);
    // Two of the missed ones are at least warned of.
    for (const file of STRUCTURAL_MISSED.filter((p) => p.includes('scheduled-missing-inputs'))) {
      const found = check(invalid.find((f) => f.path === file)!).map((v) => [v.severity, v.message]);
      expect(found).toEqual([
        ['warning', expect.stringMatching(/^Missing inputs for Schedule Trigger 'every_minute'/)],
      ]);
    }
  });
});

suite('corpus: everything else parses without crashing', () => {
  const dirs = ['examples', 'edge-cases', 'kestra-other', 'namespace-files-layouts'].filter((d) =>
    present ? fs.existsSync(path.join(corpus, d)) : false,
  );

  it.each(dirs)('%s', (dir) => {
    const files = yamlFiles(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const lines = file.bytes.toString('utf8').split('\n').length;
      const violations = check(file);
      for (const v of violations) {
        // Every finding points inside its file.
        expect([v.file, v.line >= 1 && v.line <= lines, v.column >= 1]).toEqual([file.path, true, true]);
      }
    }
  });

  it('reports the known problems of the examples, each at its line', () => {
    if (!dirs.includes('examples')) return;
    const at = (file: string): string[] =>
      show(check(yamlFiles('examples').find((f) => f.path === `examples/${file}`)!)).map((s) =>
        s.replace(/^examples\//, ''),
      );
    expect(at('examples/examples/snowflake/stage.yml')).toEqual([
      expect.stringMatching(
        /^examples\/examples\/snowflake\/stage\.yml:\d+:\d+ YAML syntax error: Duplicate field 'sql'/,
      ),
    ]);
    expect(at('examples/examples/airbyte/airbyteSyncParallelWithDbt.yml').join('\n')).toMatch(
      /Unrecognized field "pluginsDefaults".*did you mean 'pluginDefaults'/,
    );
    expect(at('examples/examples/defaults/taskDefaults.yml')).toEqual([
      expect.stringMatching(/:1:1 file is empty/),
    ]);
    expect(at('blueprints/dashboards/default.yaml')).toEqual([expect.stringMatching(/Kestra Dashboard/)]);
    expect(at('blueprints/apps/hello-world-app.yaml')).toEqual([expect.stringMatching(/Kestra App/)]);
  });
});
