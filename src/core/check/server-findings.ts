// The server's answer to validate, turned into violations at the lines they are about, each with the rule
// and the Kestra path (`tasks[1].type`) of its node, so that a problem the offline rules also found can be
// recognised (merge-findings.ts). The server names nodes in many ways: a YAML line, a type, a class and a
// property, a `path: message` line whose path uses task and input ids, a flow-level rule naming ids.
import type { ValidateResult } from '../../kestra/api.js';
import { isMap, isSeq, type Node, type Pair } from 'yaml';
import {
  collectTasks,
  flowStart,
  idOwners,
  keyOffset,
  locateKey,
  locatePath,
  locateType,
  positionAt,
  positionOfLabel,
  scalarString,
  topValue,
  type IdKind,
  type TaskRef,
} from '../parse/positions.js';
import {
  flowName,
  type FlowDoc,
  type Position,
  type Rule,
  type Severity,
  type Violation,
} from '../../model/types.js';

/** Where one server finding goes, and what it is. */
interface Placed {
  pos: Position;
  rule: Rule;
  path?: string;
  /** Replaces the server's text when one message is split into one finding per node. */
  message?: string;
}

const PREFIXES = [/^Validation error:\s*/, /^Invalid entity:\s*/];

/** Turns one `ValidateConstraintViolation` into violations at the lines they are about. */
export function serverViolations(flow: FlowDoc, result: ValidateResult): Violation[] {
  const out: Violation[] = [];
  const add = (message: string, severity: Severity, placed: Placed): void => {
    out.push({
      file: flow.file,
      line: placed.pos.line,
      column: placed.pos.column,
      flow: flowName(flow),
      ...(placed.path !== undefined ? { path: placed.path } : {}),
      rule: placed.rule,
      message: placed.message ?? message,
      severity,
      origin: 'server',
    });
  };
  if (result.constraints) {
    for (const line of result.constraints.split('\n')) {
      const text = PREFIXES.reduce((s, re) => s.replace(re, ''), line.trim());
      if (!text) continue;
      for (const item of splitConstraint(text)) {
        for (const placed of locateConstraint(flow, item)) add(item, 'error', placed);
      }
    }
  }
  // Blank entries say nothing: an annotation without text would only confuse.
  const said = (list: string[] | undefined): string[] => (list ?? []).filter((s) => s.trim() !== '');
  for (const w of said(result.warnings)) add(w, 'warning', locateWarning(flow, w));
  for (const p of said(result.deprecationPaths)) {
    const { position, path } = locatePath(flow, p);
    add(`'${p}' is deprecated: see the Kestra docs for its replacement`, 'warning', {
      pos: position,
      path,
      rule: 'deprecated',
    });
  }
  for (const info of said(result.infos)) add(info, 'notice', locateInfo(flow, info));
  if (result.outdated) {
    add(
      "the flow's 'revision' is not the next revision on the server: remove the 'revision' line and let Kestra number it",
      'warning',
      { pos: locatePath(flow, 'revision').position, path: 'revision', rule: 'outdated-revision' },
    );
  }
  return out;
}

/** `Invalid Flow: A, B` lists several flow-level rules in one line; commas inside `[…]` belong to a rule. */
export function splitConstraint(text: string): string[] {
  const m = /^:?\s*Invalid Flow:\s*(.*)$/s.exec(text);
  if (!m) return [text];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  const body = m[1] ?? '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0 && /^,\s+[A-Z]/.test(body.slice(i, i + 3))) {
      parts.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(body.slice(start).trim());
  return parts.filter(Boolean).map((p) => `Invalid Flow: ${p}`);
}

const FLOW_CLASSES = /\.(Flow|FlowWithSource|GenericFlow|FlowInterface)$/;
const SUBFLOW_TYPES = /\.(Subflow|Flow|ForEachItem)$/;

/** One constraint line → where it goes (several places when it names several nodes). */
function locateConstraint(flow: FlowDoc, text: string): Placed[] {
  const start = (rule: Rule): Placed[] => [{ pos: flowStart(flow), rule }];
  const yamlLine = /\(at line (\d+)\)/.exec(text);
  if (yamlLine) {
    // A line outside the document (a server counting differently) falls back to the flow's start.
    const line = Number(yamlLine[1]);
    const inside = line >= 1 && line <= flow.lineCounter.lineStarts.length;
    return inside ? [{ pos: { line: flow.lineOffset + line, column: 1 }, rule: 'syntax' }] : start('syntax');
  }
  const type = /^Invalid type: ([\w.$]+)/.exec(text);
  if (type?.[1]) {
    const found = locateType(flow, type[1] === 'null' ? null : type[1]);
    return found ? [{ pos: found.position, path: found.path, rule: 'type' }] : start('type');
  }
  const field =
    /Unrecognized (?:field|property) "([^"]+)"(?: on (task|trigger) "([^"]+)")?(?: \((?:class )?([\w.$]+)\))?/.exec(
      text,
    );
  if (field?.[1]) return [unknownProperty(flow, field[1], field[2], field[3], field[4])];
  const invalid = /^Invalid Flow: (.*)$/s.exec(text)?.[1];
  if (invalid !== undefined) return locateFlowRule(flow, invalid) ?? start('server');
  // `<propertyPath>: <message>` (bean violations); task and input paths use their ids, which may hold dots
  // or spaces: a path is taken as one when it leads into the flow.
  const bean = /^([^:"()]+?): (.+)$/s.exec(text);
  if (bean?.[1] && bean[2]) {
    const found = locatePath(flow, bean[1]);
    if (found.exact || !/\s/.test(bean[1])) {
      return [{ pos: found.position, path: found.path, rule: beanRule(found.path, bean[2]) }];
    }
  }
  return start('server');
}

/** The rule of a bean violation, from its message (`must not be null`…) and its property. */
function beanRule(path: string, message: string): Rule {
  if (/^must not be (null|empty|blank)/.test(message)) return 'required';
  // A type that does not match the Java class pattern is the offline rules' invalid type.
  if (/^must match/.test(message)) return /(^|\.)type$/.test(path) ? 'type' : 'pattern';
  if (/^size must be between/.test(message)) return 'size';
  if (/^must be greater than or equal to/.test(message)) return 'min';
  if (/^Invalid label key/.test(message)) return 'label-key';
  return 'server';
}

/** `Unrecognized field "x" (class C)`: the key x of the flow, or of the object of class C that has it. */
function unknownProperty(
  flow: FlowDoc,
  key: string,
  kind: string | undefined,
  id: string | undefined,
  cls: string | undefined,
): Placed {
  const rule: Rule = 'unknown-property';
  if (kind && id) {
    // Kestra 2.0 names the trigger or task: `Unrecognized property "conditions" on trigger "t" (…)`.
    const owner = idOwners(flow, kind as IdKind).find((o) => o.id === id);
    if (owner) return at(flow, owner, key, rule);
  }
  if (!cls || FLOW_CLASSES.test(cls)) {
    const found = locatePath(flow, key);
    if (found.exact) return { pos: found.position, path: found.path, rule };
  }
  // The class is the plugin's current name, even when the flow uses a legacy alias: match the simple name.
  const simple = cls?.split('.').pop();
  const candidates = locateKey(flow, key);
  const ownerType = (path: string): string | undefined => {
    const owner = locatePath(flow, path.replace(/\.[^.]*$/, '')).node;
    return isMap(owner) ? scalarString(owner.get('type', true), flow.doc) : undefined;
  };
  const typed = candidates.find((c) => ownerType(c.path)?.split('.').pop() === simple);
  const listener = cls?.endsWith('.Listener')
    ? candidates.find((c) => /^listeners\[\d+\]\.[^.]+$/.test(c.path))
    : undefined;
  const best = typed ?? listener ?? candidates[0];
  return best ? { pos: best.position, path: best.path, rule } : { pos: flowStart(flow), path: key, rule };
}

/** One flow-level rule (`Invalid Flow: <rule>`) → the nodes it is about. */
function locateFlowRule(flow: FlowDoc, rule: string): Placed[] | undefined {
  const duplicate = /^Duplicate (task|trigger|input|output) (?:id )?with name \[(.*)\]/.exec(rule);
  if (duplicate?.[1] && duplicate[2] !== undefined) {
    // One finding per id, at its second occurrence, as the offline rule reports it.
    const kind = duplicate[1] as IdKind;
    return names(duplicate[2]).map((id) => {
      const owners = idOwners(flow, kind).filter((o) => o.id === id);
      const target = owners[1] ?? owners[0];
      const message = `Invalid Flow: Duplicate ${duplicate[1]} ${kind === 'task' || kind === 'trigger' ? 'id ' : ''}with name [${id}]`;
      return target
        ? { pos: positionAt(flow, target.offset), path: `${target.path}.id`, rule: 'duplicate-id', message }
        : { pos: flowStart(flow), rule: 'duplicate-id', message };
    });
  }
  const preconditions = /^Duplicate preconditions with id \[(.*)\]/.exec(rule);
  if (preconditions?.[1] !== undefined) {
    return names(preconditions[1]).map((id) => {
      const found = locateKey(flow, 'id', (map) => scalarString(map.get('id', true), flow.doc) === id).filter(
        (l) => /^triggers\[\d+\]\.preconditions\.id$/.test(l.path),
      );
      const target = found[1] ?? found[0];
      return target
        ? { pos: target.position, path: target.path, rule: 'duplicate-preconditions' }
        : { pos: flowStart(flow), rule: 'duplicate-preconditions' };
    });
  }
  const label = /offending label: ([^=\s]+)=/.exec(rule);
  if (label?.[1]) {
    const pos = positionOfLabel(flow, label[1]) ?? locatePath(flow, 'labels').position;
    return [{ pos, path: labelPath(flow, label[1]), rule: 'system-label' }];
  }
  const recursive = /^Recursive call to flow \[(.*)\]/.exec(rule);
  if (recursive?.[1]) {
    const task = collectTasks(flow).find(
      (t) =>
        SUBFLOW_TYPES.test(prop(flow, t, 'type')) &&
        `${prop(flow, t, 'namespace')}.${prop(flow, t, 'flowId')}` === recursive[1],
    );
    return [at(flow, task, 'flowId', 'recursive-subflow')];
  }
  const dependency =
    /^(?:Input with id '(.*)' depends on a non-existent input|Cycle dependency detected for input with id '(.*?)')/.exec(
      rule,
    );
  if (dependency) {
    const id = dependency[1] ?? dependency[2];
    const input = idOwners(flow, 'input').find((i) => i.id === id);
    return [at(flow, input, 'dependsOn', dependency[1] !== undefined ? 'input-dependency' : 'input-cycle')];
  }
  const reference = /^Invalid (?:input|output) reference: .*offending (tasks|outputs): \[(.*)\]/s.exec(rule);
  if (reference?.[1] && reference[2] !== undefined) {
    const kind: IdKind = reference[1] === 'tasks' ? 'task' : 'output';
    return names(reference[2]).map((id) => {
      const owner = idOwners(flow, kind).find((o) => o.id === id);
      return owner
        ? { pos: positionAt(flow, owner.offset), path: owner.path, rule: 'dashed-reference' }
        : { pos: flowStart(flow), rule: 'dashed-reference' };
    });
  }
  if (/^Flow id is a reserved keyword/.test(rule)) {
    return [{ pos: valueOf(flow, 'id'), path: 'id', rule: 'reserved-id' }];
  }
  if (/^Namespace '.*' does not exist/.test(rule)) {
    return [{ pos: valueOf(flow, 'namespace'), path: 'namespace', rule: 'server' }];
  }
  return undefined;
}

/** A warning → the node it names. */
function locateWarning(flow: FlowDoc, text: string): Placed {
  const subflow = /^The subflow '(.*)' (?:not found|is disabled) in namespace '(.*)'/.exec(text);
  if (subflow) {
    const task = collectTasks(flow).find(
      (t) =>
        SUBFLOW_TYPES.test(prop(flow, t, 'type')) &&
        prop(flow, t, 'flowId') === subflow[1] &&
        prop(flow, t, 'namespace') === subflow[2],
    );
    return at(flow, task, 'flowId', 'missing-subflow');
  }
  const flowTrigger = /the Flow trigger '(.*)'\.?$/.exec(text);
  if (flowTrigger) {
    const trigger = idOwners(flow, 'trigger').find((t) => t.id === flowTrigger[1]);
    if (trigger) {
      // At what would filter the executions: its (empty) conditions, else its id.
      const key = ['conditions', 'preconditions'].find((k) => trigger.node.has(k));
      const offset = (key === undefined ? undefined : keyOffset(trigger.node, key)) ?? trigger.offset;
      return { pos: positionAt(flow, offset), path: trigger.path, rule: 'unfiltered-flow-trigger' };
    }
    return { pos: flowStart(flow), rule: 'unfiltered-flow-trigger' };
  }
  const runnable = /^The task '(.*)' cannot use the '(\w+)' property/.exec(text);
  if (runnable) {
    const task = idOwners(flow, 'task').find((t) => t.id === runnable[1]);
    return at(flow, task, runnable[2]!, 'runnable-only-property');
  }
  return locateInfo(flow, text, 'server');
}

/** A message naming a plugin type (`X is replaced by Y`) → the first object of that type. */
function locateInfo(flow: FlowDoc, text: string, rule: Rule = 'relocated-type'): Placed {
  const type = /(io\.kestra\.[\w.$]+)/.exec(text)?.[1];
  const found = type ? locateType(flow, type) : undefined;
  return found ? { pos: found.position, path: found.path, rule } : { pos: flowStart(flow), rule };
}

/** The key `key` of a task, input or trigger (its id when it has no such key); the flow's start without one. */
function at(flow: FlowDoc, owner: TaskRef | undefined, key: string, rule: Rule): Placed {
  if (!owner) return { pos: flowStart(flow), rule };
  const offset = keyOffset(owner.node, key) ?? keyOffset(owner.node, 'id') ?? owner.node.range?.[0];
  return {
    pos: offset === undefined ? flowStart(flow) : positionAt(flow, offset),
    path: `${owner.path}.${key}`,
    rule,
  };
}

/** A top-level value (its key when empty). */
function valueOf(flow: FlowDoc, key: string): Position {
  const top = flow.doc.contents;
  const offset =
    (topValue(flow, key) as Node | null | undefined)?.range?.[0] ??
    (isMap(top) ? keyOffset(top, key) : undefined);
  return offset === undefined ? flowStart(flow) : positionAt(flow, offset);
}

/** `labels[i].key` of the label with that key, in map or list form (the server numbers both alike). */
function labelPath(flow: FlowDoc, key: string): string {
  const labels = topValue(flow, 'labels');
  const keys = isMap(labels)
    ? (labels.items as Pair[]).map((p) => p.key)
    : isSeq(labels)
      ? labels.items.map((item) => (isMap(item) ? item.get('key', true) : undefined))
      : [];
  const index = keys.findIndex((k) => scalarString(k, flow.doc) === key);
  return index < 0 ? 'labels' : `labels[${index}].key`;
}

/** `a, b` inside the brackets of a flow-level rule → ['a', 'b']. */
const names = (list: string): string[] =>
  list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** A task's (or other id owner's) property as text, '' when absent. */
const prop = (flow: FlowDoc, ref: TaskRef, key: string): string =>
  scalarString(ref.node.get(key, true), flow.doc) ?? '';
