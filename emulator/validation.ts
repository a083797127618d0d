// Server-side flow validation, written after Kestra's own pipeline (FlowService.validate, YamlParser,
// bean validation, FlowValidator) rather than after the project's offline linter:
//   1. parse the YAML strictly (syntax errors, duplicate keys)            → `Illegal Flow source: …`
//   2. bind it to the model in document order: unknown top-level keys, unknown plugin types, unknown
//      properties of the few modelled tasks                              → `Unrecognized field …` / `Invalid type: X`
//   3. bean validation (`path: message` lines) plus FlowValidator's class-level `Invalid Flow: …`
//      (bean-validation.ts, flow-rules.ts).
import { LineCounter, parseAllDocuments, isCollection, isPair, visit, type Document } from 'yaml';
import { assertValid } from './bean-validation.js';
import { ConstraintViolationError } from './errors.js';
import { childTasks, isObj, str, type Obj } from './flow-tree.js';
import { deprecationPaths, flowWarnings, relocations } from './flow-rules.js';
import { canonicalType, coreKind, INPUT_TYPES, modelledProperties } from './plugins.js';
import type { Features } from './version.js';

export interface ValidationOptions {
  features: Features;
  isKnownType: (type: string) => boolean;
}

/** One entry of the validate endpoint's answer (ValidateConstraintViolation), null fields left out. */
export interface ValidateResult {
  index: number;
  filename?: string;
  flow?: string;
  namespace?: string;
  constraints?: string;
  outdated: boolean;
  deprecationPaths?: string[];
  warnings?: string[];
  infos?: string[];
}

export interface RepositoryView {
  /** Last revision of a flow, deleted revisions included. */
  lastRevision(namespace: string, id: string): number | undefined;
  /** The latest non-deleted flow. */
  findFlow(namespace: string, id: string): { disabled: boolean } | undefined;
}

const FLOW_CLASS = 'io.kestra.core.models.flows.Flow';
const MODEL_CLASSES: Record<string, string> = {
  Flow: FLOW_CLASS,
  genericflow: 'io.kestra.core.models.flows.GenericFlow',
};

// ---------------------------------------------------------------------------------------------- parsing

function parseError(resource: string, friendly: string, line: number | undefined): ConstraintViolationError {
  const message = friendly + (line === undefined ? '' : ` (at line ${line})`);
  return new ConstraintViolationError(`Illegal ${resource} source: ${message}`, [{ message, path: 'yaml' }]);
}

/** The key text of the mapping pair that starts at `offset` (yaml reports a duplicate by its position). */
function keyAt(doc: Document, offset: number): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as { range?: [number, number]; toString(): string } | null;
      if (key?.range?.[0] === offset) {
        found = String(key);
        return visit.BREAK;
      }
    },
  });
  return found;
}

/**
 * YAML text → the mapping Jackson would bind. `resource` names the target class in messages, as
 * YamlParser does (`Illegal Flow source: …`, `Illegal genericflow source: …`).
 */
export function parseYaml(source: string, resource: 'Flow' | 'genericflow'): Obj {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(source, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    merge: true,
    logLevel: 'silent',
  });
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line;
  // Jackson reads only the first document of the stream.
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (!doc || doc.contents === null) {
    throw parseError(
      resource,
      'YAML parsing error: No content to map due to end-of-input',
      lineOf(source.length),
    );
  }
  const error = doc.errors[0];
  if (error) {
    if (error.code === 'DUPLICATE_KEY') {
      const key = keyAt(doc, error.pos[0]);
      throw parseError(resource, `YAML parsing error: Duplicate field '${key}'`, lineOf(error.pos[0]));
    }
    throw parseError(resource, `YAML parsing error: ${error.message.split('\n')[0]}`, lineOf(error.pos[0]));
  }
  // An unquoted `{{ x }}` is a flow mapping used as a key: SnakeYAML refuses what node `yaml` would stringify.
  let complexKey: number | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isCollection(pair.key)) {
        complexKey = pair.key.range?.[0] ?? 0;
        return visit.BREAK;
      }
    },
  });
  if (complexKey !== undefined) {
    throw parseError(
      resource,
      'YAML syntax error: Unexpected mapping start. Verify that scalar values are properly quoted if needed.',
      lineOf(complexKey),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    throw parseError(resource, `YAML parsing error: ${(e as Error).message}`, undefined);
  }
  if (!isObj(value)) {
    const cls = MODEL_CLASSES[resource];
    const detail = Array.isArray(value)
      ? `Cannot deserialize value of type \`${cls}\` from Array value (token \`JsonToken.START_ARRAY\`)`
      : `Cannot construct instance of \`${cls}\` (although at least one Creator exists): no String-argument constructor/factory method to deserialize from String value ('${String(value)}')`;
    throw parseError(resource, `YAML parsing error: ${detail}`, lineOf(doc.contents.range?.[0] ?? 0));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------- binding

/** Top-level properties of the Flow model for this server version (docs/kestra-api.md#flow-model). */
export function flowProperties(f: Features): string[] {
  const keys = [
    ...['id', 'namespace', 'revision', 'description', 'labels', 'inputs', 'outputs', 'variables', 'tasks'],
    ...['errors', 'finally', 'afterExecution', 'triggers', 'concurrency', 'retry', 'sla'],
    ...['disabled', 'deleted', 'tenantId'],
  ];
  if (f.legacyFlowKeys) keys.push('listeners', 'taskDefaults');
  if (f.pluginDefaultsKey) keys.push('pluginDefaults');
  if (f.checksKey) keys.push('checks');
  if (f.workerSelector) keys.push('workerSelector', 'quotas');
  else keys.push('workerGroup');
  if (f.updatedField) keys.push('updated');
  return keys.sort();
}

function unrecognized(key: string, cls: string, known: string[], jsonPath: string): ConstraintViolationError {
  const message =
    `Unrecognized field "${key}" (class ${cls}), not marked as ignorable ` +
    `(${known.length} known properties: ${known.map((k) => `"${k}"`).join(', ')}])`;
  return new ConstraintViolationError(message, [{ message, path: `${jsonPath}["${key}"]` }]);
}

function invalidType(type: string | undefined, base: string, jsonPath: string): ConstraintViolationError {
  const message = `Invalid type: ${type ?? 'null'}`;
  const detail =
    type === undefined
      ? `missing type id property 'type'`
      : `Could not resolve type id '${type}' as a subtype of \`${base}\`: no such class found`;
  return new ConstraintViolationError(message, [
    { message, path: jsonPath },
    { message: detail, path: jsonPath },
  ]);
}

type Binder = (node: Obj, jsonPath: string) => void;

// The base class of each polymorphic property, and the kind of core type it takes.
const BASE_KINDS: Record<string, string> = {
  'io.kestra.core.models.tasks.Task': 'task',
  'io.kestra.core.models.triggers.AbstractTrigger': 'trigger',
  'io.kestra.core.models.conditions.Condition': 'condition',
  'io.kestra.core.models.tasks.runners.TaskRunner': 'runner',
};

const TRIGGER_KEYS_REMOVED_IN_2 = [
  'conditions',
  'preconditions',
  'multipleConditions',
  'timeWindow',
  'windowAdvance',
  'resetOnSuccess',
];

/** A child task's relative property path (`.tasks[0]`, `.cases[A][1]`, `.tasks[2].task`) as a Jackson path reference. */
function jacksonSuffix(cls: string, relative: string): string {
  const list = /^\.(\w+)\[(\d+)\](\.task)?$/.exec(relative);
  if (list) {
    const dag = list[3] ? '->io.kestra.plugin.core.flow.Dag$DagTask["task"]' : '';
    return `->${cls}["${list[1]}"]->java.util.ArrayList[${list[2]}]${dag}`;
  }
  const cases = /^\.cases\[(.*)\]\[(\d+)\]$/.exec(relative);
  if (cases)
    return `->${cls}["cases"]->java.util.LinkedHashMap["${cases[1]}"]->java.util.ArrayList[${cases[2]}]`;
  return `->${cls}`;
}

/**
 * Binds a list of polymorphic objects, as Jackson's path references name them. Conditions may also come as
 * a map (the old MultipleCondition form), hence `maps`.
 */
function bindEach(value: unknown, jsonPath: string, bind: Binder, maps = false): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (isObj(item)) bind(item, `${jsonPath}->java.util.ArrayList[${i}]`);
    });
  } else if (maps && isObj(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (isObj(item)) bind(item, `${jsonPath}->java.util.LinkedHashMap["${key}"]`);
    }
  }
}

/**
 * Binds the parsed mapping to the Flow model, stopping at the first problem in document order as Jackson
 * does. Plugin types are always resolved; unknown properties are rejected only when `strict`.
 */
export function bindFlow(flow: Obj, opts: ValidationOptions, strict: boolean): void {
  const known = flowProperties(opts.features);
  const checkType = (node: Obj, base: string, jsonPath: string): string => {
    const type = str(node.type);
    if (type === undefined || !opts.isKnownType(type)) throw invalidType(type, base, jsonPath);
    // Jackson resolves a type among the subtypes of the property's class only: no core trigger as a task.
    const kind = coreKind(type);
    if (kind !== undefined && BASE_KINDS[base] !== kind) throw invalidType(type, base, jsonPath);
    return type;
  };
  const bindCondition: Binder = (node, jsonPath) => {
    const type = checkType(node, 'io.kestra.core.models.conditions.Condition', jsonPath);
    bindEach(node.conditions, `${jsonPath}->${canonicalType(type)}["conditions"]`, bindCondition, true);
  };
  const bindTask: Binder = (task, jsonPath) => {
    const type = checkType(task, 'io.kestra.core.models.tasks.Task', jsonPath);
    const cls = canonicalType(type);
    const properties = modelledProperties(type);
    if (strict && properties) {
      const unknown = Object.keys(task).find((k) => !properties.includes(k));
      if (unknown !== undefined) throw unrecognized(unknown, cls, properties, `${jsonPath}->${cls}`);
    }
    if (isObj(task.taskRunner))
      checkType(task.taskRunner, 'io.kestra.core.models.tasks.runners.TaskRunner', jsonPath);
    for (const child of childTasks(task, '')) bindTask(child.task, jsonPath + jacksonSuffix(cls, child.path));
  };
  const bindTrigger: Binder = (trigger, jsonPath) => {
    const type = checkType(trigger, 'io.kestra.core.models.triggers.AbstractTrigger', jsonPath);
    // 2.0 rejects `conditions` on every trigger (replaced by `when`) and the Flow trigger's `preconditions`
    // (replaced by `dependsOn`); the known-properties list of the message is abridged.
    if (!opts.features.triggerConditions) {
      const removed = Object.keys(trigger).find((k) => TRIGGER_KEYS_REMOVED_IN_2.includes(k));
      if (removed !== undefined) {
        const cls = canonicalType(type);
        throw unrecognized(removed, cls, ['dependsOn', 'id', 'type', 'when'], `${jsonPath}->${cls}`);
      }
      return;
    }
    bindEach(trigger.conditions, `${jsonPath}->${canonicalType(type)}["conditions"]`, bindCondition, true);
  };
  const bindInput: Binder = (input, jsonPath) => {
    const type = str(input.type);
    if (type === undefined || !INPUT_TYPES.has(type))
      throw invalidType(type, 'io.kestra.core.models.flows.Input', jsonPath);
  };
  const bindListener: Binder = (listener, jsonPath) => {
    const cls = 'io.kestra.core.models.listeners.Listener';
    for (const key of Object.keys(listener)) {
      if (strict && !['description', 'conditions', 'tasks'].includes(key)) {
        throw unrecognized(key, cls, ['conditions', 'description', 'tasks'], `${jsonPath}->${cls}`);
      }
      if (key === 'conditions')
        bindEach(listener.conditions, `${jsonPath}->${cls}["conditions"]`, bindCondition, true);
      if (key === 'tasks') bindEach(listener.tasks, `${jsonPath}->${cls}["tasks"]`, bindTask);
    }
  };
  const binders: Record<string, Binder> = {
    tasks: bindTask,
    errors: bindTask,
    finally: bindTask,
    afterExecution: bindTask,
    triggers: bindTrigger,
    inputs: bindInput,
    listeners: bindListener,
  };
  for (const [key, value] of Object.entries(flow)) {
    if (!known.includes(key)) {
      if (strict) throw unrecognized(key, FLOW_CLASS, known, FLOW_CLASS);
      continue;
    }
    const bind = binders[key];
    if (bind) bindEach(value, `${FLOW_CLASS}["${key}"]`, bind);
  }
}

// ------------------------------------------------------------------------------------ validate endpoint

/** FlowService's message formatting: 1.3 prefixes `Validation error: ` (its prefix check is case-sensitive). */
function formatConstraints(message: string, f: Features): string {
  if (!f.validationErrorPrefix) return message;
  if (message.startsWith('Illegal flow source:')) return message;
  return `Validation error: ${message.startsWith(':') ? message.slice(1) : message}`;
}

/** FlowService.validate for one source: never throws, the problems land in `constraints`. */
export function validateSource(
  source: string,
  opts: ValidationOptions,
  repository: RepositoryView,
): Omit<ValidateResult, 'index' | 'filename'> {
  const result: Omit<ValidateResult, 'index' | 'filename'> = { outdated: false };
  try {
    const flow = parseYaml(source, 'Flow');
    bindFlow(flow, opts, true);
    const id = str(flow.id);
    const namespace = str(flow.namespace);
    if (flow.revision != null && id !== undefined && namespace !== undefined) {
      result.outdated = Number(flow.revision) !== (repository.lastRevision(namespace, id) ?? 0) + 1;
    }
    result.deprecationPaths = deprecationPaths(flow);
    result.warnings = flowWarnings(flow, (ns, flowId) => repository.findFlow(ns, flowId));
    result.infos = relocations(flow, opts.isKnownType);
    if (id !== undefined) result.flow = id;
    if (namespace !== undefined) result.namespace = namespace;
    assertValid(flow, opts);
  } catch (e) {
    result.constraints =
      e instanceof ConstraintViolationError
        ? formatConstraints(e.message, opts.features)
        : `Unable to validate the flow: ${(e as Error).message}`;
  }
  return result;
}
