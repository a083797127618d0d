// The two source rewrites deploy needs (namespace, read-only label). They change only the bytes they must, so the
// stored source keeps the user's formatting and comments, and parse their output to check it. That parse is
// handed back with the text (a ParsedSource), so the next rewrite and reparseFlow do not parse it again.
import {
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { FlowDoc } from '../../model/types.js';
import { buildFlowDoc, parseSource, type ParsedSource } from './parse.js';
import { findPair, scalarString } from './positions.js';
import { READ_ONLY_LABEL } from '../check/rules.js';
import { columnOf, eolOf } from './source-text.js';

/**
 * Sets the top-level `namespace:` value in place, keeping its quoting style when the new value allows it and
 * everything else byte for byte. Adds `namespace:` after `id:` when the flow has none. Takes a flow (or the
 * result of another rewrite) and returns the new text with the parse that checked it.
 */
export function withNamespace(text: ParsedSource, namespace: string): ParsedSource {
  return rewriteNamespace(text.source, parsedTree(text, 'setNamespace'), namespace);
}

/**
 * withNamespace on a bare text (its tree when the caller has one, else it is parsed here). The parse that checked
 * the result is dropped: to build a FlowDoc from the result, use withNamespace and hand its result to reparseFlow.
 */
export function setNamespace(source: string, namespace: string, parsed?: Document.Parsed): string {
  return rewriteNamespace(source, parsed ?? parseStrict(source, 'setNamespace'), namespace).source;
}

/**
 * Adds the label `system.readOnly: "true"` (Kestra then shows the flow as read-only in its editor), in the style
 * the flow already uses for labels; replaces the value when the label exists. Takes a flow (or the result of
 * another rewrite) and returns the new text with the parse that checked it.
 */
export function withReadOnlyLabel(text: ParsedSource): ParsedSource {
  return rewriteReadOnlyLabel(text.source, parsedTree(text, 'setReadOnlyLabel'));
}

/**
 * withReadOnlyLabel on a bare text (its tree when the caller has one, else it is parsed here). The parse that
 * checked the result is dropped, as with setNamespace.
 */
export function setReadOnlyLabel(source: string, parsed?: Document.Parsed): string {
  return rewriteReadOnlyLabel(source, parsed ?? parseStrict(source, 'setReadOnlyLabel')).source;
}

/**
 * A FlowDoc for rewritten source: same file, position in the file and document index. Given what a rewrite
 * returned, it takes over the rewrite's parse (a read-only deploy of 10,000 flows would otherwise spend seconds
 * parsing each text once more); given a bare text, it parses it.
 */
export function reparseFlow(flow: FlowDoc, next: string | ParsedSource): FlowDoc {
  const [source, parsed] = typeof next === 'string' ? [next, undefined] : [next.source, next];
  const { flow: rebuilt, problems } = buildFlowDoc(
    flow.file,
    flow.absolutePath,
    source,
    flow.lineOffset,
    flow.docIndex,
    parsed,
  );
  const error = problems.find((p) => p.severity === 'error');
  if (error) throw new Error(`reparseFlow: the new source of ${flow.file} does not parse: ${error.message}`);
  return rebuilt;
}

function rewriteNamespace(source: string, doc: Document.Parsed, namespace: string): ParsedSource {
  const map = topMap(doc, 'setNamespace');
  const pair = findPair(map, 'namespace');
  let out: string;
  if (pair) {
    const value = pair.value as Node | null;
    if (!isScalar(value) || !value.range) {
      throw new Error(`setNamespace: the flow's 'namespace' is not a single value`);
    }
    const rendered = renderScalar(namespace, value.type);
    const [start, end] = value.range;
    if (value.value === null && start === end) {
      out = source.slice(0, start) + ' ' + rendered + source.slice(end);
    } else {
      const block = value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED';
      out = source.slice(0, start) + rendered + (block ? eolOf(source) : '') + source.slice(end);
    }
  } else {
    out = insertTopLevelEntry(source, map, `namespace: ${renderScalar(namespace, 'PLAIN')}`, 'id');
  }
  const checked = parseSource(out);
  const check = checked.doc;
  if (check.errors.length || String((check.contents as YAMLMap | null)?.get?.('namespace')) !== namespace) {
    throw new Error(`setNamespace: could not rewrite the namespace to ${JSON.stringify(namespace)} safely`);
  }
  return checked;
}

const READ_ONLY_VALUE = '"true"';

function rewriteReadOnlyLabel(source: string, doc: Document.Parsed): ParsedSource {
  const map = topMap(doc, 'setReadOnlyLabel');
  const eol = eolOf(source);
  const labels = findPair(map, 'labels');
  let out: string;
  if (!labels) {
    out = appendTopLevelLabels(source, map, eol);
  } else {
    const value = labels.value as Node | null;
    if (isMap(value)) out = addToLabelMap(source, value, eol);
    else if (isSeq(value)) out = addToLabelList(source, value, eol);
    else if (isScalar(value) && value.value === null && value.range) {
      const keyRange = (labels.key as Scalar).range!;
      const indent = ' '.repeat(columnOf(source, keyRange[0]) + 2);
      out = insertAfterLine(
        source,
        value.range[0],
        `${indent}${READ_ONLY_LABEL}: ${READ_ONLY_VALUE}${eol}`,
        eol,
      );
    } else {
      throw new Error(`setReadOnlyLabel: 'labels' is neither a map nor a list`);
    }
  }
  const checked = parseSource(out);
  if (checked.doc.errors.length || !hasReadOnly(checked.doc)) {
    throw new Error('setReadOnlyLabel: could not add the system.readOnly label safely');
  }
  return checked;
}

/** The tree of a text handed over with its parse, refused like parseStrict refuses a text with errors. */
function parsedTree(text: ParsedSource, what: string): Document.Parsed {
  if (text.doc.errors.length)
    throw new Error(`${what}: the source does not parse: ${text.doc.errors[0]!.message}`);
  return text.doc;
}

function parseStrict(source: string, what: string): Document.Parsed {
  return parsedTree(parseSource(source), what);
}

function topMap(doc: Document.Parsed, what: string): YAMLMap {
  if (!isMap(doc.contents)) throw new Error(`${what}: the document is not a mapping`);
  return doc.contents;
}

/** Renders `value` as a YAML scalar in `style` when that reads back as the same string, else double-quoted. */
function renderScalar(value: string, style: Scalar['type']): string {
  if (style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (style !== 'QUOTE_DOUBLE' && value.trim() === value && value !== '') {
    const back = parseDocument(value);
    if (!back.errors.length && isScalar(back.contents) && back.contents.value === value) return value;
  }
  return JSON.stringify(value);
}

function appendTopLevelLabels(source: string, map: YAMLMap, eol: string): string {
  const entry = `labels:${eol}  ${READ_ONLY_LABEL}: ${READ_ONLY_VALUE}`;
  if (map.flow) return insertTopLevelEntry(source, map, `labels: {${READ_ONLY_LABEL}: ${READ_ONLY_VALUE}}`);
  const indent = ' '.repeat(firstKeyColumn(source, map));
  const block = entry
    .split(eol)
    .map((l) => indent + l)
    .join(eol);
  // At the end of the document, or before a `...` end marker if it has one.
  const end = map.range![1];
  const marker = /^\.\.\.(?:[ \t]|\r?$)/m.exec(source.slice(end));
  const at = marker ? end + marker.index : source.length;
  const before = source.slice(0, at);
  const sep = before === '' || before.endsWith('\n') ? '' : eol;
  return before + sep + block + eol + source.slice(at);
}

function addToLabelMap(source: string, labels: YAMLMap, eol: string): string {
  const existing = findPair(labels, READ_ONLY_LABEL);
  if (existing) return replaceValue(source, existing);
  const entry = `${READ_ONLY_LABEL}: ${READ_ONLY_VALUE}`;
  if (labels.flow) return insertInFlow(source, labels, entry);
  const indent = ' '.repeat(firstKeyColumn(source, labels));
  const last = labels.items[labels.items.length - 1] as Pair;
  return insertAfterLine(source, endOfPair(last), `${indent}${entry}${eol}`, eol);
}

function addToLabelList(source: string, labels: YAMLSeq, eol: string): string {
  for (const item of labels.items) {
    if (isMap(item) && scalarString(item.get('key', true)) === READ_ONLY_LABEL) {
      const value = findPair(item, 'value');
      if (value) return replaceValue(source, value);
      return insertInMapAfter(source, item, `value: ${READ_ONLY_VALUE}`, eol);
    }
  }
  const flowItem = `{ key: ${READ_ONLY_LABEL}, value: ${READ_ONLY_VALUE} }`;
  if (labels.flow || labels.items.length === 0) return insertInFlow(source, labels, flowItem);
  const first = labels.items[0] as Node;
  const firstStart = first.range![0];
  const dash = source.lastIndexOf('-', firstStart - 1);
  const dashIndent = ' '.repeat(columnOf(source, dash));
  const last = labels.items[labels.items.length - 1] as Node;
  let text: string;
  if (isMap(first) && !first.flow) {
    const keyIndent = ' '.repeat(columnOf(source, firstStart));
    text = `${dashIndent}-${' '.repeat(Math.max(1, firstStart - dash - 1))}key: ${READ_ONLY_LABEL}${eol}${keyIndent}value: ${READ_ONLY_VALUE}${eol}`;
  } else {
    text = `${dashIndent}- ${flowItem}${eol}`;
  }
  return insertAfterLine(source, last.range![1], text, eol);
}

/** Replaces a pair's value with the read-only value (or fills an empty one). */
function replaceValue(source: string, pair: Pair): string {
  const value = pair.value as Node | null;
  if (isScalar(value) && value.range) {
    const [start, end] = value.range;
    if (value.value === null && start === end)
      return source.slice(0, start) + ' ' + READ_ONLY_VALUE + source.slice(end);
    const block = value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED';
    return source.slice(0, start) + READ_ONLY_VALUE + (block ? eolOf(source) : '') + source.slice(end);
  }
  if (value && value.range) {
    return source.slice(0, value.range[0]) + READ_ONLY_VALUE + source.slice(value.range[1]);
  }
  const keyEnd = (pair.key as Scalar).range![1];
  const colon = source.indexOf(':', keyEnd);
  return source.slice(0, colon + 1) + ' ' + READ_ONLY_VALUE + source.slice(colon + 1);
}

function insertInMapAfter(source: string, map: YAMLMap, entry: string, eol: string): string {
  if (map.flow) return insertInFlow(source, map, entry);
  const indent = ' '.repeat(firstKeyColumn(source, map));
  return insertAfterLine(
    source,
    endOfPair(map.items[map.items.length - 1] as Pair),
    `${indent}${entry}${eol}`,
    eol,
  );
}

/** Adds an entry to a top-level map: after the line of `afterKey` when given and present, else at the start. */
function insertTopLevelEntry(source: string, map: YAMLMap, entry: string, afterKey?: string): string {
  if (map.flow) return insertInFlow(source, map, entry);
  const eol = eolOf(source);
  const indent = ' '.repeat(firstKeyColumn(source, map));
  const after = afterKey ? findPair(map, afterKey) : undefined;
  if (after) return insertAfterLine(source, endOfPair(after), `${indent}${entry}${eol}`, eol);
  const first = (map.items[0] as Pair | undefined)?.key as Scalar | undefined;
  const at = first?.range ? source.lastIndexOf('\n', first.range[0] - 1) + 1 : source.length;
  return source.slice(0, at) + `${indent}${entry}${eol}` + source.slice(at);
}

/** Inserts an item before the closing bracket of a flow collection (`{a: b}` / `[x]`). */
function insertInFlow(source: string, node: YAMLMap | YAMLSeq, entry: string): string {
  const [start, end] = node.range!;
  const close = source.lastIndexOf(source[start] === '[' ? ']' : '}', end - 1);
  const inner = source.slice(start + 1, close).replace(/\s+$/, '');
  const lead = inner.trim() === '' ? '' : inner.endsWith(',') ? ' ' : ', ';
  const at = start + 1 + inner.length;
  return source.slice(0, at) + lead + entry + source.slice(at);
}

/** Inserts `text` at the start of the line after the one holding `offset`. */
function insertAfterLine(source: string, offset: number, text: string, eol: string): string {
  if (offset > 0 && source[offset - 1] === '\n') return source.slice(0, offset) + text + source.slice(offset);
  const nl = source.indexOf('\n', offset);
  if (nl < 0) return source + eol + text.replace(new RegExp(`${eol}$`), '');
  return source.slice(0, nl + 1) + text + source.slice(nl + 1);
}

/** Where a pair's own text ends (its value, or its key when the value is empty). */
function endOfPair(pair: Pair): number {
  const value = pair.value as Node | null;
  if (value?.range && !(isScalar(value) && value.value === null && value.range[0] === value.range[1])) {
    return value.range[1];
  }
  return (pair.key as Scalar).range![1];
}

function firstKeyColumn(source: string, map: YAMLMap): number {
  const key = (map.items[0] as Pair | undefined)?.key as Scalar | undefined;
  return key?.range ? columnOf(source, key.range[0]) : 0;
}

function hasReadOnly(doc: Document.Parsed): boolean {
  const labels = (doc.contents as YAMLMap).get('labels', true) as Node | undefined;
  if (isMap(labels)) return String(labels.get(READ_ONLY_LABEL)) === 'true';
  if (isSeq(labels)) {
    return labels.items.some(
      (i) => isMap(i) && i.get('key') === READ_ONLY_LABEL && String(i.get('value')) === 'true',
    );
  }
  return false;
}
