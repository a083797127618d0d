// Walking a parsed flow the way Kestra's Flow model does: allTasks(), allTasksWithChilds() and the child
// lists of flowable tasks (FlowableTask.allChildTasks()). Paths are Java property paths (`tasks[0].then[1]`).

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A scalar as Jackson would bind it to a String field (numbers and booleans become their text). */
export function str(v: unknown): string | undefined {
  if (v === null || v === undefined || typeof v === 'object') return undefined;
  return String(v);
}

export interface TaskRef {
  task: Obj;
  /** Java property path of the task, e.g. `tasks[0].tasks[1]`. */
  path: string;
}

// Keys under which flowable tasks keep child tasks, in allChildTasks() order.
const CHILD_LISTS = ['then', 'else', 'defaults', 'default', 'errors', 'finally'];

// Kestra's flowable tasks live in its core flow package (current and legacy names). Any other type binds its
// own properties: a `tasks` there may be the plugin's own data (Azure Batch `job.Create` holds Batch task
// specs, without `type`), so only an item with both `id` and `type` is taken for a task.
const FLOWABLE_PACKAGES = ['io.kestra.plugin.core.flow.', 'io.kestra.core.tasks.flows.'];

/** Whether a task of this type holds child tasks in its task lists. */
export const isFlowable = (type: string | undefined): boolean =>
  type !== undefined && FLOWABLE_PACKAGES.some((p) => type.startsWith(p));

/** Direct children of a task: `tasks` (or Dag `tasks[].task`), `then`/`else`, `cases`, `default(s)`, `errors`, `finally`. */
export function childTasks(task: Obj, path: string): TaskRef[] {
  const out: TaskRef[] = [];
  const flowable = isFlowable(str(task.type));
  const isTask = (item: unknown): item is Obj =>
    isObj(item) && (flowable || (item.id !== undefined && item.type !== undefined));
  listOf(task.tasks).forEach((item, i) => {
    // A Dag wraps each child: `{task: {...}, dependsOn: [...]}`.
    if (flowable && isObj(item) && isObj(item.task) && item.type === undefined)
      out.push({ task: item.task, path: `${path}.tasks[${i}].task` });
    else if (isTask(item)) out.push({ task: item, path: `${path}.tasks[${i}]` });
  });
  if (isObj(task.cases)) {
    for (const [key, list] of Object.entries(task.cases)) {
      listOf(list).forEach((item, i) => {
        if (isTask(item)) out.push({ task: item, path: `${path}.cases[${key}][${i}]` });
      });
    }
  }
  for (const key of CHILD_LISTS) {
    listOf(task[key]).forEach((item, i) => {
      if (isTask(item)) out.push({ task: item, path: `${path}.${key}[${i}]` });
    });
  }
  return out;
}

/** Flow.allTasks(): tasks, errors, finally, then the listeners' tasks and afterExecution. */
export function rootTasks(flow: Obj): TaskRef[] {
  const out: TaskRef[] = [];
  const add = (list: unknown, prefix: string): void =>
    listOf(list).forEach((item, i) => {
      if (isObj(item)) out.push({ task: item, path: `${prefix}[${i}]` });
    });
  add(flow.tasks, 'tasks');
  add(flow.errors, 'errors');
  add(flow.finally, 'finally');
  listOf(flow.listeners).forEach((listener, i) => {
    if (isObj(listener)) add(listener.tasks, `listeners[${i}].tasks`);
  });
  add(flow.afterExecution, 'afterExecution');
  return out;
}

/** Every task, nested ones included, parent before children (Flow.allTasksWithChilds()). */
export function allTasksWithChilds(flow: Obj): TaskRef[] {
  const out: TaskRef[] = [];
  const visit = (ref: TaskRef): void => {
    out.push(ref);
    for (const child of childTasks(ref.task, ref.path)) visit(child);
  };
  for (const root of rootTasks(flow)) visit(root);
  return out;
}

/** Input id, honouring the deprecated `name` alias of old flows. */
export const inputId = (input: Obj): string | undefined => str(input.id) ?? str(input.name);

/** Labels in list form, whether the source used a map or a list of `{key, value}`. */
export function labelList(labels: unknown): { key: string | undefined; value: string | undefined }[] {
  if (Array.isArray(labels)) {
    return labels.filter(isObj).map((l) => ({ key: str(l.key), value: str(l.value) }));
  }
  if (isObj(labels)) return Object.entries(labels).map(([key, value]) => ({ key, value: str(value) }));
  return [];
}
