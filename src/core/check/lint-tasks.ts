// Offline checks of tasks and triggers: their id and type, ids unique in the flow (inputs and outputs too),
// Flow-trigger preconditions, a flow that runs itself, and dashed ids read with dots in expressions.
import { isMap, visit, type Node, type YAMLMap } from 'yaml';
import type { FlowDoc } from '../../model/types.js';
import type { Add, At } from './lint-context.js';
import {
  deref,
  idOwners,
  keyOffset,
  listItems,
  scalarString,
  topValue,
  type IdKind,
  type TaskRef,
} from '../parse/positions.js';
import { FLOW_TRIGGER_TYPES, JAVA_TYPE, SUBFLOW_TYPES, TASK_ID, TASK_ID_MAX } from './rules.js';

export function checkIdAndType(
  flow: FlowDoc,
  ref: TaskRef,
  kind: 'task' | 'trigger',
  at: At,
  add: Add,
): void {
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
    if (kind === 'task' && id.length > TASK_ID_MAX) {
      add(
        where,
        `${path}.id`,
        'size',
        `${path}.id: size must be between 1 and ${TASK_ID_MAX} (it has ${id.length} characters).`,
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

const DUPLICATE_TEXT: Record<IdKind, string> = {
  task: 'Duplicate task id with name',
  trigger: 'Duplicate trigger id with name',
  input: 'Duplicate input with name',
  output: 'Duplicate output with name',
};

/** Each repeat of an id is reported where it repeats, naming the line of the first one. */
export function checkDuplicates(flow: FlowDoc, kind: IdKind, at: At, add: Add): void {
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

export function checkDuplicatePreconditions(flow: FlowDoc, triggers: TaskRef[], at: At, add: Add): void {
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

export function checkRecursiveSubflow(flow: FlowDoc, tasks: TaskRef[], at: At, add: Add): void {
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
export function checkDashedReferences(flow: FlowDoc, tasks: TaskRef[], at: At, add: Add): void {
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

function inside(inner: YAMLMap, outer: YAMLMap): boolean {
  const a = inner.range;
  const b = outer.range;
  return !!a && !!b && a[0] >= b[0] && a[1] <= b[1];
}
