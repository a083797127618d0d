// Bean validation of a bound flow, as jakarta.validation runs it on Kestra's model (`path: message`
// violations, task and input paths later rendered by id), then FlowValidator's class-level
// `Invalid Flow: …` violation (flow-rules.ts).
import { beanViolationError, type BeanViolation } from './errors.js';
import { allTasksWithChilds, inputId, isObj, labelList, listOf, str, type Obj } from './flow-tree.js';
import { flowViolations } from './flow-rules.js';
import { isJavaIdentifier, JAVA_IDENTIFIER_PATTERN, requiredProperties, requiresTasks } from './plugins.js';
import type { Features } from './version.js';

const FLOW_ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
const NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/;
const TASK_ID = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
const DATA_ID = /^[a-zA-Z0-9][.a-zA-Z0-9_-]*$/;
const LABEL_KEY = /^\p{Ll}[\p{L}0-9._-]*$/u;
const LABEL_KEY_MESSAGE =
  'Invalid label key. A valid key contains only lowercase letters numbers hyphens (-) underscores (_) or periods (.) and must begin with a lowercase letter.';

interface StringRule {
  notNull?: boolean;
  notBlank?: boolean;
  notEmpty?: boolean;
  pattern?: [RegExp, string, string?];
  size?: [number, number];
}

/** Jakarta constraints on one String property; null passes every rule but @NotNull/@NotBlank/@NotEmpty. */
function checkString(
  value: unknown,
  path: string,
  rule: StringRule,
  leaf?: BeanViolation['leaf'],
): BeanViolation[] {
  const out: BeanViolation[] = [];
  const add = (message: string): number => out.push({ path, message, leaf });
  const s = str(value);
  if (s === undefined) {
    if (rule.notNull) add('must not be null');
    if (rule.notBlank) add('must not be blank');
    if (rule.notEmpty) add('must not be empty');
    return out;
  }
  if (rule.notBlank && s.trim() === '') add('must not be blank');
  if (rule.notEmpty && s === '') add('must not be empty');
  if (rule.pattern && !rule.pattern[0].test(s)) add(rule.pattern[2] ?? `must match "${rule.pattern[1]}"`);
  if (rule.size && (s.length < rule.size[0] || s.length > rule.size[1])) {
    add(`size must be between ${rule.size[0]} and ${rule.size[1]}`);
  }
  return out;
}

/** Bean validation of the bound flow, then FlowValidator; empty when the flow is valid. */
export function validateModel(flow: Obj, opts: { features: Features }): BeanViolation[] {
  const out: BeanViolation[] = [];
  out.push(
    ...checkString(flow.id, 'id', {
      notNull: true,
      notBlank: true,
      pattern: [FLOW_ID, '^[a-zA-Z0-9][a-zA-Z0-9._-]*'],
      size: [1, 100],
    }),
    ...checkString(flow.namespace, 'namespace', {
      notNull: true,
      pattern: [NAMESPACE, '^[a-z0-9][a-z0-9._-]*'],
      size: [1, 150],
    }),
  );
  if (typeof flow.revision === 'number' && flow.revision < 1) {
    out.push({ path: 'revision', message: 'must be greater than or equal to 1' });
  }
  if (listOf(flow.tasks).length === 0) out.push({ path: 'tasks', message: 'must not be empty' });

  for (const { task, path } of allTasksWithChilds(flow)) {
    const leaf = { kind: 'tasks' as const, id: str(task.id) };
    out.push(
      ...checkString(
        task.id,
        `${path}.id`,
        { notNull: true, notBlank: true, pattern: [TASK_ID, '^[a-zA-Z0-9][a-zA-Z0-9_-]*'], size: [1, 256] },
        leaf,
      ),
    );
    const type = str(task.type) ?? '';
    if (!isJavaIdentifier(type))
      out.push({ path: `${path}.type`, message: `must match "${JAVA_IDENTIFIER_PATTERN}"`, leaf });
    for (const prop of requiredProperties(type)) {
      if (task[prop] == null) out.push({ path: `${path}.${prop}`, message: 'must not be null', leaf });
    }
    if (requiresTasks(type) && listOf(task.tasks).length === 0) {
      out.push({ path: `${path}.tasks`, message: 'must not be empty', leaf });
    }
  }
  listOf(flow.listeners).forEach((listener, i) => {
    if (isObj(listener) && listOf(listener.tasks).length === 0) {
      out.push({ path: `listeners[${i}].tasks`, message: 'must not be empty' });
    }
  });
  listOf(flow.triggers).forEach((trigger, i) => {
    if (!isObj(trigger)) return;
    const rule: StringRule = {
      notNull: true,
      notBlank: true,
      pattern: [TASK_ID, '^[a-zA-Z0-9][a-zA-Z0-9_-]*'],
    };
    out.push(...checkString(trigger.id, `triggers[${i}].id`, rule));
  });
  listOf(flow.inputs).forEach((input, i) => {
    if (!isObj(input)) return;
    const rule: StringRule = { notNull: true, pattern: [DATA_ID, '^[a-zA-Z0-9][.a-zA-Z0-9_-]*'] };
    out.push(...checkString(inputId(input), `inputs[${i}].id`, rule, { kind: 'inputs', id: inputId(input) }));
  });
  listOf(flow.outputs).forEach((output, i) => {
    if (!isObj(output)) return;
    out.push(
      ...checkString(output.id, `outputs[${i}].id`, {
        notNull: true,
        pattern: [DATA_ID, '^[a-zA-Z0-9][.a-zA-Z0-9_-]*'],
      }),
    );
  });
  labelList(flow.labels).forEach((label, i) => {
    out.push(
      ...checkString(label.key, `labels[${i}].key`, {
        notEmpty: true,
        pattern: [LABEL_KEY, '', LABEL_KEY_MESSAGE],
      }),
      ...checkString(label.value, `labels[${i}].value`, { notEmpty: true }),
    );
  });

  const flowLevel = flowViolations(flow, opts.features);
  if (flowLevel.length) out.push({ path: '', message: `Invalid Flow: ${flowLevel.join(', ')}` });
  return out;
}

/** Throws the ConstraintViolationException model validation would raise. */
export function assertValid(flow: Obj, opts: { features: Features }): void {
  const violations = validateModel(flow, opts);
  if (violations.length) throw beanViolationError(violations);
}
