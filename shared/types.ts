// The data that flows through the pipeline (docs/architecture.md#data): every stage takes and returns these.
import type { Document, LineCounter } from 'yaml';

export type Severity = 'error' | 'warning' | 'notice';

/** A file found by discover: `path` is relative to the workspace with `/` separators. */
export interface SourceFile {
  path: string;
  absolutePath: string;
  bytes: Buffer;
}

/** One problem, pointed at a file and line (1-based line and column). */
export interface Violation {
  file: string;
  line: number;
  column: number;
  /** `namespace.id` of the flow when known. */
  flow?: string;
  /** Kestra property path the problem is about (`tasks[1].type`), when known. */
  path?: string;
  message: string;
  severity: Severity;
  /** Who found it: the YAML parser, the offline rules, the server, or the deploy step. */
  origin: 'yaml' | 'lint' | 'server' | 'deploy';
}

/** One YAML document of a source file that looks like a Kestra flow. */
export interface FlowDoc {
  file: string;
  absolutePath: string;
  /** Position of this document within its file (0-based). */
  docIndex: number;
  /** 1-based line of the flow's first content line within the file (the fallback position). */
  line: number;
  id?: string;
  namespace?: string;
  /** The exact text of this document as written (what gets sent to Kestra). */
  source: string;
  /** Lines of the file before the first character of `source`: file line = lineOffset + line in source. */
  lineOffset: number;
  /** `source` parsed on its own (ranges are offsets into `source`) and its line counter. */
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export const flowName = (f: { namespace?: string; id?: string }): string =>
  [f.namespace ?? '?', f.id ?? '?'].join('.');
