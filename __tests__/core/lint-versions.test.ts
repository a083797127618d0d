// The rules per target version (src/core/check/lint-versions.ts): each construct Kestra 2.0 removed, and each
// 2.0-only one, at its exact line, with no target, a 1.3 target and a 2.0 target.
import { describe, expect, it } from '@jest/globals';
import { lintFlow } from '../../src/core/check/lint.js';
import { pebbleJson, removedType } from '../../src/core/check/lint-versions.js';
import { mergeFindings } from '../../src/core/check/merge-findings.js';
import { serverViolations } from '../../src/core/check/server-findings.js';
import { flowStart } from '../../src/core/parse/positions.js';
import type { Violation } from '../../src/model/types.js';
import { flowOf } from './helpers.js';

const TASK = '  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';
// The fixtures' Schedule leaves their required inputs without values: that warning is another rule's
// subject (lint-structure.test.ts), not this file's.
const lint = (text: string, target?: string): Violation[] =>
  lintFlow(flowOf(text, 'flows/f.yaml'), target).filter((v) => v.rule !== 'input-value');
const rows = (vs: Violation[]) => vs.map((v) => [v.line, v.column, v.severity, v.rule, v.path]);

// One line per removed construct (line numbers in the comments).
const OLD = [
  'id: old', // 1
  'namespace: company.team', // 2
  'pluginDefaults:', // 3
  '  - type: io.kestra.plugin.core.log.Log', // 4
  '    values: { level: INFO }', // 5
  'workerGroup:', // 6
  '  key: gpu', // 7
  'inputs:', // 8
  '  - id: flag', // 9
  '    type: BOOLEAN', // 10
  '  - id: pick', // 11
  '    type: ENUM', // 12
  '    values: [a, b]', // 13
  'tasks:', // 14
  '  - id: each', // 15
  '    type: io.kestra.plugin.core.flow.ForEach', // 16
  '    values: [1, 2]', // 17
  '    tasks:', // 18
  '      - id: log', // 19
  '        type: io.kestra.core.tasks.log.Log', // 20
  '        message: "{{ json(taskrun.value).a }}"', // 21
  '  - id: count', // 22
  '    type: io.kestra.plugin.core.execution.Count', // 23
  '    workerGroup: { key: gpu }', // 24
  '  - id: kv', // 25
  '    type: io.kestra.plugin.core.state.Set', // 26
  '  - id: exit', // 27
  '    type: io.kestra.plugin.core.execution.Exit', // 28
  '    state: CANCELED', // 29
  'listeners:', // 30
  '  - tasks:', // 31
  '      - id: l', // 32
  '        type: io.kestra.plugin.core.log.Log', // 33
  '        message: |', // 34
  '          first line', // 35
  '          {{ outputs.x.body | json }}', // 36
  'triggers:', // 37
  '  - id: schedule', // 38
  '    type: io.kestra.plugin.core.trigger.Schedule', // 39
  '    cron: "0 * * * *"', // 40
  '    conditions:', // 41
  '      - type: io.kestra.plugin.core.condition.Weekend', // 42
  '  - id: upstream', // 43
  '    type: io.kestra.plugin.core.trigger.Flow', // 44
  '    preconditions:', // 45
  '      id: up', // 46
  '', //
].join('\n');

// Every 2.0-only construct.
const NEW = [
  'id: new', // 1
  'namespace: company.team', // 2
  'policyRefs: [p]', // 3
  'workerSelector:', // 4
  '  key: gpu', // 5
  'checks:', // 6
  '  - when: "{{ inputs.x }}"', // 7
  '    message: no', // 8
  'tasks:', // 9
  '  - id: loop', // 10
  '    type: io.kestra.plugin.core.flow.Loop', // 11
  '    workerSelector: { key: gpu }', // 12
  'triggers:', // 13
  '  - id: schedule', // 14
  '    type: io.kestra.plugin.core.trigger.Schedule', // 15
  '    cron: "0 * * * *"', // 16
  '    when: "{{ isWeekend() }}"', // 17
  '  - id: upstream', // 18
  '    type: io.kestra.plugin.core.trigger.Flow', // 19
  '    dependsOn:', // 20
  '      - flow: a', // 21
  '    window: { type: DAILY }', // 22
  '', //
].join('\n');

const OLD_FINDINGS: [number, number, string][] = [
  [3, 1, 'pluginDefaults'],
  [6, 1, 'workerGroup'],
  [10, 11, 'inputs[0].type'],
  [12, 11, 'inputs[1].type'],
  [16, 11, 'tasks[0].type'],
  [20, 15, 'tasks[0].tasks[0].type'],
  [21, 22, 'tasks[0].tasks[0].message'],
  [23, 11, 'tasks[1].type'],
  [24, 5, 'tasks[1].workerGroup'],
  [26, 11, 'tasks[2].type'],
  [29, 12, 'tasks[3].state'],
  [30, 1, 'listeners'],
  [36, 29, 'listeners[0].tasks[0].message'],
  [41, 5, 'triggers[0].conditions'],
  [45, 5, 'triggers[1].preconditions'],
];
const RUNTIME = new Set(['tasks[0].tasks[0].message', 'tasks[3].state', 'listeners[0].tasks[0].message']);

describe('lint per version: constructs Kestra 2.0 removed', () => {
  it('without a target: a warning at each line, naming 2.0 and the replacement', () => {
    const vs = lint(OLD);
    expect(vs.filter((v) => v.severity === 'error')).toEqual([]);
    expect(rows(vs)).toEqual(OLD_FINDINGS.map(([l, c, p]) => [l, c, 'warning', 'deprecated', p]));
    for (const v of vs) expect(v.message).toMatch(/removed in Kestra 2\.0: use /);
    for (const v of vs) expect(v.upgrade).toMatch(/ → /);
    const text = (path: string) => vs.find((v) => v.path === path)!.message;
    expect(text('pluginDefaults')).toMatch(/inline values in each task \(OSS\), or a Policy/);
    expect(text('workerGroup')).toMatch(/use 'workerSelector'/);
    expect(text('inputs[0].type')).toMatch(/input type BOOLEAN .* use BOOL\./);
    expect(text('inputs[1].type')).toMatch(/use SELECT\./);
    expect(text('tasks[0].type')).toMatch(/io\.kestra\.plugin\.core\.flow\.Loop/);
    expect(text('tasks[0].tasks[0].type')).toMatch(/use io\.kestra\.plugin\.core\.log\.Log\./);
    expect(text('tasks[0].tasks[0].message')).toMatch(/json\(\).* fromJson/);
    expect(text('tasks[1].type')).toMatch(/plugin-kestra/);
    expect(text('tasks[2].type')).toMatch(/io\.kestra\.plugin\.core\.kv\./);
    expect(text('tasks[3].state')).toMatch(/CANCELED .* use CANCELLED/);
    expect(text('listeners')).toMatch(/'afterExecution' \(or a Flow trigger\)/);
    expect(text('triggers[0].conditions')).toMatch(/'when'/);
    expect(text('triggers[1].preconditions')).toMatch(/'dependsOn'/);
  });

  it('with a 1.3 target: the same warnings', () => {
    expect(rows(lint(OLD, '1.3'))).toEqual(
      OLD_FINDINGS.map(([l, c, p]) => [l, c, 'warning', 'deprecated', p]),
    );
  });

  it('with a 2.0 target: errors where the server rejects the flow, warnings for what fails at run time', () => {
    const vs = lint(OLD, '2.0');
    expect(rows(vs)).toEqual(
      OLD_FINDINGS.map(([l, c, p]) =>
        RUNTIME.has(p)
          ? [l, c, 'warning', 'deprecated', p]
          : [l, c, 'error', p.endsWith('.type') ? 'type' : 'unknown-property', p],
      ),
    );
    expect(vs.find((v) => v.path === 'pluginDefaults')!.message).toMatch(
      /^'pluginDefaults' was removed in Kestra 2\.0 and the 2\.0 server rejects the flow: use /,
    );
    expect(vs.find((v) => v.path === 'tasks[3].state')!.message).toMatch(
      /The 2\.0 server accepts the flow, but it fails when it runs\.$/,
    );
  });

  it('leaves the current names alone', () => {
    const vs = lint(
      'id: a\nnamespace: b\ninputs:\n  - id: f\n    type: BOOL\ntasks:\n' +
        TASK +
        '  - id: j\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ fromJson(x) | toJson }} json(x)"\n',
      '2.0',
    );
    expect(vs).toEqual([]);
  });

  it('finds json() and | json only inside Pebble expressions', () => {
    expect(
      pebbleJson('json(a) {{ json(a) }} {{ fromJson(a) }} {{ a | json }} {% set x = a.json(1) %}'),
    ).toEqual([11, 45]);
    expect(removedType('io.kestra.core.tasks.flows.Unknown')!.use).toMatch(
      /io\.kestra\.plugin\.core\.… name/,
    );
    expect(removedType('io.kestra.plugin.core.flow.Subflow')).toBeUndefined();
    expect(removedType('io.kestra.core.tasks.test.Sleep')).toBeUndefined();
  });

  it("names an old alias's class from the generated list, and the scripts plugin for the old script tasks", () => {
    // Not in the hand-written table: the list of Kestra's aliases knows it.
    expect(removedType('io.kestra.core.tasks.storages.Split')!.use).toBe(
      'io.kestra.plugin.core.storage.Split',
    );
    expect(removedType('io.kestra.core.tasks.scripts.Bash')!.use).toMatch(/scripts plugin/);
  });
});

describe('lint per version: Kestra 2.0 syntax', () => {
  const NEW_FINDINGS: [number, number, string, string][] = [
    [3, 1, 'unknown-property', 'policyRefs'],
    [4, 1, 'unknown-property', 'workerSelector'],
    [7, 5, 'unknown-property', 'checks[0].when'],
    [11, 11, 'type', 'tasks[0].type'],
    [12, 5, 'unknown-property', 'tasks[0].workerSelector'],
    [17, 5, 'unknown-property', 'triggers[0].when'],
    [20, 5, 'unknown-property', 'triggers[1].dependsOn'],
    [22, 5, 'unknown-property', 'triggers[1].window'],
  ];

  it('with a 1.3 target: an error at each line, saying why', () => {
    const vs = lint(NEW, '1.3');
    expect(rows(vs)).toEqual(NEW_FINDINGS.map(([l, c, r, p]) => [l, c, 'error', r, p]));
    expect(vs.find((v) => v.path === 'triggers[0].when')!.message).toBe(
      "'when' is Kestra 2.0 syntax: Kestra 1.3 rejects it when the flow is created or validated, and silently " +
        'drops it when an existing flow is updated, which leaves the trigger without its condition. Remove it until the server runs 2.0.',
    );
    expect(vs.find((v) => v.path === 'tasks[0].type')!.message).toMatch(
      /^io\.kestra\.plugin\.core\.flow\.Loop is Kestra 2\.0 syntax: Kestra 1\.3 has no such task/,
    );
    expect(vs.every((v) => v.upgrade === undefined)).toBe(true);
  });

  it('with a 2.0 target or none: nothing to say', () => {
    expect(lint(NEW, '2.0')).toEqual([]);
    expect(lint(NEW, '2.1')).toEqual([]);
    expect(lint(NEW)).toEqual([]);
  });
});

describe('lint per version: what is not confirmed stays a warning', () => {
  it('old trigger aliases are warnings even with a 2.0 target', () => {
    const flow =
      'id: a\nnamespace: b\ntasks:\n' +
      TASK +
      'triggers:\n  - id: s\n    type: io.kestra.core.models.triggers.types.Schedule\n    cron: "0 * * * *"\n';
    const vs = lint(flow, '2.0');
    expect(rows(vs)).toEqual([[9, 11, 'warning', 'deprecated', 'triggers[0].type']]);
    expect(vs[0]!.message).toMatch(
      /use io\.kestra\.plugin\.core\.trigger\.Schedule\. Whether the 2\.0 server still accepts it is not confirmed\.$/,
    );
  });

  it("'when' on a task is a warning on every target: both versions know only runIf", () => {
    const flow =
      'id: a\nnamespace: b\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n' +
      '    when: "{{ true }}"\n';
    for (const target of [undefined, '1.3', '2.0']) {
      expect(rows(lint(flow, target))).toEqual([[7, 5, 'warning', 'unknown-property', 'tasks[0].when']]);
    }
    expect(lint(flow)[0]!.message).toMatch(/use 'runIf'/);
  });
});

describe("lint per version with the server's answer", () => {
  it("folds 2.0's rejections into the offline errors: each problem once, with the offline text", () => {
    const flow = flowOf(OLD, 'flows/f.yaml');
    const constraints = [
      'Unrecognized field "pluginDefaults" (class io.kestra.core.models.flows.FlowWithSource), not marked as ignorable',
      'Invalid type: io.kestra.plugin.core.flow.ForEach',
      'Unrecognized property "conditions" on trigger "schedule" (io.kestra.plugin.core.trigger.Schedule): trigger conditions were replaced by "when" in 2.0',
    ].join('\n');
    const server = serverViolations(flow, { index: 0, constraints: `Validation error: ${constraints}` });
    expect(server.map((v) => [v.rule, v.path])).toEqual(
      expect.arrayContaining([
        ['unknown-property', 'pluginDefaults'],
        ['type', 'tasks[0].type'],
        ['unknown-property', 'triggers[0].conditions'],
      ]),
    );
    const merged = mergeFindings([...lintFlow(flow, '2.0'), ...server], flowStart(flow).line);
    expect(merged).toHaveLength(lintFlow(flow, '2.0').length);
    for (const path of ['pluginDefaults', 'tasks[0].type', 'triggers[0].conditions']) {
      expect(merged.find((v) => v.path === path)).toMatchObject({
        severity: 'error',
        origin: 'lint',
        message: expect.stringMatching(/removed in Kestra 2\.0/),
      });
    }
  });
});
