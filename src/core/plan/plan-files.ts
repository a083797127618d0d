// Plan stage for namespace files: the local tree against the server's tree under `to` → create / update /
// unchanged / delete, and what Kestra up to 1.3 does to a space in a path (docs/kestra-api.md#file-paths).
import { promises as fs } from 'node:fs';
import type { KestraClient, RemoteFile } from '../../kestra/api.js';
import type { FilePlan, LeftOutBy } from '../../model/plan.js';
import type { LocalFile } from '../../model/types.js';
import { DEFAULT_CONCURRENCY, mapLimit } from '../concurrency.js';
import type { FileRules } from '../discover/file-rules.js';
import { DiscoverError } from '../discover/walk.js';

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

export interface FilePlanOptions {
  delete: boolean;
  spacesAsPlus: boolean;
  /** The rules that chose the local files: with `delete`, what they leave out is kept on the server. */
  rules?: FileRules;
}

/**
 * Reads what the plan needs from the server, then plans (planFiles). Sizes first; bytes are downloaded only
 * when sizes match, so a repeated deploy creates no new revisions.
 */
export async function planNamespaceFiles(
  client: KestraClient,
  namespace: string,
  to: string,
  local: LocalFile[],
  options: FilePlanOptions,
): Promise<FilePlan> {
  const folder = normaliseRemoteFolder(to);
  const remote = await client.listFilesRecursive(namespace, folder);
  const sizes = new Map(remote.map((f) => [f.path, f.size] as const));
  const target = (f: LocalFile): string => storedPath(folder + f.relative, options.spacesAsPlus);
  // The server's bytes of a same-size file that differs are kept in `before`, for its diff.
  const before = new Map<string, Uint8Array>();
  const same = await mapLimit(local, DEFAULT_CONCURRENCY, async (f): Promise<boolean> => {
    if (sizes.get(target(f)) !== f.size) return false;
    const [mine, theirs] = await Promise.all([
      fs.readFile(f.absolutePath),
      client.downloadFile(namespace, target(f)),
    ]);
    if (!mine.equals(theirs)) before.set(target(f), theirs);
    return mine.equals(theirs);
  });
  const identical = new Set(local.filter((_, i) => same[i]).map(target));
  return { ...planFiles(namespace, folder, local, remote, { ...options, identical }), before };
}

/**
 * The plan, from the server's tree under `to` (`remote`) and the stored paths whose bytes equal the local
 * file's (`identical`). With `delete`, a remote path the local tree lacks is deleted only when the rules would
 * have selected it: what `include` leaves out, or `exclude` or `.kestraignore` take out, is not this step's.
 */
export function planFiles(
  namespace: string,
  to: string,
  local: LocalFile[],
  remote: RemoteFile[],
  options: FilePlanOptions & { identical?: ReadonlySet<string> },
): FilePlan {
  const folder = normaliseRemoteFolder(to);
  const sizes = new Map(remote.map((f) => [f.path, f.size] as const));
  const target = (f: LocalFile): string => storedPath(folder + f.relative, options.spacesAsPlus);
  const plan: FilePlan = {
    resource: 'namespace-files',
    namespace,
    to: folder,
    create: [],
    update: [],
    unchanged: [],
    delete: [],
    kept: [],
  };
  for (const f of local) {
    const stored = target(f);
    if (!sizes.has(stored)) plan.create.push(f);
    else (options.identical?.has(stored) ? plan.unchanged : plan.update).push(f);
  }
  if (!options.delete) return plan;
  const wanted = new Set(local.map(target));
  const gone = [...sizes.keys()].filter((p) => p.startsWith(folder) && !wanted.has(p)).sort();
  for (const p of gone) {
    const by = options.rules && leftOutBy(options.rules, p.slice(folder.length), options.spacesAsPlus);
    if (by) plan.kept.push({ name: p, by });
    else plan.delete.push(p);
  }
  return plan;
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
