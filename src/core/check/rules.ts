// The rule tables of the offline checks: Kestra 1.3's patterns, sizes, keys and type names, as data
// (docs/kestra-api.md#flow-model). The checks that apply them are in lint.ts and its lint-*.ts parts.
// Java @Pattern matches the whole string: the patterns are anchored at both ends here.

/** Flow `id`: io.kestra.core.models.flows.AbstractFlow (@Pattern, @Size max 100). */
export const FLOW_ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
export const FLOW_ID_MAX = 100;

/** Flow `namespace`: io.kestra.core.models.flows.AbstractFlow (@Pattern, @Size max 150). */
export const NAMESPACE = /^[a-z0-9][a-z0-9._-]*$/;
export const NAMESPACE_MAX = 150;

/** Task and trigger `id`: TaskInterface.getId and TriggerInterface.getId (@Pattern). */
export const TASK_ID = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
/** Task `id` length: io.kestra.core.models.tasks.Task (@Size max 256). */
export const TASK_ID_MAX = 256;

/** Input and output `id`: io.kestra.core.models.flows.Input and Output (@Pattern). */
export const DATA_ID = /^[a-zA-Z0-9][.a-zA-Z0-9_-]*$/;

/** Task and trigger `type`, a Java class name: TaskInterface.getType and TriggerInterface.getType (@Pattern). */
export const JAVA_TYPE = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;

/** Label key: io.kestra.core.models.Label (@Pattern on `key`). */
export const LABEL_KEY = /^\p{Ll}[\p{L}0-9._-]*$/u;
/** Labels only Kestra sets, but for the read-only one: io.kestra.core.models.Label (SYSTEM_PREFIX, READ_ONLY). */
export const SYSTEM_LABEL_PREFIX = 'system.';
export const READ_ONLY_LABEL = 'system.readOnly';

/** A flow's top-level keys: the properties of io.kestra.core.models.flows.Flow and AbstractFlow in 1.3. */
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

/** Set by the server on stored flows (AbstractFlow: deleted, tenantId, updated); tolerated when sent back. */
export const SERVER_KEYS = ['deleted', 'tenantId', 'updated'];

/** Flow ids Kestra 1.x refuses: io.kestra.core.validations.validator.FlowValidator.RESERVED_FLOW_IDS. */
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

/** Input types of Kestra 1.3: the enum io.kestra.core.models.flows.Type. */
export const INPUT_TYPES = [
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

/** Tasks that run another flow (Kestra's ExecutableTask implementations), current and legacy names. */
export const SUBFLOW_TYPES = new Set([
  'io.kestra.plugin.core.flow.Subflow',
  'io.kestra.plugin.core.flow.ForEachItem',
  'io.kestra.core.tasks.flows.Subflow',
  'io.kestra.core.tasks.flows.Flow',
  'io.kestra.core.tasks.flows.ForEachItem',
]);

/** The Flow trigger (io.kestra.plugin.core.trigger.Flow), current and legacy names. */
export const FLOW_TRIGGER_TYPES = new Set([
  'io.kestra.plugin.core.trigger.Flow',
  'io.kestra.core.models.triggers.types.Flow',
]);

/** The packages of Kestra's core flowable tasks, current and legacy (io.kestra.core.tasks.flows aliases). */
export const CORE_FLOW_PACKAGES = ['io.kestra.plugin.core.flow.', 'io.kestra.core.tasks.flows.'];

/**
 * Core flowable tasks whose child list is @NotEmpty (Sequential, Parallel, ForEach, EachSequential,
 * EachParallel, AllowFailure: `tasks`; If: `then`), by simple class name.
 */
export const REQUIRED_CHILD_LIST: Record<string, string> = {
  Sequential: 'tasks',
  Parallel: 'tasks',
  ForEach: 'tasks',
  EachSequential: 'tasks',
  EachParallel: 'tasks',
  AllowFailure: 'tasks',
  If: 'then',
};

/**
 * Core tasks that are not RunnableTask (flowable, or executable like Subflow), by simple class name: the
 * WorkingDirectory validator (WorkingDirectoryTaskValidator) accepts only runnable children.
 */
export const NON_RUNNABLE_CORE_TASKS = new Set([
  ...Object.keys(REQUIRED_CHILD_LIST),
  'Switch',
  'Dag',
  'WorkingDirectory',
  'Pause',
  'Template',
  'LoopUntil',
  'Loop',
  'WaitFor',
  'Subflow',
  'Flow',
  'ForEachItem',
]);

/** Item types ARRAY and MULTISELECT inputs refuse (ArrayInputValidator, MultiselectInputValidator). */
export const FORBIDDEN_ITEM_TYPES = ['ARRAY', 'SECRET', 'MULTISELECT', 'SELECT', 'OBJECT', 'TABLE'];

/** @NotNull properties of core flowable tasks, by simple class name (If.condition). */
export const REQUIRED_CORE_PROPERTIES: Record<string, string[]> = {
  If: ['condition'],
};

/** Triggers that start executions with the inputs they list (FlowValidator: Schedule and webhook triggers). */
export const INPUT_SUPPLYING_TRIGGERS: Record<string, string> = {
  'io.kestra.plugin.core.trigger.Schedule': 'Schedule',
  'io.kestra.core.models.triggers.types.Schedule': 'Schedule',
  'io.kestra.plugin.core.trigger.Webhook': 'Webhook',
  'io.kestra.core.models.triggers.types.Webhook': 'Webhook',
};
