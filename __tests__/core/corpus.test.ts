// The core stages against the corpus of real Kestra flows (../shared/corpus). Skipped when it is absent.
import { describe, expect, it } from '@jest/globals';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFlows } from '../../src/core/parse/parse.js';
import { lintFlow } from '../../src/core/check/lint.js';
import type { SourceFile, Violation } from '../../src/model/types.js';
import { repoRoot } from './helpers.js';

const corpus = path.join(path.resolve(repoRoot, '..', 'shared'), 'corpus');
const present = fs.existsSync(corpus);
if (!present) console.log(`corpus tests skipped: ${corpus} is absent`);
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
// among the errors. The others need the server's plugins (unknown types and properties, Dag, Switch, …).
const OFFLINE: Record<string, string[]> = {
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
  ],
  'kestra-invalids/inputs.yaml': ["(got 'wrong one')", "inputs[0]: missing type id property 'type'"],
  'kestra-invalids/invalid-parallel.yaml': ['id: must not be blank', 'namespace: must not be blank'],
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
  'kestra-invalids/system-labels.yaml': [
    'System labels can only be set by Kestra itself, offending label: system.label=system_key',
    'offending label: system.id=id',
  ],
  'kestra-invalids-newer/duplicate-preconditions.yaml': ['Duplicate preconditions with id [flows]'],
  'kestra-invalids-newer/inputs-key-with-subtraction-symbol-validation.yaml': [
    'Invalid input reference: use inputs[key-name] instead of inputs.key-name',
  ],
  'kestra-invalids-newer/outputs-key-with-subtraction-symbol-validation.yaml': [
    'offending tasks: [use_output]',
    'offending outputs: [final]',
  ],
};

// Invalid only for a server with the right plugins / edition / version, or only at runtime.
const SERVER_ONLY = [
  'kestra-invalids/dag-cyclicdependency.yaml',
  'kestra-invalids/dag-notexist-task.yaml',
  'kestra-invalids/inputs-bad-validator-syntax.yaml',
  'kestra-invalids/inputs-validation.yaml',
  'kestra-invalids/invalid-property.yaml',
  'kestra-invalids/invalid-task.yaml',
  'kestra-invalids/switch-invalid.yaml',
  'kestra-invalids/worker-group.yaml',
  'kestra-invalids/workingdirectory-invalid.yaml',
  'kestra-invalids/workingdirectory-no-tasks.yaml',
  'kestra-invalids-newer/dag-invalid-subtask.yaml',
  'kestra-invalids-newer/foreach-switch-failed.yaml',
  'kestra-invalids-newer/if-without-condition.yaml',
  'kestra-invalids-newer/inputs-with-multiple-constraint-violations.yaml',
  'kestra-invalids-newer/loop-switch-failed.yaml',
  'kestra-invalids-newer/scheduled-missing-inputs-defaults.yaml',
  'kestra-invalids-newer/scheduled-missing-inputs-defaults-2.yaml',
  'kestra-invalids-newer/secret-element-type.yaml',
  'kestra-invalids-newer/secret-input-as-item-type.yaml',
  'kestra-invalids-newer/switch-empty-case-invalid.yaml',
  'kestra-invalids-newer/switch-empty-defaults-invalid.yaml',
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
    const known = new Set([...Object.keys(OFFLINE), ...SERVER_ONLY]);
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
