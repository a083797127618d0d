// Namespace files: the local tree (include, exclude, .kestraignore, containment) → a plan against the remote tree → uploads, then deletions.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { mapLimit, DEFAULT_CONCURRENCY } from './concurrency.js';
import { DiscoverError, realDirectoryIn, resolveDirectory } from './discover.js';
import { FileRules, type LeftOutBy } from './file-rules.js';
import type { KestraClient } from '../kestra/api.js';
import { keptNotice } from './plan.js';
import type { PlanNotice } from '../model/results.js';

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
  /** With `delete`: remote paths under `to` missing locally that the rules leave out, so not deleted. */
  kept: { path: string; by: LeftOutBy }[];
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

/**
 * Walks `directory` and returns the files the rules select (`include`, `exclude`, `.kestraignore`), dot-files
 * and dot-folders skipped, with the rules themselves for the plan. Symbolic links are followed (a cycle is
 * walked once); a selected file whose real path leaves the directory stops the run, as it does for flows:
 * skipping it would let `delete` remove its copy on the server. A broken link is skipped with a warning.
 */
export async function discoverNamespaceFiles(
  workspace: string,
  directory: string,
  warn: (message: string) => void,
  globs: { include?: readonly string[]; exclude?: readonly string[] } = {},
): Promise<{ files: LocalFile[]; rules: FileRules }> {
  const root = resolveDirectory(path.resolve(workspace), directory);
  const realRoot = await realDirectoryIn(path.resolve(workspace), root, directory);
  const kestraignore = await fs.readFile(path.join(root, '.kestraignore'), 'utf8').catch(() => '');
  const rules = new FileRules(globs.include ?? [], globs.exclude ?? [], kestraignore);
  const where = posix(path.relative(workspace, root)) || '.';
  const files: LocalFile[] = [];

  const walk = async (dir: string, chain: string[]): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const absolute = path.join(dir, entry.name);
      const relative = posix(path.relative(root, absolute));
      const stat = await fs.stat(absolute).catch(() => undefined);
      if (!stat) {
        warn(`${posix(path.relative(workspace, absolute))}: broken symbolic link: skipped`);
        continue;
      }
      if (stat.isDirectory()) {
        if (rules.skipsFolder(relative)) continue;
        const real = await fs.realpath(absolute);
        if (!chain.includes(real)) await walk(absolute, [...chain, real]);
        continue;
      }
      if (!stat.isFile() || rules.leavesOut(relative)) continue;
      const real = await fs.realpath(absolute);
      if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
        throw new DiscoverError(
          `${posix(path.relative(workspace, absolute))} resolves to ${real}, outside the directory ${where}: ` +
            `a symbolic link may not lead out of it. Remove the link or add it to 'exclude' or .kestraignore.`,
        );
      }
      files.push({
        relative,
        file: posix(path.relative(workspace, absolute)),
        absolutePath: absolute,
        size: stat.size,
      });
    }
  };
  await walk(root, [realRoot]);
  files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  return { files, rules };
}

/**
 * Kestra up to 1.3 stores a space in a path as `+`, so `x y.txt` and `x+y.txt` would land on one file:
 * the groups of local files that share a stored path (none on 2.0).
 */
export function plusCollisions(local: LocalFile[], spacesAsPlus: boolean): LocalFile[][] {
  if (!spacesAsPlus) return [];
  const byStored = new Map<string, LocalFile[]>();
  for (const f of local) {
    const key = storedPath(f.relative, true);
    byStored.set(key, [...(byStored.get(key) ?? []), f]);
  }
  return [...byStored.values()].filter((group) => group.length > 1);
}

/**
 * Kestra up to 1.3 stores a space in a path as `+`: two files that would land on one stored path are a
 * refusal (before anything is uploaded), and the paths holding a space, `to` included, a warning.
 */
export function spaceProblems(
  version: string,
  spacesAsPlus: boolean,
  to: string,
  local: LocalFile[],
): { refusal?: string; warning?: string } {
  if (!spacesAsPlus) return {};
  const collisions = plusCollisions(local, true);
  if (collisions.length) {
    const list = collisions
      .map((group) => {
        const stored = `${to}${storedPath(group[0]?.relative ?? '', true)}`;
        return `${group.map((f) => f.file).join(' and ')} (${stored})`;
      })
      .join('; ');
    return {
      refusal:
        `Kestra ${version} stores a space in a file path as '+', so these files would overwrite each other ` +
        `on the server: ${list}. Rename one of each; nothing was written.`,
    };
  }
  const spaced = [
    ...(to.includes(' ') ? [`'to' (${to})`] : []),
    ...local.filter((f) => f.relative.includes(' ')).map((f) => f.relative),
  ];
  return spaced.length
    ? {
        warning: `Kestra ${version} stores a space in a file path as '+' (fixed in 2.0): ${spaced.join(', ')}`,
      }
    : {};
}

const LEFT_OUT_BY: Record<LeftOutBy, string> = {
  exclude: "excluded by 'exclude'",
  '.kestraignore': 'excluded by .kestraignore',
  include: "not matched by 'include'",
};

/** One `kept` notice per rule that kept remote files from deletion. */
export function keptFileNotices(plan: FilePlan): PlanNotice[] {
  return (Object.keys(LEFT_OUT_BY) as LeftOutBy[])
    .map((by) => [by, plan.kept.filter((k) => k.by === by).map((k) => k.path)] as const)
    .filter(([, paths]) => paths.length > 0)
    .map(([by, paths]) => keptNotice(plan.namespace, paths, LEFT_OUT_BY[by]));
}

type Verdict = 'create' | 'update' | 'unchanged';

/**
 * Sizes first; bytes are downloaded only when sizes match, so a repeated deploy creates no new revisions.
 * With `delete`, a remote path the local tree lacks is deleted only when the rules would have selected it:
 * what `include` leaves out, or `exclude` or `.kestraignore` take out, is not this step's to remove.
 */
export async function planNamespaceFiles(
  client: KestraClient,
  namespace: string,
  to: string,
  local: LocalFile[],
  options: { delete: boolean; spacesAsPlus: boolean; rules?: FileRules },
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
  const gone = options.delete
    ? [...remote.keys()].filter((p) => p.startsWith(folder) && !wanted.has(p)).sort()
    : [];
  const kept: FilePlan['kept'] = [];
  const deleted: string[] = [];
  for (const p of gone) {
    const by = options.rules && leftOutBy(options.rules, p.slice(folder.length), options.spacesAsPlus);
    if (by) kept.push({ path: p, by });
    else deleted.push(p);
  }
  return {
    namespace,
    to: folder,
    create: having('create'),
    update: having('update'),
    unchanged: having('unchanged'),
    delete: deleted,
    kept,
  };
}

/**
 * Why the rules leave a remote path out, if they do. On a server that stored spaces as `+`, the `+` may have
 * been a space: the path is kept when either reading is left out, since keeping is the safe side.
 */
function leftOutBy(rules: FileRules, relative: string, spacesAsPlus: boolean): LeftOutBy | undefined {
  return (
    rules.leavesOut(relative) ??
    (spacesAsPlus && relative.includes('+') ? rules.leavesOut(relative.replace(/\+/g, ' ')) : undefined)
  );
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
