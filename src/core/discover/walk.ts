// The local tree, for flows and namespace files alike: `directory` checked to be a folder inside the
// workspace, then walked. Safety (docs/architecture.md#safety-invariants, 5): nothing outside `directory` is
// ever returned; a selected file whose real path (after symbolic links) leaves it goes to `leaving`.
import * as fs from 'node:fs';
import * as path from 'node:path';

export class DiscoverError extends Error {
  override name = 'DiscoverError';
}

export interface WalkedFile {
  /** Path relative to the walked directory, with `/` (e.g. `scripts/etl.py`). */
  relative: string;
  /** The path under the directory as walked (links not resolved). */
  absolutePath: string;
  /** The path with every symbolic link resolved. */
  realPath: string;
}

export interface WalkRules {
  /** Folders not entered (relative path); every folder is entered when absent. */
  skipsFolder?(relative: string): unknown;
  /** Whether the regular file at `relative` is wanted. */
  selects(relative: string): boolean;
  /** A symbolic link whose target is missing: skipped, after this call. */
  broken?(absolutePath: string): void;
  /** A selected file whose real path is outside the directory: throw to refuse it, or it is skipped. */
  leaving?(file: WalkedFile): void;
}

/**
 * The regular files under `directory` that `rules` select, in byte order of their relative path (the same on
 * every machine and locale). Dot-files and dot-folders are skipped (`.github/workflows/*.yml` holds no flow),
 * but `directory` itself may be one. Symbolic links are followed; a folder already on the way down (a cycle)
 * is not entered again. `realDirectory` is the real path of `directory`.
 *
 * Synchronous calls: they cost a fraction of their promise forms here, and nothing else runs meanwhile. Only
 * links are resolved with a system call; the real path of anything else is its real parent's plus its name.
 */
export function walkFiles(directory: string, realDirectory: string, rules: WalkRules): WalkedFile[] {
  const inside = realDirectory.endsWith(path.sep) ? realDirectory : realDirectory + path.sep;
  const found: WalkedFile[] = [];
  const visit = (dir: string, realDir: string, prefix: string, chain: string[]): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const name = entry.name;
      if (name.startsWith('.')) continue;
      const absolutePath = path.join(dir, name);
      const relative = prefix + name;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      let realPath = path.join(realDir, name);
      if (entry.isSymbolicLink()) {
        let stat: fs.Stats | undefined;
        try {
          stat = fs.statSync(absolutePath, { throwIfNoEntry: false });
        } catch {
          stat = undefined; // a loop of links (ELOOP) leads nowhere either
        }
        if (!stat) {
          rules.broken?.(absolutePath);
          continue;
        }
        isDirectory = stat.isDirectory();
        isFile = stat.isFile();
        realPath = fs.realpathSync(absolutePath);
      }
      if (isDirectory) {
        if (rules.skipsFolder?.(relative) || chain.includes(realPath)) continue;
        visit(absolutePath, realPath, `${relative}/`, [...chain, realPath]);
      } else if (isFile && rules.selects(relative)) {
        const file = { relative, absolutePath, realPath };
        if (realPath.startsWith(inside)) found.push(file);
        else rules.leaving?.(file);
      }
    }
  };
  visit(directory, realDirectory, '', [realDirectory]);
  const keys = new Map(found.map((f) => [f, Buffer.from(f.relative)]));
  return found.sort((a, b) => Buffer.compare(keys.get(a) as Buffer, keys.get(b) as Buffer));
}

/** The real path of `directory`, refused when it is not inside the workspace's real path. */
export async function realDirectoryIn(workspace: string, directory: string, given: string): Promise<string> {
  const realDirectory = await fs.promises.realpath(directory);
  const realWorkspace = await fs.promises.realpath(workspace);
  if (!isInside(realWorkspace, realDirectory)) {
    throw new DiscoverError(
      `directory '${given}' resolves to ${realDirectory}, outside the workspace ${workspace}: ` +
        `a symbolic link may not lead out of the repository.`,
    );
  }
  return realDirectory;
}

/**
 * `directory` as an absolute path under `workspace`, checked to exist and be a folder. The workspace may be
 * reached through a symbolic link and `directory` given as its real path (or the other way round): real
 * paths are compared, and the folder is then named under `workspace` so file paths stay relative to it.
 */
export function resolveDirectory(workspace: string, directory: string): string {
  const given = directory.trim() || '.';
  let resolved = path.resolve(workspace, given);
  if (!isInside(workspace, resolved)) {
    const realWorkspace = realpathOrUndefined(workspace) ?? workspace;
    const real = realpathOrUndefined(resolved);
    // The path as given when it names the folder under the real workspace, its real path otherwise.
    const inside = [resolved, real].find((p) => p !== undefined && isInside(realWorkspace, p));
    if (inside === undefined) {
      throw new DiscoverError(
        `directory '${given}' is outside the workspace ${workspace}: give a path relative to the repository root.`,
      );
    }
    resolved = path.join(workspace, path.relative(realWorkspace, inside));
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch {
    throw new DiscoverError(
      `directory '${given}' does not exist (looked for ${resolved} in workspace ${workspace}). ` +
        `Check the path, and that a step 'uses: actions/checkout' runs before this one.`,
    );
  }
  if (!stat.isDirectory()) {
    throw new DiscoverError(
      `directory '${given}' is a file, not a directory: set 'directory' to its folder and 'include' to its name.`,
    );
  }
  return resolved;
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

export const toPosix = (p: string): string => p.split(path.sep).join('/');
