// Shapes of the Kestra REST API we use (docs/kestra-api.md) and the client's contract.
// Everything that speaks HTTP lives in src/kestra/ (eslint.boundaries.js): below the front-ends, the rest of
// the code sees only this interface.

/** One answer of `POST …/flows/validate` (docs/kestra-api.md#validation); the server omits null fields. */
export interface ValidateResult {
  index: number;
  filename?: string;
  flow?: string;
  namespace?: string;
  constraints?: string;
  outdated?: boolean;
  deprecationPaths?: string[];
  warnings?: string[];
  infos?: string[];
}

/** A flow as listed or returned by the server (only the fields we read). */
export interface FlowInfo {
  id: string;
  namespace: string;
  revision: number;
  source?: string;
  deleted?: boolean;
  labels?: { key: string; value: string }[];
}

/** `FileAttributes` of the namespace-file endpoints (docs/kestra-api.md#namespace-files). */
export interface FileAttributes {
  fileName: string;
  type: 'File' | 'Directory';
  size: number;
  lastModifiedTime?: number;
  creationTime?: number;
}

/** A flow to send: its exact source and the name of the file it came from (multipart part filename). */
export interface FlowSource {
  source: string;
  filename: string;
}

export interface ClientOptions {
  /** Base URL of the server, e.g. `https://kestra.example.com` (a trailing `/` or `/api/v1` is tolerated). */
  server: string;
  user?: string;
  password?: string;
  /** Bearer token (EE); wins over basic auth when both are given. */
  apiToken?: string;
  /** Tenant id, `main` by default (ignored on servers below 0.23, which have no tenant in paths). */
  tenant?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Seconds allowed for each request (connect and body). */
  timeoutSeconds?: number;
  /** Retries of connection errors, timeouts, 429, 502, 503 and 504 (defaults suit CI; tests shrink them). */
  retry?: RetryOptions;
}

export interface RetryOptions {
  /** Attempts in all, the first included (default 4; 1 disables retries). */
  attempts?: number;
  /** Base of the exponential backoff in ms (default 500): the n-th retry waits between half and all of baseMs·2^(n-1). */
  baseMs?: number;
  /** Cap of one backoff delay in ms (default 10 000). */
  maxDelayMs?: number;
  /** Budget in ms for a request and all its retries (default 120 000); no attempt starts past it. */
  totalMs?: number;
}

/** Where the client and the pipeline report; each front-end wires it (the action: to the runner log, masked). */
export interface Logger {
  info(message: string): void;
  /** Something the user should read but need not act on (the action: an annotation); info when absent. */
  notice?(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}

export interface ServerInfo {
  version: string;
  edition: 'OSS' | 'EE';
  /** Paths carry `/{tenant}` (OSS ≥ 0.23, EE). */
  tenantInPath: boolean;
  /** Validate and bulk endpoints accept multipart `flows` parts (≥ 1.3). */
  multipart: boolean;
  /** `/api/v1/configs` gave a readable version (false: `version` is 'unknown'). */
  known: boolean;
}

/** A file under a namespace's storage: `path` starts with `/` (e.g. `/scripts/a.py`). */
export interface RemoteFile {
  path: string;
  size: number;
}

/** A namespace's files from its export, or why the export cannot be used. */
export type ExportedFiles = { files: Map<string, Buffer>; unusable?: undefined } | { unusable: string };

/** A file of a zip batch: its remote path (`/a/b.txt`) and bytes. */
export interface BatchFile {
  path: string;
  bytes: Buffer;
}

/** The Kestra client (src/kestra/client.ts): one method per endpoint we use. */
export interface KestraClient {
  readonly info: ServerInfo;
  /** The normalised base URL (no trailing `/`, no `/api/v1`). */
  readonly server: string;
  /** The tenant in paths (`main` unless given; unused when `info.tenantInPath` is false). */
  readonly tenant: string;
  /** HTTP requests sent so far, retries included (for the benchmark). */
  readonly requestCount: number;

  /** One result per input flow, `index` = position in `flows` (batched and re-indexed by the client). */
  validateFlows(flows: FlowSource[]): Promise<ValidateResult[]>;
  /** Latest revisions of the flows of exactly `namespace` (no source). */
  listFlows(namespace: string): Promise<FlowInfo[]>;
  /** The flow with its source, or undefined when it does not exist (or is deleted). */
  getFlow(namespace: string, id: string): Promise<FlowInfo | undefined>;
  /** `POST …/flows/{namespace}`: upserts `flows`, and with `delete` removes the namespace's other flows. */
  bulkUpdate(namespace: string, flows: FlowSource[], opts: { delete: boolean }): Promise<FlowInfo[]>;
  /**
   * The sources in the server's flow export of `namespace`, one per live flow, in one request; callers keep
   * the flows they need by each source's own `id` and `namespace` (before 1.3 the export includes child
   * namespaces). `unusable` says why the server gave none it could read (no export endpoint, a refused
   * query, an archive that does not read): read flow by flow instead.
   */
  exportFlows(namespace: string): Promise<{ sources: string[] } | { unusable: string }>;
  /**
   * One page (`size` entries) of the tenant's flow search for `text` (the server's full-text match on
   * namespace and id, so the caller filters the answer): `filters[q][EQUALS]` from 1.3, legacy `q` before.
   */
  searchFlows(text: string, size: number): Promise<FlowInfo[]>;
  createFlow(source: string): Promise<FlowInfo>;
  updateFlow(namespace: string, id: string, source: string): Promise<FlowInfo>;
  deleteFlow(namespace: string, id: string): Promise<void>;

  listDirectory(namespace: string, path: string): Promise<FileAttributes[]>;
  /** Every file under `path` (default `/`), walking directories; a missing directory gives []. */
  listFilesRecursive(namespace: string, path?: string): Promise<RemoteFile[]>;
  downloadFile(namespace: string, path: string): Promise<Buffer>;
  /** Stores `bytes` at `path` (overwrites; parents are created by the server). */
  uploadFile(namespace: string, path: string, bytes: Buffer): Promise<void>;
  /**
   * Every file of the namespace, by stored path (`/a/b.txt`), from its export in one request; `_flows/`
   * (the namespace's flows) left out. `unusable` says why not (past `maxBytes`, no export on this server,
   * an unreadable archive): the caller then lists and downloads instead.
   */
  exportFiles(namespace: string, maxBytes: number): Promise<ExportedFiles>;
  /**
   * Stores `files` in one request: a zip archive the server extracts, each entry at its path
   * (docs/kestra-api.md#zip-uploads). Every path must pass `batchable` (src/kestra/batch.ts).
   */
  uploadBatch(namespace: string, files: readonly BatchFile[]): Promise<void>;
  /** Deletes a file or a directory (recursively); a missing path is not an error. */
  deleteFile(namespace: string, path: string): Promise<void>;

  /** Closes the connection pool (tests; the action's process exits anyway). */
  close(): Promise<void>;
}
