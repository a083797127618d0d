// Shapes of the Kestra REST API we use (KESTRA-API.md §4) and the client's contract.
// Everything that speaks HTTP lives in shared/kestra/; the rest of the code sees only this.

/** One answer of `POST …/flows/validate` (KESTRA-API.md §4a); null fields are left out by the server. */
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

/** `FileAttributes` of the namespace-file endpoints (§4d). */
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
}

export interface ServerInfo {
  version: string;
  edition: 'OSS' | 'EE';
  /** Paths carry `/{tenant}` (OSS ≥ 0.23, EE). */
  tenantInPath: boolean;
  /** Validate and bulk endpoints accept multipart `flows` parts (≥ 1.3). */
  multipart: boolean;
}
