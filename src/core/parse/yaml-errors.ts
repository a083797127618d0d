// The wording of YAML errors: each problem the parser reports becomes a violation that names the mistake and its
// fix, at the line the user must change (which is not always the line the parser stopped at).
import { isScalar, visit, type Document, type Pair, type Scalar, type YAMLError } from 'yaml';
import type { FlowDoc, Violation } from '../../model/types.js';
import { columnOf, indentOf, lineAt, previousContentLine } from './source-text.js';

/** The parser's errors and warnings for a flow's document, one violation per line. */
export function yamlProblems(flow: FlowDoc): Violation[] {
  const { doc, lineCounter } = flow;
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
  return problems;
}

function tellingRank(error: YAMLError): number {
  if (error.code === 'BAD_INDENT') return 2;
  if (error.code === 'MISSING_CHAR' && /without - indicator/.test(error.message)) return 2;
  return error.code === 'MULTILINE_IMPLICIT_KEY' ? 1 : 0;
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

/** A violation at an offset of the flow's source; with `skipIndent`, an offset in a line's indentation moves past it. */
export function violationAt(
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

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
