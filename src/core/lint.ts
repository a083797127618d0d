// Offline checks: the structural rules Kestra 1.3 enforces on every flow whatever plugins it has
// (docs/kestra-api.md#flow-model). Messages use Kestra's own wording where it has one, then say the fix.
import { isMap, isPair, isScalar, isSeq, visit, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import {
  collectTasks,
  deref,
  flowStart,
  idOwners,
  keyOffset,
  listItems,
  positionAt,
  scalarString,
  topValue,
  type IdKind,
  type Position,
  type TaskRef,
} from './positions.js';
import { flowName, type FlowDoc, type Rule, type Severity, type Violation } from '../model/types.js';

// Java @Pattern matches the whole string: anchored at both ends here.
const FLOW_ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
const NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/;
const TASK_ID = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
const DATA_ID = /^[a-zA-Z0-9][.a-zA-Z0-9_-]*$/;
const JAVA_TYPE = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;
const LABEL_KEY = /^\p{Ll}[\p{L}0-9._-]*$/u;

export const FLOW_KEYS_1_3 = [
  'id',
  'namespace',
  'revision',
  'description',
  'labels',
  'inputs',
  'outputs',
  'variables',
  'tasks',
  'errors',
  'finally',
  'afterExecution',
  'listeners',
  'triggers',
  'pluginDefaults',
  'taskDefaults',
  'concurrency',
  'retry',
  'sla',
  'checks',
  'disabled',
  'workerGroup',
] as const;
// Set by the server on stored flows; tolerated when sent back.
const SERVER_KEYS = ['deleted', 'tenantId', 'updated'];
const DEPRECATED_KEYS: Record<string, string> = {
  listeners: "'listeners' is deprecated: move these tasks to 'afterExecution' (or a Flow trigger).",
  taskDefaults: "'taskDefaults' is deprecated: rename it to 'pluginDefaults'.",
};

export const RESERVED_FLOW_IDS = [
  'pause',
  'resume',
  'force-run',
  'change-status',
  'kill',
  'executions',
  'search',
  'source',
  'disable',
  'enable',
];

// Input types of Kestra 1.3 (`io.kestra.core.models.flows.Type`).
const INPUT_TYPES = [
  'STRING',
  'ENUM',
  'SELECT',
  'MULTISELECT',
  'INT',
  'FLOAT',
  'BOOLEAN',
  'BOOL',
  'DATETIME',
  'DATE',
  'TIME',
  'DURATION',
  'FILE',
  'JSON',
  'URI',
  'SECRET',
  'ARRAY',
  'YAML',
  'EMAIL',
];

// Tasks that run another flow (Kestra's ExecutableTask), current and legacy names.
const SUBFLOW_TYPES = new Set([
  'io.kestra.plugin.core.flow.Subflow',
  'io.kestra.plugin.core.flow.ForEachItem',
  'io.kestra.core.tasks.flows.Subflow',
  'io.kestra.core.tasks.flows.Flow',
  'io.kestra.core.tasks.flows.ForEachItem',
]);
const FLOW_TRIGGER_TYPES = new Set([
  'io.kestra.plugin.core.trigger.Flow',
  'io.kestra.core.models.triggers.types.Flow',
]);

export function lintFlow(flow: FlowDoc): Violation[] {
  const out: Violation[] = [];
  const name = flowName(flow);
  const add: Add = (pos, path, rule, message, severity = 'error') => {
    out.push({
      file: flow.file,
      line: pos.line,
      column: pos.column,
      flow: name,
      path,
      rule,
      message,
      severity,
      origin: 'lint',
    });
  };
  const at = (offset: number | undefined): Position =>
    offset === undefined ? flowStart(flow) : positionAt(flow, offset);
  const top = flow.doc.contents;
  if (!isMap(top)) return out; // parseFlows only hands over mappings

  checkTopLevelKeys(top, at, add);
  checkFlowId(flow, top, at, add);
  checkNamespace(flow, top, at, add);
  checkRevision(flow, top, at, add);
  checkTasksPresent(top, at, add);
  checkLabels(flow, at, add);

  const tasks = collectTasks(flow);
  for (const task of tasks) checkIdAndType(flow, task, 'task', at, add);
  const triggers = listItems(topValue(flow, 'triggers'), 'triggers');
  for (const trigger of triggers) checkIdAndType(flow, trigger, 'trigger', at, add);
  checkListeners(top, at, add);
  checkData(flow, 'input', at, add);
  checkData(flow, 'output', at, add);
  for (const kind of ['task', 'trigger', 'input', 'output'] as const) checkDuplicates(flow, kind, at, add);
  checkDuplicatePreconditions(flow, triggers, at, add);
  checkInputDependencies(flow, at, add);
  checkRecursiveSubflow(flow, tasks, at, add);
  checkDashedReferences(flow, tasks, at, add);
  checkAliases(flow, at, add);
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

type At = (offset: number | undefined) => Position;
type Add = (pos: Position, path: string, rule: Rule, message: string, severity?: Severity) => void;

function checkTopLevelKeys(top: YAMLMap, at: At, add: Add): void {
  const allowed: readonly string[] = FLOW_KEYS_1_3;
  for (const pair of top.items as Pair[]) {
    const key = scalarString(pair.key);
    const offset = (pair.key as Scalar | null)?.range?.[0];
    if (key === undefined) continue;
    if (DEPRECATED_KEYS[key]) {
      add(at(offset), key, 'deprecated', DEPRECATED_KEYS[key]!, 'warning');
      continue;
    }
    if (allowed.includes(key) || SERVER_KEYS.includes(key)) continue;
    const guess = didYouMean(key, allowed);
    add(
      at(offset),
      key,
      'unknown-property',
      `Unrecognized field "${key}" (class io.kestra.core.models.flows.Flow): ` +
        (guess ? `did you mean '${guess}'? ` : '') +
        `A flow's top-level keys are: ${allowed.join(', ')}.`,
    );
  }
}

function checkFlowId(flow: FlowDoc, top: YAMLMap, at: At, add: Add): void {
  const check = checkText(flow, top, 'id', at, add, {
    max: 100,
    pattern: FLOW_ID,
    fix: "use letters, digits, '.', '_' or '-', starting with a letter or digit",
  });
  // Kestra 1.x refuses these ids; 2.0 drops the rule and older servers accept them (Kestra's own test flows
  // include `pause`), so this is a warning and the server has the last word.
  if (check && RESERVED_FLOW_IDS.includes(check.value)) {
    add(
      check.pos,
      'id',
      'reserved-id',
      `Flow id is a reserved keyword: ${check.value}. List of reserved keywords: ${RESERVED_FLOW_IDS.join(', ')}. ` +
        'Kestra 1.x refuses it: choose another id.',
      'warning',
    );
  }
}

function checkNamespace(flow: FlowDoc, top: YAMLMap, at: At, add: Add): void {
  checkText(flow, top, 'namespace', at, add, {
    max: 150,
    pattern: NAMESPACE,
    fix: "use lower-case letters, digits, '_' or '-', with '.' between levels (company.team)",
  });
}

/** Required text property of the flow: present, non-empty, within its size and pattern. */
function checkText(
  flow: FlowDoc,
  map: YAMLMap,
  key: string,
  at: At,
  add: Add,
  rule: { max: number; pattern: RegExp; fix: string },
): { value: string; pos: Position } | undefined {
  const pair = (map.items as Pair[]).find((p) => scalarString(p.key) === key);
  if (!pair) {
    add(at(undefined), key, 'required', `${key}: must not be null. Add a '${key}:' line to the flow.`);
    return undefined;
  }
  const written = pair.value as Node | null;
  const pos = at(written?.range?.[0] ?? (pair.key as Scalar).range?.[0]);
  // An alias of a single value is that value for Kestra.
  const valueNode = deref(written, flow.doc) as Node | null | undefined;
  if (valueNode && !isScalar(valueNode)) {
    add(pos, key, 'shape', `${key}: must be a single value, not a list or mapping.`);
    return undefined;
  }
  const value = scalarString(valueNode);
  if (value === undefined || value.trim() === '') {
    add(pos, key, 'required', `${key}: must not be blank. Give the flow a ${key}.`);
    return undefined;
  }
  if (value.length > rule.max) {
    add(
      pos,
      key,
      'size',
      `${key}: size must be between 1 and ${rule.max} (it has ${value.length} characters).`,
    );
  }
  if (!rule.pattern.test(value)) {
    add(
      pos,
      key,
      'pattern',
      `${key}: must match "${rule.pattern.source.replace(/\$$/, '')}" (got '${value}'): ${rule.fix}.`,
    );
  }
  return { value, pos };
}

function checkRevision(flow: FlowDoc, top: YAMLMap, at: At, add: Add): void {
  const node = top.get('revision', true) as Node | undefined;
  if (node === undefined) return;
  const target = deref(node, flow.doc);
  // Jackson also reads a quoted number ("3") as an integer.
  const raw = isScalar(target) ? target.value : undefined;
  const value = typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    add(
      at(node.range?.[0] ?? keyOffset(top, 'revision')),
      'revision',
      'min',
      'revision: must be greater than or equal to 1 (a whole number). Better: remove it and let Kestra number revisions.',
    );
  }
}

function checkTasksPresent(top: YAMLMap, at: At, add: Add): void {
  const node = top.get('tasks', true) as Node | undefined;
  if (node === undefined) {
    add(
      at(undefined),
      'tasks',
      'required',
      "tasks: must not be empty. Add a 'tasks:' list with at least one task.",
    );
  } else if (isSeq(node) ? node.items.length === 0 : isScalar(node) && node.value === null) {
    add(at(keyOffset(top, 'tasks')), 'tasks', 'required', 'tasks: must not be empty. Add at least one task.');
  } else if (!isSeq(node)) {
    add(
      at(keyOffset(top, 'tasks')),
      'tasks',
      'shape',
      "tasks: must be a list of tasks (each item starts with '- id:').",
    );
  }
}

function checkListeners(top: YAMLMap, at: At, add: Add): void {
  listItems(top.get('listeners', true), 'listeners').forEach(({ node, path }) => {
    const tasks = node.get('tasks', true);
    if (!isSeq(tasks) || tasks.items.length === 0) {
      add(
        at(keyOffset(node, 'tasks') ?? node.range?.[0]),
        `${path}.tasks`,
        'required',
        `${path}.tasks: must not be empty.`,
      );
    }
  });
}

/**
 * Labels in either form, each at its Kestra path: the model holds them as a list, so the n-th pair of a map
 * is `labels[n]` too, as the server names it.
 */
function checkLabels(flow: FlowDoc, at: At, add: Add): void {
  const labels = topValue(flow, 'labels') as Node | undefined;
  if (labels === undefined || (isScalar(labels) && labels.value === null)) return;
  const text = (node: unknown): string | undefined => scalarString(node, flow.doc);
  const entries: {
    key?: string;
    value?: string;
    keyAt?: number;
    valueAt?: number;
    path: string;
    /** How the label is written, for messages: `labels.env` (map) or `labels[0]` (list). */
    name: string;
    /** What is wrong with the label's shape, and the path of the node at fault. */
    bad?: { why: string; path: string };
  }[] = [];
  if (isMap(labels)) {
    (labels.items as Pair[]).forEach((pair, i) => {
      const key = text(pair.key);
      const value = pair.value as Node | null;
      const keyAt = (pair.key as Scalar | null)?.range?.[0];
      // An alias of a single value is a plain value for Kestra (it warns about the alias itself).
      const target = deref(value, flow.doc);
      entries.push({
        key,
        value: text(value),
        keyAt,
        valueAt: value?.range?.[0] ?? keyAt,
        path: `labels[${i}]`,
        name: `labels.${key ?? '?'}`,
        bad:
          target && !isScalar(target)
            ? {
                why: 'a label value must be a single value, not a list or mapping',
                path: `labels[${i}].value`,
              }
            : undefined,
      });
    });
  } else if (isSeq(labels)) {
    labels.items.forEach((item, i) => {
      const path = `labels[${i}]`;
      if (!isMap(item)) {
        entries.push({
          path,
          name: path,
          keyAt: (item as Node | null)?.range?.[0],
          bad: { why: "a label in list form is '- key: …' with 'value: …'", path },
        });
        return;
      }
      entries.push({
        key: text(item.get('key', true)),
        value: text(item.get('value', true)),
        keyAt: keyOffset(item, 'key') ?? item.range?.[0],
        valueAt: keyOffset(item, 'value') ?? item.range?.[0],
        path,
        name: path,
      });
    });
  } else {
    add(
      at(labels.range?.[0]),
      'labels',
      'shape',
      "labels: must be a mapping (key: value) or a list of '- key: …, value: …'.",
    );
    return;
  }
  for (const e of entries) {
    if (e.bad) {
      add(at(e.valueAt ?? e.keyAt), e.bad.path, 'shape', `${e.name}: ${e.bad.why}.`);
      continue;
    }
    if (e.key === undefined || e.key === '') {
      add(
        at(e.keyAt),
        `${e.path}.key`,
        'required',
        `${e.name}.key: must not be empty. Give the label a key.`,
      );
      continue;
    }
    if (!LABEL_KEY.test(e.key)) {
      add(
        at(e.keyAt),
        `${e.path}.key`,
        'label-key',
        'Invalid label key. A valid key contains only lowercase letters numbers hyphens (-) underscores (_) or ' +
          `periods (.) and must begin with a lowercase letter. Got '${e.key}'.`,
      );
    }
    if (e.value === undefined || e.value === '') {
      add(
        at(e.valueAt),
        `${e.path}.value`,
        'required',
        `${e.name}.value: must not be empty. Give the label '${e.key}' a value.`,
      );
    }
    if (e.key.startsWith('system.') && e.key !== 'system.readOnly') {
      add(
        at(e.keyAt),
        `${e.path}.key`,
        'system-label',
        `System labels can only be set by Kestra itself, offending label: ${e.key}=${e.value ?? ''}. ` +
          "Remove it (only 'system.readOnly' may be set in a flow).",
      );
    }
  }
}

function checkIdAndType(flow: FlowDoc, ref: TaskRef, kind: 'task' | 'trigger', at: At, add: Add): void {
  const { node, path } = ref;
  const id = scalarString(node.get('id', true), flow.doc);
  const where = at(keyOffset(node, 'id') ?? node.range?.[0]);
  if (id === undefined || id === '') {
    add(
      at(node.range?.[0]),
      `${path}.id`,
      'required',
      `${path}.id: must not be null. Every ${kind} needs an 'id'.`,
    );
  } else {
    if (!TASK_ID.test(id)) {
      const dots = id.includes('.')
        ? ` ${kind === 'task' ? 'Task' : 'Trigger'} ids cannot contain dots.`
        : '';
      add(
        where,
        `${path}.id`,
        'pattern',
        `${path}.id: must match "^[a-zA-Z0-9][a-zA-Z0-9_-]*" (got '${id}').${dots} ` +
          "Use letters, digits, '_' or '-'.",
      );
    }
    if (kind === 'task' && id.length > 256) {
      add(
        where,
        `${path}.id`,
        'size',
        `${path}.id: size must be between 1 and 256 (it has ${id.length} characters).`,
      );
    }
  }
  const typeNode = node.get('type', true) as Node | undefined;
  const type = scalarString(typeNode, flow.doc);
  if (type === undefined) {
    add(
      at(node.range?.[0]),
      `${path}.type`,
      'type',
      `${path}: missing type id property 'type'. Every ${kind} needs a 'type', e.g. ` +
        (kind === 'task' ? 'io.kestra.plugin.core.log.Log.' : 'io.kestra.plugin.core.trigger.Schedule.'),
    );
  } else if (!JAVA_TYPE.test(type)) {
    add(
      at(typeNode?.range?.[0]),
      `${path}.type`,
      'type',
      `Invalid type: ${type}. A type is a Java class name such as io.kestra.plugin.core.log.Log.`,
    );
  }
}

function checkData(flow: FlowDoc, kind: 'input' | 'output', at: At, add: Add): void {
  for (const { node, path } of listItems(topValue(flow, `${kind}s`), `${kind}s`)) {
    const hasId = node.has('id');
    const legacy = !hasId && kind === 'input' && node.has('name');
    const idKey = legacy ? 'name' : 'id';
    const id = scalarString(node.get(idKey, true), flow.doc);
    const idAt = at(keyOffset(node, idKey) ?? node.range?.[0]);
    if (legacy) {
      add(
        idAt,
        `${path}.name`,
        'deprecated',
        `${path}.name is deprecated: rename 'name' to 'id'.`,
        'warning',
      );
    }
    if (id === undefined || id === '') {
      add(
        at(node.range?.[0]),
        `${path}.id`,
        'required',
        `${path}.id: must not be null. Every ${kind} needs an 'id'.`,
      );
    } else if (!DATA_ID.test(id)) {
      add(
        idAt,
        `${path}.id`,
        'pattern',
        `${path}.id: must match "^[a-zA-Z0-9][.a-zA-Z0-9_-]*" (got '${id}'). ` +
          "Use letters, digits, '.', '_' or '-' (no spaces).",
      );
    }
    const typeNode = node.get('type', true) as Node | undefined;
    const type = scalarString(typeNode, flow.doc);
    if (type === undefined) {
      add(
        at(node.range?.[0]),
        `${path}.type`,
        'type',
        `${path}: missing type id property 'type'. Give the ${kind} a type such as STRING.`,
      );
    } else if (!INPUT_TYPES.includes(type)) {
      // A newer server may know more types: the server has the last word.
      add(
        at(typeNode?.range?.[0]),
        `${path}.type`,
        'type',
        `Invalid type: ${type} is not a Kestra 1.3 ${kind} type (${INPUT_TYPES.join(', ')}).`,
        'warning',
      );
    }
  }
}

const DUPLICATE_TEXT: Record<IdKind, string> = {
  task: 'Duplicate task id with name',
  trigger: 'Duplicate trigger id with name',
  input: 'Duplicate input with name',
  output: 'Duplicate output with name',
};

/** Each repeat of an id is reported where it repeats, naming the line of the first one. */
function checkDuplicates(flow: FlowDoc, kind: IdKind, at: At, add: Add): void {
  const first = new Map<string, number>();
  for (const owner of idOwners(flow, kind)) {
    const firstAt = first.get(owner.id);
    if (firstAt === undefined) {
      first.set(owner.id, owner.offset);
      continue;
    }
    add(
      at(owner.offset),
      `${owner.path}.id`,
      'duplicate-id',
      `${DUPLICATE_TEXT[kind]} [${owner.id}] (first at line ${at(firstAt).line}). Give each ${kind} a unique id.`,
    );
  }
}

function checkDuplicatePreconditions(flow: FlowDoc, triggers: TaskRef[], at: At, add: Add): void {
  const seen = new Map<string, number>();
  for (const { node, path } of triggers) {
    if (!FLOW_TRIGGER_TYPES.has(scalarString(node.get('type', true), flow.doc) ?? '')) continue;
    const pre = deref(node.get('preconditions', true), flow.doc);
    if (!isMap(pre)) continue;
    const id = scalarString(pre.get('id', true), flow.doc);
    const offset = keyOffset(pre, 'id');
    if (id === undefined) continue;
    const firstAt = seen.get(id);
    if (firstAt === undefined) seen.set(id, offset ?? 0);
    else {
      add(
        at(offset),
        `${path}.preconditions.id`,
        'duplicate-preconditions',
        `Duplicate preconditions with id [${id}] (first at line ${at(firstAt).line}). Give each Flow trigger's preconditions a unique id.`,
      );
    }
  }
}

function checkInputDependencies(flow: FlowDoc, at: At, add: Add): void {
  const inputs = idOwners(flow, 'input');
  const graph = new Map<string, string[]>();
  const where = new Map<string, { offset: number; path: string }>();
  for (const input of inputs) {
    const depends = deref(input.node.get('dependsOn', true), flow.doc);
    const list = isMap(depends) ? deref(depends.get('inputs', true), flow.doc) : undefined;
    const deps = isSeq(list)
      ? list.items.map((i) => scalarString(i, flow.doc)).filter((s): s is string => s !== undefined)
      : [];
    graph.set(input.id, [...(graph.get(input.id) ?? []), ...deps]);
    // The first input of an id holds the path: the server names the input, not the repeat.
    if (!where.has(input.id)) {
      const offset = keyOffset(input.node, 'dependsOn') ?? input.offset;
      where.set(input.id, { offset, path: `${input.path}.dependsOn` });
    }
  }
  for (const [id, deps] of graph) {
    for (const dep of deps) {
      if (!graph.has(dep)) {
        add(
          at(where.get(id)?.offset),
          where.get(id)?.path ?? 'inputs',
          'input-dependency',
          `Input with id '${id}' depends on a non-existent input '${dep}'. Fix the name in 'dependsOn'.`,
        );
      }
    }
  }
  const reported = new Set<string>();
  for (const id of graph.keys()) {
    const cycle = findCycle(id, graph);
    if (!cycle || cycle.some((c) => reported.has(c))) continue;
    cycle.forEach((c) => reported.add(c));
    add(
      at(where.get(id)?.offset),
      where.get(id)?.path ?? 'inputs',
      'input-cycle',
      `Cycle dependency detected for input with id '${id}': [${cycle.join(', ')}]. Remove one 'dependsOn' link.`,
    );
  }
}

function findCycle(start: string, graph: Map<string, string[]>): string[] | undefined {
  const path: string[] = [];
  const visiting = new Set<string>();
  const done = new Set<string>();
  const dfs = (id: string): string[] | undefined => {
    if (visiting.has(id)) return path.slice(path.indexOf(id));
    if (done.has(id)) return undefined;
    visiting.add(id);
    path.push(id);
    for (const dep of graph.get(id) ?? []) {
      const found = dfs(dep);
      if (found) return found;
    }
    visiting.delete(id);
    done.add(id);
    path.pop();
    return undefined;
  };
  return dfs(start);
}

function checkRecursiveSubflow(flow: FlowDoc, tasks: TaskRef[], at: At, add: Add): void {
  if (!flow.id || !flow.namespace) return;
  for (const { node, path } of tasks) {
    if (!SUBFLOW_TYPES.has(scalarString(node.get('type', true), flow.doc) ?? '')) continue;
    if (scalarString(node.get('flowId', true), flow.doc) !== flow.id) continue;
    if (scalarString(node.get('namespace', true), flow.doc) !== flow.namespace) continue;
    add(
      at(keyOffset(node, 'flowId') ?? node.range?.[0]),
      `${path}.flowId`,
      'recursive-subflow',
      `Recursive call to flow [${flow.namespace}.${flow.id}]: a flow cannot run itself as a subflow.`,
    );
  }
}

/**
 * `{{ inputs.my-input }}` reads as `inputs.my - input` in Pebble: Kestra rejects dashed ids in dot notation
 * (the same patterns as its FlowValidator).
 */
function checkDashedReferences(flow: FlowDoc, tasks: TaskRef[], at: At, add: Add): void {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const inputPatterns = idOwners(flow, 'input')
    .filter((i) => i.id.includes('-'))
    .map((i) => ({ id: i.id, re: new RegExp(`\\{\\{\\s*inputs\\.${escape(i.id)}\\s*\\}\\}`) }));
  const outputPatterns = tasks
    .map((t) => scalarString(t.node.get('id', true), flow.doc))
    .filter((id): id is string => !!id && id.includes('-'))
    .map((id) => ({ id, re: new RegExp(`\\{\\{\\s*outputs\\.${escape(id)}\\.[^}]+\\s*\\}\\}`) }));
  if (!inputPatterns.length && !outputPatterns.length) return;

  const scan = (
    node: YAMLMap,
    skipChildren: boolean,
    report: (offset: number, kind: 'input' | 'output', id: string) => void,
  ): void => {
    const childRanges = skipChildren
      ? tasks.filter((t) => t.node !== node && inside(t.node, node)).map((t) => t.node.range!)
      : [];
    visit(node, {
      Scalar(_k, scalar) {
        if (typeof scalar.value !== 'string' || !scalar.range) return;
        const start = scalar.range[0];
        if (childRanges.some((r) => start >= r[0] && start < r[1])) return;
        for (const p of inputPatterns) if (p.re.test(scalar.value)) report(start, 'input', p.id);
        for (const p of outputPatterns) if (p.re.test(scalar.value)) report(start, 'output', p.id);
      },
    });
  };
  const fix = (kind: 'input' | 'output', id: string): string =>
    kind === 'input' ? `write {{ inputs['${id}'] }}` : `write {{ outputs['${id}'].… }}`;
  for (const task of tasks) {
    const taskId = scalarString(task.node.get('id', true), flow.doc) ?? '?';
    scan(task.node, true, (offset, kind, id) =>
      add(
        at(offset),
        task.path,
        'dashed-reference',
        `Invalid ${kind} reference: use ${kind}s[key-name] instead of ${kind}s.key-name — keys with dashes ` +
          `require bracket notation, offending tasks: [${taskId}]. ${fix(kind, id)}.`,
      ),
    );
  }
  for (const output of listItems(topValue(flow, 'outputs'), 'outputs')) {
    const outputId = scalarString(output.node.get('id', true), flow.doc) ?? '?';
    scan(output.node, false, (offset, kind, id) => {
      if (kind !== 'output') return;
      add(
        at(offset),
        output.path,
        'dashed-reference',
        'Invalid output reference: use outputs[key-name] instead of outputs.key-name — keys with dashes require ' +
          `bracket notation, offending outputs: [${outputId}]. ${fix(kind, id)}.`,
      );
    });
  }
}

/**
 * Kestra validates a flow that uses YAML anchors and aliases, but (up to at least 1.3) does not resolve the
 * aliases when the flow runs: `*name` becomes the text 'name' (kestra-io/kestra#16315). Valid, so a warning.
 */
function checkAliases(flow: FlowDoc, at: At, add: Add): void {
  visit(flow.doc, {
    Alias(_key, node, ancestors) {
      const path = ancestors
        .map((a, i) => {
          if (isPair(a)) return `.${scalarString(a.key) ?? '?'}`;
          if (isSeq(a)) return `[${a.items.indexOf((ancestors[i + 1] ?? node) as never)}]`;
          return '';
        })
        .join('')
        .replace(/^\./, '');
      add(
        at(node.range?.[0]),
        path,
        'alias',
        `YAML alias '*${node.source}': Kestra accepts it but does not resolve aliases when the flow runs, so the ` +
          `value becomes the text '${node.source}' (kestra-io/kestra#16315). Repeat the value instead of using '&'/'*'.`,
        'warning',
      );
    },
  });
}

function inside(inner: YAMLMap, outer: YAMLMap): boolean {
  const a = inner.range;
  const b = outer.range;
  return !!a && !!b && a[0] >= b[0] && a[1] <= b[1];
}

/** The allowed key closest to a typo (`pluginsDefaults` → `pluginDefaults`), if close enough. */
export function didYouMean(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const limit = Math.max(1, Math.min(3, Math.floor(key.length / 3)));
  return bestDistance <= limit ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
