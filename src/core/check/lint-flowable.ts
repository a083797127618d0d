// Offline checks of Kestra's core flowable tasks, after their validators: empty child lists (@NotEmpty),
// required properties (@NotNull),
// Switch with neither cases nor defaults (SwitchTaskValidator), Dag dependencies (DagTaskValidator) and
// WorkingDirectory children (WorkingDirectoryTaskValidator). Only core types are checked: a plugin's own
// flowable tasks need the server.
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { FlowDoc } from '../../model/types.js';
import type { Add, At } from './lint-context.js';
import { deref, keyOffset, scalarString, type TaskRef } from '../parse/positions.js';
import {
  CORE_FLOW_PACKAGES,
  NON_RUNNABLE_CORE_TASKS,
  REQUIRED_CHILD_LIST,
  REQUIRED_CORE_PROPERTIES,
} from './rules.js';

/** `Sequential` for io.kestra.plugin.core.flow.Sequential or its io.kestra.core.tasks.flows alias. */
export function coreFlowName(type: string | undefined): string | undefined {
  const pkg = type === undefined ? undefined : CORE_FLOW_PACKAGES.find((p) => type.startsWith(p));
  return pkg === undefined ? undefined : type!.slice(pkg.length);
}

export function checkFlowables(flow: FlowDoc, tasks: TaskRef[], at: At, add: Add): void {
  for (const ref of tasks) {
    const name = coreFlowName(scalarString(ref.node.get('type', true), flow.doc));
    if (name === undefined) continue;
    const list = REQUIRED_CHILD_LIST[name];
    if (list !== undefined && isEmptyList(flow, ref.node, list)) {
      add(
        at(keyOffset(ref.node, list) ?? ref.node.range?.[0]),
        `${ref.path}.${list}`,
        'required',
        `${ref.path}.${list}: must not be empty. Add at least one task under '${list}'.`,
      );
    }
    for (const key of REQUIRED_CORE_PROPERTIES[name] ?? []) {
      const value = deref(ref.node.get(key, true), flow.doc);
      if (value !== undefined && !(isScalar(value) && value.value === null)) continue;
      add(
        at(keyOffset(ref.node, key) ?? ref.node.range?.[0]),
        `${ref.path}.${key}`,
        'required',
        `${ref.path}.${key}: must not be null. Give the ${name} a '${key}'.`,
      );
    }
    if (name === 'Switch') checkSwitch(flow, ref, at, add);
    if (name === 'Dag') checkDag(flow, ref, at, add);
    if (name === 'WorkingDirectory') checkWorkingDirectory(flow, ref, tasks, at, add);
  }
}

/** Missing, null, `[]`, or not a list: nothing Kestra could run. */
function isEmptyList(flow: FlowDoc, task: YAMLMap, key: string): boolean {
  const value = deref(task.get(key, true), flow.doc);
  return !isSeq(value) || value.items.length === 0;
}

const taskName = (flow: FlowDoc, ref: TaskRef): string =>
  scalarString(ref.node.get('id', true), flow.doc) ?? ref.path;

function checkSwitch(flow: FlowDoc, ref: TaskRef, at: At, add: Add): void {
  const cases = deref(ref.node.get('cases', true), flow.doc);
  const hasCases = isMap(cases) && cases.items.length > 0;
  if (hasCases || !isEmptyList(flow, ref.node, 'defaults')) return;
  add(
    at(keyOffset(ref.node, 'cases') ?? keyOffset(ref.node, 'defaults') ?? keyOffset(ref.node, 'id')),
    ref.path,
    'flowable',
    `${taskName(flow, ref)}: No task defined, neither cases or default have any tasks. ` +
      "Add a case under 'cases' or tasks under 'defaults'.",
  );
}

function checkDag(flow: FlowDoc, ref: TaskRef, at: At, add: Add): void {
  const name = taskName(flow, ref);
  const list = deref(ref.node.get('tasks', true), flow.doc);
  if (!isSeq(list) || list.items.length === 0) {
    add(
      at(keyOffset(ref.node, 'tasks') ?? keyOffset(ref.node, 'id')),
      `${ref.path}.tasks`,
      'flowable',
      `${name}: No task defined. Add the Dag's tasks under 'tasks', each as '- task: {…}'.`,
    );
    return;
  }
  // id → the ids it depends on, in document order, with where each dependency is written.
  const graph = new Map<string, { dep: string; offset: number | undefined }[]>();
  for (const item of list.items) {
    const entry = deref(item, flow.doc);
    if (!isMap(entry)) continue;
    const task = deref(entry.get('task', true), flow.doc);
    const id = isMap(task) ? scalarString(task.get('id', true), flow.doc) : undefined;
    if (id === undefined) continue;
    const depends = deref(entry.get('dependsOn', true), flow.doc);
    const deps = isSeq(depends)
      ? depends.items.flatMap((d) => {
          const dep = scalarString(d, flow.doc);
          return dep === undefined ? [] : [{ dep, offset: (d as Node).range?.[0] }];
        })
      : [];
    graph.set(id, [...(graph.get(id) ?? []), ...deps]);
  }
  const missing = [...graph.values()].flat().filter((d) => !graph.has(d.dep));
  if (missing.length > 0) {
    add(
      at(missing[0]!.offset),
      `${ref.path}.tasks`,
      'flowable',
      `${name}: Not existing task id in dependency: ${[...new Set(missing.map((m) => m.dep))].join(', ')}. ` +
        "Name a task of this Dag in 'dependsOn'.",
    );
    return; // as Kestra: the cycle check runs once every dependency exists
  }
  const cyclic = [...graph.keys()].filter((id) => reaches(graph, id, id));
  if (cyclic.length > 0) {
    const first = graph.get(cyclic[0]!)!.find((d) => cyclic.includes(d.dep));
    add(
      at(first?.offset),
      `${ref.path}.tasks`,
      'flowable',
      `${name}: Cyclic dependency detected: ${cyclic.join(', ')}. Remove one of the 'dependsOn' links.`,
    );
  }
}

/** Whether `to` can be reached from `from` by following dependencies (at least one step). */
function reaches(graph: Map<string, { dep: string }[]>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = (graph.get(from) ?? []).map((d) => d.dep);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(graph.get(id) ?? []).map((d) => d.dep));
  }
  return false;
}

function checkWorkingDirectory(flow: FlowDoc, ref: TaskRef, tasks: TaskRef[], at: At, add: Add): void {
  const name = taskName(flow, ref);
  if (isEmptyList(flow, ref.node, 'tasks')) {
    add(
      at(keyOffset(ref.node, 'tasks') ?? keyOffset(ref.node, 'id')),
      `${ref.path}.tasks`,
      'flowable',
      `${name}: The 'tasks' property cannot be empty. Add the tasks to run in the working directory.`,
    );
    return;
  }
  // Its direct children: the tasks collected right under `<path>.tasks[i]`.
  const children = tasks.filter((t) => new RegExp(`^${escape(ref.path)}\\.tasks\\[\\d+\\]$`).test(t.path));
  const flowable = children.find((c) =>
    NON_RUNNABLE_CORE_TASKS.has(coreFlowName(scalarString(c.node.get('type', true), flow.doc)) ?? ''),
  );
  if (flowable) {
    const typeNode = flowable.node.get('type', true) as Node | undefined;
    add(
      at(typeNode?.range?.[0]),
      `${flowable.path}.type`,
      'flowable',
      `${name}: Only runnable tasks are allowed as children of a WorkingDirectory task ` +
        `('${taskName(flow, flowable)}' is not). Move it out of the WorkingDirectory.`,
    );
    return;
  }
  const grouped = children.find((c) => {
    const group = c.node.get('workerGroup', true);
    return group !== undefined && !(isScalar(group) && group.value === null);
  });
  if (grouped) {
    add(
      at(keyOffset(grouped.node, 'workerGroup')),
      `${grouped.path}.workerGroup`,
      'flowable',
      `${name}: Cannot set a Worker Group in any WorkingDirectory sub-tasks, it is only supported at the ` +
        'WorkingDirectory level. Move this workerGroup to the WorkingDirectory task.',
    );
  }
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
