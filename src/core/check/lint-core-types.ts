// Offline check of Kestra's core type names (docs/kestra-api.md#core-types): a task, trigger, condition or
// task runner whose type is in Kestra's core packages (io.kestra.plugin.core.*, the old io.kestra.core.tasks.*
// and condition/trigger names) must be a core type of the target version, or of some version when there is
// no target. Other plugins' types are the server's to judge. What Kestra 2.0 removed, and 2.0-only types on
// 1.x, are reported by lint-versions.ts: not twice here.
import { isMap, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { majorOf } from '../../model/kestra-version.js';
import type { FlowDoc } from '../../model/types.js';
import type { Add, At } from './lint-context.js';
import { deref, listItems, scalarString, topValue, type TaskRef } from '../parse/positions.js';
import {
  closestType,
  hasType,
  isCoreName,
  kindOf,
  listFor,
  releaseUnknown,
  versionsOf,
} from './core-types.js';
import { CORE_TYPE_VERSIONS } from './core-types.generated.js';
import { removedType } from './lint-versions.js';
import { LOOP_TYPE, TRIGGER_ALIAS_PREFIX } from './rules-2.0.js';

type Kind = 'task' | 'trigger' | 'condition' | 'runner';
// Kestra's script tasks before the scripts plugin (gone from core before 0.22).
const OLD_SCRIPTS = 'io.kestra.core.tasks.scripts.';
const KIND_NAMES: Record<string, string> = {
  task: 'task',
  trigger: 'trigger',
  condition: 'condition',
  runner: 'task runner',
};

export function checkCoreTypes(
  flow: FlowDoc,
  tasks: TaskRef[],
  triggers: TaskRef[],
  target: string | undefined,
  at: At,
  add: Add,
): void {
  const { version, beyond } = listFor(target);
  const major = target === undefined ? undefined : majorOf(target);

  const check = (node: YAMLMap, path: string, kind: Kind): void => {
    const typeNode = node.get('type', true) as Node | undefined;
    const type = scalarString(typeNode, flow.doc);
    if (type === undefined || !isCoreName(type)) return;
    const where = at(typeNode?.range?.[0]);
    if (hasType(type, version)) {
      // Jackson resolves a type only among the subtypes of the property's class: no trigger as a task.
      const actual = kindOf(type);
      if (actual !== undefined && actual !== kind) {
        add(
          where,
          `${path}.type`,
          'type',
          `Invalid type: ${type}. It is a Kestra ${KIND_NAMES[actual] ?? actual}, not a ${KIND_NAMES[kind]}.`,
        );
      }
      return;
    }
    if (hasType(type)) {
      if (beyond || releaseUnknown(type) || reportedByVersions(type, kind, major)) return;
      add(
        where,
        `${path}.type`,
        'type',
        `Invalid type: ${type}. Kestra ${target} has no such core type: ${versionsText(versionsOf(type))}.`,
      );
      return;
    }
    if (reportedByVersions(type, kind, major)) return; // an old io.kestra.core.tasks.* name on 2.x
    const suggestion = closestType(type, version);
    const fix = suggestion
      ? ` Did you mean ${suggestion}?`
      : type.startsWith(OLD_SCRIPTS)
        ? ' The script tasks moved to the scripts plugin (io.kestra.plugin.scripts.shell.Commands, ' +
          'io.kestra.plugin.scripts.python.Script, …).'
        : " Check the name in Kestra's plugin documentation.";
    const known = `${CORE_TYPE_VERSIONS[0]}–${CORE_TYPE_VERSIONS[CORE_TYPE_VERSIONS.length - 1]}`;
    add(
      where,
      `${path}.type`,
      'type',
      beyond
        ? `${type} is not a core type of any Kestra version this check knows (${known}); Kestra ${target} may have it: the server decides.${fix}`
        : `Invalid type: ${type}. It is not a core type of ${target === undefined ? `Kestra ${known}` : `Kestra ${target}`}.${fix}`,
      beyond ? 'warning' : 'error',
    );
  };

  /** A condition list (or the old map form of MultipleCondition), nested conditions (Not, Or) included. */
  const conditions = (value: unknown, path: string): void => {
    const node = deref(value, flow.doc);
    const items: [string, unknown][] = isSeq(node)
      ? node.items.map((item, i) => [`${path}[${i}]`, item])
      : isMap(node)
        ? (node.items as Pair[]).map((p) => [`${path}.${scalarString(p.key) ?? '?'}`, p.value])
        : [];
    for (const [itemPath, item] of items) {
      const condition = deref(item, flow.doc);
      if (!isMap(condition)) continue;
      check(condition, itemPath, 'condition');
      conditions(condition.get('conditions', true), `${itemPath}.conditions`);
    }
  };

  for (const task of tasks) {
    check(task.node, task.path, 'task');
    const runner = deref(task.node.get('taskRunner', true), flow.doc);
    if (isMap(runner)) check(runner, `${task.path}.taskRunner`, 'runner');
  }
  // On 2.x the `conditions` keys themselves are refused (lint-versions.ts): what they hold is not judged.
  const withConditions = major === undefined || major < 2;
  for (const trigger of triggers) {
    check(trigger.node, trigger.path, 'trigger');
    if (withConditions) conditions(trigger.node.get('conditions', true), `${trigger.path}.conditions`);
  }
  for (const listener of withConditions ? listItems(topValue(flow, 'listeners'), 'listeners') : [])
    conditions(listener.node.get('conditions', true), `${listener.path}.conditions`);
}

/**
 * Whether lint-versions.ts already reports this real (older or newer) core type at the target: removed task
 * types and old aliases on 2.x, trigger aliases (whose removal is unconfirmed: a warning there), and Loop
 * on 1.x.
 */
function reportedByVersions(type: string, kind: Kind, major: number | undefined): boolean {
  if (major === undefined) return false;
  if (major < 2) return type === LOOP_TYPE;
  if (kind === 'trigger') return type.startsWith(TRIGGER_ALIAS_PREFIX);
  return kind === 'task' && removedType(type) !== undefined;
}

/** `it came in 1.3` / `only in 0.22–1.3` from the versions that have a name. */
function versionsText(versions: string[]): string {
  if (versions.length === 0) return 'no version has it';
  const range = versions.length === 1 ? versions[0] : `${versions[0]}–${versions[versions.length - 1]}`;
  return `Kestra ${range} ${versions.length === 1 ? 'has' : 'have'} it`;
}
