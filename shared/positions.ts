// Maps what Kestra talks about (a property path, a type, an id, a label) to a 1-based line and column in the
// file. Lines are file lines: a document's own line plus its `lineOffset`. Keys point at the key token, list
// items at their first character.
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  visit,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import type { FlowDoc } from './types.js';

export interface Position {
  line: number;
  column: number;
}

/** Position of a character offset within `flow.source`. */
export function positionAt(flow: FlowDoc, offset: number): Position {
  const { line, col } = flow.lineCounter.linePos(Math.max(0, Math.min(offset, flow.source.length)));
  return { line: flow.lineOffset + line, column: col };
}

/** The flow's first content line (where a problem about the whole flow is reported). */
export function flowStart(flow: FlowDoc): Position {
  const start = flow.doc.contents?.range?.[0];
  return start === undefined ? { line: flow.line, column: 1 } : positionAt(flow, start);
}

/** `tasks[1].type` → ['tasks', 1, 'type']; `labels[system.readOnly]` → ['labels', 'system.readOnly']. */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[([^\]]*)\]/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined)
      out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2].replace(/^["']|["']$/g, ''));
  }
  return out;
}

/**
 * Where a Kestra property path points. Understands list indexes (`tasks[0].tasks[2]`), dotted keys
 * (`labels.system.readOnly`) and the task-id form the server uses (`hello.message`: the task whose id is
 * `hello`, anywhere in the flow). When the path goes further than the document, returns the deepest node
 * found (the flow's start at worst).
 */
export function positionOfPath(flow: FlowDoc, path: string): Position {
  const segments = parsePath(path);
  // Update checks name the flow itself: `flow.id`.
  if (segments[0] === 'flow' && isMap(flow.doc.contents) && !flow.doc.contents.has('flow')) segments.shift();
  let node: unknown = flow.doc.contents;
  let offset = flow.doc.contents?.range?.[0] ?? 0;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (typeof segment === 'number') {
      if (!isSeq(node)) break;
      const item = node.items[segment] as Node | undefined;
      if (!item?.range) break;
      node = item;
      offset = item.range[0];
      continue;
    }
    if (isMap(node)) {
      // A key may itself contain dots (`system.readOnly`): try the longest run of segments first.
      let matched = false;
      for (let j = segments.length; j > i; j--) {
        const run = segments.slice(i, j);
        if (run.some((s) => typeof s === 'number')) continue;
        const pair = findPair(node, run.join('.'));
        if (!pair) continue;
        offset = (pair.key as Scalar).range?.[0] ?? offset;
        node = pair.value;
        i = j - 1;
        matched = true;
        break;
      }
      if (matched) continue;
    }
    // The server names tasks by id: `hello.message`.
    const byId = findById(flow, node, segment);
    if (!byId) break;
    node = byId;
    offset = keyOffset(byId, 'id') ?? byId.range?.[0] ?? offset;
  }
  return positionAt(flow, offset);
}

/** The key `type` of the first task, trigger or other object whose type is `type`. */
export function positionOfType(flow: FlowDoc, type: string): Position | undefined {
  let found: number | undefined;
  visit(flow.doc, {
    Pair(_k, pair) {
      if (
        isScalar(pair.key) &&
        pair.key.value === 'type' &&
        isScalar(pair.value) &&
        pair.value.value === type
      ) {
        found = pair.key.range?.[0];
        return visit.BREAK;
      }
    },
  });
  return found === undefined ? undefined : positionAt(flow, found);
}

export type IdKind = 'task' | 'trigger' | 'input' | 'output';

/** The `id` key of the second object of that kind with that id (the first one when there is only one). */
export function positionOfDuplicateId(flow: FlowDoc, id: string, kind: IdKind): Position | undefined {
  const matches = idOwners(flow, kind).filter((o) => o.id === id);
  const target = matches[1] ?? matches[0];
  return target ? positionAt(flow, target.offset) : undefined;
}

/** A label's key: the map key in map form, the item's `key` in list form. */
export function positionOfLabel(flow: FlowDoc, key: string): Position | undefined {
  const labels = topValue(flow, 'labels');
  if (isMap(labels)) {
    const pair = findPair(labels, key);
    const at = (pair?.key as Scalar | undefined)?.range?.[0];
    return at === undefined ? undefined : positionAt(flow, at);
  }
  if (isSeq(labels)) {
    for (const item of labels.items) {
      if (isMap(item) && scalarString(item.get('key', true), flow.doc) === key) {
        const at = keyOffset(item, 'key') ?? item.range?.[0];
        return at === undefined ? undefined : positionAt(flow, at);
      }
    }
  }
  return undefined;
}

// --- traversal shared with lint -------------------------------------------------------------------------------

/** A task found in the flow: its mapping and its Kestra path (`tasks[0].tasks[1]`). */
export interface TaskRef {
  node: YAMLMap;
  path: string;
}

const ROOT_TASK_LISTS = ['tasks', 'errors', 'finally', 'afterExecution'];
// Properties of flowable tasks that hold child tasks (Sequential, Parallel, If, Switch, ForEach, Dag, …).
const CHILD_TASK_LISTS = [
  'tasks',
  'errors',
  'finally',
  'afterExecution',
  'then',
  'else',
  'default',
  'defaults',
];

/**
 * Every task of the flow, nested ones included, in document order: flow `tasks`, `errors`, `finally`,
 * `afterExecution`, the deprecated `listeners[].tasks`, and the children of flowable tasks (`tasks`, `errors`,
 * `finally`, `then`, `else`, `cases.*`, `defaults`, and `tasks[].task` of a Dag).
 */
export function collectTasks(flow: FlowDoc): TaskRef[] {
  const out: TaskRef[] = [];
  const top = flow.doc.contents;
  if (!isMap(top)) return out;
  const walkList = (list: unknown, path: string, root: boolean): void => {
    if (!isSeq(list)) return;
    list.items.forEach((item, i) => {
      if (!isMap(item)) return;
      const itemPath = `${path}[${i}]`;
      const dagTask = item.get('task', true);
      if (!item.has('type') && !item.has('id') && isMap(dagTask)) {
        visitTask(dagTask, `${itemPath}.task`);
      } else if (root || item.has('type') || item.has('id')) {
        visitTask(item, itemPath);
      }
    });
  };
  const visitTask = (task: YAMLMap, path: string): void => {
    out.push({ node: task, path });
    for (const key of CHILD_TASK_LISTS) walkList(task.get(key, true), `${path}.${key}`, false);
    const cases = task.get('cases', true);
    if (isMap(cases)) {
      for (const pair of cases.items as Pair[])
        walkList(pair.value, `${path}.cases.${scalarString(pair.key)}`, false);
    }
  };
  for (const key of ROOT_TASK_LISTS) walkList(top.get(key, true), key, true);
  const listeners = top.get('listeners', true);
  if (isSeq(listeners)) {
    listeners.items.forEach((l, i) => {
      if (isMap(l)) walkList(l.get('tasks', true), `listeners[${i}].tasks`, true);
    });
  }
  return out.sort((a, b) => (a.node.range?.[0] ?? 0) - (b.node.range?.[0] ?? 0));
}

/** Objects that carry an id of one kind, in document order, with the offset of their `id` key. */
export function idOwners(
  flow: FlowDoc,
  kind: IdKind,
): { id: string; offset: number; node: YAMLMap; path: string }[] {
  const refs: TaskRef[] =
    kind === 'task'
      ? collectTasks(flow)
      : listItems(
          topValue(flow, kind === 'trigger' ? 'triggers' : kind === 'input' ? 'inputs' : 'outputs'),
          `${kind}s`,
        );
  const out: { id: string; offset: number; node: YAMLMap; path: string }[] = [];
  for (const ref of refs) {
    // Inputs of old flows used `name` for their id.
    const idKey = ref.node.has('id') || kind !== 'input' ? 'id' : 'name';
    const id = scalarString(ref.node.get(idKey, true), flow.doc);
    const offset = keyOffset(ref.node, idKey) ?? ref.node.range?.[0];
    if (id !== undefined && offset !== undefined) out.push({ id, offset, node: ref.node, path: ref.path });
  }
  return out;
}

/** The mapping items of a top-level list, with their paths. */
export function listItems(list: unknown, path: string): TaskRef[] {
  if (!isSeq(list)) return [];
  const out: TaskRef[] = [];
  list.items.forEach((item, i) => {
    if (isMap(item)) out.push({ node: item, path: `${path}[${i}]` });
  });
  return out;
}

export function topValue(flow: FlowDoc, key: string): unknown {
  const top = flow.doc.contents;
  return isMap(top) ? top.get(key, true) : undefined;
}

export function findPair(map: YAMLMap, key: string): Pair | undefined {
  return (map.items as Pair[]).find((p) => scalarString(p.key) === key);
}

/** Offset of a key token in a mapping. */
export function keyOffset(map: YAMLMap, key: string): number | undefined {
  return (findPair(map, key)?.key as Scalar | undefined)?.range?.[0];
}

/**
 * A scalar's value as text (`123` → "123"); undefined for null, collections and missing nodes. Given the
 * document, an alias (`*team`) stands for the node it refers to, as it does for Kestra: an alias of a
 * scalar is a plain value.
 */
export function scalarString(node: unknown, doc?: Document): string | undefined {
  const value = doc ? deref(node, doc) : node;
  if (!isScalar(value) || value.value === null || value.value === undefined) return undefined;
  return String(value.value);
}

/** The node an alias refers to (undefined when its anchor is missing); any other node as it is. */
export function deref(node: unknown, doc: Document): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/** A task or trigger with that id under `scope` (or anywhere when `scope` holds none). */
function findById(flow: FlowDoc, scope: unknown, id: string): YAMLMap | undefined {
  const inScope = (node: YAMLMap): boolean => {
    const r = (scope as Node | null)?.range;
    const n = node.range;
    return !r || !n || (n[0] >= r[0] && n[1] <= r[2]);
  };
  const candidates = [...idOwners(flow, 'task'), ...idOwners(flow, 'trigger')].filter((o) => o.id === id);
  return (candidates.find((c) => inScope(c.node)) ?? candidates[0])?.node;
}
