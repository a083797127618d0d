// Offline checks per target version: the constructs Kestra 2.0 removed (warnings, or errors where a 2.x
// server rejects the flow) and the syntax only 2.x knows (errors for a 1.x target), each at its own line.
// The tables are in rules-2.0.ts. Rules match the server's (`unknown-property`, `type`) where the server
// rejects the same node, so that with a server each problem is reported once (merge-findings.ts).
import { isPair, visit, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { majorOf } from '../../model/kestra-version.js';
import type { FlowDoc } from '../../model/types.js';
import type { Add, At } from './lint-context.js';
import { listItems, nodePath, scalarString, topValue, type TaskRef } from '../parse/positions.js';
import { FLOW_TRIGGER_TYPES } from './rules.js';
import { renameOf } from './core-types.js';
import {
  ADDED_CHECK_KEYS,
  ADDED_FLOW_KEYS,
  ADDED_TASK_KEYS,
  ADDED_TRIGGER_KEYS,
  ALIAS_PREFIX,
  CANCELED,
  JSON_FILTER,
  JSON_FUNCTION,
  JSON_USE,
  LOOP_TYPE,
  REMOVED_FLOW_KEYS,
  REMOVED_FLOW_TRIGGER_KEYS,
  REMOVED_INPUT_TYPES,
  REMOVED_TASK_KEYS,
  REMOVED_TRIGGER_KEYS,
  REMOVED_TYPE_PREFIXES,
  REMOVED_TYPES,
  TASK_WHEN,
  TRIGGER_ALIAS_PREFIX,
  type Removal,
} from './rules-2.0.js';

/** The flow's tasks and triggers, as lint.ts collected them. */
export interface VersionScope {
  flow: FlowDoc;
  top: YAMLMap;
  tasks: TaskRef[];
  triggers: TaskRef[];
}

export function checkVersions(scope: VersionScope, target: string | undefined, at: At, add: Add): void {
  const { flow, top, tasks, triggers } = scope;
  const major = target === undefined ? undefined : majorOf(target);

  /** A construct 2.0 removed: a warning, or an error when a 2.x server rejects it. */
  const removed = (
    offset: number | undefined,
    path: string,
    what: string,
    r: Removal,
    rule: 'unknown-property' | 'type',
  ): void => {
    const upgrade = `${what} → ${r.use}`;
    if (major !== undefined && major >= 2 && !r.runtime && !r.unconfirmed) {
      add(
        at(offset),
        path,
        rule,
        `${what} was removed in Kestra 2.0 and the ${target} server rejects the flow: use ${r.use}.`,
        'error',
        upgrade,
      );
      return;
    }
    const v2 = major !== undefined && major >= 2;
    const when =
      v2 && r.unconfirmed
        ? ` Whether the ${target} server still accepts it is not confirmed.`
        : v2 && r.runtime
          ? ` The ${target} server accepts the flow, but it fails when it runs.`
          : '';
    add(
      at(offset),
      path,
      'deprecated',
      `${what} was removed in Kestra 2.0: use ${r.use}.${when}`,
      'warning',
      upgrade,
    );
  };
  /** Syntax only 2.x knows: an error for a 1.x target, nothing otherwise. */
  const added = (
    offset: number | undefined,
    path: string,
    what: string,
    rule: 'unknown-property' | 'type',
    why: string,
  ): void => {
    if (major === undefined || major >= 2) return;
    add(at(offset), path, rule, `${what} is Kestra 2.0 syntax: ${why}`, 'error');
  };
  const addedKey = (key: string, path: string, offset: number | undefined, extra = ''): void =>
    added(
      offset,
      path,
      `'${key}'`,
      'unknown-property',
      `Kestra ${target} rejects it when the flow is created or validated, and silently drops it when an existing flow is updated${extra}. Remove it until the server runs 2.0.`,
    );

  const keys = (
    map: YAMLMap,
    base: string,
    removedKeys: Record<string, Removal>,
    addedKeys: string[],
    extra = '',
  ): void => {
    for (const pair of map.items as Pair[]) {
      const key = scalarString(pair.key);
      if (key === undefined) continue;
      const path = base ? `${base}.${key}` : key;
      const offset = (pair.key as Scalar | null)?.range?.[0];
      const gone = removedKeys[key];
      if (gone) removed(offset, path, `'${key}'`, gone, 'unknown-property');
      else if (addedKeys.includes(key)) addedKey(key, path, offset, extra);
    }
  };
  const type = (ref: TaskRef, kind: 'task' | 'trigger'): string | undefined => {
    const node = ref.node.get('type', true) as Node | undefined;
    const value = scalarString(node, flow.doc);
    if (value === undefined) return undefined;
    const offset = node?.range?.[0];
    const path = `${ref.path}.type`;
    const removal = kind === 'task' ? removedType(value) : undefined;
    if (removal) removed(offset, path, value, removal, 'type');
    else if (kind === 'trigger' && value.startsWith(TRIGGER_ALIAS_PREFIX)) {
      const name = value.slice(TRIGGER_ALIAS_PREFIX.length);
      removed(
        offset,
        path,
        value,
        { use: `io.kestra.plugin.core.trigger.${name}`, unconfirmed: true },
        'type',
      );
    } else if (value === LOOP_TYPE) {
      added(
        offset,
        path,
        value,
        'type',
        `Kestra ${target} has no such task (Invalid type). Use ForEach until the server runs 2.0.`,
      );
    }
    return value;
  };

  keys(top, '', REMOVED_FLOW_KEYS, ADDED_FLOW_KEYS);
  for (const task of tasks) {
    keys(task.node, task.path, REMOVED_TASK_KEYS, ADDED_TASK_KEYS);
    const when = (task.node.items as Pair[]).find((p) => scalarString(p.key) === TASK_WHEN);
    if (when) {
      add(
        at((when.key as Scalar | null)?.range?.[0]),
        `${task.path}.${TASK_WHEN}`,
        'unknown-property',
        "'when' on a task: Kestra 1.3 and 2.0 know only 'runIf' (the announced rename was reverted): use 'runIf'.",
        'warning',
      );
    }
    type(task, 'task');
  }
  for (const trigger of triggers) {
    const kind = type(trigger, 'trigger');
    const flowTrigger = FLOW_TRIGGER_TYPES.has(kind ?? '');
    const removedKeys = flowTrigger
      ? { ...REMOVED_TRIGGER_KEYS, ...REMOVED_FLOW_TRIGGER_KEYS }
      : REMOVED_TRIGGER_KEYS;
    keys(
      trigger.node,
      trigger.path,
      removedKeys,
      ADDED_TRIGGER_KEYS,
      ', which leaves the trigger without its condition',
    );
  }
  for (const check of listItems(topValue(flow, 'checks'), 'checks')) {
    keys(
      check.node,
      check.path,
      {},
      ADDED_CHECK_KEYS,
      " (an update then fails: 'condition: must not be null')",
    );
  }
  for (const input of listItems(topValue(flow, 'inputs'), 'inputs')) {
    const node = input.node.get('type', true) as Node | undefined;
    const value = scalarString(node, flow.doc);
    const gone = value === undefined ? undefined : REMOVED_INPUT_TYPES[value];
    if (gone) removed(node?.range?.[0], `${input.path}.type`, `input type ${value}`, gone, 'type');
  }
  checkStrings(flow, (offset, path, what, r) => removed(offset, path, what, r, 'type'));
}

/** The removal of a task type: by name, by prefix, or as an old `io.kestra.core.tasks.*` alias. */
export function removedType(type: string): Removal | undefined {
  const named = REMOVED_TYPES[type];
  if (named) return named;
  for (const [prefix, removal] of Object.entries(REMOVED_TYPE_PREFIXES))
    if (type.startsWith(prefix)) return removal;
  // io.kestra.core.tasks.test.* are real classes of Kestra's test suite, not aliases.
  if (!type.startsWith(ALIAS_PREFIX) || type.startsWith(`${ALIAS_PREFIX}test.`)) return undefined;
  const use = renameOf(type);
  if (use) return { use };
  return type.startsWith(`${ALIAS_PREFIX}scripts.`)
    ? { use: 'a task of the scripts plugin (io.kestra.plugin.scripts.shell.Commands, …)' }
    : { use: 'its io.kestra.plugin.core.… name (the old io.kestra.core.tasks.* aliases are gone)' };
}

/** `json()` / `| json` inside a Pebble expression, and the value `CANCELED`, anywhere in the flow. */
function checkStrings(
  flow: FlowDoc,
  report: (offset: number | undefined, path: string, what: string, r: Removal) => void,
): void {
  visit(flow.doc, {
    Scalar(_key, node, ancestors) {
      if (typeof node.value !== 'string' || !node.range) return;
      const parent = ancestors[ancestors.length - 1];
      if (isPair(parent) && parent.key === node) return; // a key, not a value
      const path = nodePath(ancestors, node);
      if (node.value === 'CANCELED') report(node.range[0], path, 'The state CANCELED', CANCELED);
      if (!/json/.test(node.value)) return;
      // The raw text gives each use its own line (in a block scalar too); escapes can hide it: the value's start.
      const start = node.range[0];
      const hits = pebbleJson(flow.source.slice(start, node.range[1]));
      const found = hits.length ? hits : pebbleJson(node.value).length ? [0] : [];
      for (const at of found) report(start + at, path, "Pebble's json()", JSON_USE);
    },
  });
}

/** Offsets of `json(` and `| json` inside `{{ … }}` and `{% … %}` of a text. */
export function pebbleJson(text: string): number[] {
  const out: number[] = [];
  for (const block of text.matchAll(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g)) {
    for (const re of [JSON_FUNCTION, JSON_FILTER]) {
      for (const m of block[0].matchAll(re)) out.push(block.index + m.index);
    }
  }
  return out.sort((a, b) => a - b);
}
