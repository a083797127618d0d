// YAML source files → one FlowDoc per YAML document, with every problem the YAML layer can see turned into a
// Violation at its line in the file: the parser's own errors (worded in yaml-errors.ts), then the structural
// checks Kestra's parser adds (structure.ts).
import { LineCounter, Parser, isMap, parseDocument, type Document } from 'yaml';
import { flowName, type FlowDoc, type SourceFile, type Violation } from '../../model/types.js';
import { scalarString } from './positions.js';
import { countNewlines } from './source-text.js';
import { checkStructure } from './structure.js';
import { yamlProblems } from './yaml-errors.js';

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

/** A source text with its syntax tree, whose line counter places offsets in it. A FlowDoc is one. */
export interface ParsedSource {
  readonly source: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

const PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: true } as const;

/** Parses a text the way parseFlows parses each document (a duplicate key is an error). */
export function parseSource(source: string): ParsedSource {
  const lineCounter = new LineCounter();
  return { source, doc: parseDocument(source, { ...PARSE_OPTIONS, lineCounter }), lineCounter };
}

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

/**
 * A FlowDoc for `source`, with the YAML errors and warnings as violations. `source` is parsed on its own unless
 * its parse is given.
 */
export function buildFlowDoc(
  file: string,
  absolutePath: string,
  source: string,
  lineOffset: number,
  docIndex: number,
  parsed?: ParsedSource,
): { flow: FlowDoc; problems: Violation[] } {
  const { doc, lineCounter } = parsed ?? parseSource(source);
  const contents = doc.contents;
  const firstLine = contents?.range ? lineCounter.linePos(contents.range[0]).line : 1;
  const top = isMap(contents) ? contents : undefined;
  const flow: FlowDoc = {
    file,
    absolutePath,
    docIndex,
    line: lineOffset + firstLine,
    id: scalarString(top?.get('id', true)),
    namespace: scalarString(top?.get('namespace', true)),
    source,
    lineOffset,
    doc,
    lineCounter,
  };
  return { flow, problems: yamlProblems(flow) };
}

function isBlank(source: string): boolean {
  return source.split('\n').every((l) => /^\s*(#.*)?$/.test(l) || /^(---|\.\.\.)\s*(#.*)?$/.test(l.trim()));
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
