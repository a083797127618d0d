// The emulated server's state: flow revisions (as the JDBC flow repository keeps them) and namespace files
// (as the 1.2+ metadata table keeps them: one revision per upload, soft deletes). Tenants are kept apart.

/** One stored revision of a flow. */
export interface FlowRecord {
  id: string;
  namespace: string;
  revision: number;
  /** The YAML exactly as received (what `GET …?source=true` returns). */
  source: string;
  deleted: boolean;
  /** `main` (or the EE tenant) on servers with tenants in paths; absent before 0.23. */
  tenantId?: string;
  /** ISO instant the revision was saved. */
  updated: string;
  disabled?: boolean;
}

/** FlowService.cleanupSource: the first `revision: N` line does not count as a change. */
const cleanupSource = (source: string): string => source.replace(/^revision: \d+\n?/m, '');

interface StoredFile {
  /** Contents by revision (index 0 = revision 1); kept across deletes, as the metadata table does. */
  history: Buffer[];
  deleted: boolean;
  created: number;
  modified: number;
}

interface NamespaceFiles {
  dirs: Map<string, { created: number; modified: number }>;
  files: Map<string, StoredFile>;
}

export interface FileAttributes {
  fileName: string;
  lastModifiedTime: number;
  creationTime: number;
  type: 'File' | 'Directory';
  size: number;
  metadata: Record<string, string>;
}

const parentOf = (path: string): string => path.slice(0, path.lastIndexOf('/')) || '/';
const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const isUnder = (path: string, dir: string): boolean =>
  dir === '/' || path === dir || path.startsWith(dir + '/');

export class Store {
  private readonly flows = new Map<string, FlowRecord[]>();
  private readonly namespaces = new Map<string, NamespaceFiles>();

  constructor(
    /** tenantId written on records for a tenant (undefined before 0.23). */
    private readonly tenantIdFor: (tenant: string) => string | undefined,
    /** Each upload is a new revision (1.2+); otherwise uploads overwrite revision 1. */
    private readonly revisionPerUpload: boolean,
  ) {}

  // -------------------------------------------------------------------------------------------- flows

  private key = (tenant: string, namespace: string, id: string): string =>
    [tenant, namespace, id].join('\u0000');

  revisions(tenant: string, namespace: string, id: string): FlowRecord[] {
    return this.flows.get(this.key(tenant, namespace, id)) ?? [];
  }

  /** The last revision, deleted or not. */
  latest(tenant: string, namespace: string, id: string): FlowRecord | undefined {
    return this.revisions(tenant, namespace, id).at(-1);
  }

  /** The latest revision when it is not deleted (FlowRepository.findById). */
  find(tenant: string, namespace: string, id: string): FlowRecord | undefined {
    const last = this.latest(tenant, namespace, id);
    return last && !last.deleted ? last : undefined;
  }

  lastRevision(tenant: string, namespace: string, id: string): number | undefined {
    return this.latest(tenant, namespace, id)?.revision;
  }

  /** Latest non-deleted flows of a tenant, of one exact namespace when given, sorted by namespace then id. */
  listFlows(tenant: string, namespace?: string): FlowRecord[] {
    const out: FlowRecord[] = [];
    for (const [key, revisions] of this.flows) {
      if (!key.startsWith(tenant + '\u0000')) continue;
      const last = revisions.at(-1);
      if (last && !last.deleted && (namespace === undefined || last.namespace === namespace)) out.push(last);
    }
    return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.id.localeCompare(b.id));
  }

  /** Appends a revision numbered after every earlier one, deleted ones included. */
  private append(
    tenant: string,
    flow: { id: string; namespace: string; source: string; disabled?: boolean; deleted?: boolean },
  ): FlowRecord {
    const key = this.key(tenant, flow.namespace, flow.id);
    const revisions = this.flows.get(key) ?? [];
    const record: FlowRecord = {
      id: flow.id,
      namespace: flow.namespace,
      revision: (revisions.at(-1)?.revision ?? 0) + 1,
      source: flow.source,
      deleted: flow.deleted ?? false,
      tenantId: this.tenantIdFor(tenant),
      updated: new Date().toISOString(),
      disabled: flow.disabled ?? false,
    };
    revisions.push(record);
    this.flows.set(key, revisions);
    return record;
  }

  create(
    tenant: string,
    flow: { id: string; namespace: string; source: string; disabled?: boolean },
  ): FlowRecord {
    return this.append(tenant, flow);
  }

  /** FlowRepository.update: an unchanged source (ignoring `revision:`) and flags keep the previous revision. */
  update(tenant: string, previous: FlowRecord, source: string, disabled: boolean): FlowRecord {
    if (
      !previous.deleted &&
      previous.disabled === disabled &&
      cleanupSource(previous.source) === cleanupSource(source)
    ) {
      return previous;
    }
    return this.append(tenant, { id: previous.id, namespace: previous.namespace, source, disabled });
  }

  /** Soft delete: a new revision marked deleted. */
  delete(tenant: string, previous: FlowRecord): FlowRecord {
    return this.append(tenant, { ...previous, deleted: true });
  }

  // -------------------------------------------------------------------------------- namespace files

  private files(tenant: string, namespace: string): NamespaceFiles {
    const key = `${tenant}\u0000${namespace}`;
    let ns = this.namespaces.get(key);
    if (!ns) {
      ns = { dirs: new Map(), files: new Map() };
      this.namespaces.set(key, ns);
    }
    return ns;
  }

  /** The root folder is created on demand by listing and stats. */
  ensureRoot(tenant: string, namespace: string): void {
    this.mkdir(tenant, namespace, '/');
  }

  mkdir(tenant: string, namespace: string, path: string): void {
    const ns = this.files(tenant, namespace);
    const now = Date.now();
    for (let dir = path; ; dir = parentOf(dir)) {
      if (!ns.dirs.has(dir)) ns.dirs.set(dir, { created: now, modified: now });
      if (dir === '/') break;
    }
  }

  isDirectory(tenant: string, namespace: string, path: string): boolean {
    return this.files(tenant, namespace).dirs.has(path);
  }

  private liveFile(tenant: string, namespace: string, path: string): StoredFile | undefined {
    const file = this.files(tenant, namespace).files.get(path);
    return file && !file.deleted ? file : undefined;
  }

  /** Stores bytes at `path` (creating parent folders); returns the revision written. */
  writeFile(tenant: string, namespace: string, path: string, bytes: Buffer): number {
    const ns = this.files(tenant, namespace);
    this.mkdir(tenant, namespace, parentOf(path));
    const now = Date.now();
    const existing = ns.files.get(path);
    if (!existing) {
      ns.files.set(path, { history: [bytes], deleted: false, created: now, modified: now });
      return 1;
    }
    if (this.revisionPerUpload) existing.history.push(bytes);
    else existing.history = [bytes];
    if (existing.deleted) existing.created = now;
    existing.deleted = false;
    existing.modified = now;
    return existing.history.length;
  }

  /** Live contents, or the given revision (1-based). */
  readFile(tenant: string, namespace: string, path: string, revision?: number): Buffer | undefined {
    const file = this.liveFile(tenant, namespace, path);
    if (!file) return undefined;
    return revision === undefined ? file.history.at(-1) : file.history[revision - 1];
  }

  /** Revision numbers of a live file (`[]` when it does not exist). */
  fileRevisions(tenant: string, namespace: string, path: string): number[] {
    const file = this.liveFile(tenant, namespace, path);
    return file ? file.history.map((_, i) => i + 1) : [];
  }

  /** Every live file path, sorted. */
  listFiles(tenant: string, namespace: string): string[] {
    const ns = this.files(tenant, namespace);
    return [...ns.files]
      .filter(([, f]) => !f.deleted)
      .map(([p]) => p)
      .sort();
  }

  attributes(tenant: string, namespace: string, path: string): FileAttributes | undefined {
    const ns = this.files(tenant, namespace);
    const dir = ns.dirs.get(path);
    if (dir) {
      const fileName = path === '/' ? '_files' : baseName(path);
      return {
        fileName,
        lastModifiedTime: dir.modified,
        creationTime: dir.created,
        type: 'Directory',
        size: 0,
        metadata: {},
      };
    }
    const file = this.liveFile(tenant, namespace, path);
    if (!file) return undefined;
    const size = file.history.at(-1)!.length;
    return {
      fileName: baseName(path),
      lastModifiedTime: file.modified,
      creationTime: file.created,
      type: 'File',
      size,
      metadata: {},
    };
  }

  /** Direct children of a folder, sorted by name. */
  children(tenant: string, namespace: string, dir: string): FileAttributes[] {
    const ns = this.files(tenant, namespace);
    const paths = [...ns.dirs.keys(), ...this.listFiles(tenant, namespace)];
    return paths
      .filter((p) => p !== '/' && parentOf(p) === dir)
      .sort()
      .map((p) => this.attributes(tenant, namespace, p)!);
  }

  /**
   * Recursive delete of a file or folder; a missing path deletes nothing. Parent folders left empty go
   * too ("zombie" folders), but never the root.
   */
  deletePath(tenant: string, namespace: string, path: string): void {
    const ns = this.files(tenant, namespace);
    let removed = false;
    for (const [p, file] of ns.files) {
      if (!file.deleted && isUnder(p, path)) removed = file.deleted = true;
    }
    for (const d of [...ns.dirs.keys()]) {
      if (d !== '/' && isUnder(d, path) && ns.dirs.delete(d)) removed = true;
    }
    if (!removed) return;
    for (let dir = parentOf(path); dir !== '/' && path !== '/'; dir = parentOf(dir)) {
      if (!ns.dirs.has(dir) || this.children(tenant, namespace, dir).length > 0) break;
      ns.dirs.delete(dir);
    }
  }

  /** Moves a file or folder (with its contents); false when `from` does not exist. */
  move(tenant: string, namespace: string, from: string, to: string): boolean {
    const ns = this.files(tenant, namespace);
    const moves = this.listFiles(tenant, namespace).filter((p) => isUnder(p, from));
    if (moves.length === 0 && !ns.dirs.has(from)) return false;
    const target = (p: string): string => to + p.slice(from.length);
    for (const p of moves) this.writeFile(tenant, namespace, target(p), this.readFile(tenant, namespace, p)!);
    for (const d of [...ns.dirs.keys()])
      if (isUnder(d, from) && d !== '/') this.mkdir(tenant, namespace, target(d));
    this.deletePath(tenant, namespace, from);
    return true;
  }
}
