// The results the pipeline returns: verdicts on flows and files, and what a deploy planned or did. The
// front-ends render these; nothing here knows of a runner or a terminal.
import type { FlowDoc, Violation } from './types.js';

/** The verdict on one flow (or on a file that held no readable flow). */
export interface CheckedFlow {
  file: string;
  line: number;
  flow?: FlowDoc;
  violations: Violation[];
  /** Offline: why its verdict needs a server (plugin types the rules cannot check); see tally. */
  needsServer?: string;
}

export type FlowStatus = 'valid' | 'warning' | 'invalid';

/** One row of the `results` output and of the summary table. */
export interface FlowResult {
  file: string;
  line: number;
  namespace?: string;
  id?: string;
  status: FlowStatus;
  messages: string[];
  /** Offline and not invalid: the verdict is not sure without a server, for `needsServerReason`. */
  needsServer?: true;
  needsServerReason?: string;
}

export interface ValidateTotals {
  valid: boolean;
  flows: number;
  errors: number;
  warnings: number;
  results: FlowResult[];
  /** Offline only: how many flows need a server for a sure verdict (the others were checked fully). */
  needsServer?: number;
}

/** One resource in the deploy's `results` output: a flow (id) or a namespace file (path). */
export interface DeployResult {
  file?: string;
  namespace: string;
  id?: string;
  path?: string;
  action: 'created' | 'updated' | 'unchanged' | 'deleted';
  revision?: number;
}

export interface NamespaceStatus {
  namespace: string;
  /** `unchanged`: deployed with nothing to create, update or delete, so no request was sent. */
  status: 'planned' | 'written' | 'unchanged' | 'failed' | 'skipped';
  error?: string;
  /** Failed namespace: the flow ids or file paths whose own request failed. */
  failed?: string[];
  /** Failed namespace: planned writes (flows) or uploads (files) never sent. */
  notWritten?: string[];
  /** Failed namespace: planned deletions not done (none is attempted before every write succeeded). */
  notDeleted?: string[];
}

/**
 * Something the plan wants the reader to know that is not a create, update or delete: the deploy report
 * carries these as data, and the log, the job summary and the `plan` output show them.
 * - `kept`: on the server, missing from the deployed set, and not deleted because the step's filters
 *   (`exclude`, `.kestraignore`, or for files an `include` that does not match) leave it out;
 * - `elsewhere`: flows this run creates whose id also exists in a namespace the run does not deploy, as a
 *   flow moved to another namespace leaves its old copy behind.
 */
export interface PlanNotice {
  kind: 'kept' | 'elsewhere';
  /** The deployed namespace the notice is about. */
  namespace: string;
  /** `kept`: ids or paths; `elsewhere`: the other copies as `namespace.id`. */
  names: string[];
  /** One line for the log and the summary. */
  message: string;
}

/**
 * One change a dry-run plans, for review (the summary, the comment, the CLI and the plan file show these):
 * a created, updated or deleted flow (by id) or namespace file (by remote path).
 */
export interface PlannedChange {
  resource: 'flows' | 'namespace-files';
  namespace: string;
  /** Flow id, or the file's remote path. */
  name: string;
  action: 'create' | 'update' | 'delete';
  /** The local file (create, update). */
  file?: string;
  /** Flows: the server's revision (update, delete). */
  revision?: number;
  /** Deletions: what asked for them (the `delete` setting; nothing else deletes). */
  reason?: 'delete: true';
  /**
   * Text updates: the unified diff of the server's content against Git's, as Kestra will store it (after the
   * namespace and read-only rewrites), with its counts of lines.
   */
  diff?: string;
  added?: number;
  removed?: number;
  /** Binary or large files: the size change only, in bytes (`before` when the server's content was read). */
  size?: { before?: number; after: number };
  /** A text file too large to diff (see MAX_DIFF_BYTES in src/core/plan/changes.ts): `size` only. */
  large?: true;
  /** An update whose server content the plan did not read: no diff to show. */
  unread?: true;
}

export interface DeployReport {
  resource: 'flows' | 'namespace-files';
  dryRun: boolean;
  namespaces: NamespaceStatus[];
  results: DeployResult[];
  /** Per namespace, the ids (flows) or paths (files) in each class. */
  plan: Record<string, Record<string, string[]>>;
  /** What the plan wants known beyond its classes (kept from deletion, copies in other namespaces). */
  notices?: PlanNotice[];
  /** Dry-run: every create, update (with its diff) and delete, for review. */
  changes?: PlannedChange[];
}

/** A validation run: the verdict per file or flow, the totals, and how the flows were checked. */
export interface Validation {
  checked: CheckedFlow[];
  totals: ValidateTotals;
  /** In words: `server OSS 1.3.19`, or offline. */
  mode: string;
  /** The Kestra version (`major.minor`) the offline rules checked against, when there was one. */
  kestraVersion?: string;
  /** With `fix`: the aliases (and with a 2.x target, the ForEach tasks) rewritten in the files, before they were checked. */
  fixed?: { file: string; line: number; from: string; to: string; note?: string }[];
  /** With `fix`: the ForEach tasks left as written, and why (src/core/fix/for-each.ts). */
  unfixed?: { file: string; line: number; from: string; reason: string }[];
}

/**
 * What a deploy came to. `invalid`: validation failed and nothing was written. Otherwise the report of the
 * plan (dry-run) or of what was done; flows carry the validation that preceded it (warnings to show).
 */
export type DeployOutcome =
  | { status: 'invalid'; validation: Validation }
  | { status: 'reported'; validation?: Validation; report: DeployReport };
