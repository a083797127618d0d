// Namespace files: the local tree (ignore rules, containment) → a plan against the remote tree → uploads, then deletions.
import ignore from 'ignore';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { mapLimit, DEFAULT_CONCURRENCY } from './concurrency.js';
import { DiscoverError } from './discover.js';
import type { KestraClient } from './kestra/api.js';

export interface LocalFile {
  /** Path relative to `directory`, with `/` (e.g. `scripts/etl.py`). */
  relative: string;
  /** Path relative to the workspace, for messages and annotations. */
  file: string;
  absolutePath: string;
  size: number;
}

export interface FilePlan {
  namespace: string;
  /** Remote folder the tree goes to, normalised to `/…/` form. */
  to: string;
  /** New paths, and paths whose bytes differ: both are uploads. */
  create: LocalFile[];
  update: LocalFile[];
  unchanged: LocalFile[];
  /** Remote paths under `to` that the local tree no longer has (only with `delete`). */
  delete: string[];
}

export interface FileOutcome {
  file?: string;
  path: string;
  action: 'created' | 'updated' | 'unchanged' | 'deleted';
}

const posix = (p: string): string => p.split(path.sep).join('/');

/** Normalises `to` to `/a/b/` (always a folder, never `..`, never under `/_flows`). */
export function normaliseRemoteFolder(to: string): string {
  const parts = to.split('/').filter((p) => p && p !== '.');
  if (parts.includes('..')) throw new DiscoverError(`'to' must not contain '..', got "${to}"`);
  if (parts[0] === '_flows') {
    throw new DiscoverError(
      `'to' is under /_flows, which Kestra reserves for flows: choose another folder, got "${to}"`,
    );
  }
  return parts.length ? `/${parts.join('/')}/` : '/';
}

/**
 * Up to 1.3 Kestra runs the path through URLEncoder: a space is stored as `+` (docs/kestra-api.md#file-paths).
 * Comparing and pruning must use the stored name, or every deploy would re-upload and then delete it.
 */
export function storedPath(remote: string, spacesAsPlus: boolean): string {
  return spacesAsPlus ? remote.replace(/ /g, '+') : remote;
}

/** Walks `directory`: `.kestraignore` rules, dot-files and dot-folders skipped, symlinks leaving the tree skipped. */
export async function discoverNamespaceFiles(
  workspace: string,
  directory: string,
  warn: (message: string) => void,
): Promise<LocalFile[]> {
  const root = path.resolve(workspace, directory);
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new DiscoverError(
      `directory '${directory}' does not exist in the workspace ${workspace}: check the path, and that actions/checkout ran before this step`,
    );
  }
  const realRoot = await fs.realpath(root);
  const rules = await fs.readFile(path.join(root, '.kestraignore'), 'utf8').catch(() => '');
  const ignored = ignore().add(rules);
  const files: LocalFile[] = [];
  const visited = new Set<string>([realRoot]);

  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const absolute = path.join(dir, entry.name);
      const relative = posix(path.relative(root, absolute));
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        const real = await fs.realpath(absolute).catch(() => undefined);
        if (!real || (real !== realRoot && !real.startsWith(realRoot + path.sep))) {
          warn(
            `${posix(path.relative(workspace, absolute))}: symbolic link leads outside '${directory}': skipped`,
          );
          continue;
        }
        if (visited.has(real)) continue;
        isDir = (await fs.stat(real)).isDirectory();
        if (isDir) visited.add(real);
      }
      if (ignored.ignores(isDir ? `${relative}/` : relative)) continue;
      if (isDir) await walk(absolute);
      else {
        const size = (await fs.stat(absolute)).size;
        files.push({
          relative,
          file: posix(path.relative(workspace, absolute)),
          absolutePath: absolute,
          size,
        });
      }
    }
  };
  await walk(root);
  return files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

type Verdict = 'create' | 'update' | 'unchanged';

/** Sizes first; bytes are downloaded only when sizes match, so a repeated deploy creates no new revisions. */
export async function planNamespaceFiles(
  client: KestraClient,
  namespace: string,
  to: string,
  local: LocalFile[],
  options: { delete: boolean; spacesAsPlus: boolean },
): Promise<FilePlan> {
  const folder = normaliseRemoteFolder(to);
  const remote = new Map(
    (await client.listFilesRecursive(namespace, folder)).map((f) => [f.path, f.size] as const),
  );
  const target = (f: LocalFile): string => storedPath(folder + f.relative, options.spacesAsPlus);
  const verdicts = await mapLimit(local, DEFAULT_CONCURRENCY, async (f): Promise<Verdict> => {
    const size = remote.get(target(f));
    if (size === undefined) return 'create';
    if (size !== f.size) return 'update';
    const [mine, theirs] = await Promise.all([
      fs.readFile(f.absolutePath),
      client.downloadFile(namespace, target(f)),
    ]);
    return mine.equals(theirs) ? 'unchanged' : 'update';
  });
  const wanted = new Set(local.map(target));
  const having = (v: Verdict): LocalFile[] => local.filter((_, i) => verdicts[i] === v);
  return {
    namespace,
    to: folder,
    create: having('create'),
    update: having('update'),
    unchanged: having('unchanged'),
    delete: options.delete
      ? [...remote.keys()].filter((p) => p.startsWith(folder) && !wanted.has(p)).sort()
      : [],
  };
}

/** A file deploy stopped part-way: what was done before the failure and what was not. */
export class FileApplyError extends Error {
  override name = 'FileApplyError';
  constructor(
    message: string,
    /** Uploads that succeeded, unchanged files, and deletions done before the failure. */
    readonly done: FileOutcome[],
    /** Remote paths whose own request failed. */
    readonly failed: string[],
    /** Uploads never sent (the deploy stopped first). */
    readonly notUploaded: string[],
    /** Remote paths planned for deletion and still there. */
    readonly notDeleted: string[],
  ) {
    super(message);
  }
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Uploads with bounded concurrency, then deletes, and only once every upload succeeded: a failed deploy
 * never leaves the namespace with fewer files than it had. Uploads overwrite, so a retry is harmless.
 * On a failure it throws a FileApplyError that says exactly which uploads and deletions were done.
 */
export async function applyFilePlan(client: KestraClient, plan: FilePlan): Promise<FileOutcome[]> {
  const uploads = [
    ...plan.create.map((f) => ({ f, action: 'created' as const })),
    ...plan.update.map((f) => ({ f, action: 'updated' as const })),
  ];
  const unchanged = plan.unchanged.map((f): FileOutcome => ({
    file: f.file,
    path: plan.to + f.relative,
    action: 'unchanged',
  }));
  // Filled as requests settle, so a failure can tell which uploads landed (several run at once).
  const uploaded: (FileOutcome | undefined)[] = new Array(uploads.length);
  const failed: { path: string; error: unknown }[] = [];
  try {
    await mapLimit(uploads, DEFAULT_CONCURRENCY, async ({ f, action }, i): Promise<void> => {
      const remote = plan.to + f.relative;
      try {
        await client.uploadFile(plan.namespace, remote, await fs.readFile(f.absolutePath));
      } catch (error) {
        failed.push({ path: remote, error });
        throw error;
      }
      uploaded[i] = { file: f.file, path: remote, action };
    });
  } catch (error) {
    const done = uploaded.filter((u): u is FileOutcome => u !== undefined);
    const failedPaths = failed.map((x) => x.path);
    const others = failed.length > 1 ? ` (and ${failed.length - 1} more uploads failed)` : '';
    throw new FileApplyError(
      `upload of ${failedPaths[0] ?? 'a file'} failed: ${message(failed[0]?.error ?? error)}${others}`,
      [...done, ...unchanged],
      failedPaths,
      uploads
        .filter((_, i) => !uploaded[i])
        .map(({ f }) => plan.to + f.relative)
        .filter((p) => !failedPaths.includes(p)),
      plan.delete,
    );
  }
  const deleted: FileOutcome[] = [];
  // One at a time, stopping at the first failure: the rest stay, and the report lists them.
  for (const [i, p] of plan.delete.entries()) {
    try {
      await client.deleteFile(plan.namespace, p);
    } catch (error) {
      throw new FileApplyError(
        `every upload succeeded, but deleting ${p} failed: ${message(error)}`,
        [...(uploaded as FileOutcome[]), ...unchanged, ...deleted],
        [p],
        [],
        plan.delete.slice(i + 1),
      );
    }
    deleted.push({ path: p, action: 'deleted' });
  }
  return [...(uploaded as FileOutcome[]), ...unchanged, ...deleted];
}
