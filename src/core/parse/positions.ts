// Maps what Kestra talks about (a property path, a type, an id, a label) to a 1-based line and column in the
// file. Lines are file lines: a document's own line plus its `lineOffset`. Keys point at the key token, list
// items at their first character.
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  visit,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import type { FlowDoc, Position } from '../../model/types.js';

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
  // A JSON pointer (`/tasks/1/type`, problem details of Kestra 2.0).
  if (path.startsWith('/')) {
    return path
      .slice(1)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  }
  // A Jackson reference chain: `io.kestra.core.models.flows.Flow["tasks"]->java.util.ArrayList[1]->…["foo"]`.
  if (path.includes('->') || /^[\w.$]+\["/.test(path)) {
    const out: (string | number)[] = [];
    for (const m of path.matchAll(/\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]/g)) {
      out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : Number(m[2]));
    }
    return out;
  }
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[([^\]]*)\]/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined)
      out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2].replace(/^["']|["']$/g, ''));
  }
  return out;
}

/** Where a path leads: the position, the path in its one written form, and whether all of it was found. */
export interface Located {
  position: Position;
  /** The path with list indexes (`tasks[1].message`), however it was given (task ids, pointer, Jackson). */
  path: string;
  /** False when the path goes further than the document: `position` is then the deepest node found. */
  exact: boolean;
  /** The node reached (a value, or a key/value pair for a label numbered like a list item). */
  node?: unknown;
}

/** Where a Kestra property path points; see `locatePath`. */
export function positionOfPath(flow: FlowDoc, path: string): Position {
  return locatePath(flow, path).position;
}

/**
 * Where a Kestra property path points, and its written form. Understands list indexes (`tasks[0].tasks[2]`),
 * dotted keys (`labels.system.readOnly`), the n-th label of a map (`labels[1].key`, as the server numbers
 * labels), JSON pointers and Jackson reference chains, and the id forms the server uses: `hello.message` is
 * the task (or trigger, or input) whose id is `hello`, anywhere in the flow. The server names a nested task's
 * path by its own id throughout (`child.child.message`, `child.then[1].message`): what follows an id is
 * first read in full from that task, then from its end.
 */
export function locatePath(flow: FlowDoc, path: string): Located {
  const segments = parsePath(path);
  // Update checks name the flow itself: `flow.id`.
  if (segments[0] === 'flow' && isMap(flow.doc.contents) && !flow.doc.contents.has('flow')) segments.shift();
  const root = flow.doc.contents as Node | null;
  const walked = walk(flow, { node: root, offset: root?.range?.[0] ?? 0, path: '' }, segments, 0);
  return {
    position: positionAt(flow, walked.offset),
    path: walked.path,
    exact: walked.exact,
    node: walked.node,
  };
}

interface Step {
  node: unknown;
  offset: number;
  path: string;
}

const join = (path: string, segment: string | number): string =>
  typeof segment === 'number' ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment;

function walk(
  flow: FlowDoc,
  start: Step,
  segments: (string | number)[],
  from: number,
): Step & { exact: boolean } {
  let { node, offset, path } = start;
  for (let i = from; i < segments.length; i++) {
    const segment = segments[i]!;
    // `labels[1].key`: the server numbers the pairs of a label map like the items of a list.
    if (isPair(node)) {
      const part = segment === 'key' ? node.key : segment === 'value' ? node.value : undefined;
      if (part === undefined) return unfinished(node, offset, path, segments, i);
      node = part;
      offset = (part as Node | null)?.range?.[0] ?? offset;
      path = join(path, segment);
      continue;
    }
    if (typeof segment === 'number') {
      const items = isSeq(node) || isMap(node) ? node.items : undefined;
      const item = items?.[segment] as Node | Pair | undefined;
      const at = isPair(item) ? (item.key as Node | null)?.range?.[0] : item?.range?.[0];
      if (!item || at === undefined) return unfinished(node, offset, path, segments, i);
      node = item;
      offset = at;
      path = join(path, segment);
      continue;
    }
    if (isMap(node)) {
      // A key may itself contain dots (`system.readOnly`): try the longest run of segments first.
      const found = longestRun(segments, i, (key) => findPair(node as YAMLMap, key));
      if (found) {
        const [pair, key, end] = found;
        offset = (pair.key as Scalar).range?.[0] ?? offset;
        node = pair.value;
        path = join(path, key);
        i = end - 1;
        continue;
      }
    }
    // The server names tasks by id (`hello.message`); ids may hold dots too.
    const byId = longestRun(segments, i, (id) => findById(flow, node, id));
    if (!byId) return unfinished(node, offset, path, segments, i);
    const [owner, , end] = byId;
    const step = { node: owner.node, offset: owner.offset, path: owner.path };
    const full = walk(flow, step, segments, end);
    if (full.exact) return full;
    for (let k = end + 1; k < segments.length; k++) {
      const tail = walk(flow, step, segments, k);
      if (tail.exact) return tail;
    }
    return full;
  }
  return { node, offset, path, exact: true };
}

/** The deepest step reached, with the rest of the path written on, so two ways of naming a missing node agree. */
function unfinished(
  node: unknown,
  offset: number,
  path: string,
  segments: (string | number)[],
  from: number,
): Step & { exact: boolean } {
  return { node, offset, path: segments.slice(from).reduce<string>(join, path), exact: false };
}

/** The longest run of string segments from `from` that `find` knows, joined by dots, with where it ends. */
function longestRun<T>(
  segments: (string | number)[],
  from: number,
  find: (name: string) => T | undefined,
): [T, string, number] | undefined {
  for (let j = segments.length; j > from; j--) {
    const run = segments.slice(from, j);
    if (run.some((s) => typeof s === 'number')) continue;
    const name = run.join('.');
    const found = find(name);
    if (found !== undefined) return [found, name, j];
  }
  return undefined;
}

/** The key `type` of the first task, trigger or other object whose type is `type`. */
export function positionOfType(flow: FlowDoc, type: string): Position | undefined {
  return locateType(flow, type)?.position;
}

/** The first object whose type is `type` (the first without one for `null`), at its `type` key, with its path. */
export function locateType(flow: FlowDoc, type: string | null): Located | undefined {
  if (type === null) {
    const untyped = [...collectTasks(flow), ...listItems(topValue(flow, 'triggers'), 'triggers')]
      .concat(listItems(topValue(flow, 'inputs'), 'inputs'))
      .filter((ref) => !ref.node.has('type'))
      .sort((a, b) => (a.node.range?.[0] ?? 0) - (b.node.range?.[0] ?? 0))[0];
    return untyped
      ? {
          position: positionAt(flow, untyped.node.range?.[0] ?? 0),
          path: `${untyped.path}.type`,
          exact: false,
        }
      : undefined;
  }
  return locateKey(flow, 'type', (map) => scalarString(map.get('type', true), flow.doc) === type)[0];
}

/**
 * Every mapping below the top that has the key `key` and passes `accept`, at that key, with its path, in
 * document order.
 */
export function locateKey(
  flow: FlowDoc,
  key: string,
  accept: (map: YAMLMap) => boolean = () => true,
): Located[] {
  const out: Located[] = [];
  visit(flow.doc, {
    Map(_k, map, ancestors) {
      if (map === flow.doc.contents || !accept(map)) return;
      const pair = findPair(map, key);
      const at = (pair?.key as Scalar | undefined)?.range?.[0];
      if (at === undefined) return;
      const path = join(pathOf(ancestors, map), key);
      out.push({ position: positionAt(flow, at), path, exact: true, node: pair?.value });
    },
  });
  return out;
}

/** The Kestra path of a node from the ancestors `visit` hands over (`tasks[0].then[1]`). */
function pathOf(ancestors: readonly unknown[], node: unknown): string {
  let path = '';
  ancestors.forEach((a, i) => {
    const child = ancestors[i + 1] ?? node;
    if (isPair(a)) path = join(path, scalarString(a.key) ?? '?');
    else if (isSeq(a)) path = join(path, a.items.indexOf(child as never));
  });
  return path;
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

// Types whose child lists are tasks: Kestra's flowable tasks (their package, current and legacy). Under any
// other type a `tasks` list may be the plugin's own data (Azure Batch `job.Create` holds Batch task specs):
// there only an item with both `id` and `type` is taken for a task.
const FLOWABLE_PACKAGES = ['io.kestra.plugin.core.flow.', 'io.kestra.core.tasks.flows.'];

/** Whether a task of this type holds child tasks in its task lists. */
export function isFlowableType(type: string | undefined): boolean {
  return type !== undefined && FLOWABLE_PACKAGES.some((p) => type.startsWith(p));
}

/**
 * Every task of the flow, nested ones included, in document order: flow `tasks`, `errors`, `finally`,
 * `afterExecution`, the deprecated `listeners[].tasks`, and the children of flowable tasks (`tasks`, `errors`,
 * `finally`, `then`, `else`, `cases.*`, `defaults`, and `tasks[].task` of a Dag). Under other types, only list
 * items with both `id` and `type` count as tasks.
 */
export function collectTasks(flow: FlowDoc): TaskRef[] {
  const out: TaskRef[] = [];
  const top = flow.doc.contents;
  if (!isMap(top)) return out;
  // `root`: any mapping is a task; `flowable`: one with an id or a type is; otherwise it needs both.
  const walkList = (list: unknown, path: string, trust: 'root' | 'flowable' | 'other'): void => {
    if (!isSeq(list)) return;
    list.items.forEach((item, i) => {
      if (!isMap(item)) return;
      const itemPath = `${path}[${i}]`;
      const dagTask = item.get('task', true);
      const hasId = item.has('id');
      const hasType = item.has('type');
      if (trust !== 'other' && !hasType && !hasId && isMap(dagTask)) {
        visitTask(dagTask, `${itemPath}.task`);
      } else if (trust === 'root' || (trust === 'flowable' ? hasType || hasId : hasType && hasId)) {
        visitTask(item, itemPath);
      }
    });
  };
  const visitTask = (task: YAMLMap, path: string): void => {
    out.push({ node: task, path });
    const trust = isFlowableType(scalarString(task.get('type', true), flow.doc)) ? 'flowable' : 'other';
    for (const key of CHILD_TASK_LISTS) walkList(task.get(key, true), `${path}.${key}`, trust);
    const cases = task.get('cases', true);
    if (isMap(cases)) {
      for (const pair of cases.items as Pair[])
        walkList(pair.value, `${path}.cases.${scalarString(pair.key)}`, trust);
    }
  };
  for (const key of ROOT_TASK_LISTS) walkList(top.get(key, true), key, 'root');
  const listeners = top.get('listeners', true);
  if (isSeq(listeners)) {
    listeners.items.forEach((l, i) => {
      if (isMap(l)) walkList(l.get('tasks', true), `listeners[${i}].tasks`, 'root');
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

/**
 * The task, trigger or input with that id under `scope` (or anywhere when `scope` holds none), with the
 * offset of its `id` key and its path.
 */
function findById(
  flow: FlowDoc,
  scope: unknown,
  id: string,
): { node: YAMLMap; offset: number; path: string } | undefined {
  const inScope = (node: YAMLMap): boolean => {
    const r = (scope as Node | null)?.range;
    const n = node.range;
    return !r || !n || (n[0] >= r[0] && n[1] <= r[2]);
  };
  const candidates = [
    ...idOwners(flow, 'task'),
    ...idOwners(flow, 'trigger'),
    ...idOwners(flow, 'input'),
  ].filter((o) => o.id === id);
  return candidates.find((c) => inScope(c.node)) ?? candidates[0];
}

/** The Kestra property path (`tasks[0].message`) of a node, from the ancestors `visit` gives. */
export function nodePath(ancestors: readonly unknown[], node: unknown): string {
  return ancestors
    .map((a, i) => {
      if (isPair(a)) return `.${scalarString(a.key) ?? '?'}`;
      if (isSeq(a)) return `[${a.items.indexOf((ancestors[i + 1] ?? node) as never)}]`;
      return '';
    })
    .join('')
    .replace(/^\./, '');
}
