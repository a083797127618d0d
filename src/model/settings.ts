// What a run is asked to do, as the front-ends read it from their inputs or flags. Every value is already
// checked: the core trusts these and never reads an input itself.
import type { ClientOptions } from '../kestra/api.js';

/** Where the flows or files are, and which of them the run manages. */
export interface SourceSettings {
  workspace: string;
  directory: string;
  /** Globs relative to `directory`; empty: every file (`**`). Flows are read only from `.yml`/`.yaml` files. */
  include: string[];
  exclude: string[];
  /**
   * The Kestra version (`major.minor`, e.g. `1.3`) the offline rules check against; absent: the server's
   * version when there is one, else none (the rules of every version, plus warnings about 2.0's removals).
   */
  kestraVersion?: string;
}

export interface ValidateSettings extends SourceSettings {
  /** Absent: offline validation with the structural rules only. */
  connection?: ClientOptions;
  failOnWarnings: boolean;
  /** Rewrite the old `io.kestra.core.tasks.*` aliases to their canonical names in the files, then check. */
  fix?: boolean;
}

export type Resource = 'flows' | 'namespace-files';

export interface DeploySettings extends SourceSettings {
  connection: ClientOptions;
  resource: Resource;
  /** Flows: the namespace every flow must have (or is rewritten to); files: the target namespace. */
  namespace?: string;
  overrideNamespace: boolean;
  delete: boolean;
  /** At most this many flows or files deleted, across namespaces, or the whole deploy is refused; absent: no limit. */
  maxDeletes?: number;
  dryRun: boolean;
  readOnly: boolean;
  failOnWarnings: boolean;
  /** Remote folder for namespace files. */
  to: string;
}
