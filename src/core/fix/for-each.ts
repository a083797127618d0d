// `fix` with a 2.x target: a ForEach rewritten to Kestra 2.0's Loop, only where the rewrite is sure to keep
// what the flow does (docs/kestra-api.md#foreach-and-loop). The type changes, `concurrencyLimit: 1` is
// added when it was left to ForEach's default (one value at a time; Loop's default is no limit), and
// `taskrun.value` becomes `item.value` in the expressions of the ForEach's direct children. Anything without
// a sure mapping leaves the ForEach as written, with the reason. Edits are made in the text at node ranges,
// so comments, quotes and formatting stay; the result is parsed again and compared (verify.ts).
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
  type YAMLMap,
} from 'yaml';
import {
  expressionParts,
  outputReads,
  rootNames,
  TASKRUN_VALUE,
  taskrunUses,
  usesName,
} from './expressions.js';
import { LOOP_TYPE } from '../check/rules-2.0.js';
import { sameButLoops } from './verify.js';

export const FOR_EACH_TYPE = 'io.kestra.plugin.core.flow.ForEach';

/** Tasks that give their children a value of their own: a ForEach inside or around one is left alone. */
const LOOPING = /\.(ForEach|ForEachItem|EachSequential|EachParallel|Loop|LoopUntil)$/;

/**
 * The variables a task in a Loop iteration sees as a ForEach child did: its own task, the flow, its inputs
 * and variables (Loop's own examples read inputs inside). `execution`, `trigger`, `labels` and the rest may
 * be the iteration's sub-execution's: refused. `taskrun`, `outputs`, `parent(s)` and `item` have rules of
 * their own below.
 */
const SAME_IN_LOOP = new Set([
  'task',
  'flow',
  'inputs',
  'vars',
  'taskrun',
  'outputs',
  'parent',
  'parents',
  'item',
]);

/** The ForEach keys with a sure meaning in Loop: the same name, the same meaning (`values` and the rest). */
const MAPPED_KEYS = new Set([
  'id',
  'type',
  'description',
  'values',
  'concurrencyLimit',
  'tasks',
  'disabled',
  'allowFailure',
  'allowWarning',
]);

export interface LoopFix {
  line: number;
  from: string;
  to: string;
  /** What else changed: the added `concurrencyLimit`, how many `taskrun.value` became `item.value`. */
  note: string;
  /** A line was added after `line` (`concurrencyLimit: 1`): later lines moved down by one. */
  addedLine: boolean;
}

export interface LoopRefusal {
  line: number;
  from: string;
  reason: string;
}

interface Edit {
  start: number;
  end: number;
  raw: string;
}

type Scalars = { node: Node & { value: unknown; range?: [number, number, number] | null }; depth: number }[];

const typeOf = (map: YAMLMap): string | undefined => {
  const t = map.get('type', true);
  return isScalar(t) && typeof t.value === 'string' ? t.value : undefined;
};
const isTask = (map: YAMLMap): boolean => map.has('id') && map.has('type');

/** Every string scalar under `node`, with how many task mappings deep it sits (a direct child is 1). */
function scalarsUnder(node: unknown, depth: number, out: Scalars, trouble: string[]): void {
  if (isAlias(node) || (node && typeof node === 'object' && 'anchor' in node && node.anchor)) {
    trouble.push('uses a YAML anchor or alias, which could share what the rewrite changes');
    return;
  }
  if (isScalar(node)) {
    if (typeof node.value === 'string') out.push({ node, depth });
  } else if (isSeq(node)) {
    for (const item of node.items) scalarsUnder(item, depth, out, trouble);
  } else if (isMap(node)) {
    const inner = isTask(node) ? depth + 1 : depth;
    if (isTask(node) && LOOPING.test(typeOf(node) ?? ''))
      trouble.push(`holds another loop (${typeOf(node)})`);
    for (const pair of node.items) {
      if (isPair(pair)) {
        scalarsUnder(pair.key, inner, [], trouble);
        scalarsUnder(pair.value, inner, out, trouble);
      }
    }
  }
}

/** The ids of the tasks under `node`. */
function taskIds(node: unknown, out: Set<string>): Set<string> {
  if (isSeq(node)) for (const item of node.items) taskIds(item, out);
  if (isMap(node)) {
    const id = node.get('id', true);
    if (isTask(node) && isScalar(id) && typeof id.value === 'string') out.add(id.value);
    for (const pair of node.items) if (isPair(pair)) taskIds(pair.value, out);
  }
  return out;
}

/** Why `map` (a ForEach) cannot become a Loop, or the edits that make it one. */
function planLoop(doc: Document, map: YAMLMap, ancestors: readonly unknown[], text: string): string | Edit[] {
  if (ancestors.some((a) => isMap(a) && isTask(a) && LOOPING.test(typeOf(a) ?? '')))
    return 'sits inside another loop';
  if (map.flow) return 'is written in flow style ({ … })';
  for (const pair of map.items) {
    const key = isPair(pair) && isScalar(pair.key) ? String(pair.key.value) : '?';
    if (!MAPPED_KEYS.has(key)) return `uses '${key}', which has no sure mapping to Loop`;
  }
  const values = map.get('values', true);
  if (isMap(values)) return "has a mapping as 'values' (Loop iterates over a map's entries; ForEach did not)";
  const tasks = map.get('tasks', true);
  if (!isSeq(tasks) || tasks.items.length === 0) return "has no 'tasks' list";

  const trouble: string[] = [];
  const own: Scalars = [];
  scalarsUnder(values, 0, own, trouble);
  for (const { node } of own)
    for (const part of expressionParts(node.value as string))
      if (taskrunUses(part).length || usesName(part, 'parent') || usesName(part, 'parents'))
        trouble.push("reads the task run or its parents in 'values'");
  const inside: Scalars = [];
  scalarsUnder(tasks, 0, inside, trouble);
  if (trouble.length) return trouble[0]!;

  const edits: Edit[] = [];
  for (const { node, depth } of inside) {
    const value = node.value as string;
    let count = 0;
    for (const part of expressionParts(value)) {
      for (const name of ['parent', 'parents'])
        if (usesName(part, name)) return `uses '${name}' (Loop names the loops around it differently)`;
      if (usesName(part, 'item')) return "already uses a name 'item', which Loop's item.value would shadow";
      if (outputReads(part).length)
        return 'reads task outputs inside the loop, which Loop keeps per iteration';
      const other = rootNames(part).find((n) => !SAME_IN_LOOP.has(n));
      if (other) return `reads '${other}', which a Loop iteration may not see as a ForEach child did`;
      if (/(?<![\w.$])currentEachOutput\s*\(/.test(part)) return 'uses currentEachOutput(), a ForEach helper';
      for (const use of taskrunUses(part)) {
        if (use !== '.value')
          return `uses taskrun${use === '[' ? '[…]' : use}, which has no sure mapping in a Loop iteration`;
        if (depth > 1) return 'uses taskrun.value in a nested task, where it is not the ForEach value';
        count++;
      }
    }
    if (count === 0) continue;
    const [start, end] = node.range!;
    const raw = text.slice(start, end);
    // Every taskrun.value of the text must be one the expressions read, and be spelled out as such.
    if (
      (value.match(TASKRUN_VALUE) ?? []).length !== count ||
      (raw.match(TASKRUN_VALUE) ?? []).length !== count
    )
      return 'writes taskrun.value outside an expression or with escapes';
    edits.push({ start, end, raw: raw.replace(TASKRUN_VALUE, 'item.value') });
  }

  const id = map.get('id', true);
  const named = new Set([...taskIds(tasks, new Set<string>()), ...(isScalar(id) ? [String(id.value)] : [])]);
  const reader = readsOutputsOf(doc, map, named);
  if (reader) return reader;

  const type = map.get('type', true);
  if (!isScalar(type) || !type.range) return 'has a type the rewrite cannot place';
  const [start, end] = type.range;
  const raw = text.slice(start, end);
  if (!raw.includes(FOR_EACH_TYPE) || raw.includes('\n'))
    return 'writes its type with escapes or on several lines';
  edits.push({ start, end, raw: raw.replace(FOR_EACH_TYPE, LOOP_TYPE) });
  if (!map.has('concurrencyLimit')) {
    const keyStart = (map.items.find((p) => isScalar(p.key) && p.key.value === 'type')!.key as Node)
      .range![0];
    const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
    const indent = ' '.repeat(keyStart - lineStart);
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    let at = text.indexOf('\n', end);
    if (at < 0) at = text.length;
    else if (text[at - 1] === '\r') at--;
    edits.push({ start: at, end: at, raw: `${eol}${indent}concurrencyLimit: 1` });
  }
  return edits;
}

/** A task outside the ForEach that reads the outputs of the ForEach or of a task in it (or reads outputs unnamed). */
function readsOutputsOf(doc: Document, forEach: YAMLMap, named: Set<string>): string | undefined {
  const all: Scalars = [];
  scalarsUnder(doc.contents, 0, all, []);
  const within: Scalars = [];
  scalarsUnder(forEach.get('tasks', true), 0, within, []);
  const skip = new Set(within.map((s) => s.node));
  for (const { node } of all) {
    if (skip.has(node)) continue;
    for (const part of expressionParts(node.value as string))
      for (const read of outputReads(part)) {
        if (read === undefined)
          return 'the flow reads task outputs by a name it computes, which Loop may hide';
        if (named.has(read))
          return `the flow reads the outputs of '${read}' after the loop, which Loop keeps per iteration`;
      }
  }
  return undefined;
}

/** The text with every safe ForEach rewritten to Loop, what was done and what was not (and why). */
export function fixForEach(text: string): { text: string; fixes: LoopFix[]; refused: LoopRefusal[] } {
  const lines = new LineCounter();
  const edits: Edit[] = [];
  const fixes: LoopFix[] = [];
  const refused: LoopRefusal[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
    if (doc.errors.length) continue;
    const found: { map: YAMLMap; ancestors: unknown[] }[] = [];
    const walk = (node: unknown, ancestors: unknown[]): void => {
      if (isMap(node) && isTask(node) && typeOf(node) === FOR_EACH_TYPE) found.push({ map: node, ancestors });
      const next = [...ancestors, node];
      if (isSeq(node)) for (const item of node.items) walk(item, next);
      if (isMap(node)) for (const pair of node.items) if (isPair(pair)) walk(pair.value, next);
    };
    walk(doc.contents, []);
    for (const { map, ancestors } of found) {
      const line = lines.linePos((map.get('type', true) as Node).range![0]).line;
      const plan = planLoop(doc, map, ancestors, text);
      if (typeof plan === 'string') {
        refused.push({ line, from: FOR_EACH_TYPE, reason: plan });
        continue;
      }
      edits.push(...plan);
      const values = plan.filter((e) => e.raw.includes('item.value')).length;
      const notes = [
        ...(map.has('concurrencyLimit')
          ? []
          : ['concurrencyLimit: 1 added (ForEach ran one value at a time)']),
        ...(values ? [`taskrun.value → item.value in ${values} value${values > 1 ? 's' : ''}`] : []),
      ];
      const addedLine = !map.has('concurrencyLimit');
      fixes.push({ line, from: FOR_EACH_TYPE, to: LOOP_TYPE, note: notes.join('; '), addedLine });
    }
  }
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.raw + out.slice(e.end);
  if (edits.length && !sameButLoops(text, out)) {
    const reason = 'the rewritten text did not parse back to the same flow';
    return {
      text,
      fixes: [],
      refused: [...refused, ...fixes.map((f) => ({ line: f.line, from: f.from, reason }))],
    };
  }
  return { text: out, fixes, refused };
}
