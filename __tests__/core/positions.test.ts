import { describe, expect, it } from '@jest/globals';
import { parseFlows } from '../../src/core/parse/parse.js';
import {
  collectTasks,
  flowStart,
  locatePath,
  locateType,
  parsePath,
  positionOfDuplicateId,
  positionOfLabel,
  positionOfPath,
  positionOfType,
} from '../../src/core/parse/positions.js';
import { fixture, flowOf, oneFlow } from './helpers.js';

const nested = oneFlow(fixture('nested.yaml'));
const duplicates = parseFlows([fixture('duplicates.yaml')]).flows[0]!;
const pos = (line: number, column: number) => ({ line, column });

describe('parsePath', () => {
  it('splits keys and indexes', () => {
    expect(parsePath('tasks[1].tasks[0].type')).toEqual(['tasks', 1, 'tasks', 0, 'type']);
    expect(parsePath('labels[system.readOnly]')).toEqual(['labels', 'system.readOnly']);
    expect(parsePath('hello.message')).toEqual(['hello', 'message']);
  });

  it('reads JSON pointers and Jackson reference chains', () => {
    expect(parsePath('/tasks/1/type')).toEqual(['tasks', 1, 'type']);
    expect(parsePath('/labels/a~1b')).toEqual(['labels', 'a/b']);
    expect(
      parsePath(
        'io.kestra.core.models.flows.Flow["tasks"]->java.util.ArrayList[1]->io.kestra.plugin.core.log.Log["foo"]',
      ),
    ).toEqual(['tasks', 1, 'foo']);
  });
});

describe('locatePath: every form the server uses, to the node and its indexed path', () => {
  it.each([
    // Task ids, nested ones too, and the server's habit of naming a nested task's whole path by its own id.
    ['hello.message', 16, 'tasks[0].message'],
    ['inner.inner.message', 22, 'tasks[1].tasks[0].message'],
    ['then_task.then[0].format', 36, 'tasks[2].then[0].format'],
    ['dag_child.dag_child.dag_child.task.message', 29, 'tasks[1].tasks[1].tasks[0].task.message'],
    ['case_a.message', 48, 'tasks[3].cases.A[0].message'],
    ['on_error.message', 57, 'errors[0].message'],
    // Triggers and inputs by id, and by index.
    ['schedule.cron', 62, 'triggers[0].cron'],
    ['user.type', 11, 'inputs[0].type'],
    ['inputs[0].type', 11, 'inputs[0].type'],
    // The n-th label of a map, as the server numbers labels.
    ['labels[1].key', 7, 'labels[1].key'],
    ['labels[1].value', 7, 'labels[1].value'],
    // JSON pointer and Jackson chain.
    ['/tasks/1/tasks/0/message', 22, 'tasks[1].tasks[0].message'],
    [
      'io.kestra.core.models.flows.Flow["triggers"]->java.util.ArrayList[0]->io.kestra.plugin.core.trigger.Schedule["cron"]',
      62,
      'triggers[0].cron',
    ],
  ])('%s → line %d, %s', (path, line, written) => {
    const found = locatePath(nested, path);
    expect([found.position.line, found.path, found.exact]).toEqual([line, written, true]);
  });

  it('reads ids that hold dots or spaces (the server names an invalid id by itself)', () => {
    const flow = flowOf(
      'id: a\nnamespace: b\ninputs:\n  - id: my input\n    type: STRING\ntasks:\n' +
        '  - id: hello.world\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n',
    );
    expect(locatePath(flow, 'hello.world.message')).toMatchObject({
      position: pos(9, 5),
      path: 'tasks[0].message',
    });
    expect(locatePath(flow, 'my input.id')).toMatchObject({ position: pos(4, 5), path: 'inputs[0].id' });
  });

  it('writes out the rest of a path that goes further than the document, so both ways of naming it agree', () => {
    expect(locatePath(nested, 'hello.timeout')).toMatchObject({
      position: pos(14, 5),
      path: 'tasks[0].timeout',
      exact: false,
    });
    expect(locatePath(flowOf('id: a\ntasks: []\n'), 'namespace')).toMatchObject({
      position: pos(1, 1),
      path: 'namespace',
      exact: false,
    });
  });
});

describe('locateType', () => {
  it('gives the path of the first object of a type, and of the first without one for `null`', () => {
    expect(locateType(nested, 'io.kestra.plugin.core.flow.Dag')).toMatchObject({
      position: pos(24, 9),
      path: 'tasks[1].tasks[1].type',
    });
    const untyped = flowOf(
      'id: a\nnamespace: b\ntasks:\n  - id: ok\n    type: x.Y\n  - id: bare\n    message: hi\n',
    );
    expect(locateType(untyped, null)).toMatchObject({ position: pos(6, 5), path: 'tasks[1].type' });
  });
});

describe('positionOfPath', () => {
  it.each([
    ['namespace', pos(3, 1)],
    ['labels', pos(5, 1)],
    ['labels.team', pos(7, 3)],
    ['inputs[0].id', pos(10, 5)],
    ['tasks[0]', pos(14, 5)],
    ['tasks[1].type', pos(18, 5)],
    ['tasks[1].tasks[0]', pos(20, 9)],
    ['tasks[1].tasks[1].tasks[0].task.id', pos(27, 15)],
    ['tasks[3].cases.A[0].message', pos(48, 11)],
    ['triggers[0].cron', pos(62, 5)],
    ['flow.id', pos(2, 1)],
    ['flow.namespace', pos(3, 1)],
  ])('%s → its key or item', (path, expected) => {
    expect(positionOfPath(nested, path)).toEqual(expected);
  });

  it.each([
    ['hello.message', pos(16, 5)],
    ['inner.message', pos(22, 9)],
    ['dag_child.message', pos(29, 15)],
    ['case_default.type', pos(51, 9)],
    ['schedule.cron', pos(62, 5)],
    ['parallel.tasks[0].message', pos(22, 9)],
  ])('%s → the task (or trigger) with that id, then the key', (path, expected) => {
    expect(positionOfPath(nested, path)).toEqual(expected);
  });

  it.each([
    ['tasks[1].tasks[5].message', pos(19, 5)], // tasks[1].tasks exists, item 5 does not
    ['tasks[0].workerGroup', pos(14, 5)],
    ['hello.workerGroup', pos(14, 5)],
    ['nothing.here', pos(2, 1)],
  ])('%s → the deepest node found', (path, expected) => {
    expect(positionOfPath(nested, path)).toEqual(expected);
  });

  it('adds the line offset of a later document', () => {
    const second = parseFlows([fixture('multi-doc.yaml')]).flows[1]!;
    expect(positionOfPath(second, 'tasks[0].message')).toEqual(pos(15, 5));
    expect(flowStart(second)).toEqual(pos(10, 1));
  });

  it('reads dotted label keys whole', () => {
    const flow = flowOf('id: a\nnamespace: b\nlabels:\n  system.readOnly: "true"\ntasks: []\n');
    expect(positionOfPath(flow, 'labels.system.readOnly')).toEqual(pos(4, 3));
  });
});

describe('positionOfType, positionOfLabel, flowStart', () => {
  it('finds the first `type: T`', () => {
    expect(positionOfType(nested, 'io.kestra.plugin.core.log.Log')).toEqual(pos(15, 5));
    expect(positionOfType(nested, 'io.kestra.plugin.core.flow.Dag')).toEqual(pos(24, 9));
    expect(positionOfType(nested, 'io.kestra.plugin.core.trigger.Schedule')).toEqual(pos(61, 5));
    expect(positionOfType(nested, 'io.kestra.Missing')).toBeUndefined();
  });

  it('finds a label in map and list form', () => {
    expect(positionOfLabel(nested, 'team')).toEqual(pos(7, 3));
    const list = oneFlow(fixture('list-labels.yaml'));
    expect(positionOfLabel(list, 'owner')).toEqual(pos(6, 5));
    expect(positionOfLabel(list, 'nope')).toBeUndefined();
  });

  it('starts a flow at its first content line, after comments', () => {
    expect(flowStart(nested)).toEqual(pos(2, 1));
  });
});

describe('positionOfDuplicateId', () => {
  it('points at the second occurrence of each kind', () => {
    expect(positionOfDuplicateId(duplicates, 'hello', 'task')).toEqual(pos(25, 9));
    expect(positionOfDuplicateId(duplicates, 'cleanup', 'task')).toEqual(pos(33, 9));
    expect(positionOfDuplicateId(duplicates, 'schedule', 'trigger')).toEqual(pos(46, 5));
    expect(positionOfDuplicateId(duplicates, 'user', 'input')).toEqual(pos(7, 5));
    expect(positionOfDuplicateId(duplicates, 'result', 'output')).toEqual(pos(14, 5));
  });

  it('falls back to the only occurrence, or nothing', () => {
    expect(positionOfDuplicateId(duplicates, 'seq', 'task')).toEqual(pos(22, 5));
    expect(positionOfDuplicateId(duplicates, 'ghost', 'task')).toBeUndefined();
  });
});

describe('collectTasks', () => {
  it('walks flowable children (tasks, Dag task, then/else, cases, defaults) and errors, in document order', () => {
    expect(collectTasks(nested).map((t) => t.path)).toEqual([
      'tasks[0]',
      'tasks[1]',
      'tasks[1].tasks[0]',
      'tasks[1].tasks[1]',
      'tasks[1].tasks[1].tasks[0].task',
      'tasks[2]',
      'tasks[2].then[0]',
      'tasks[2].else[0]',
      'tasks[3]',
      'tasks[3].cases.A[0]',
      'tasks[3].defaults[0]',
      'errors[0]',
    ]);
  });

  it("takes a plugin's own `tasks` for data: only items with id and type are tasks there", () => {
    const flow = flowOf(
      'id: batch\nnamespace: company\ntasks:\n' +
        '  - id: create\n    type: io.kestra.plugin.azure.batch.job.Create\n    tasks:\n' +
        '      - id: env\n        commands: [echo hi]\n' +
        '      - type: spec.Only\n' +
        '      - id: real\n        type: io.kestra.plugin.core.log.Log\n' +
        '  - id: seq\n    type: io.kestra.core.tasks.flows.Sequential\n    tasks:\n' +
        '      - id: untyped\n',
    );
    expect(collectTasks(flow).map((t) => t.path)).toEqual([
      'tasks[0]',
      'tasks[0].tasks[2]',
      'tasks[1]',
      'tasks[1].tasks[0]',
    ]);
  });

  it('includes nested errors/finally and afterExecution', () => {
    expect(collectTasks(duplicates).map((t) => t.node.get('id'))).toEqual([
      'hello',
      'seq',
      'hello',
      'cleanup',
      'cleanup',
      'hello',
    ]);
  });
});
