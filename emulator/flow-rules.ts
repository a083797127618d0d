// Flow-level rules of the server, in its own words: FlowValidator (`Invalid Flow: …`), and the warnings,
// deprecation paths and relocation infos that FlowService.validate adds to a ValidateConstraintViolation.
import { allTasksWithChilds, inputId, isObj, labelList, listOf, str, type Obj } from './flow-tree.js';
import { aliasTarget, isExecutableTask, isFlowTrigger, isNonRunnable, isSubflowTask } from './plugins.js';
import type { Features } from './version.js';

const RESERVED_FLOW_IDS = [
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

/** Values occurring more than once, in first-occurrence order (missing ids count as `null`, as in Java). */
function duplicates(values: (string | undefined)[]): string[] {
  const seen = new Map<string, number>();
  for (const v of values) seen.set(v ?? 'null', (seen.get(v ?? 'null') ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([v]) => v);
}

// FlowValidator builds these patterns from ids it trusts; escape all but `.` so an odd id cannot break them.
const escapeId = (id: string): string => id.replace(/[\\^$*+?()[\]{}|/]/g, '\\$&');

/** FlowValidator.isValid: the list joined into the class-level violation `Invalid Flow: a, b`. */
export function flowViolations(flow: Obj, f: Features): string[] {
  const violations: string[] = [];
  const id = str(flow.id);
  const namespace = str(flow.namespace);

  if (f.reservedFlowIds && id !== undefined && RESERVED_FLOW_IDS.includes(id)) {
    violations.push(
      `Flow id is a reserved keyword: ${id}. List of reserved keywords: ${RESERVED_FLOW_IDS.join(', ')}`,
    );
  }

  const allTasks = allTasksWithChilds(flow);
  const taskIds = duplicates(allTasks.map((t) => str(t.task.id)));
  if (taskIds.length) violations.push(`Duplicate task id with name [${taskIds.join(', ')}]`);

  const triggers = listOf(flow.triggers).filter(isObj);
  const triggerIds = duplicates(triggers.map((t) => str(t.id)).filter((t) => t !== undefined));
  if (triggerIds.length) violations.push(`Duplicate trigger id with name [${triggerIds.join(', ')}]`);

  for (const { task } of allTasks) {
    const type = str(task.type);
    if (type && isExecutableTask(type) && str(task.flowId) === id && str(task.namespace) === namespace) {
      violations.push(`Recursive call to flow [${namespace}.${id}]`);
    }
  }

  const inputs = listOf(flow.inputs).filter(isObj);
  const inputIds = duplicates(inputs.map(inputId));
  if (inputIds.length) violations.push(`Duplicate input with name [${inputIds.join(', ')}]`);
  violations.push(...inputDependencyViolations(inputs));

  const outputs = listOf(flow.outputs).filter(isObj);
  const outputIds = duplicates(outputs.map((o) => str(o.id)));
  if (outputIds.length) violations.push(`Duplicate output with name [${outputIds.join(', ')}]`);

  const preconditionIds = duplicates(
    triggers
      .filter((t) => isFlowTrigger(str(t.type) ?? '') && isObj(t.preconditions))
      .map((t) => str((t.preconditions as Obj).id))
      .filter((p) => p !== undefined),
  );
  if (preconditionIds.length)
    violations.push(`Duplicate preconditions with id [${preconditionIds.join(', ')}]`);

  for (const label of labelList(flow.labels)) {
    if (label.key?.startsWith('system.') && label.key !== 'system.readOnly') {
      violations.push(
        `System labels can only be set by Kestra itself, offending label: ${label.key}=${label.value}`,
      );
    }
  }

  // `{{ inputs.my-input }}` reads as a subtraction in Pebble; the server asks for bracket notation.
  const inputPatterns = inputs
    .map(inputId)
    .filter((i): i is string => i !== undefined && i.includes('-'))
    .map((i) => new RegExp(`\\{\\{\\s*inputs.${escapeId(i)}\\s*\\}\\}`));
  const badInputTasks = allTasks.filter((t) => matchesAny(t.task, inputPatterns)).map((t) => str(t.task.id));
  if (badInputTasks.length) {
    violations.push(
      'Invalid input reference: use inputs[key-name] instead of inputs.key-name — keys with dashes require bracket notation, offending tasks:' +
        ` [${badInputTasks.join(', ')}]`,
    );
  }
  const outputPatterns = allTasks
    .map((t) => str(t.task.id))
    .filter((i): i is string => i !== undefined && i.includes('-'))
    .map((i) => new RegExp(`\\{\\{\\s*outputs\\.${escapeId(i)}\\.[^}]+\\s*\\}\\}`));
  const badOutputTasks = allTasks
    .filter((t) => matchesAny(t.task, outputPatterns))
    .map((t) => str(t.task.id));
  if (badOutputTasks.length) {
    violations.push(
      'Invalid output reference: use outputs[key-name] instead of outputs.key-name — keys with dashes require bracket notation, offending tasks:' +
        ` [${badOutputTasks.join(', ')}]`,
    );
  }
  const badOutputs = outputs.filter((o) => matchesAny(o, outputPatterns)).map((o) => str(o.id));
  if (badOutputs.length) {
    violations.push(
      'Invalid output reference: use outputs[key-name] instead of outputs.key-name — keys with dashes require bracket notation, offending outputs:' +
        ` [${badOutputs.join(', ')}]`,
    );
  }
  return violations;
}

// FlowValidator matches against each field's toString(), which for Kestra's Lombok models includes nested
// values and child tasks; the JSON text of the subtree holds the same template strings.
const matchesAny = (node: Obj, patterns: RegExp[]): boolean =>
  patterns.length > 0 && patterns.some((p) => p.test(JSON.stringify(node)));

/** `dependsOn.inputs` must name existing inputs and must not loop. */
function inputDependencyViolations(inputs: Obj[]): string[] {
  const graph = new Map<string, string[]>();
  for (const input of inputs) {
    const id = inputId(input) ?? 'null';
    if (!graph.has(id)) graph.set(id, []);
    const deps = isObj(input.dependsOn) ? listOf(input.dependsOn.inputs).map(str) : [];
    graph.get(id)!.push(...deps.filter((d): d is string => d !== undefined));
  }
  const out: string[] = [];
  for (const [key, deps] of graph) {
    for (const dep of deps) {
      if (!graph.has(dep)) out.push(`Input with id '${key}' depends on a non-existent input '${dep}'.`);
    }
    const cycle = findCycle(key, graph, new Set(), new Set(), []);
    if (cycle) out.push(`Cycle dependency detected for input with id '${key}': [${cycle.join(', ')}]`);
  }
  return out;
}

function findCycle(
  id: string,
  graph: Map<string, string[]>,
  visiting: Set<string>,
  visited: Set<string>,
  path: string[],
): string[] | undefined {
  if (visiting.has(id)) return path.slice(path.indexOf(id));
  if (visited.has(id)) return undefined;
  visiting.add(id);
  path.push(id);
  for (const dep of graph.get(id) ?? []) {
    const cycle = findCycle(dep, graph, visiting, visited, path);
    if (cycle) return cycle;
  }
  visiting.delete(id);
  visited.add(id);
  path.pop();
  return undefined;
}

const PEBBLE = /\{\{.+}}/;

/** FlowService.warnings: missing or disabled subflows, unfiltered Flow triggers, runnable-only properties. */
export function flowWarnings(
  flow: Obj,
  findFlow: (namespace: string, id: string) => { disabled: boolean } | undefined,
): string[] {
  const warnings: string[] = [];
  // Only the flow's own top-level tasks are checked, as the server does.
  for (const task of listOf(flow.tasks).filter(isObj)) {
    if (!isSubflowTask(str(task.type) ?? '')) continue;
    const subflowId = str(task.flowId);
    const namespace = str(task.namespace);
    if (subflowId === undefined || namespace === undefined) continue;
    if (PEBBLE.test(subflowId) || PEBBLE.test(namespace)) continue;
    const target = findFlow(namespace, subflowId);
    if (!target) warnings.push(`The subflow '${subflowId}' not found in namespace '${namespace}'.`);
    else if (target.disabled)
      warnings.push(`The subflow '${subflowId}' is disabled in namespace '${namespace}'.`);
  }
  for (const trigger of listOf(flow.triggers).filter(isObj)) {
    if (!isFlowTrigger(str(trigger.type) ?? '')) continue;
    if (
      listOf(trigger.conditions).length === 0 &&
      !isObj(trigger.conditions) &&
      trigger.preconditions == null
    ) {
      warnings.push(
        "This flow will be triggered for EVERY execution of EVERY flow on your instance. We recommend adding the preconditions property to the Flow trigger '" +
          str(trigger.id) +
          "'.",
      );
    }
  }
  for (const { task } of allTasksWithChilds(flow)) {
    const type = str(task.type) ?? '';
    if (!isNonRunnable(type)) continue;
    const id = str(task.id);
    if (task.timeout != null && !type.endsWith('.Pause')) {
      warnings.push(
        `The task '${id}' cannot use the 'timeout' property as it's only relevant for runnable tasks.`,
      );
    }
    if (task.taskCache != null) {
      warnings.push(
        `The task '${id}' cannot use the 'taskCache' property as it's only relevant for runnable tasks.`,
      );
    }
    if (task.workerGroup != null) {
      warnings.push(
        `The task '${id}' cannot use the 'workerGroup' property as it's only relevant for runnable tasks.`,
      );
    }
  }
  return warnings;
}

/** Deprecated elements that are set: `listeners`, `taskDefaults`, and the input alias `name`. */
export function deprecationPaths(flow: Obj): string[] {
  const paths: string[] = [];
  for (const key of Object.keys(flow)) {
    if ((key === 'listeners' || key === 'taskDefaults') && flow[key] != null) paths.push(key);
    if (key === 'inputs') {
      listOf(flow.inputs).forEach((input, i) => {
        if (isObj(input) && input.name != null) paths.push(`inputs[${i}].name`);
      });
    }
  }
  return paths;
}

/** FlowService.relocations: every string value, anywhere, that is a legacy alias of an installed plugin. */
export function relocations(node: unknown, isKnown: (type: string) => boolean): string[] {
  const out: string[] = [];
  if (!isObj(node)) return out;
  for (const value of Object.values(node)) {
    if (typeof value === 'string') {
      const target = aliasTarget(value);
      if (target && isKnown(value)) out.push(`${value} is replaced by ${target}`);
    } else if (isObj(value)) {
      out.push(...relocations(value, isKnown));
    } else if (Array.isArray(value)) {
      for (const item of value) out.push(...relocations(item, isKnown));
    }
  }
  return out;
}
