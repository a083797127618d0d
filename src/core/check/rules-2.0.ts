// What Kestra 2.0 removed from the flow syntax and what it added, as data: the tables lint-versions.ts
// applies per target version. Each entry says what to write instead. Where 2.0's behaviour is not confirmed,
// the entry is `runtime` (a warning on every target), never an error that could refuse a valid flow.

export interface Removal {
  /** What to write instead, in a few words. */
  use: string;
  /**
   * The 2.0 server accepts the flow and fails when it runs (or the rejection is not confirmed): a warning on
   * every target. Otherwise the 2.0 server rejects the flow: an error with a 2.x target.
   */
  runtime?: boolean;
  /** 2.0's behaviour is UNCONFIRMED: a warning on every target, that says so. */
  unconfirmed?: boolean;
}

const POLICIES: Removal = {
  use: "inline values in each task (OSS), or a Policy and the flow's `policyRefs` (EE)",
};

/** Flow keys 2.0 removed. */
export const REMOVED_FLOW_KEYS: Record<string, Removal> = {
  pluginDefaults: POLICIES,
  taskDefaults: POLICIES,
  listeners: { use: "'afterExecution' (or a Flow trigger)" },
  workerGroup: { use: "'workerSelector'" },
};

/** Flow keys only 2.x knows (EE 2.0's Flow schema). */
export const ADDED_FLOW_KEYS = ['policyRefs', 'quotas', 'workerSelector'];

/** Task keys 2.0 removed, and those only 2.x knows. */
export const REMOVED_TASK_KEYS: Record<string, Removal> = { workerGroup: { use: "'workerSelector'" } };
export const ADDED_TASK_KEYS = ['policyRefs', 'workerSelector'];

/** Trigger keys 2.0 removed, on every trigger. */
export const REMOVED_TRIGGER_KEYS: Record<string, Removal> = {
  conditions: { use: "'when' (a Pebble condition; 'dependsOn' on a Flow trigger)" },
  workerGroup: { use: "'workerSelector'" },
};

/** Keys of the Flow trigger 2.0 replaced by `dependsOn` and `window`. */
export const REMOVED_FLOW_TRIGGER_KEYS: Record<string, Removal> = Object.fromEntries(
  ['preconditions', 'multipleConditions', 'timeWindow', 'windowAdvance', 'resetOnSuccess'].map((k) => [
    k,
    { use: "'dependsOn' (and 'window')" },
  ]),
);

/** Trigger keys only 2.x knows. */
export const ADDED_TRIGGER_KEYS = ['when', 'dependsOn', 'window', 'policyRefs', 'workerSelector'];

/** Keys of a flow's `checks[]` only 2.x knows (`condition` was renamed; 2.0 still accepts the old name). */
export const ADDED_CHECK_KEYS = ['when'];

const LOOP: Removal = { use: 'io.kestra.plugin.core.flow.Loop (taskrun.value becomes item.value)' };
const FOR_EACH_ITEM: Removal = { use: 'io.kestra.plugin.core.storage.Split, then a Loop over a Subflow' };
const PLUGIN_KESTRA: Removal = { use: 'the plugin-kestra tasks (io.kestra.plugin.kestra.…)' };
const KV: Removal = { use: 'the KV store tasks (io.kestra.plugin.core.kv.Get, Set, Delete)' };

/** Task types 2.0 removed, current and legacy names. */
export const REMOVED_TYPES: Record<string, Removal> = {
  'io.kestra.plugin.core.flow.ForEach': LOOP,
  'io.kestra.plugin.core.flow.ForEachItem': FOR_EACH_ITEM,
  'io.kestra.plugin.core.flow.EachSequential': LOOP,
  'io.kestra.plugin.core.flow.EachParallel': LOOP,
  'io.kestra.plugin.core.flow.Template': LOOP,
  'io.kestra.core.tasks.flows.ForEachItem': FOR_EACH_ITEM,
  'io.kestra.core.tasks.flows.EachSequential': LOOP,
  'io.kestra.core.tasks.flows.EachParallel': LOOP,
  'io.kestra.core.tasks.flows.Template': LOOP,
  'io.kestra.plugin.core.execution.Count': PLUGIN_KESTRA,
  'io.kestra.plugin.core.execution.Resume': PLUGIN_KESTRA,
  'io.kestra.plugin.core.trigger.Toggle': PLUGIN_KESTRA,
  'io.kestra.core.tasks.executions.Counts': PLUGIN_KESTRA,
  'io.kestra.core.tasks.trigger.Toggle': PLUGIN_KESTRA,
  'io.kestra.plugin.core.log.Fetch': { use: 'io.kestra.plugin.kestra.logs.Fetch (plugin-kestra)' },
  'io.kestra.core.tasks.log.Fetch': { use: 'io.kestra.plugin.kestra.logs.Fetch (plugin-kestra)' },
  'io.kestra.plugin.core.debug.Echo': { use: 'io.kestra.plugin.core.log.Log' },
  'io.kestra.core.tasks.debugs.Echo': { use: 'io.kestra.plugin.core.log.Log' },
  'io.kestra.plugin.core.storage.LocalFiles': {
    use: "the 'inputFiles'/'outputFiles' of io.kestra.plugin.core.flow.WorkingDirectory",
  },
  'io.kestra.core.tasks.storages.LocalFiles': {
    use: "the 'inputFiles'/'outputFiles' of io.kestra.plugin.core.flow.WorkingDirectory",
  },
};

/** Prefixes of removed task types, checked after REMOVED_TYPES. */
export const REMOVED_TYPE_PREFIXES: Record<string, Removal> = {
  'io.kestra.plugin.core.state.': KV,
  'io.kestra.core.tasks.states.': KV,
};

/** The old task aliases' package (2.0 removed them all; core-types.ts names each one's class). */
export const ALIAS_PREFIX = 'io.kestra.core.tasks.';

/**
 * Old trigger aliases (`io.kestra.core.models.triggers.types.Schedule`…). Their removal in 2.0 is
 * UNCONFIRMED: the safe reading is a warning on every target, never an error.
 */
export const TRIGGER_ALIAS_PREFIX = 'io.kestra.core.models.triggers.types.';

/**
 * `when` on a task: the announced rename of `runIf` was reverted before 2.0, so 1.3 and 2.0 both know only
 * `runIf` (its GA status is UNCONFIRMED, and a plugin task could have its own `when`): a warning everywhere.
 */
export const TASK_WHEN = 'when';

/** Input types 2.0 removed. */
export const REMOVED_INPUT_TYPES: Record<string, Removal> = {
  BOOLEAN: { use: 'BOOL' },
  ENUM: { use: 'SELECT' },
};

/** The task type only 2.x knows. */
export const LOOP_TYPE = 'io.kestra.plugin.core.flow.Loop';

/**
 * Pebble's `json()` function and `| json` filter, inside `{{ }}` or `{% %}`: 2.0 only has fromJson and
 * toJson, and its validate does not check Pebble, so the flow fails when it runs.
 */
export const JSON_FUNCTION = /(?<![\w.$])json\s*\(/g;
export const JSON_FILTER = /\|\s*json\b(?!\s*\()/g;
export const JSON_USE: Removal = { use: 'fromJson(x), and x | toJson for the filter', runtime: true };

/**
 * The state `CANCELED` (e.g. the Exit task's): 2.0 spells it CANCELLED; a dynamic value, so it fails at run
 * time. Whether 2.0's validate also refuses it is UNCONFIRMED: the safe reading is a warning.
 */
export const CANCELED: Removal = { use: 'CANCELLED', runtime: true };
