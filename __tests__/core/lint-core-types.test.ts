// Kestra's core types per version (src/core/check/lint-core-types.ts, core-types.ts and the generated list):
// a core type name no version (or not the target's) has is an error at its `type:` line, with the closest
// name; other plugins' types are left to the server; what lint-versions.ts reports is not reported twice.
import { describe, expect, it } from '@jest/globals';
import { lintFlow } from '../../src/core/check/lint.js';
import { closestType, hasType, listFor } from '../../src/core/check/core-types.js';
import { CORE_TYPES, CORE_TYPE_VERSIONS } from '../../src/core/check/core-types.generated.js';
import { CORE_TYPES as EMULATOR_CORE_TYPES } from '../../emulator/core-types.generated.js';
import { corePlugins, readClass } from '../../scripts/core-types.js';
import type { Violation } from '../../src/model/types.js';
import { flowOf } from './helpers.js';

const lint = (lines: string[], target?: string): Violation[] =>
  lintFlow(flowOf(lines.join('\n') + '\n', 'flows/f.yaml'), target);
const types = (vs: Violation[]) =>
  vs.filter((v) => v.rule === 'type').map((v) => [v.line, v.column, v.severity, v.path, v.message]);

const task = (type: string, id = 't'): string[] => [`  - id: ${id}`, `    type: ${type}`];
const flow = (...tasks: string[][]): string[] => [
  'id: f',
  'namespace: company.team',
  'tasks:',
  ...tasks.flat(),
];

describe('the generated list', () => {
  it('holds what Kestra has per version, aliases included', () => {
    expect(CORE_TYPE_VERSIONS).toEqual(['0.22', '0.23', '0.24', '1.0', '1.1', '1.2', '1.3', '2.0']);
    expect(hasType('io.kestra.plugin.core.log.Log', '0.22')).toBe(true);
    expect(hasType('io.kestra.plugin.core.log.Log', '2.0')).toBe(true);
    // The alias Kestra's Log declares, gone with every io.kestra.core.tasks.* alias in 2.0.
    expect(hasType('io.kestra.core.tasks.log.Log', '1.3')).toBe(true);
    expect(hasType('io.kestra.core.tasks.log.Log', '2.0')).toBe(false);
    // The 1.3 core types the emulator used to refuse.
    for (const t of [
      'io.kestra.plugin.core.kv.Put',
      'io.kestra.plugin.core.flow.LoopUntil',
      'io.kestra.plugin.core.execution.SetVariables',
      'io.kestra.plugin.core.condition.ExecutionStatusCondition',
      'io.kestra.core.models.conditions.types.ExecutionStatusCondition',
    ])
      expect([t, hasType(t, '1.3')]).toEqual([t, true]);
    expect(hasType('io.kestra.plugin.core.kv.Put', '1.2')).toBe(false);
    expect(hasType('io.kestra.plugin.core.flow.Loop', '1.3')).toBe(false);
    expect(hasType('io.kestra.plugin.core.flow.Loop', '2.0')).toBe(true);
    expect(hasType('io.kestra.plugin.core.flow.ForEach', '2.0')).toBe(false);
    // Dashboards are not flow types.
    expect(CORE_TYPES.some(([name]) => name.includes('.dashboard.'))).toBe(false);
  });

  it('is the same in the emulator’s copy', () => {
    expect(EMULATOR_CORE_TYPES).toEqual(CORE_TYPES);
  });

  it('maps a target to its list: its own, the older one between two, none past the ends', () => {
    expect(listFor(undefined)).toEqual({ beyond: false });
    expect(listFor('1.3')).toEqual({ version: '1.3', beyond: false });
    expect(listFor('1.4')).toEqual({ version: '1.3', beyond: false });
    expect(listFor('2.1')).toEqual({ beyond: true });
    expect(listFor('0.21')).toEqual({ beyond: true });
  });

  it('suggests the closest name by its last segment, then its package', () => {
    expect(closestType('io.kestra.plugin.core.log.Logg')).toBe('io.kestra.plugin.core.log.Log');
    expect(closestType('io.kestra.plugin.core.flow.Log')).toBe('io.kestra.plugin.core.log.Log');
    expect(closestType('io.kestra.plugin.core.flows.ForEachItem')).toBe(
      'io.kestra.plugin.core.flow.ForEachItem',
    );
    // An alias suggests the class it stands for.
    expect(closestType('io.kestra.core.tasks.log.Logs')).toBe('io.kestra.plugin.core.log.Log');
    expect(closestType('io.kestra.plugin.core.debug.MissingOne')).toBeUndefined();
  });
});

describe('the generator reads plugin classes from Java source', () => {
  it('takes @Plugin classes with their aliases and their kind from the superclass chain', () => {
    const classes = [
      readClass(
        'io.kestra.plugin.core.flow.Base',
        'package x;\nabstract class Base<T> extends Task implements FlowableTask<T> {}\n',
      )!,
      readClass(
        'io.kestra.plugin.core.flow.Seq',
        [
          '/** A javadoc naming class Seq and @Plugin. */',
          '@Plugin(',
          '    examples = { @Example(code = """',
          '        type: io.kestra.plugin.core.flow.Seq',
          '        glob: "**/*.csv"',
          '        """) },',
          '    aliases = { "io.kestra.core.tasks.flows.Seq", "io.kestra.core.tasks.flows.Old" }',
          ')',
          'public class Seq extends Base<VoidOutput> {}',
        ].join('\n'),
      )!,
      readClass(
        'io.kestra.plugin.core.condition.Not',
        '@Plugin(aliases = "io.kestra.core.models.conditions.types.NotCondition")\npublic class Not extends Condition {}',
      )!,
      readClass(
        'io.kestra.plugin.core.trigger.Hook',
        '@Plugin\npublic class Hook extends AbstractTrigger {}',
      )!,
      readClass('io.kestra.plugin.core.flow.Abs', '@Plugin\npublic abstract class Abs extends Task {}')!,
      readClass('io.kestra.plugin.core.dashboard.Pie', '@Plugin\npublic class Pie extends DataChart {}')!,
      readClass('io.kestra.plugin.core.kv.Key', 'public class Key extends Task {}')!,
    ];
    expect(corePlugins(classes)).toEqual([
      {
        name: 'io.kestra.plugin.core.condition.Not',
        kind: 'condition',
        aliases: ['io.kestra.core.models.conditions.types.NotCondition'],
      },
      {
        name: 'io.kestra.plugin.core.flow.Seq',
        kind: 'task',
        aliases: ['io.kestra.core.tasks.flows.Seq', 'io.kestra.core.tasks.flows.Old'],
      },
      { name: 'io.kestra.plugin.core.trigger.Hook', kind: 'trigger', aliases: [] },
    ]);
  });
});

describe('offline: core type names', () => {
  it('without a target: a name no version has is an error at its type line, with the closest name', () => {
    const vs = lint(
      flow(
        task('io.kestra.plugin.core.log.Logg', 'a'), // 5
        task('io.kestra.plugin.core.flows.ForEachItem', 'b'), // 7
        task('io.kestra.plugin.core.debug.MissingOne', 'c'), // 9
        task('io.kestra.core.tasks.scripts.Bash', 'd'), // 11
      ),
    );
    expect(types(vs)).toEqual([
      [
        5,
        11,
        'error',
        'tasks[0].type',
        'Invalid type: io.kestra.plugin.core.log.Logg. It is not a core type of Kestra 0.22–2.0. ' +
          'Did you mean io.kestra.plugin.core.log.Log?',
      ],
      [
        7,
        11,
        'error',
        'tasks[1].type',
        expect.stringMatching(/Did you mean io\.kestra\.plugin\.core\.flow\.ForEachItem\?$/),
      ],
      [
        9,
        11,
        'error',
        'tasks[2].type',
        expect.stringMatching(/Check the name in Kestra's plugin documentation\.$/),
      ],
      [
        11,
        11,
        'error',
        'tasks[3].type',
        expect.stringMatching(/moved to the scripts plugin \(io\.kestra\.plugin\.scripts\.shell\.Commands, /),
      ],
    ]);
  });

  it('without a target: every name of some version passes (1.3 and 2.0 types, old aliases)', () => {
    const vs = lint(
      flow(
        task('io.kestra.plugin.core.kv.Put', 'a'),
        task('io.kestra.plugin.core.flow.Loop', 'b'),
        task('io.kestra.core.tasks.log.Log', 'c'),
        task('io.kestra.plugin.core.flow.WaitFor', 'd'),
        task('io.kestra.plugin.core.flow.Approval', 'e'),
      ),
    );
    expect(vs.filter((v) => v.severity === 'error')).toEqual([]);
  });

  it('with a target: a core type of other versions is an error naming the versions that have it', () => {
    const text = flow(task('io.kestra.plugin.core.kv.Put')); // 5
    expect(types(lint(text, '1.2'))).toEqual([
      [
        5,
        11,
        'error',
        'tasks[0].type',
        'Invalid type: io.kestra.plugin.core.kv.Put. Kestra 1.2 has no such core type: Kestra 1.3–2.0 have it.',
      ],
    ]);
    expect(types(lint(text, '1.3'))).toEqual([]);
    expect(types(lint(flow(task('io.kestra.plugin.core.execution.SetVariables')), '0.23'))).toEqual([
      [5, 11, 'error', 'tasks[0].type', expect.stringContaining('Kestra 0.24–2.0 have it')],
    ]);
  });

  it('leaves to lint-versions.ts what it reports: Loop on 1.x, removed types on 2.x, one finding each', () => {
    const onOne = lint(flow(task('io.kestra.plugin.core.flow.Loop')), '1.3').filter((v) => v.line === 5);
    expect(onOne.map((v) => v.message)).toEqual([expect.stringMatching(/is Kestra 2\.0 syntax/)]);
    const onTwo = lint(flow(task('io.kestra.plugin.core.flow.ForEach')), '2.0').filter((v) => v.line === 5);
    expect(onTwo.map((v) => v.message)).toEqual([expect.stringMatching(/was removed in Kestra 2\.0/)]);
    const alias = lint(flow(task('io.kestra.core.tasks.log.Log')), '2.0').filter((v) => v.line === 5);
    expect(alias).toHaveLength(1);
  });

  it('checks triggers, their conditions (nested and in map form) and task runners; not other plugins', () => {
    const vs = lint([
      ...flow(
        task('io.kestra.plugin.scripts.shell.Commandz', 'a'), // 4-5: another plugin, the server's to judge
        ['    taskRunner:', '      type: io.kestra.plugin.core.runner.Proces'], // 6-7
        task('io.kestra.core.tasks.test.Read', 'b'), // 8-9: a class of Kestra's test suite
      ),
      'triggers:', // 10
      '  - id: s', // 11
      '    type: io.kestra.plugin.core.trigger.Schedul', // 12
      '    conditions:', // 13
      '      - type: io.kestra.plugin.core.condition.ExecutionStatusCondition', // 14
      '      - type: io.kestra.plugin.core.condition.Not', // 15
      '        conditions:', // 16
      '          - type: io.kestra.plugin.core.condition.Weekends', // 17
      '      - type: io.kestra.plugin.core.condition.MultipleCondition', // 18
      '        conditions:', // 19
      '          first:', // 20
      '            type: io.kestra.plugin.core.condition.ExecutionFlo', // 21
    ]);
    expect(types(vs).map(([line, , severity, path, message]) => [line, severity, path, message])).toEqual([
      [
        7,
        'error',
        'tasks[0].taskRunner.type',
        expect.stringMatching(/Did you mean io\.kestra\.plugin\.core\.runner\.Process\?/),
      ],
      [
        12,
        'error',
        'triggers[0].type',
        expect.stringMatching(/Did you mean io\.kestra\.plugin\.core\.trigger\.Schedule\?/),
      ],
      [
        17,
        'error',
        'triggers[0].conditions[1].conditions[0].type',
        expect.stringMatching(/Did you mean io\.kestra\.plugin\.core\.condition\.Weekend\?/),
      ],
      [
        21,
        'error',
        'triggers[0].conditions[2].conditions.first.type',
        expect.stringMatching(/Did you mean io\.kestra\.plugin\.core\.condition\.ExecutionFlow\?/),
      ],
    ]);
  });

  it('a core type used as another kind is an error: a trigger as a task, a task as a condition or runner', () => {
    const vs = lint([
      ...flow(
        task('io.kestra.plugin.core.trigger.Flow', 'a'), // 5
        task('io.kestra.plugin.core.trigger.Toggle', 'b'), // 7: a task, though in the trigger package
        ['    taskRunner:', '      type: io.kestra.plugin.core.log.Log'], // 9
      ),
      'triggers:',
      '  - id: t',
      '    type: io.kestra.plugin.core.http.Trigger', // 12
      '    conditions:',
      '      - type: io.kestra.core.tasks.log.Log', // 14: an alias, of a task
    ]);
    expect(types(vs).map(([line, , , path, message]) => [line, path, message])).toEqual([
      [
        5,
        'tasks[0].type',
        'Invalid type: io.kestra.plugin.core.trigger.Flow. It is a Kestra trigger, not a task.',
      ],
      [
        9,
        'tasks[1].taskRunner.type',
        'Invalid type: io.kestra.plugin.core.log.Log. It is a Kestra task, not a task runner.',
      ],
      [
        14,
        'triggers[0].conditions[0].type',
        'Invalid type: io.kestra.core.tasks.log.Log. It is a Kestra task, not a condition.',
      ],
    ]);
  });

  it('on 2.x judges no condition (the `conditions` key is refused), past the lists only warns', () => {
    const text = [
      ...flow(task('io.kestra.plugin.core.log.Logg')), // 5
      'triggers:',
      '  - id: s',
      '    type: io.kestra.plugin.core.trigger.Schedule',
      '    conditions:',
      '      - type: io.kestra.plugin.core.condition.Weekday', // 10
    ];
    expect(types(lint(text, '2.0')).map((r) => r[0])).toEqual([5]);
    const newer = types(lint(text, '2.1'));
    expect(newer).toEqual([
      [
        5,
        11,
        'warning',
        'tasks[0].type',
        'io.kestra.plugin.core.log.Logg is not a core type of any Kestra version this check knows (0.22–2.0); ' +
          'Kestra 2.1 may have it: the server decides. Did you mean io.kestra.plugin.core.log.Log?',
      ],
    ]);
  });
});

describe('core types whose release is not known', () => {
  // Found in a later index of Kestra's source than any list (scripts/core-types-later.txt): a valid flow of a
  // newer Kestra must not fail offline, whatever the target; a typo next to them still does.
  it('are never judged missing, with or without a target', () => {
    for (const target of [undefined, '1.3', '2.0'])
      expect([target, types(lint(flow(task('io.kestra.plugin.core.execution.Kill')), target))]).toEqual([
        target,
        [],
      ]);
    expect(types(lint(flow(task('io.kestra.plugin.core.flow.PurgeFlows')), '1.3'))).toEqual([]);
  });

  it('leave a name no source has an error', () => {
    expect(types(lint(flow(task('io.kestra.plugin.core.execution.Kil')), '2.0'))).toEqual([
      [
        5,
        11,
        'error',
        'tasks[0].type',
        expect.stringMatching(/^Invalid type: io\.kestra\.plugin\.core\.execution\.Kil\. .*Did you mean/),
      ],
    ]);
  });
});
