import { describe, expect, it } from '@jest/globals';
import { parseFlows } from '../../src/core/parse/parse.js';
import { lintFlow } from '../../src/core/check/lint.js';
import { didYouMean } from '../../src/core/check/lint-flow.js';
import type { Violation } from '../../src/model/types.js';
import { fixture, flowOf, oneFlow } from './helpers.js';

const TASK = '  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';
const lint = (text: string): Violation[] => lintFlow(flowOf(text, 'flows/f.yaml'));
const brief = (vs: Violation[]) => vs.map((v) => [v.line, v.column, v.severity, v.path, v.message]);
const errors = (vs: Violation[]) => vs.filter((v) => v.severity === 'error');

describe('lintFlow: clean flows', () => {
  it('has nothing to say about a valid nested flow', () => {
    expect(lintFlow(oneFlow(fixture('nested.yaml')))).toEqual([]);
    expect(lintFlow(oneFlow(fixture('list-labels.yaml')))).toEqual([]);
  });

  it('accepts system.readOnly, a revision, server-set keys and numeric-looking ids', () => {
    expect(
      lint(
        'id: 2024-report\nnamespace: company.team\nrevision: 3\ndeleted: false\n' +
          'labels:\n  system.readOnly: "true"\n  café: crème\ntasks:\n' +
          TASK,
      ),
    ).toEqual([]);
  });
});

describe("lintFlow: a plugin's own `tasks` property", () => {
  it('accepts an Azure Batch job whose `tasks` are Batch task specs (no Kestra type)', () => {
    const flow =
      'id: azure-batch\nnamespace: company.team\ntasks:\n' +
      '  - id: create\n    type: io.kestra.plugin.azure.batch.job.Create\n' +
      '    endpoint: https://batch.example.com\n    account: acct\n    poolId: pool\n' +
      '    job:\n      id: job\n    tasks:\n' +
      '      - id: env\n        commands:\n          - echo hello\n' +
      '      - id: echo\n        commands:\n          - echo world\n';
    expect(lint(flow)).toEqual([]);
  });

  it('still checks the tasks of a flowable task', () => {
    const vs = lint(
      'id: a\nnamespace: company\ntasks:\n  - id: seq\n    type: io.kestra.plugin.core.flow.Sequential\n' +
        '    tasks:\n      - id: untyped\n',
    );
    expect(brief(errors(vs)).map((v) => v[3])).toEqual(['tasks[0].tasks[0].type']);
  });
});

describe('lintFlow: flow id, namespace, tasks, revision', () => {
  it('requires an id and a namespace (reported at the flow start)', () => {
    const vs = lint('# no id\nnamespace: company\ntasks:\n' + TASK);
    expect(brief(vs)).toEqual([[2, 1, 'error', 'id', "id: must not be null. Add a 'id:' line to the flow."]]);
    expect(vs[0]).toMatchObject({ file: 'flows/f.yaml', flow: 'company.?', origin: 'lint' });
    expect(brief(lint('id: a\ntasks:\n' + TASK))).toEqual([
      [1, 1, 'error', 'namespace', "namespace: must not be null. Add a 'namespace:' line to the flow."],
    ]);
  });

  it('checks the id pattern and size at the value', () => {
    const [bad] = lint('id: my#flow\nnamespace: company\ntasks:\n' + TASK);
    expect(bad).toMatchObject({ line: 1, column: 5, path: 'id', flow: 'company.my#flow' });
    expect(bad!.message).toBe(
      'id: must match "^[a-zA-Z0-9][a-zA-Z0-9._-]*" (got \'my#flow\'): ' +
        "use letters, digits, '.', '_' or '-', starting with a letter or digit.",
    );
    const long = lint(`id: ${'a'.repeat(101)}\nnamespace: company\ntasks:\n${TASK}`);
    expect(long.map((v) => v.message)).toEqual([
      'id: size must be between 1 and 100 (it has 101 characters).',
    ]);
    expect(lint(`id: ${'a'.repeat(100)}\nnamespace: company\ntasks:\n${TASK}`)).toEqual([]);
    expect(lint('id: ""\nnamespace: company\ntasks:\n' + TASK)[0]!.message).toMatch(/^id: must not be blank/);
  });

  it('checks the namespace: lower case, 150 characters', () => {
    const [ns] = lint('id: a\nnamespace: Company.Team\ntasks:\n' + TASK);
    expect(ns).toMatchObject({ line: 2, column: 12, path: 'namespace' });
    expect(ns!.message).toMatch(
      /^namespace: must match "\^\[a-z0-9\]\[a-z0-9._-\]\*" \(got 'Company.Team'\)/,
    );
    expect(lint(`id: a\nnamespace: ${'n'.repeat(151)}\ntasks:\n${TASK}`)[0]!.message).toMatch(
      /size must be between 1 and 150/,
    );
    expect(lint('id: a\nnamespace: [a]\ntasks:\n' + TASK)[0]!.message).toMatch(/must be a single value/);
  });

  it('requires a non-empty tasks list', () => {
    expect(brief(lint('id: a\nnamespace: b\n'))).toEqual([
      [1, 1, 'error', 'tasks', "tasks: must not be empty. Add a 'tasks:' list with at least one task."],
    ]);
    expect(brief(lint('id: a\nnamespace: b\ntasks: []\n'))).toEqual([
      [3, 1, 'error', 'tasks', 'tasks: must not be empty. Add at least one task.'],
    ]);
    expect(lint('id: a\nnamespace: b\ntasks:\n')[0]!.message).toMatch(/must not be empty/);
    expect(lint('id: a\nnamespace: b\ntasks: hello\n')[0]!.message).toMatch(/must be a list of tasks/);
  });

  it('needs revision to be a whole number of at least 1', () => {
    for (const bad of ['0', '-2', '1.5', 'abc']) {
      const [v] = lint(`id: a\nnamespace: b\nrevision: ${bad}\ntasks:\n${TASK}`);
      expect(v).toMatchObject({ line: 3, column: 11, path: 'revision', severity: 'error' });
      expect(v!.message).toMatch(/^revision: must be greater than or equal to 1/);
    }
    expect(lint(`id: a\nnamespace: b\nrevision: "2"\ntasks:\n${TASK}`)).toEqual([]);
  });

  it('warns about reserved flow ids (refused by Kestra 1.x)', () => {
    const [v] = lint('id: executions\nnamespace: b\ntasks:\n' + TASK);
    expect(v).toMatchObject({ line: 1, column: 5, severity: 'warning' });
    expect(v!.message).toMatch(
      /^Flow id is a reserved keyword: executions\. List of reserved keywords: pause, resume/,
    );
  });
});

describe('lintFlow: top-level keys', () => {
  it('refuses unknown keys, suggesting the nearest allowed one', () => {
    const [typo] = lint('id: a\nnamespace: b\ntasks:\n' + TASK + 'afterExecutions:\n  - type: x.Y\n');
    expect(typo).toMatchObject({ line: 7, column: 1, path: 'afterExecutions', severity: 'error' });
    expect(typo!.message).toMatch(
      /^Unrecognized field "afterExecutions" \(class io\.kestra\.core\.models\.flows\.Flow\): did you mean 'afterExecution'\? A flow's top-level keys are: id, namespace, revision,/,
    );
    const [extend] = lint('id: a\nnamespace: b\ntasks:\n' + TASK + 'extend:\n  title: x\n');
    expect(extend!.message).not.toMatch(/did you mean/);
    // Never advice to use a key Kestra 2.0 removed.
    expect(extend!.message).toMatch(/top-level keys are: .*afterExecution.*disabled\.$/);
    expect(extend!.message).not.toMatch(/pluginDefaults|taskDefaults|listeners|workerGroup/);
    const [plugins] = lint('id: a\nnamespace: b\ntasks:\n' + TASK + 'pluginsDefaults: []\n');
    expect(plugins!.message).toMatch(
      /did you mean 'pluginDefaults'\? It was removed in Kestra 2\.0: use inline values in each task \(OSS\), or a Policy/,
    );
    const [v2] = lintFlow(flowOf('id: a\nnamespace: b\ntasks:\n' + TASK + 'extend: 1\n'), '2.0');
    expect(v2!.message).toMatch(/top-level keys are: .*disabled, policyRefs, quotas, workerSelector\.$/);
    const capital = lint('id: a\nnamespace: b\nTasks:\n' + TASK);
    expect(capital.map((v) => [v.line, v.path])).toEqual([
      [1, 'tasks'], // required and missing
      [3, 'Tasks'],
    ]);
    expect(capital[1]!.message).toMatch(/did you mean 'tasks'/);
  });

  it('warns about taskDefaults without advising pluginDefaults (both are gone in 2.0)', () => {
    const vs = lint('id: a\nnamespace: b\ntaskDefaults: []\ntasks:\n' + TASK);
    expect(brief(vs)).toEqual([
      [
        3,
        1,
        'warning',
        'taskDefaults',
        "'taskDefaults' was removed in Kestra 2.0: use inline values in each task (OSS), or a Policy and the flow's `policyRefs` (EE).",
      ],
    ]);
  });

  it('didYouMean stays quiet for keys far from any allowed one', () => {
    expect(didYouMean('trigers', ['triggers', 'tasks'])).toBe('triggers');
    expect(didYouMean('extend', ['triggers', 'tasks'])).toBeUndefined();
  });
});

describe('lintFlow: tasks and triggers', () => {
  it('requires task ids without dots and a Java class type', () => {
    const vs = lint(
      'id: a\nnamespace: b\ntasks:\n' +
        '  - id: hello.world\n    type: io.kestra.plugin.core.log.Log\n' +
        '  - type: io.kestra.plugin.core.log.Log\n' +
        '  - id: no_type\n' +
        '  - id: bad_type\n    type: io.kestra..Log\n',
    );
    expect(brief(vs)).toEqual([
      [
        4,
        5,
        'error',
        'tasks[0].id',
        'tasks[0].id: must match "^[a-zA-Z0-9][a-zA-Z0-9_-]*" (got \'hello.world\'). Task ids cannot contain dots. ' +
          "Use letters, digits, '_' or '-'.",
      ],
      [6, 5, 'error', 'tasks[1].id', "tasks[1].id: must not be null. Every task needs an 'id'."],
      [
        7,
        5,
        'error',
        'tasks[2].type',
        "tasks[2]: missing type id property 'type'. Every task needs a 'type', e.g. io.kestra.plugin.core.log.Log.",
      ],
      [
        9,
        11,
        'error',
        'tasks[3].type',
        'Invalid type: io.kestra..Log. A type is a Java class name such as io.kestra.plugin.core.log.Log.',
      ],
    ]);
  });

  it('accepts `$` in types and limits task ids to 256 characters', () => {
    expect(lint('id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.kestra.Test$Counter\n')).toEqual([]);
    const [v] = lint(`id: a\nnamespace: b\ntasks:\n  - id: ${'t'.repeat(257)}\n    type: x.Y\n`);
    expect(v!.message).toMatch(/^tasks\[0\]\.id: size must be between 1 and 256/);
  });

  it('checks nested tasks with their full path', () => {
    const vs = lint(
      'id: a\nnamespace: b\ntasks:\n  - id: par\n    type: io.kestra.plugin.core.flow.Parallel\n    tasks:\n' +
        '      - id: in.ner\n        type: x.Y\n',
    );
    expect(vs.map((v) => [v.line, v.column, v.path])).toEqual([[7, 9, 'tasks[0].tasks[0].id']]);
  });

  it('checks trigger ids and types', () => {
    const vs = lint(
      'id: a\nnamespace: b\ntasks:\n' + TASK + 'triggers:\n  - id: every.hour\n    cron: "@hourly"\n',
    );
    expect(vs.map((v) => [v.line, v.column, v.path, v.message.slice(0, 40)])).toEqual([
      [8, 5, 'triggers[0].id', 'triggers[0].id: must match "^[a-zA-Z0-9]'],
      [8, 5, 'triggers[0].type', "triggers[0]: missing type id property 't"],
    ]);
    expect(vs[0]!.message).toMatch(/Trigger ids cannot contain dots/);
  });

  it('requires tasks in listeners', () => {
    const vs = lint('id: a\nnamespace: b\ntasks:\n' + TASK + 'listeners:\n  - tasks: []\n');
    expect(brief(errors(vs))).toEqual([
      [8, 5, 'error', 'listeners[0].tasks', 'listeners[0].tasks: must not be empty.'],
    ]);
  });
});

describe('lintFlow: duplicate ids', () => {
  it('reports each repeat at the second occurrence, in Kestra wording, naming the first', () => {
    // Its triggers also lack a required input: another rule, tested in lint-structure.test.ts.
    const vs = lintFlow(parseFlows([fixture('duplicates.yaml')]).flows[0]!).filter(
      (v) => v.rule !== 'input-value',
    );
    expect(vs.map((v) => [v.line, v.column, v.path, v.message])).toEqual([
      [
        7,
        5,
        'inputs[1].id',
        'Duplicate input with name [user] (first at line 5). Give each input a unique id.',
      ],
      [
        14,
        5,
        'outputs[1].id',
        'Duplicate output with name [result] (first at line 11). Give each output a unique id.',
      ],
      [
        25,
        9,
        'tasks[1].tasks[0].id',
        'Duplicate task id with name [hello] (first at line 19). Give each task a unique id.',
      ],
      [
        33,
        9,
        'tasks[1].finally[0].id',
        'Duplicate task id with name [cleanup] (first at line 29). Give each task a unique id.',
      ],
      [
        38,
        5,
        'afterExecution[0].id',
        'Duplicate task id with name [hello] (first at line 19). Give each task a unique id.',
      ],
      [
        46,
        5,
        'triggers[1].id',
        'Duplicate trigger id with name [schedule] (first at line 43). Give each trigger a unique id.',
      ],
    ]);
    for (const v of vs)
      expect(v).toMatchObject({ flow: 'company.team.duplicates', severity: 'error', origin: 'lint' });
  });

  it('sees duplicates across then/else, cases and a Dag', () => {
    const vs = lint(
      'id: a\nnamespace: b\ntasks:\n' +
        '  - id: if\n    type: io.kestra.plugin.core.flow.If\n    condition: "{{ true }}"\n' +
        '    then:\n      - id: x\n        type: a.B\n    else:\n      - id: x\n        type: a.B\n' +
        '  - id: dag\n    type: io.kestra.plugin.core.flow.Dag\n    tasks:\n      - task:\n          id: x\n          type: a.B\n',
    );
    expect(vs.map((v) => [v.line, v.path])).toEqual([
      [11, 'tasks[0].else[0].id'],
      [17, 'tasks[1].tasks[0].task.id'],
    ]);
  });

  it('reports duplicate Flow trigger preconditions', () => {
    const trigger = (id: string) =>
      `  - id: ${id}\n    type: io.kestra.plugin.core.trigger.Flow\n    preconditions:\n      id: flows\n      flows: []\n`;
    const vs = lint('id: a\nnamespace: b\ntasks:\n' + TASK + 'triggers:\n' + trigger('t1') + trigger('t2'));
    // Besides the warnings that 2.0 replaced preconditions (lint-versions.test.ts).
    expect(brief(errors(vs))).toEqual([
      [
        16,
        7,
        'error',
        'triggers[1].preconditions.id',
        "Duplicate preconditions with id [flows] (first at line 11). Give each Flow trigger's preconditions a unique id.",
      ],
    ]);
  });
});

describe('lintFlow: inputs and outputs', () => {
  it('checks input ids and types; old `name` ids are read with a warning', () => {
    const vs = lint(
      'id: a\nnamespace: b\ninputs:\n' +
        '  - id: wrong one\n    type: STRING\n' +
        '  - id: untyped\n' +
        '  - id: odd\n    type: FOO\n' +
        '  - name: legacy\n    type: INT\n' +
        'tasks:\n' +
        TASK,
    );
    expect(brief(vs)).toEqual([
      [
        4,
        5,
        'error',
        'inputs[0].id',
        'inputs[0].id: must match "^[a-zA-Z0-9][.a-zA-Z0-9_-]*" (got \'wrong one\'). ' +
          "Use letters, digits, '.', '_' or '-' (no spaces).",
      ],
      [
        6,
        5,
        'error',
        'inputs[1].type',
        "inputs[1]: missing type id property 'type'. Give the input a type such as STRING.",
      ],
      [
        8,
        11,
        'error',
        'inputs[2].type',
        expect.stringMatching(/^Invalid type: FOO is not a Kestra 1\.3 input type/),
      ],
      [9, 5, 'warning', 'inputs[3].name', "inputs[3].name is deprecated: rename 'name' to 'id'."],
    ]);
  });

  it('checks input dependencies: unknown inputs and cycles', () => {
    const input = (id: string, deps: string[]) =>
      `  - id: ${id}\n    type: STRING\n    dependsOn:\n      inputs: [${deps.join(', ')}]\n`;
    const vs = lint(
      'id: a\nnamespace: b\ninputs:\n' + input('x', ['y']) + input('y', ['x', 'z']) + 'tasks:\n' + TASK,
    );
    expect(brief(vs)).toEqual([
      [
        6,
        5,
        'error',
        'inputs[0].dependsOn',
        "Cycle dependency detected for input with id 'x': [x, y]. Remove one 'dependsOn' link.",
      ],
      [
        10,
        5,
        'error',
        'inputs[1].dependsOn',
        "Input with id 'y' depends on a non-existent input 'z'. Fix the name in 'dependsOn'.",
      ],
    ]);
  });

  it('refuses dashed input and output ids in dot notation', () => {
    const vs = lint(
      'id: a\nnamespace: b\ninputs:\n  - id: server-name\n    type: STRING\ntasks:\n' +
        '  - id: make-it\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ inputs.server-name }}"\n' +
        '  - id: use\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ outputs.make-it.value }}"\n' +
        '  - id: fine\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ inputs[\'server-name\'] }}"\n' +
        'outputs:\n  - id: final\n    type: STRING\n    value: "{{ outputs.make-it.value }}"\n',
    );
    expect(
      vs.map((v) => [v.line, v.column, v.path, v.message.replace(/ — .*offending/, ' … offending')]),
    ).toEqual([
      [
        9,
        13,
        'tasks[0]',
        "Invalid input reference: use inputs[key-name] instead of inputs.key-name … offending tasks: [make-it]. write {{ inputs['server-name'] }}.",
      ],
      [
        12,
        14,
        'tasks[1]',
        "Invalid output reference: use outputs[key-name] instead of outputs.key-name … offending tasks: [use]. write {{ outputs['make-it'].… }}.",
      ],
      [
        19,
        12,
        'outputs[0]',
        "Invalid output reference: use outputs[key-name] instead of outputs.key-name … offending outputs: [final]. write {{ outputs['make-it'].… }}.",
      ],
    ]);
  });
});

describe('lintFlow: labels', () => {
  it('checks keys, values and system labels in map form', () => {
    const vs = lint(
      'id: a\nnamespace: b\nlabels:\n  Env: prod\n  empty: ""\n  system.username: bob\n  system.readOnly: "true"\ntasks:\n' +
        TASK,
    );
    expect(brief(vs)).toEqual([
      [
        4,
        3,
        'error',
        'labels[0].key',
        'Invalid label key. A valid key contains only lowercase letters numbers hyphens (-) underscores (_) or ' +
          "periods (.) and must begin with a lowercase letter. Got 'Env'.",
      ],
      [
        5,
        10,
        'error',
        'labels[1].value',
        "labels.empty.value: must not be empty. Give the label 'empty' a value.",
      ],
      [
        6,
        3,
        'error',
        'labels[2].key',
        "System labels can only be set by Kestra itself, offending label: system.username=bob. Remove it (only 'system.readOnly' may be set in a flow).",
      ],
    ]);
  });

  it('checks labels in list form', () => {
    const vs = lint(
      'id: a\nnamespace: b\nlabels:\n  - key: system.x\n    value: v\n  - key: ok\n  - just-text\ntasks:\n' +
        TASK,
    );
    expect(vs.map((v) => [v.line, v.column, v.path, v.message.slice(0, 60)])).toEqual([
      [4, 5, 'labels[0].key', 'System labels can only be set by Kestra itself, offending la'],
      [6, 5, 'labels[1].value', "labels[1].value: must not be empty. Give the label 'ok' a va"],
      [7, 5, 'labels[2]', "labels[2]: a label in list form is '- key: …' with 'value: …"],
    ]);
    expect(vs[0]!.message).toMatch(/offending label: system\.x=v\./);
  });
});

describe('lintFlow: recursive subflow', () => {
  it('refuses a Subflow task that runs its own flow', () => {
    const vs = lint(
      'id: me\nnamespace: company\ntasks:\n  - id: again\n    type: io.kestra.plugin.core.flow.Subflow\n' +
        '    namespace: company\n    flowId: me\n  - id: other\n    type: io.kestra.plugin.core.flow.Subflow\n' +
        '    namespace: company.sub\n    flowId: me\n',
    );
    expect(brief(vs)).toEqual([
      [
        7,
        5,
        'error',
        'tasks[0].flowId',
        'Recursive call to flow [company.me]: a flow cannot run itself as a subflow.',
      ],
    ]);
  });
});

describe('lintFlow: every violation is located', () => {
  it('carries file, line, column, flow and path', () => {
    const text =
      'id: bad id\nnamespace: Bad\nlabels:\n  X: ""\nfoo: 1\ntasks:\n  - id: a.b\n  - id: a.b\n    type: "?"\n';
    const vs = lint(text);
    expect(vs.length).toBeGreaterThan(6);
    for (const v of vs) {
      expect(v.file).toBe('flows/f.yaml');
      expect(v.flow).toBe('Bad.bad id');
      expect(v.path).toEqual(expect.any(String));
      expect(v.line).toBeGreaterThanOrEqual(1);
      expect(v.line).toBeLessThanOrEqual(9);
      expect(v.column).toBeGreaterThanOrEqual(1);
    }
    // Sorted by position.
    const order = vs.map((v) => v.line * 1000 + v.column);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});

describe('lintFlow: YAML aliases where a single value is expected', () => {
  const aliasWarnings = (vs: Violation[]) => vs.filter((v) => v.rule === 'alias');

  it('takes an alias of a text as that text in a label value (map and list form), with only the alias warning', () => {
    const map = lint('id: a\nnamespace: b\nlabels:\n  team: &team data\n  owner: *team\ntasks:\n' + TASK);
    expect(errors(map)).toEqual([]);
    expect(aliasWarnings(map).map((v) => [v.line, v.severity])).toEqual([[5, 'warning']]);
    expect(aliasWarnings(map)[0]!.message).toMatch(/Kestra accepts it/);

    const list = lint(
      'id: a\nnamespace: b\nlabels:\n  - key: team\n    value: &team data\n  - key: owner\n    value: *team\ntasks:\n' +
        TASK,
    );
    expect(errors(list)).toEqual([]);
    expect(aliasWarnings(list).map((v) => v.line)).toEqual([7]);
  });

  it('takes aliases of texts as the flow namespace, a task id and type, and a label key', () => {
    const vs = lint(
      'id: a\nnamespace: &ns company.team\nvariables:\n  id: &task hello\n  type: &log io.kestra.plugin.core.log.Log\n' +
        '  k: &key owner\nlabels:\n  *key : x\ntasks:\n  - id: *task\n    type: *log\n    message: hi\n' +
        'triggers:\n  - id: t\n    type: io.kestra.plugin.core.trigger.Flow\n    preconditions:\n      id: *ns\n',
    );
    expect(errors(vs)).toEqual([]);
    // Besides the warning that 2.0 replaced preconditions (lint-versions.test.ts).
    const others = vs.filter((v) => v.path !== 'triggers[0].preconditions');
    expect(others.every((v) => v.rule === 'alias' && v.severity === 'warning')).toBe(true);
  });

  it('still refuses an alias of a list or mapping where one value is expected', () => {
    const vs = lint(
      'id: a\nnamespace: b\nvariables:\n  list: &list [a, b]\nlabels:\n  owner: *list\ntasks:\n' + TASK,
    );
    expect(errors(vs).map((v) => [v.line, v.path, v.message])).toEqual([
      [6, 'labels[0].value', 'labels.owner: a label value must be a single value, not a list or mapping.'],
    ]);
  });
});
