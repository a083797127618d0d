// The check after a ForEach → Loop rewrite (for-each.ts): both texts parsed to data must be the same flows
// but for what the rewrite may change. A text edit that went wrong (a range, an escape, an indent) fails
// here, and then nothing is rewritten.
import { parseAllDocuments } from 'yaml';
import { LOOP_TYPE } from '../check/rules-2.0.js';

const FOR_EACH_TYPE = 'io.kestra.plugin.core.flow.ForEach';

type Data = unknown;

const isObject = (x: Data): x is Record<string, Data> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** `after` is `before` with `taskrun.value` read as `item.value` (or the same string). */
const sameText = (before: string, after: string): boolean =>
  after === before || after === before.replace(/(?<![\w.$])taskrun\.value(?![\w$])/g, 'item.value');

function same(before: Data, after: Data): boolean {
  if (typeof before === 'string' && typeof after === 'string') return sameText(before, after);
  if (Array.isArray(before))
    return (
      Array.isArray(after) && before.length === after.length && before.every((b, i) => same(b, after[i]))
    );
  if (!isObject(before) || !isObject(after)) return Object.is(before, after);
  const loop = before.type === FOR_EACH_TYPE && after.type === LOOP_TYPE;
  const keys = Object.keys(after).filter((k) => !(loop && k === 'type'));
  // The one key a rewrite adds: concurrencyLimit 1 where ForEach's default applied.
  const added = keys.filter((k) => !(k in before));
  const limitAdded =
    loop && added.length === 1 && added[0] === 'concurrencyLimit' && after.concurrencyLimit === 1;
  if (added.length && !limitAdded) return false;
  if (Object.keys(before).length !== keys.length - added.length + (loop ? 1 : 0)) return false;
  return keys.every((k) => added.includes(k) || same(before[k], after[k]));
}

/** Whether `after` parses to the flows of `before`, but for ForEach → Loop rewrites. */
export function sameButLoops(before: string, after: string): boolean {
  const a = parseAllDocuments(before);
  const b = parseAllDocuments(after);
  if (a.length !== b.length) return false;
  return a.every((doc, i) => {
    const other = b[i]!;
    // A document with errors is never rewritten: its text must be unchanged.
    if (doc.errors.length || other.errors.length)
      return before.slice(doc.range[0], doc.range[2]) === after.slice(other.range[0], other.range[2]);
    return same(doc.toJS(), other.toJS());
  });
}
