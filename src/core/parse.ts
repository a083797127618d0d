// YAML source files → one FlowDoc per YAML document, with every problem the YAML layer can see turned into a
// Violation at its line in the file. Also the two source rewrites deploy needs (namespace, read-only label),
// which change only the bytes they must so the stored source keeps the user's formatting and comments.
import {
  type Alias,
  type Document,
  LineCounter,
  Parser,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Node,
  type Pair,
  type Scalar,
  type YAMLError,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { flowName, type FlowDoc, type SourceFile, type Violation } from '../model/types.js';

export interface ParseResult {
  flows: FlowDoc[];
  violations: Violation[];
}

export function parseFlows(files: SourceFile[]): ParseResult {
  const flows: FlowDoc[] = [];
  const violations: Violation[] = [];
  for (const file of files) {
    const result = parseFile(file);
    flows.push(...result.flows);
    violations.push(...result.violations);
  }
  return { flows, violations };
}

const PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: true } as const;

function parseFile(file: SourceFile): ParseResult {
  const at = (line: number, message: string, severity: Violation['severity'] = 'error'): Violation => ({
    file: file.path,
    line,
    column: 1,
    rule: 'not-a-flow',
    message,
    severity,
    origin: 'yaml',
  });

  const nul = file.bytes.indexOf(0);
  const invalid = nul >= 0 ? nul : firstInvalidUtf8(file.bytes);
  if (invalid >= 0) {
    const line = countNewlines(file.bytes.subarray(0, invalid)) + 1;
    const why = nul >= 0 ? 'it contains NUL bytes' : 'it is not valid UTF-8';
    return {
      flows: [],
      violations: [
        at(
          line,
          `not a text YAML file: ${why} (first at line ${line}). Save it as UTF-8 text, or add it to 'exclude'.`,
        ),
      ],
    };
  }
  // The decoder drops a UTF-8 byte order mark: it is not part of the flow.
  const text = new TextDecoder('utf-8').decode(file.bytes);

  const regions = splitDocuments(text);
  if (regions.every((r) => isBlank(r.source))) {
    return {
      flows: [],
      violations: [
        at(1, 'file is empty: it holds no YAML content. Add a flow, or delete or exclude the file.'),
      ],
    };
  }

  const flows: FlowDoc[] = [];
  const violations: Violation[] = [];
  const multi = regions.length > 1;
  regions.forEach((region, docIndex) => {
    const docLabel = multi ? `document ${docIndex + 1} of this file` : 'this file';
    if (isBlank(region.source)) {
      violations.push({
        ...at(
          region.lineOffset + 1,
          `${docLabel} is empty (a stray '---' separator?): remove it.`,
          'warning',
        ),
        docIndex,
      });
      return;
    }
    const built = buildFlowDoc(file.path, file.absolutePath, region.source, region.lineOffset, docIndex);
    const { flow } = built;
    const name = flow.id !== undefined || flow.namespace !== undefined ? flowName(flow) : undefined;
    // One message per line: a structural finding on a line the parser already flagged is its echo.
    const flagged = new Set(built.problems.map((p) => p.line));
    const structure = checkStructure(flow, docLabel).filter((v) => !flagged.has(v.line));
    const found = [...built.problems, ...structure];
    // The document index groups the problems of a document that holds no flow into one result.
    for (const v of found) violations.push({ ...v, docIndex, ...(name ? { flow: name } : {}) });
    if (!found.some((v) => v.severity === 'error')) flows.push(flow);
  });
  return { flows, violations };
}

interface Region {
  source: string;
  lineOffset: number;
}

/**
 * Cuts the text into one region per YAML document. A one-document file is kept whole. In a multi-document
 * file each document runs from its `---` line (dropped when nothing else is on it, so a flow never starts with
 * a marker) to the next document.
 */
function splitDocuments(text: string): Region[] {
  // Markers start a line: without one the file is a single document, and the syntax-tree pass, which costs
  // as much as the parse itself, is skipped.
  if (!/^(?:---|\.\.\.)(?:[ \t\r]|$)/m.test(text)) return [{ source: text, lineOffset: 0 }];
  const docs = [...new Parser().parse(text)].filter((t) => t.type === 'document');
  if (docs.length <= 1) return [{ source: text, lineOffset: 0 }];
  // Lines are counted from the previous document's start, not from the top: a file of thousands of small
  // documents would otherwise take quadratic time (minutes for 10 MB).
  let counted = 0;
  let lines = 0;
  return docs.map((doc, i) => {
    let start = i === 0 ? 0 : doc.offset;
    const end = i + 1 < docs.length ? docs[i + 1]!.offset : text.length;
    if (doc.type === 'document' && doc.start.some((t) => t.type === 'doc-start')) {
      const marker = doc.start.find((t) => t.type === 'doc-start')!;
      const lineEnd = text.indexOf('\n', marker.offset);
      const rest = text.slice(marker.offset + 3, lineEnd < 0 ? end : lineEnd);
      if (/^\s*(#.*)?$/.test(rest)) start = lineEnd < 0 ? end : Math.min(lineEnd + 1, end);
    }
    lines += countNewlines(text.slice(counted, start));
    counted = start;
    return { source: text.slice(start, end), lineOffset: lines };
  });
}

/** Parses `source` on its own into a FlowDoc, with the YAML errors and warnings as violations. */
function buildFlowDoc(
  file: string,
  absolutePath: string,
  source: string,
  lineOffset: number,
  docIndex: number,
  parsed?: Parsed,
): { flow: FlowDoc; problems: Violation[] } {
  const lineCounter = parsed?.lineCounter ?? new LineCounter();
  const doc = parsed?.doc ?? parseDocument(source, { ...PARSE_OPTIONS, lineCounter });
  const contents = doc.contents;
  const firstLine = contents?.range ? lineCounter.linePos(contents.range[0]).line : 1;
  const top = isMap(contents) ? contents : undefined;
  const flow: FlowDoc = {
    file,
    absolutePath,
    docIndex,
    line: lineOffset + firstLine,
    id: scalarText(top?.get('id', true)),
    namespace: scalarText(top?.get('namespace', true)),
    source,
    lineOffset,
    doc,
    lineCounter,
  };
  const problems: Violation[] = [];
  // Several errors that start on one line are the parser tripping over one mistake: keep the most telling,
  // then one violation per line. An indentation error at the start of the line says that line is out of
  // line with its siblings; otherwise a key spanning lines says which later line is indented too deep.
  const byLine = new Map<number, YAMLError>();
  for (const error of doc.errors) {
    const line = lineCounter.linePos(error.pos[0]).line;
    const kept = byLine.get(line);
    if (!kept || tellingRank(error) > tellingRank(kept)) byLine.set(line, error);
  }
  const seen = new Set<number>();
  for (const error of byLine.values()) {
    const v = describeYamlError(flow, error, 'error');
    if (seen.has(v.line)) continue;
    seen.add(v.line);
    problems.push(v);
  }
  for (const warning of doc.warnings) problems.push(describeYamlError(flow, warning, 'warning'));
  return { flow, problems };
}

function tellingRank(error: YAMLError): number {
  if (error.code === 'BAD_INDENT') return 2;
  if (error.code === 'MISSING_CHAR' && /without - indicator/.test(error.message)) return 2;
  return error.code === 'MULTILINE_IMPLICIT_KEY' ? 1 : 0;
}

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return String(node.value);
}

/** Turns one YAML parser error into a violation that names the problem and its fix, at the right line. */
function describeYamlError(flow: FlowDoc, error: YAMLError, severity: Violation['severity']): Violation {
  const src = flow.source;
  let offset = error.pos[0];
  const problem = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim();
  let message: string;
  const lineText = lineAt(src, offset);
  switch (error.code) {
    case 'TAB_AS_INDENT':
      message = 'Tabs are not allowed in YAML indentation: indent with spaces instead.';
      break;
    case 'DUPLICATE_KEY': {
      const key = keyStartingAt(flow.doc, offset);
      const first = key ? firstDuplicateKeyLine(flow, key, offset) : undefined;
      const name = key ?? lineText.trim().replace(/:.*$/, '');
      message =
        `Duplicate field '${name}'` +
        (first ? ` (already set at line ${first} of the same mapping)` : ' in the same mapping') +
        ': keep only one of them.';
      break;
    }
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY': {
      const startLine = lineAt(src, offset).slice(columnOf(src, offset));
      const end = error.pos[1];
      const spansLines = src.slice(offset, end).includes('\n');
      const missingSpace = /^[^\s:#'"{[]+:[^\s:]/.exec(startLine);
      if (missingSpace) {
        message = `Missing space after ':' in '${startLine.trim()}': write 'key: value' with a space after the colon.`;
      } else if (
        spansLines &&
        columnOf(src, offset) === indentOf(lineText) &&
        !/:(\s|$)/.test(startLine) &&
        /^[\w.-]+\s+\S/.test(startLine)
      ) {
        // `type io.kestra…` followed by `message: hi`: the first line is a key that lost its colon.
        const key = /^[\w.-]+/.exec(startLine)![0];
        message = `Missing ':' after '${key}' in '${startLine.trim()}': write '${key}: value'.`;
      } else if (spansLines) {
        // The parser saw `value\n   key:` as one long key: the later line is indented deeper than its siblings.
        offset = src.lastIndexOf('\n', end - 1) + 1;
        const line = lineAt(src, offset);
        const key = line.trim().replace(/:.*$/, '');
        const previous = previousContentLine(src, offset);
        const deeper = previous !== undefined && indentOf(line) > indentOf(previous);
        message =
          `Bad indentation: '${key}:' ${deeper ? 'is indented deeper than the line above it' : 'does not line up with the lines above it'}. ` +
          'Align it with its sibling keys (or quote the value above if the line belongs to it).';
      } else if (/Nested mappings/.test(problem) && /:\s/.test(startLine)) {
        message = `A plain value contains ': ' (${problem}). Quote the whole value: key: "text: with a colon".`;
      } else {
        message = `${problem}. Check the indentation of this line and the one above it.`;
      }
      break;
    }
    case 'BAD_INDENT': {
      // `key: [` never closed: the parser notices only lines later; the user needs the line of the bracket.
      const closer = /end with an? ([\]}])/.exec(problem)?.[1];
      if (closer) {
        const opener = closer === ']' ? '[' : '{';
        const open = unclosedOpener(src, offset, opener, closer);
        if (open !== undefined) offset = open;
        message =
          `'${opener}' ${open !== undefined ? 'here' : 'above'} starts a flow ${opener === '[' ? 'list' : 'mapping'} ` +
          `that is never closed with '${closer}' (or its next lines are not indented enough). ` +
          `Close it, or quote the value if it is text.`;
      } else {
        message = `Bad indentation: ${lowerFirst(problem)}. Align this line with its sibling keys.`;
      }
      break;
    }
    case 'MISSING_CHAR':
      if (/without - indicator/.test(problem)) {
        message =
          'Bad indentation: this line is not aligned with the keys or list items above it. ' +
          'Indent it like its siblings (with spaces).';
      } else if (/closing .*quote/.test(problem)) {
        message = `${problem}: a quoted value that starts here or above is never closed. Add the closing quote.`;
      } else {
        message = `${problem}. Check the indentation and quoting of this line.`;
      }
      break;
    case 'BAD_SCALAR_START':
      message = `${problem}. Quote the value.`;
      break;
    case 'UNEXPECTED_TOKEN': {
      // `message: [WARN] disk full`, `message: 'it's'`: the value's first character made YAML read a list,
      // a mapping, a quoted text or an alias that ends before the value does.
      const m = /^\s*(?:-\s+)?(?:([^\s#'"{[][^#]*?):\s+)?(\S.*?)\s*$/.exec(lineText);
      const value = m?.[2] ?? '';
      const what = VALUE_START[value.charAt(0)];
      if (/at node end/.test(problem) && what) {
        const first = value.charAt(0);
        // `'it's'`: the quotes around it were meant to quote it all.
        const text = (first === "'" || first === '"') && value.endsWith(first) ? value.slice(1, -1) : value;
        const quoted = text.includes('"') ? `'${text.replace(/'/g, "''")}'` : JSON.stringify(text);
        const lineStart = src.lastIndexOf('\n', offset - 1) + 1;
        offset = lineStart + lineText.lastIndexOf(value);
        message =
          `${m?.[1] ? `the value of '${m[1]}'` : 'this list item'} starts with ` +
          `${first === "'" ? 'a single quote' : first === '"' ? 'a double quote' : `'${first}'`}, so YAML reads its start ` +
          `as ${what} and cannot read the rest. Quote the whole value: ${m?.[1] ? `${m[1]}: ` : '- '}${quoted}`;
      } else {
        message = `${problem}. Check the indentation and quoting near this line.`;
      }
      break;
    }
    default:
      message = `${problem}. Check the indentation and quoting near this line.`;
  }
  const label = severity === 'error' ? 'YAML syntax error' : 'YAML warning';
  return violationAt(flow, offset, `${label}: ${message}`, severity, 'yaml', true);
}

const VALUE_START: Record<string, string> = {
  '[': 'a list',
  '{': 'a mapping (an unquoted {{ }} expression?)',
  '"': 'a quoted text',
  "'": 'a quoted text',
  '*': 'an alias',
  '&': 'an anchor',
  '!': 'a tag',
};

/** Offset of the outermost `[` (or `{`) left open on the nearest line at or above `offset`, if any. */
function unclosedOpener(src: string, offset: number, opener: string, closer: string): number | undefined {
  let end = offset;
  for (let lineStart = src.lastIndexOf('\n', offset - 1) + 1; ;) {
    const open: number[] = [];
    let quote = '';
    for (let i = lineStart; i < end; i++) {
      const ch = src[i]!;
      if (quote) {
        if (ch === quote) quote = '';
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '#' && (i === lineStart || /\s/.test(src[i - 1]!))) break;
      else if (ch === opener) open.push(i);
      else if (ch === closer) open.pop();
    }
    if (open.length) return open[0];
    if (lineStart === 0) return undefined;
    end = lineStart - 1;
    lineStart = src.lastIndexOf('\n', end - 1) + 1;
  }
}

/**
 * Checks the YAML layer cannot report but Kestra's parser refuses, then whether the document is a flow at all.
 */
function checkStructure(flow: FlowDoc, docLabel: string): Violation[] {
  const out: Violation[] = [];
  const { doc } = flow;
  visit(doc, {
    Pair(_key, pair) {
      const key = pair.key as Node | null;
      if (isCollection(key) && key.range) {
        // `message: {{ x }}` is a flow map whose only key is the flow map `{ x }`.
        const src = flow.source;
        const before = src.slice(0, key.range[0]).trimEnd();
        const after = src.slice(key.range[1]).trimStart();
        const pebble = isMap(key) && key.flow === true && before.endsWith('{') && after.startsWith('}');
        const start = pebble ? before.length - 1 : key.range[0];
        const text = pebble ? `{${src.slice(key.range[0], key.range[1])}}` : '';
        out.push(
          violationAt(
            flow,
            start,
            pebble
              ? `YAML syntax error: unquoted Pebble expression ${text}: YAML reads it as a mapping. ` +
                  `Quote the value, e.g. "${text}".`
              : 'YAML syntax error: a mapping key is itself a mapping or list; Kestra needs text keys. Quote it.',
            'error',
            'yaml',
            true,
          ),
        );
      }
    },
    Alias(_key, node: Alias) {
      if (node.resolve(doc) === undefined && node.range) {
        out.push(
          violationAt(
            flow,
            node.range[0],
            `YAML syntax error: unknown alias '*${node.source}': YAML reads a value that starts with '*' as a ` +
              `reference to an '&${node.source}' anchor, and there is none. Quote the value if the '*' is meant literally.`,
            'error',
            'yaml',
            true,
          ),
        );
      }
    },
  });
  if (out.length || doc.errors.length) return out;

  const contents = doc.contents;
  const start = contents?.range?.[0] ?? 0;
  if (!contents || (isScalar(contents) && contents.value === null)) {
    out.push({
      ...violationAt(flow, start, `${docLabel} is empty: it holds no flow.`, 'error', 'yaml', false),
      rule: 'not-a-flow',
    });
    return out;
  }
  if (!isMap(contents)) {
    const what = isSeq(contents) ? 'a list' : 'a single value';
    out.push(
      violationAt(
        flow,
        start,
        `not a Kestra flow: ${docLabel} is ${what}, but a flow is a mapping with id, namespace and tasks.`,
        'error',
        'lint',
        false,
      ),
    );
    return out;
  }
  const keys = new Set(contents.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
  const other = otherResource(contents, keys);
  if (other) {
    out.push(
      violationAt(
        flow,
        start,
        `not a Kestra flow: ${docLabel} looks like ${other}, which is another kind of resource. ` +
          `Keep it out of the flows directory or add it to 'exclude'.`,
        'error',
        'lint',
        false,
      ),
    );
  } else if (!keys.has('id') && !keys.has('namespace')) {
    out.push(
      violationAt(
        flow,
        start,
        `not a Kestra flow: ${docLabel} has neither 'id' nor 'namespace'. ` +
          `A flow needs id, namespace and tasks; fragments and other YAML belong outside the flows directory (or in 'exclude').`,
        'error',
        'lint',
        false,
      ),
    );
  }
  return out;
}

/** Names the Kestra (or other) resource a mapping looks like, when its top-level keys give it away. */
function otherResource(map: YAMLMap, keys: Set<string>): string | undefined {
  const type = scalarText(map.get('type', true)) ?? '';
  if (/\.apps?\./i.test(type) || (keys.has('type') && (keys.has('layout') || keys.has('access'))))
    return 'a Kestra App (top-level type, layout, access)';
  if (keys.has('charts') || (keys.has('timeWindow') && !keys.has('tasks')))
    return 'a Kestra Dashboard (charts, timeWindow)';
  if (keys.has('testCases')) return 'a Kestra flow unit test (flowId, testCases)';
  if (keys.has('flowId') && (keys.has('taskRunList') || keys.has('state')))
    return 'a Kestra Execution (flowId, state)';
  if (keys.has('apiVersion') && keys.has('kind')) return 'a Kubernetes manifest (apiVersion, kind)';
  if (keys.has('jobs') && (keys.has('on') || keys.has('true'))) return 'a GitHub Actions workflow (on, jobs)';
  if (keys.has('runs') && keys.has('name')) return 'a GitHub Action definition (runs)';
  if (keys.has('type') && !keys.has('tasks'))
    return `a resource with a top-level 'type' (${type || '?'}), not a flow`;
  return undefined;
}

function violationAt(
  flow: FlowDoc,
  offset: number,
  message: string,
  severity: Violation['severity'],
  origin: Violation['origin'],
  skipIndent: boolean,
): Violation {
  let pos = offset;
  if (skipIndent) {
    // Parsers often point at the indentation; the user wants the first character of the offending line.
    const lineStart = flow.source.lastIndexOf('\n', pos - 1) + 1;
    const m = /^[ ]*/.exec(flow.source.slice(lineStart))!;
    if (pos < lineStart + m[0].length) pos = lineStart + m[0].length;
  }
  const { line, col } = flow.lineCounter.linePos(Math.min(pos, flow.source.length));
  const rule = origin === 'yaml' ? 'syntax' : 'not-a-flow';
  return { file: flow.file, line: flow.lineOffset + line, column: col, rule, message, severity, origin };
}

function keyStartingAt(doc: Document.Parsed, offset: number): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Pair(_k, pair) {
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
        found = String(pair.key.value);
        return visit.BREAK;
      }
    },
  });
  return found;
}

function firstDuplicateKeyLine(flow: FlowDoc, key: string, offset: number): number | undefined {
  let line: number | undefined;
  visit(flow.doc, {
    Map(_k, map) {
      const items = map.items as Pair[];
      if (!items.some((p) => isScalar(p.key) && p.key.range?.[0] === offset)) return;
      const first = items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      const range = (first?.key as Scalar | undefined)?.range;
      if (range) line = flow.lineOffset + flow.lineCounter.linePos(range[0]).line;
      return visit.BREAK;
    },
  });
  return line;
}

// --- Source rewrites for deploy -----------------------------------------------------------------------------

/**
 * Sets the top-level `namespace:` value in place, keeping its quoting style when the new value allows it and
 * everything else byte for byte. Adds `namespace:` after `id:` when the flow has none.
 */
export function setNamespace(source: string, namespace: string, parsed?: Document.Parsed): string {
  const doc = parsed ?? parseStrict(source, 'setNamespace');
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
  const check = verifiedParse(out);
  if (check.errors.length || String((check.contents as YAMLMap | null)?.get?.('namespace')) !== namespace) {
    throw new Error(`setNamespace: could not rewrite the namespace to ${JSON.stringify(namespace)} safely`);
  }
  return out;
}

const READ_ONLY = 'system.readOnly';
const READ_ONLY_VALUE = '"true"';

/**
 * Adds the label `system.readOnly: "true"` (Kestra then shows the flow as read-only in its editor), in the style
 * the flow already uses for labels; replaces the value when the label exists.
 */
export function setReadOnlyLabel(source: string, parsed?: Document.Parsed): string {
  const doc = parsed ?? parseStrict(source, 'setReadOnlyLabel');
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
      out = insertAfterLine(source, value.range[0], `${indent}${READ_ONLY}: ${READ_ONLY_VALUE}${eol}`, eol);
    } else {
      throw new Error(`setReadOnlyLabel: 'labels' is neither a map nor a list`);
    }
  }
  const check = verifiedParse(out);
  if (check.errors.length || !hasReadOnly(check)) {
    throw new Error('setReadOnlyLabel: could not add the system.readOnly label safely');
  }
  return out;
}

/**
 * The same flow without its syntax tree in memory: the document is parsed again, once, only if a position is
 * asked for later. A repository of 10,000 flows would otherwise hold every tree (hundreds of MB).
 */
export function releaseDocument(flow: FlowDoc): FlowDoc {
  return new ReleasedFlow(flow);
}

/**
 * A class rather than a copy with two getters: 10,000 of them take ~1 MB instead of ~7 (no closures per
 * flow, and the fields stay in the object rather than in a separate property store).
 */
class ReleasedFlow implements FlowDoc {
  readonly file: string;
  readonly absolutePath: string;
  readonly docIndex: number;
  readonly line: number;
  readonly id?: string;
  readonly namespace?: string;
  readonly source: string;
  readonly lineOffset: number;
  #parsed: { doc: Document.Parsed; lineCounter: LineCounter } | undefined;

  constructor(flow: FlowDoc) {
    // Field by field: the original, which holds the tree, must not stay reachable from here.
    this.file = flow.file;
    this.absolutePath = flow.absolutePath;
    this.docIndex = flow.docIndex;
    this.line = flow.line;
    this.id = flow.id;
    this.namespace = flow.namespace;
    this.source = flow.source;
    this.lineOffset = flow.lineOffset;
  }

  get doc(): Document.Parsed {
    return this.load().doc;
  }

  get lineCounter(): LineCounter {
    return this.load().lineCounter;
  }

  private load(): { doc: Document.Parsed; lineCounter: LineCounter } {
    if (!this.#parsed) {
      const lineCounter = new LineCounter();
      this.#parsed = { doc: parseDocument(this.source, { ...PARSE_OPTIONS, lineCounter }), lineCounter };
    }
    return this.#parsed;
  }
}

/** A FlowDoc for rewritten source: same file, position in the file and document index. */
export function reparseFlow(flow: FlowDoc, newSource: string): FlowDoc {
  const reuse = lastVerified?.source === newSource ? lastVerified : undefined;
  lastVerified = undefined;
  const { flow: next, problems } = buildFlowDoc(
    flow.file,
    flow.absolutePath,
    newSource,
    flow.lineOffset,
    flow.docIndex,
    reuse,
  );
  const error = problems.find((p) => p.severity === 'error');
  if (error) throw new Error(`reparseFlow: the new source of ${flow.file} does not parse: ${error.message}`);
  return next;
}

/**
 * The rewrites parse their output to check it; the last such parse is kept so that `reparseFlow` on that same
 * text does not parse it a third time (a read-only deploy of 10,000 flows would spend seconds on it).
 */
let lastVerified: Parsed | undefined;

interface Parsed {
  source: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

function verifiedParse(source: string): Document.Parsed {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { ...PARSE_OPTIONS, lineCounter });
  lastVerified = { source, doc, lineCounter };
  return doc;
}

function parseStrict(source: string, what: string): Document.Parsed {
  const doc = parseDocument(source, PARSE_OPTIONS);
  if (doc.errors.length) throw new Error(`${what}: the source does not parse: ${doc.errors[0]!.message}`);
  return doc;
}

function topMap(doc: Document.Parsed, what: string): YAMLMap {
  if (!isMap(doc.contents)) throw new Error(`${what}: the document is not a mapping`);
  return doc.contents;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return (map.items as Pair[]).find((p) => isScalar(p.key) && String(p.key.value) === key);
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
  const entry = `labels:${eol}  ${READ_ONLY}: ${READ_ONLY_VALUE}`;
  if (map.flow) return insertTopLevelEntry(source, map, `labels: {${READ_ONLY}: ${READ_ONLY_VALUE}}`);
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
  const existing = findPair(labels, READ_ONLY);
  if (existing) return replaceValue(source, existing);
  const entry = `${READ_ONLY}: ${READ_ONLY_VALUE}`;
  if (labels.flow) return insertInFlow(source, labels, entry);
  const indent = ' '.repeat(firstKeyColumn(source, labels));
  const last = labels.items[labels.items.length - 1] as Pair;
  return insertAfterLine(source, endOfPair(last), `${indent}${entry}${eol}`, eol);
}

function addToLabelList(source: string, labels: YAMLSeq, eol: string): string {
  for (const item of labels.items) {
    if (isMap(item) && scalarText(item.get('key', true)) === READ_ONLY) {
      const value = findPair(item, 'value');
      if (value) return replaceValue(source, value);
      return insertInMapAfter(source, item, `value: ${READ_ONLY_VALUE}`, eol);
    }
  }
  const flowItem = `{ key: ${READ_ONLY}, value: ${READ_ONLY_VALUE} }`;
  if (labels.flow || labels.items.length === 0) return insertInFlow(source, labels, flowItem);
  const first = labels.items[0] as Node;
  const firstStart = first.range![0];
  const dash = source.lastIndexOf('-', firstStart - 1);
  const dashIndent = ' '.repeat(columnOf(source, dash));
  const last = labels.items[labels.items.length - 1] as Node;
  let text: string;
  if (isMap(first) && !first.flow) {
    const keyIndent = ' '.repeat(columnOf(source, firstStart));
    text = `${dashIndent}-${' '.repeat(Math.max(1, firstStart - dash - 1))}key: ${READ_ONLY}${eol}${keyIndent}value: ${READ_ONLY_VALUE}${eol}`;
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
  if (isMap(labels)) return String(labels.get(READ_ONLY)) === 'true';
  if (isSeq(labels)) {
    return labels.items.some(
      (i) => isMap(i) && i.get('key') === READ_ONLY && String(i.get('value')) === 'true',
    );
  }
  return false;
}

// --- small text helpers ---------------------------------------------------------------------------------------

const eolOf = (source: string): string => (source.includes('\r\n') ? '\r\n' : '\n');

/** 0-based column of an offset (characters since the start of its line). */
function columnOf(source: string, offset: number): number {
  return offset - (source.lastIndexOf('\n', offset - 1) + 1);
}

function lineAt(source: string, offset: number): string {
  const start = source.lastIndexOf('\n', offset - 1) + 1;
  const end = source.indexOf('\n', offset);
  return source.slice(start, end < 0 ? source.length : end).replace(/\r$/, '');
}

const indentOf = (line: string): number => /^ */.exec(line)![0].length;

/** The nearest line above `offset`'s line that holds something other than blanks or a comment. */
function previousContentLine(source: string, offset: number): string | undefined {
  const lines = source.slice(0, source.lastIndexOf('\n', offset - 1) + 1).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() && !line.trim().startsWith('#')) return line;
  }
  return undefined;
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

function isBlank(source: string): boolean {
  return source.split('\n').every((l) => /^\s*(#.*)?$/.test(l) || /^(---|\.\.\.)\s*(#.*)?$/.test(l.trim()));
}

function countNewlines(data: string | Uint8Array): number {
  let n = 0;
  if (typeof data === 'string') {
    for (let i = data.indexOf('\n'); i >= 0; i = data.indexOf('\n', i + 1)) n++;
  } else {
    for (const b of data) if (b === 0x0a) n++;
  }
  return n;
}

/** Byte index of the first malformed UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
