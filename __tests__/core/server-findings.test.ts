// The server's words that the emulator does not produce (other versions' wordings, rarer rules), placed at
// their nodes; and how a server finding folds into the offline one about the same problem.
import { describe, expect, it } from '@jest/globals';
import type { ValidateResult } from '../../src/kestra/api.js';
import { lintFlow } from '../../src/core/check/lint.js';
import { mergeFindings } from '../../src/core/check/merge-findings.js';
import { serverViolations } from '../../src/core/check/server-findings.js';
import type { Violation } from '../../src/model/types.js';
import { flowOf } from './helpers.js';

const answer = (fields: Partial<ValidateResult>): ValidateResult => ({
  index: 0,
  outdated: false,
  ...fields,
});
const placed = (vs: Violation[]) => vs.map((v) => [v.severity, v.line, v.path, v.rule]);

const FLOW = [
  'id: me', // 1
  'namespace: team',
  'inputs:',
  '  - id: a', // 4
  '    type: STRING',
  '    dependsOn:', // 6
  '      inputs: [b]',
  '  - id: b', // 8
  '    type: STRING',
  '    dependsOn:', // 10
  '      inputs: [a]',
  'tasks:',
  '  - id: make-it', // 13
  '    type: io.kestra.plugin.core.debug.Return',
  '    format: "{{ inputs.a }}"',
  '  - id: use-it', // 16
  '    type: io.kestra.core.tasks.log.Log',
  '    message: "{{ outputs.make-it.value }}"',
  '  - id: again', // 19
  '    type: io.kestra.plugin.core.flow.Subflow',
  '    namespace: team',
  '    flowId: me', // 22
  'triggers:',
  '  - id: t1', // 24
  '    type: io.kestra.plugin.core.trigger.Flow',
  '    conditions:', // 26
  '      - type: io.kestra.plugin.core.condition.ExecutionStatus',
  '        in: [SUCCESS]',
  '    preconditions:',
  '      id: p', // 30
  '  - id: t2',
  '    type: io.kestra.plugin.core.trigger.Flow',
  '    preconditions:',
  '      id: p', // 34
  '',
].join('\n');
const flow = flowOf(FLOW);

describe('serverViolations: each wording at its node, with its rule and indexed path', () => {
  it.each([
    [
      'Validation error:  Invalid Flow: Recursive call to flow [team.me]',
      ['error', 22, 'tasks[2].flowId', 'recursive-subflow'],
    ],
    [
      "Invalid Flow: Input with id 'b' depends on a non-existent input 'z'.",
      ['error', 10, 'inputs[1].dependsOn', 'input-dependency'],
    ],
    [
      "Invalid Flow: Cycle dependency detected for input with id 'a': [a, b]",
      ['error', 6, 'inputs[0].dependsOn', 'input-cycle'],
    ],
    [
      'Invalid Flow: Duplicate preconditions with id [p]',
      ['error', 34, 'triggers[1].preconditions.id', 'duplicate-preconditions'],
    ],
    ['Invalid Flow: Flow id is a reserved keyword: me. List…', ['error', 1, 'id', 'reserved-id']],
    // Kestra 2.0 (kestra-io/kestra#19226) names the trigger.
    [
      'Validation error: Unrecognized property "conditions" on trigger "t1" (io.kestra.plugin.core.trigger.Flow): trigger conditions were replaced by "when" in 2.0',
      ['error', 26, 'triggers[0].conditions', 'unknown-property'],
    ],
    // A condition's property: the class is the condition's.
    [
      'Unrecognized field "in" (class io.kestra.plugin.core.condition.ExecutionStatus), not marked as ignorable',
      ['error', 28, 'triggers[0].conditions[0].in', 'unknown-property'],
    ],
    // A legacy alias in the flow, the plugin's current class in the message.
    [
      'Unrecognized field "message" (class io.kestra.plugin.core.log.Log), not marked as ignorable',
      ['error', 18, 'tasks[1].message', 'unknown-property'],
    ],
    ['make-it.id: must match "^[a-zA-Z0-9][a-zA-Z0-9_-]*"', ['error', 13, 'tasks[0].id', 'pattern']],
    [
      'triggers[0].conditions[0].in: must not be null',
      ['error', 28, 'triggers[0].conditions[0].in', 'required'],
    ],
  ])('%s', (constraints, expected) => {
    expect(placed(serverViolations(flow, answer({ constraints })))).toEqual([expected]);
  });

  it('gives a rule that names several ids one finding per id, each at its node', () => {
    const vs = serverViolations(
      flow,
      answer({
        constraints:
          'Invalid Flow: Invalid output reference: use outputs[key-name] instead of outputs.key-name — keys with dashes require bracket notation, offending tasks: [make-it, use-it]',
      }),
    );
    expect(placed(vs)).toEqual([
      ['error', 13, 'tasks[0]', 'dashed-reference'],
      ['error', 16, 'tasks[1]', 'dashed-reference'],
    ]);
    const dup = flowOf('id: d\nnamespace: n\ntasks:\n  - id: x\n  - id: y\n  - id: x\n  - id: y\n');
    expect(
      serverViolations(
        dup,
        answer({ constraints: ': Invalid Flow: Duplicate task id with name [x, y]' }),
      ).map((v) => [v.line, v.path, v.message]),
    ).toEqual([
      [6, 'tasks[2].id', 'Invalid Flow: Duplicate task id with name [x]'],
      [7, 'tasks[3].id', 'Invalid Flow: Duplicate task id with name [y]'],
    ]);
  });

  it('places a system label at its key, numbered like the server numbers labels, in either form', () => {
    const constraints =
      'Invalid Flow: System labels can only be set by Kestra itself, offending label: system.x=v';
    const map = flowOf('id: a\nnamespace: b\nlabels:\n  env: prod\n  system.x: v\ntasks: []\n');
    const list = flowOf(
      'id: a\nnamespace: b\nlabels:\n  - key: env\n    value: prod\n  - key: system.x\n    value: v\ntasks: []\n',
    );
    expect(placed(serverViolations(map, answer({ constraints })))).toEqual([
      ['error', 5, 'labels[1].key', 'system-label'],
    ]);
    expect(placed(serverViolations(list, answer({ constraints })))).toEqual([
      ['error', 6, 'labels[1].key', 'system-label'],
    ]);
    expect(lintFlow(list).map((v) => [v.path, v.rule])).toContainEqual(['labels[1].key', 'system-label']);
  });

  it('places warnings, infos and deprecation paths at their nodes', () => {
    const vs = serverViolations(
      flow,
      answer({
        warnings: ["The subflow 'me' is disabled in namespace 'team'."],
        infos: ['io.kestra.core.tasks.log.Log is replaced by io.kestra.plugin.core.log.Log'],
        deprecationPaths: ['inputs[1].dependsOn', 'tasks[1]'],
      }),
    );
    expect(placed(vs)).toEqual([
      ['warning', 22, 'tasks[2].flowId', 'missing-subflow'],
      ['warning', 10, 'inputs[1].dependsOn', 'deprecated'],
      ['warning', 16, 'tasks[1]', 'deprecated'],
      ['notice', 17, 'tasks[1].type', 'relocated-type'],
    ]);
  });

  it('puts an unreadable text at the flow start with no path, to be kept as it is', () => {
    expect(
      placed(serverViolations(flow, answer({ constraints: 'Unable to validate the flow: boom' }))),
    ).toEqual([['error', 1, undefined, 'server']]);
  });
});

describe('mergeFindings', () => {
  const v = (over: Partial<Violation>): Violation => ({
    file: 'f.yml',
    flow: 'team.me',
    line: 5,
    column: 3,
    path: 'id',
    rule: 'pattern',
    message: 'lint text',
    severity: 'error',
    origin: 'lint',
    ...over,
  });

  it("keeps the offline text and position, the higher severity, and the server's line when the offline one fell back to the flow start", () => {
    const lint = v({ severity: 'warning', line: 1, column: 1, rule: 'type', path: 'inputs[0].type' });
    const server = v({
      origin: 'server',
      message: 'server text',
      line: 6,
      rule: 'type',
      path: 'inputs[0].type',
    });
    expect(mergeFindings([lint, server], 1)).toEqual([{ ...lint, severity: 'error', line: 6, column: 3 }]);
    const precise = v({ line: 7 });
    expect(mergeFindings([precise, v({ origin: 'server', line: 9 })], 1)).toEqual([precise]);
  });

  it('folds server findings about one node and rule into one, and drops pattern and size where a value is missing', () => {
    const server = (message: string, rule: Violation['rule']) => v({ origin: 'server', message, rule });
    const merged = mergeFindings(
      [
        server('id: must not be blank', 'required'),
        server('id: must not be null', 'required'),
        server('id: must match', 'pattern'),
        server('id: size must be between 1 and 100', 'size'),
      ],
      1,
    );
    expect(merged.map((x) => x.message)).toEqual(['id: must not be blank']);
  });

  it('never folds two offline findings, nor findings without a rule or path, nor different rules or nodes', () => {
    const a = v({ line: 5 });
    const b = v({ line: 8 });
    const noPath = v({ origin: 'server', path: undefined });
    const other = v({ origin: 'server', rule: 'size' });
    const elsewhere = v({ origin: 'server', path: 'namespace' });
    expect(mergeFindings([a, b, noPath, other, elsewhere], 1)).toHaveLength(5);
  });

  it('folds a server finding into every offline finding of its node and rule', () => {
    const flow2 = flowOf(
      'id: a\nnamespace: b\ninputs:\n  - id: my-in\n    type: STRING\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n' +
        '    message: "{{ inputs.my-in }}"\n    description: "{{ inputs.my-in }}"\n',
    );
    const lint = lintFlow(flow2);
    expect(lint.map((x) => [x.line, x.rule])).toEqual([
      [9, 'dashed-reference'],
      [10, 'dashed-reference'],
    ]);
    const server = serverViolations(
      flow2,
      answer({
        constraints:
          'Invalid Flow: Invalid input reference: use inputs[key-name] instead of inputs.key-name — keys with dashes require bracket notation, offending tasks: [t]',
      }),
    );
    expect(mergeFindings([...lint, ...server], 1)).toEqual(lint);
  });
});
