// Namespace files: a plan of the local tree against the remote tree, and the `+`/space checks.
import { promises as fs } from 'node:fs';
import { mapLimit, DEFAULT_CONCURRENCY } from './concurrency.js';
import { DiscoverError } from './discover.js';
import type { LocalFile } from './discover-files.js';
import type { FileRules, LeftOutBy } from './file-rules.js';
import type { KestraClient } from '../kestra/api.js';
import { keptNotice } from './plan.js';
import type { PlanNotice } from '../model/results.js';

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
