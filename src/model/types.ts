// The data that flows through the pipeline (docs/architecture.md#data): every stage takes and returns these.
import type { Document, LineCounter } from 'yaml';

export type Severity = 'error' | 'warning' | 'notice';

/** A file found by discover: `path` is relative to the workspace with `/` separators. */
export interface SourceFile {
  path: string;
  absolutePath: string;
  bytes: Buffer;
}

/** A namespace file found by discover: read only when uploaded or compared. */
export interface LocalFile {
  /** Path relative to `directory`, with `/` (e.g. `scripts/etl.py`). */
  relative: string;
  /** Path relative to the workspace, for messages and annotations. */
  file: string;
  absolutePath: string;
  size: number;
}

/**
 * What kind of problem a finding is, whoever found it: the offline rules and the server name the same problem
 * with the same rule, so a problem both report on the same node is shown once.
 */
export type Rule =
  /** YAML the parser cannot read (or reads only with a warning). */
  | 'syntax'
  /** A file or document that holds no flow: empty, not text, another kind of resource. */
  | 'not-a-flow'
  /** A required value is missing, null, empty or blank. */
  | 'required'
  /** A value does not match its pattern. */
  | 'pattern'
  /** A value is too long or too short. */
  | 'size'
  /** A number is below its minimum. */
  | 'min'
  /** A value has the wrong shape (a list where a single value is expected, …). */
  | 'shape'
  /** A task, trigger, condition or input type that is missing, malformed or unknown. */
  | 'type'
  /** A key the model does not have. */
  | 'unknown-property'
  | 'deprecated'
  | 'reserved-id'
  | 'duplicate-id'
  | 'duplicate-preconditions'
  | 'duplicate-flow'
  | 'label-key'
  | 'system-label'
  | 'input-dependency'
  | 'input-cycle'
  | 'recursive-subflow'
  | 'dashed-reference'
  | 'alias'
  | 'namespace-mismatch'
  | 'outdated-revision'
  | 'missing-subflow'
  | 'unfiltered-flow-trigger'
  | 'runnable-only-property'
  | 'relocated-type'
  /** A flowable task's structure: an empty branch, a Dag's dependencies, a WorkingDirectory's children. */
  | 'flowable'
  /** An input's `validator`, `itemType` or `defaults` that cannot work. */
  | 'input-value'
  /** Anything the server says that has no rule of its own. */
  | 'server';

/** One problem, pointed at a file and line (1-based line and column). */
export interface Violation {
  file: string;
  line: number;
  column: number;
  /** `namespace.id` of the flow when known. */
  flow?: string;
  /**
   * Kestra property path of the node the problem is about, with list indexes (`tasks[1].type`,
   * `labels[0].key`, `inputs[2].dependsOn`), when known: the server's forms (task ids, Jackson paths) are
   * turned into this one.
   */
  path?: string;
  /** The kind of problem (see Rule), when known. */
  rule?: Rule;
  /**
   * On a finding about a construct Kestra 2.0 removed: what to change, in a few words
   * (`pluginDefaults → inline values or EE policies`), for the "Ready for Kestra 2.0?" report.
   */
  upgrade?: string;
  /** The YAML document of the file (0-based) the problem is in, for problems of a document that holds no flow. */
  docIndex?: number;
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

/** A place in a file: 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}
