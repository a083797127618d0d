// The offline rules after Kestra's flowable-task and input validators (lint-flowable.ts, lint-input-values.ts).
import { describe, expect, it } from '@jest/globals';
import { lintFlow } from '../../src/core/check/lint.js';
import { regexProblem } from '../../src/core/check/lint-input-values.js';
import type { Violation } from '../../src/model/types.js';
import { flowOf } from './helpers.js';

const HEAD = 'id: f\nnamespace: company\n';
const LOG = (id: string, indent: string): string =>
  `${indent}- id: ${id}\n${indent}  type: io.kestra.plugin.core.log.Log\n${indent}  message: hi\n`;
const lint = (text: string): Violation[] => lintFlow(flowOf(text, 'flows/f.yaml'));
/** [line, column, path, message] of the errors. */
const errors = (text: string) =>
  lint(text)
    .filter((v) => v.severity === 'error')
    .map((v) => [v.line, v.column, v.path, v.message]);

describe('flowable tasks', () => {
  it('wants a task under Sequential, Parallel, If `then`… (missing, null or [])', () => {
    expect(
      errors(
        HEAD +
          'tasks:\n' +
          '  - id: seq\n    type: io.kestra.plugin.core.flow.Sequential\n' +
          '  - id: par\n    type: io.kestra.core.tasks.flows.Parallel\n    tasks: []\n' +
          '  - id: when\n    type: io.kestra.plugin.core.flow.If\n    condition: "{{ true }}"\n    then:\n' +
          '    else:\n' +
          LOG('no', '      '),
      ),
    ).toEqual([
      [4, 5, 'tasks[0].tasks', "tasks[0].tasks: must not be empty. Add at least one task under 'tasks'."],
      [8, 5, 'tasks[1].tasks', "tasks[1].tasks: must not be empty. Add at least one task under 'tasks'."],
      [12, 5, 'tasks[2].then', "tasks[2].then: must not be empty. Add at least one task under 'then'."],
    ]);
  });

  it('wants a Switch with cases or defaults, not neither', () => {
    const sw = (body: string) =>
      errors(HEAD + 'tasks:\n  - id: sw\n    type: io.kestra.plugin.core.flow.Switch\n    value: A\n' + body);
    expect(sw('    cases: {}\n    defaults:\n')).toEqual([
      [
        7,
        5,
        'tasks[0]',
        "sw: No task defined, neither cases or default have any tasks. Add a case under 'cases' or tasks under 'defaults'.",
      ],
    ]);
    expect(sw('    defaults:\n' + LOG('d', '      '))).toEqual([]);
    expect(sw('    cases:\n      A:\n' + LOG('a', '        '))).toEqual([]);
  });

  it('checks a Dag: dependencies that name no task of the Dag, then cycles, at the dependency', () => {
    const dag = (deps: Record<string, string[]>) =>
      errors(
        HEAD +
          'tasks:\n  - id: dag\n    type: io.kestra.plugin.core.flow.Dag\n    tasks:\n' +
          Object.entries(deps)
            .map(
              ([id, on]) =>
                `      - task:\n          id: ${id}\n          type: io.kestra.plugin.core.log.Log\n` +
                `          message: hi\n        dependsOn: [${on.join(', ')}]\n`,
            )
            .join(''),
      );
    expect(dag({ a: [], b: ['a'], c: ['a', 'b'] })).toEqual([]);
    expect(dag({ a: [], b: ['x'] })).toEqual([
      [
        16,
        21,
        'tasks[0].tasks',
        "dag: Not existing task id in dependency: x. Name a task of this Dag in 'dependsOn'.",
      ],
    ]);
    expect(dag({ a: ['b'], b: ['a'], c: ['b'] })).toEqual([
      [
        11,
        21,
        'tasks[0].tasks',
        "dag: Cyclic dependency detected: a, b. Remove one of the 'dependsOn' links.",
      ],
    ]);
    expect(dag({ a: ['a'] })[0]![3]).toMatch(/^dag: Cyclic dependency detected: a\./);
  });

  it('checks a WorkingDirectory: tasks, runnable children only, no workerGroup below it', () => {
    const wd = (tasks: string) =>
      errors(HEAD + 'tasks:\n  - id: wd\n    type: io.kestra.plugin.core.flow.WorkingDirectory\n' + tasks);
    expect(wd('')).toEqual([
      [
        4,
        5,
        'tasks[0].tasks',
        "wd: The 'tasks' property cannot be empty. Add the tasks to run in the working directory.",
      ],
    ]);
    expect(wd('    tasks:\n' + LOG('ok', '      '))).toEqual([]);
    expect(
      wd(
        '    tasks:\n' +
          LOG('ok', '      ') +
          '      - id: wait\n        type: io.kestra.plugin.core.flow.Pause\n',
      ),
    ).toEqual([
      [
        11,
        15,
        'tasks[0].tasks[1].type',
        "wd: Only runnable tasks are allowed as children of a WorkingDirectory task ('wait' is not). Move it out of the WorkingDirectory.",
      ],
    ]);
    expect(wd('    tasks:\n' + LOG('ok', '      ') + '        workerGroup:\n          key: gpu\n')).toEqual([
      [
        10,
        9,
        'tasks[0].tasks[0].workerGroup',
        'wd: Cannot set a Worker Group in any WorkingDirectory sub-tasks, it is only supported at the ' +
          'WorkingDirectory level. Move this workerGroup to the WorkingDirectory task.',
      ],
    ]);
  });

  it('wants the condition of an If', () => {
    expect(
      errors(
        HEAD +
          'tasks:\n  - id: when\n    type: io.kestra.plugin.core.flow.If\n    then:\n' +
          LOG('a', '      '),
      ),
    ).toEqual([
      [4, 5, 'tasks[0].condition', "tasks[0].condition: must not be null. Give the If a 'condition'."],
    ]);
  });

  it("leaves a plugin's own flowable tasks to the server", () => {
    expect(errors(HEAD + 'tasks:\n  - id: x\n    type: io.kestra.plugin.other.Sequential\n')).toEqual([]);
  });
});

describe('inputs', () => {
  const inputs = (body: string) => errors(HEAD + 'inputs:\n' + body + 'tasks:\n' + LOG('t', '  '));

  it('refuses an unknown input type (an error)', () => {
    expect(inputs('  - id: a\n    type: COLOUR\n')).toEqual([
      [
        5,
        11,
        'inputs[0].type',
        expect.stringMatching(/^Invalid type: COLOUR is not a Kestra 1\.3 input type/),
      ],
    ]);
  });

  it('refuses a validator that compiles neither in Java nor in JavaScript, and leaves Java-only syntax alone', () => {
    expect(inputs('  - id: a\n    type: STRING\n    validator: "[a-z"\n')).toEqual([
      [
        6,
        16,
        'inputs[0].validator',
        expect.stringMatching(
          /^inputs\[0\]\.validator: invalid regular expression '\[a-z' \(.*\)\. Fix the pattern/,
        ),
      ],
    ]);
    expect(regexProblem('\\')).toBeDefined();
    expect(regexProblem('(abc')).toBeDefined();
    expect(regexProblem('*abc')).toBeDefined();
    expect(regexProblem('^[a-z]+$')).toBeUndefined();
    // Valid Java, refused by JavaScript: inline flags, atomic groups, possessive quantifiers.
    expect(regexProblem('(?i)abc')).toBeUndefined();
    expect(regexProblem('(?>a|b)c')).toBeUndefined();
    expect(regexProblem('a++b')).toBeUndefined();
  });

  it('wants FILE defaults as file:// or nsfile:// URIs', () => {
    expect(inputs('  - id: f\n    type: FILE\n    defaults: something\n')).toEqual([
      [
        6,
        15,
        'inputs[0].defaults',
        expect.stringMatching(/^inputs\[0\]\.defaults: inputs of type 'FILE' only support/),
      ],
    ]);
    expect(inputs('  - id: f\n    type: FILE\n    defaults: nsfile:///data.csv\n')).toEqual([]);
    expect(inputs('  - id: f\n    type: FILE\n    defaults: "{{ kv(\'f\') }}"\n')).toEqual([]);
  });

  it('wants an ARRAY itemType, and no nested or secret item types', () => {
    expect(inputs('  - id: a\n    type: ARRAY\n')).toEqual([
      [
        4,
        5,
        'inputs[0].itemType',
        "inputs[0].itemType: must not be null. Say what the array holds, e.g. 'itemType: STRING'.",
      ],
    ]);
    expect(inputs('  - id: a\n    type: MULTISELECT\n    values: [x]\n')).toEqual([]);
    expect(inputs('  - id: a\n    type: ARRAY\n    itemType: SECRET\n')).toEqual([
      [
        6,
        15,
        'inputs[0].itemType',
        'inputs[0]: `itemType` cannot be SECRET. Use a plain type such as STRING or INT.',
      ],
    ]);
    expect(inputs('  - id: a\n    type: MULTISELECT\n    itemType: NOPE\n')[0]![3]).toMatch(
      /^inputs\[0\]\.itemType: Invalid type: NOPE\. Use one of STRING,/,
    );
  });

  it('wants defaults that fit their type, never judging an expression', () => {
    const one = (type: string, value: string) =>
      inputs(`  - id: a\n    type: ${type}\n    defaults: ${value}\n`);
    expect(one('INT', 'abc')).toEqual([
      [
        6,
        15,
        'inputs[0].defaults',
        "Invalid default for input 'a': `abc` is not a valid INT value. Give an integer (or a {{ … }} expression).",
      ],
    ]);
    expect(one('INT', '1.5')[0]![3]).toMatch(/`1.5` is not a valid INT value/);
    expect(one('FLOAT', 'many')[0]![3]).toMatch(/`many` is not a valid FLOAT value. Give a number/);
    expect(one('BOOLEAN', 'yes')[0]![3]).toMatch(/`yes` is not a valid BOOLEAN value. Give true or false/);
    expect(one('DATETIME', 'tomorrow')[0]![3]).toMatch(
      /is not a valid DATETIME value. Give an ISO-8601 date-time/,
    );
    expect(one('DATE', '31/01/2024')[0]![3]).toMatch(/is not a valid DATE value. Give an ISO-8601 date/);
    expect(one('DURATION', '1h')[0]![3]).toMatch(/is not a valid DURATION value. Give an ISO-8601 duration/);
    for (const [type, value] of [
      ['INT', '42'],
      ['INT', '"42"'],
      ['FLOAT', '0.5'],
      ['FLOAT', '3'],
      ['BOOL', 'true'],
      ['BOOLEAN', '"false"'],
      ['DATETIME', '2024-01-31T10:00:00Z'],
      ['DATETIME', '2024-01-31T10:00:00.123+02:00'],
      ['DATE', '2024-01-31'],
      ['TIME', '10:00'],
      ['DURATION', 'PT1H'],
      ['INT', '"{{ 1 + 1 }}"'],
      ['STRING', 'anything'],
    ] as const) {
      expect([type, value, one(type, value)]).toEqual([type, value, []]);
    }
  });

  it('warns when a Schedule or Webhook trigger leaves a required input without a value', () => {
    const flow = (inputs: string, trigger: string) =>
      lint(
        HEAD +
          'inputs:\n' +
          inputs +
          'tasks:\n' +
          LOG('t', '  ') +
          'triggers:\n  - id: hourly\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: "0 * * * *"\n' +
          trigger,
      ).map((v) => [v.line, v.severity, v.path, v.message]);
    const needed = '  - id: user\n    type: STRING\n  - id: user2\n    type: STRING\n    defaults: x\n';
    expect(flow(needed, '')).toEqual([
      [
        14,
        'warning',
        'triggers[0].inputs',
        "Missing inputs for Schedule Trigger 'hourly', missing inputs: 'user'. " +
          "Give these inputs 'defaults', or their values under the trigger's 'inputs'.",
      ],
    ]);
    expect(flow(needed, '    inputs:\n      user: bob\n')).toEqual([]);
    expect(flow('  - id: user\n    type: STRING\n    required: false\n', '')).toEqual([]);
  });
});
