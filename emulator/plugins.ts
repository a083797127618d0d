// What the emulated server knows about plugins: which types are installed, the legacy aliases it relocates,
// and the few core tasks whose properties it models (enough for the common "unknown property" and
// "missing message" mistakes). Everything else about a task is accepted as the real server would with a
// plugin it cannot introspect here.
import { CORE_TYPES, CORE_TYPE_VERSIONS } from './core-types.generated.js';
import { KNOWN_TYPES } from './known-types.js';
import { parseVersion } from './version.js';

/** Java's `\p{javaJavaIdentifierStart}\p{javaJavaIdentifierPart}*(\.…)*`, the `type` pattern of tasks. */
export const JAVA_IDENTIFIER_PATTERN =
  '\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*';
const JAVA_IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*(\.[\p{L}_$][\p{L}\p{N}_$]*)*$/u;
export const isJavaIdentifier = (s: string): boolean => JAVA_IDENTIFIER.test(s);

// Packages of Kestra ≤ 0.16 that moved to io.kestra.plugin.core.* and are still accepted as aliases.
const ALIAS_PACKAGES: [string, string][] = [
  ['io.kestra.core.tasks.log.', 'io.kestra.plugin.core.log.'],
  ['io.kestra.core.tasks.debugs.', 'io.kestra.plugin.core.debug.'],
  ['io.kestra.core.tasks.executions.', 'io.kestra.plugin.core.execution.'],
  ['io.kestra.core.tasks.flows.', 'io.kestra.plugin.core.flow.'],
  ['io.kestra.core.tasks.storages.', 'io.kestra.plugin.core.storage.'],
  ['io.kestra.core.tasks.states.', 'io.kestra.plugin.core.state.'],
  ['io.kestra.core.tasks.outputs.', 'io.kestra.plugin.core.output.'],
  ['io.kestra.core.tasks.templating.', 'io.kestra.plugin.core.templating.'],
  ['io.kestra.core.tasks.trigger.', 'io.kestra.plugin.core.trigger.'],
  ['io.kestra.core.tasks.kv.', 'io.kestra.plugin.core.kv.'],
  ['io.kestra.core.tasks.namespace.', 'io.kestra.plugin.core.namespace.'],
  ['io.kestra.core.models.triggers.types.', 'io.kestra.plugin.core.trigger.'],
  ['io.kestra.core.models.conditions.types.', 'io.kestra.plugin.core.condition.'],
];
const ALIAS_RENAMES: Record<string, string> = {
  'io.kestra.core.tasks.flows.Flow': 'io.kestra.plugin.core.flow.Subflow',
  'io.kestra.core.models.conditions.types.VariableCondition': 'io.kestra.plugin.core.condition.Expression',
  'io.kestra.core.models.conditions.types.MultipleCondition':
    'io.kestra.plugin.core.condition.MultipleCondition',
};

// The aliases Kestra's core classes declare (`@Plugin(aliases = …)`), from the generated list.
const DECLARED_ALIASES = new Map(
  CORE_TYPES.filter(([, kind]) => kind.startsWith('alias:')).map(([name, kind]) => [
    name,
    kind.slice('alias:'.length),
  ]),
);

// What each core class is (task, trigger, condition, runner), from the generated list.
const CORE_KINDS = new Map(
  CORE_TYPES.filter(([, kind]) => !kind.startsWith('alias:')).map(([name, kind]) => [name, kind]),
);

/**
 * The kind of a core type or declared alias: `task`, `trigger`, `condition` or `runner`; undefined for other
 * plugins and for types the list knows only from Kestra's test flows.
 */
export function coreKind(type: string): string | undefined {
  const kind = CORE_KINDS.get(DECLARED_ALIASES.get(type) ?? type);
  return kind === 'seen' ? undefined : kind;
}

/** The class a legacy alias (`io.kestra.core.tasks.log.Log`) resolves to, or undefined for a non-alias. */
export function aliasTarget(type: string): string | undefined {
  const declared = DECLARED_ALIASES.get(type);
  if (declared) return declared;
  if (ALIAS_RENAMES[type]) return ALIAS_RENAMES[type];
  for (const [from, to] of ALIAS_PACKAGES) {
    if (!type.startsWith(from)) continue;
    let name = type.slice(from.length);
    if (name.includes('.')) return undefined;
    // Old condition classes carried a `Condition` suffix: ExecutionStatusCondition → ExecutionStatus.
    if (from.endsWith('conditions.types.') && name.endsWith('Condition'))
      name = name.slice(0, -'Condition'.length);
    return to + name;
  }
  return undefined;
}

/** The class Jackson instantiates for `type`: the alias target, or the type itself. */
export const canonicalType = (type: string): string => aliasTarget(type) ?? type;

// Packages only Kestra's core has: their types come from the per-version list (core-types.generated.ts,
// docs/kestra-api.md#core-types), not from the corpus. io.kestra.core.tasks.test.* are Kestra's test classes.
const CORE_PREFIXES = [
  'io.kestra.plugin.core.',
  'io.kestra.core.tasks.',
  'io.kestra.core.models.conditions.types.',
  'io.kestra.core.models.triggers.types.',
];
const isCoreName = (type: string): boolean =>
  CORE_PREFIXES.some((p) => type.startsWith(p)) && !type.startsWith('io.kestra.core.tasks.test.');

/**
 * The core types (classes and their aliases) of a Kestra version: the list of its major.minor, or of the
 * nearest older one listed (the oldest for older versions).
 */
export function coreTypes(version: string): string[] {
  const v = parseVersion(version);
  const order = (s: string): number => {
    const [major, minor] = s.split('.').map(Number);
    return major! * 1000 + minor!;
  };
  const listed = CORE_TYPE_VERSIONS.filter((l) => order(l) <= v.major * 1000 + v.minor);
  const list = listed[listed.length - 1] ?? CORE_TYPE_VERSIONS[0];
  return CORE_TYPES.filter(([, , versions]) => versions.split(' ').includes(list)).map(([name]) => name);
}

/** What a default server of that version has: its core types and the corpus' other plugin types. */
export const defaultTypes = (version: string): string[] => [
  ...coreTypes(version),
  ...KNOWN_TYPES.filter((t) => !isCoreName(t)),
];

/**
 * The plugin registry of the emulated server. With an explicit list, only those types (and the legacy
 * aliases of them) exist. Without one, the version's core types and the corpus-derived plugin types apply,
 * and anything outside `io.kestra.` is assumed installed, so third-party plugins in real flows validate.
 */
export function typeRegistry(knownTypes?: string[], version = '1.3.19'): (type: string) => boolean {
  const known = new Set(knownTypes ?? defaultTypes(version));
  const permissive = knownTypes === undefined;
  return (type) => {
    if (known.has(type)) return true;
    const target = aliasTarget(type);
    if (target && known.has(target) && (!permissive || !isCoreName(type))) return true;
    return permissive && !type.startsWith('io.kestra.');
  };
}

// Properties every task has (io.kestra.core.models.tasks.Task and TaskInterface, across 0.22–2.0).
const TASK_PROPERTIES = [
  'id',
  'type',
  'version',
  'description',
  'retry',
  'timeout',
  'disabled',
  'workerGroup',
  'logLevel',
  'allowFailure',
  'logToFile',
  'runIf',
  'allowWarning',
  'taskCache',
  'assets',
  'when',
];

interface TaskModel {
  properties: string[];
  /** `@NotNull` properties. */
  required: string[];
}

// The only tasks whose full property set is modelled: strict parsing rejects anything else on them.
const TASK_MODELS: Record<string, TaskModel> = {
  'io.kestra.plugin.core.log.Log': { properties: ['message', 'level'], required: ['message'] },
  'io.kestra.plugin.core.debug.Return': { properties: ['format'], required: [] },
  'io.kestra.plugin.core.debug.Echo': { properties: ['format', 'level'], required: [] },
};

/** Known properties of a modelled task class, sorted (for the Jackson message), or undefined. */
export function modelledProperties(type: string): string[] | undefined {
  const model = TASK_MODELS[canonicalType(type)];
  return model ? [...TASK_PROPERTIES, ...model.properties].sort() : undefined;
}

export const requiredProperties = (type: string): string[] =>
  TASK_MODELS[canonicalType(type)]?.required ?? [];

const CORE_FLOW = 'io.kestra.plugin.core.flow.';

/** Flowable tasks whose `tasks` is `@NotEmpty`. */
const TASKS_REQUIRED = [
  'Parallel',
  'Sequential',
  'ForEach',
  'EachSequential',
  'EachParallel',
  'AllowFailure',
];
export const requiresTasks = (type: string): boolean =>
  TASKS_REQUIRED.some((n) => canonicalType(type) === CORE_FLOW + n);

// Core tasks that are not RunnableTask (flowable or executable): `timeout`, `taskCache`, `workerGroup`
// on them only earn a warning.
const NON_RUNNABLE = [
  ...TASKS_REQUIRED,
  'If',
  'Switch',
  'Dag',
  'Pause',
  'Template',
  'LoopUntil',
  'Loop',
  'Subflow',
  'ForEachItem',
];
export const isNonRunnable = (type: string): boolean =>
  NON_RUNNABLE.some((n) => canonicalType(type) === CORE_FLOW + n);

export const isSubflowTask = (type: string): boolean => canonicalType(type) === CORE_FLOW + 'Subflow';

/** ExecutableTask: tasks that start an execution of another flow (the recursion rule applies). */
export const isExecutableTask = (type: string): boolean =>
  isSubflowTask(type) || canonicalType(type) === CORE_FLOW + 'ForEachItem';

export const isFlowTrigger = (type: string): boolean =>
  canonicalType(type) === 'io.kestra.plugin.core.trigger.Flow';

/** Input subtypes (`@JsonSubTypes` names, case-sensitive). */
export const INPUT_TYPES = new Set([
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
]);

// Core types deleted in 2.0 (ForEach → Loop, condition classes → `when`, …): `Invalid type: X` there.
const REMOVED_IN_2 = [
  ...['ForEach', 'ForEachItem', 'EachSequential', 'EachParallel', 'Template'].map((n) => CORE_FLOW + n),
  ...['execution.Count', 'execution.Resume', 'trigger.Toggle', 'log.Fetch', 'debug.Echo'],
  ...['state.Delete', 'state.Get', 'state.Set', 'storage.LocalFiles'],
].map((n) => (n.startsWith('io.') ? n : 'io.kestra.plugin.core.' + n));
const REMOVED_PREFIXES_2 = ['io.kestra.plugin.core.condition.', 'io.kestra.core.models.conditions.'];

// The aliases 2.0 still declares (flow.WaitFor, io.kestra.plugin.fs.http.*).
const KEPT_ALIASES_2 = new Set(
  CORE_TYPES.filter(
    ([, kind, versions]) => kind.startsWith('alias:') && versions.split(' ').includes('2.0'),
  ).map(([name]) => name),
);

/** Removed in 2.0: the types above, the condition classes, and every legacy alias (`io.kestra.core.tasks.*`). */
export const removedIn2 = (type: string): boolean =>
  REMOVED_PREFIXES_2.some((p) => type.startsWith(p)) ||
  (canonicalType(type) !== type && !KEPT_ALIASES_2.has(type)) ||
  REMOVED_IN_2.includes(type);

/** The type registry of a server version: 2.0 drops REMOVED_IN_2 and adds `Loop`. */
export function versionedRegistry(
  known: (type: string) => boolean,
  removedCoreTypes: boolean,
): (type: string) => boolean {
  if (removedCoreTypes) return known;
  return (type) => type === CORE_FLOW + 'Loop' || (!removedIn2(type) && known(type));
}
