// Offline checks of the flow as a whole: its top-level keys, id, namespace, revision, that it has tasks, its
// listeners, and the YAML aliases Kestra does not resolve.
import { isScalar, isSeq, visit, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { FlowDoc } from '../../model/types.js';
import type { Add, At } from './lint-context.js';
import { closeEnough, editDistance } from './closest.js';
import { deref, keyOffset, listItems, nodePath, scalarString } from '../parse/positions.js';
import type { Position } from '../../model/types.js';
import {
  FLOW_ID,
  FLOW_ID_MAX,
  FLOW_KEYS_1_3,
  NAMESPACE,
  NAMESPACE_MAX,
  RESERVED_FLOW_IDS,
  SERVER_KEYS,
} from './rules.js';
import { ADDED_FLOW_KEYS, REMOVED_FLOW_KEYS } from './rules-2.0.js';
import { majorOf } from '../../model/kestra-version.js';

/** The keys 1.3 and 2.x share; the ones only one of them has are lint-versions.ts's to report. */
const COMMON_KEYS = FLOW_KEYS_1_3.filter((k) => !(k in REMOVED_FLOW_KEYS));

export function checkTopLevelKeys(top: YAMLMap, target: string | undefined, at: At, add: Add): void {
  // Suggested and listed: what the target takes (never a key 2.0 removed, such as pluginDefaults).
  const allowed: readonly string[] =
    target !== undefined && majorOf(target) >= 2 ? [...COMMON_KEYS, ...ADDED_FLOW_KEYS] : COMMON_KEYS;
  for (const pair of top.items as Pair[]) {
    const key = scalarString(pair.key);
    const offset = (pair.key as Scalar | null)?.range?.[0];
    if (key === undefined) continue;
    if (key in REMOVED_FLOW_KEYS || ADDED_FLOW_KEYS.includes(key)) continue;
    if (allowed.includes(key) || SERVER_KEYS.includes(key)) continue;
    const guess = didYouMean(key, [...allowed, ...Object.keys(REMOVED_FLOW_KEYS)]);
    const gone = guess === undefined ? undefined : REMOVED_FLOW_KEYS[guess];
    add(
      at(offset),
      key,
      'unknown-property',
      `Unrecognized field "${key}" (class io.kestra.core.models.flows.Flow): ` +
        (guess ? `did you mean '${guess}'? ` : '') +
        (gone ? `It was removed in Kestra 2.0: use ${gone.use} instead. ` : '') +
        `A flow's top-level keys are: ${allowed.join(', ')}.`,
    );
  }
}

export function checkFlowId(flow: FlowDoc, top: YAMLMap, at: At, add: Add): void {
  const check = checkText(flow, top, 'id', at, add, {
    max: FLOW_ID_MAX,
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

export function checkNamespace(flow: FlowDoc, top: YAMLMap, at: At, add: Add): void {
  checkText(flow, top, 'namespace', at, add, {
    max: NAMESPACE_MAX,
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

export function checkRevision(flow: FlowDoc, top: YAMLMap, at: At, add: Add): void {
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

export function checkTasksPresent(top: YAMLMap, at: At, add: Add): void {
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

export function checkListeners(top: YAMLMap, at: At, add: Add): void {
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
 * Kestra validates a flow that uses YAML anchors and aliases, but (up to at least 1.3) does not resolve the
 * aliases when the flow runs: `*name` becomes the text 'name' (kestra-io/kestra#16315). Valid, so a warning.
 */
export function checkAliases(flow: FlowDoc, at: At, add: Add): void {
  visit(flow.doc, {
    Alias(_key, node, ancestors) {
      const path = nodePath(ancestors, node);
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

/** The allowed key closest to a typo (`afterExecutions` → `afterExecution`), if close enough. */
export function didYouMean(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return closeEnough(key, bestDistance) ? best : undefined;
}
