// directory + include/exclude globs → the source files to read, relative to the workspace.
// Safety (docs/architecture.md#safety-invariants, 5): nothing outside `directory` is ever returned: globs
// cannot climb out with `..`, and a file whose real path (after symlinks) leaves the directory is refused.
import * as fs from 'node:fs';
import * as path from 'node:path';
// eslint-disable-next-line no-restricted-imports -- until discovery walks the tree itself (src/core/file-rules.ts)
import * as glob from '@actions/glob';
import type { SourceFile } from '../model/types.js';

export class DiscoverError extends Error {
  override name = 'DiscoverError';
}

export interface DiscoverOptions {
  /** Absolute path of the checkout (GITHUB_WORKSPACE). */
  workspace: string;
  /** Folder to scan, relative to the workspace (an absolute path inside the workspace is accepted). */
  directory: string;
  /** Globs relative to `directory`; default `**` (every file). Flows are read only from `.yml`/`.yaml` files. */
  include?: string[];
  /** Globs relative to `directory`; a glob naming a folder excludes everything under it. */
  exclude?: string[];
}

export const DEFAULT_INCLUDE: readonly string[] = ['**'];

/** Flows live in YAML files: `include` narrows which, it never makes a README or a script a flow. */
const isYaml = (file: string): boolean => /\.ya?ml$/i.test(file);

export async function discoverFiles(options: DiscoverOptions): Promise<SourceFile[]> {
  const workspace = path.resolve(options.workspace);
  const directory = resolveDirectory(workspace, options.directory);
  const include = expandAll(options.include?.length ? options.include : DEFAULT_INCLUDE, 'include');
  const exclude = expandAll(options.exclude ?? [], 'exclude');
  const realDirectory = await realDirectoryIn(workspace, directory, options.directory);
  const found = (await globFiles(directory, include, exclude)).filter(isYaml);

  // Local reads, one after the other: the synchronous calls cost a tenth of their promise forms here, and
  // nothing else runs before discovery is done.
  const files: SourceFile[] = [];
  for (const absolutePath of found) {
    const real = fs.realpathSync(absolutePath);
    if (!isInside(realDirectory, real)) {
      throw new DiscoverError(
        `${toPosix(path.relative(workspace, absolutePath))} resolves to ${real}, outside the directory ` +
          `${toPosix(path.relative(workspace, directory)) || '.'}: a symbolic link may not lead out of it. ` +
          `Remove the link or add it to 'exclude'.`,
      );
    }
    if (!fs.statSync(real).isFile()) continue;
    files.push({
      path: toPosix(path.relative(workspace, absolutePath)),
      absolutePath,
      bytes: fs.readFileSync(real),
    });
  }

  if (files.length === 0) {
    const where = toPosix(path.relative(workspace, directory)) || '.';
    const excluded = exclude.length ? ` (after excluding ${exclude.join(', ')})` : '';
    throw new DiscoverError(
      `No .yml or .yaml files in ${where} match ${include.join(', ')}${excluded}. Check 'directory' and 'include'; ` +
        `dot-files and dot-directories are always skipped.`,
    );
  }
  return files.sort(byPath);
}

/** Byte order of the UTF-8 path: the same on every machine and locale. */
const byPath = (a: SourceFile, b: SourceFile): number =>
  Buffer.compare(Buffer.from(a.path), Buffer.from(b.path));

/**
 * The files `include` matches and `exclude` takes out again: not deployed, and, being outside what this step
 * manages, not pruned either (the caller reads their flow ids). A link among them that leaves the directory
 * is skipped unread; an empty `exclude` gives none. A second scan, so only worth it with `delete`.
 */
export async function discoverExcluded(options: DiscoverOptions): Promise<SourceFile[]> {
  const exclude = expandAll(options.exclude ?? [], 'exclude');
  if (exclude.length === 0) return [];
  const workspace = path.resolve(options.workspace);
  const directory = resolveDirectory(workspace, options.directory);
  const include = expandAll(options.include?.length ? options.include : DEFAULT_INCLUDE, 'include');
  const realDirectory = await realDirectoryIn(workspace, directory, options.directory);
  const kept = new Set(await globFiles(directory, include, exclude));
  const files: SourceFile[] = [];
  for (const absolutePath of await globFiles(directory, include, [])) {
    if (kept.has(absolutePath) || !isYaml(absolutePath)) continue;
    const real = fs.realpathSync(absolutePath);
    if (!isInside(realDirectory, real) || !fs.statSync(real).isFile()) continue;
    files.push({
      path: toPosix(path.relative(workspace, absolutePath)),
      absolutePath,
      bytes: fs.readFileSync(real),
    });
  }
  return files.sort(byPath);
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

/** Absolute paths under `directory` that the checked globs select, dot-paths left out. */
async function globFiles(directory: string, include: string[], exclude: string[]): Promise<string[]> {
  const prefix = escapeGlob(directory);
  const patterns = [
    ...include.map((p) => `${prefix}/${caseInsensitiveExtension(p)}`),
    // An excluded folder takes everything under it with it.
    ...exclude.map(caseInsensitiveExtension).flatMap((p) => [`!${prefix}/${p}`, `!${prefix}/${p}/**`]),
  ];
  // excludeHiddenFiles tests the basename of every visited path, the search root included: a scan rooted at
  // a dot-directory the user chose on purpose (`directory: .kestra`) would find nothing, so there we filter
  // ourselves below. implicitDescendants off: `flows/*.yml` must not also take every file under a folder
  // that happens to be named `x.yml`.
  const globber = await glob.create(patterns.join('\n'), {
    followSymbolicLinks: true,
    implicitDescendants: false,
    matchDirectories: false,
    omitBrokenSymbolicLinks: true,
    excludeHiddenFiles: !path.basename(directory).startsWith('.'),
  });
  // Dot-files and dot-directories are never flows (`.github/workflows/*.yml`).
  return (await globber.glob()).filter(
    (p) =>
      !path
        .relative(directory, p)
        .split(path.sep)
        .some((segment) => segment.startsWith('.')),
  );
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

/** Checks one glob and expands `{a,b}` braces (the glob library is built with braces turned off). */
export function expandAll(patterns: readonly string[], what: string): string[] {
  const out: string[] = [];
  for (const original of patterns) {
    let p = original.trim().replace(/\\/g, '/');
    if (!p) continue;
    if (p.startsWith('!')) {
      // Advice that fits the input it appears in: an exclude is already a negation.
      const bare = p.replace(/^!+/, '');
      throw new DiscoverError(
        what === 'exclude'
          ? `exclude glob '${original}' starts with '!': every 'exclude' glob already leaves its files out, so write '${bare}' (there is no re-including: narrow 'include' instead).`
          : `${what} glob '${original}' starts with '!': to leave those files out, list '${bare}' under 'exclude'.`,
      );
    }
    if (p.startsWith('/') || /^[A-Za-z]:\//.test(p)) {
      throw new DiscoverError(`${what} glob '${original}' is absolute: globs are relative to 'directory'.`);
    }
    while (p.startsWith('./')) p = p.slice(2);
    if (p.split('/').some((segment) => segment === '..' || segment === '.')) {
      throw new DiscoverError(
        `${what} glob '${original}' contains '.' or '..': globs are relative to 'directory' and cannot leave it.`,
      );
    }
    if (p.endsWith('/')) p += '**';
    out.push(...expandBraces(p));
  }
  return [...new Set(out)];
}

function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  if (open < 0) return [pattern];
  let depth = 0;
  const parts: string[] = [];
  let start = open + 1;
  for (let i = open; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    if ((ch === ',' && depth === 1) || (ch === '}' && depth === 0)) {
      parts.push(pattern.slice(start, i));
      start = i + 1;
    }
    if (depth === 0) {
      const head = pattern.slice(0, open);
      const tail = pattern.slice(i + 1);
      return parts.flatMap((part) => expandBraces(head + part + tail));
    }
  }
  return [pattern]; // unbalanced: keep literally
}

/** `x.yml` → `x.[yY][mM][lL]`: on Linux and macOS the glob library matches case-sensitively. */
export function caseInsensitiveExtension(pattern: string): string {
  return pattern.replace(
    /\.(ya?ml)$/i,
    (_m, ext: string) => '.' + [...ext].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join(''),
  );
}

/** Makes a literal path safe inside a glob (same escapes as the glob library's own). */
function escapeGlob(p: string): string {
  return toPosix(p)
    .replace(/\\/g, '\\\\')
    .replace(/(\[)(?=[^/]+\])/g, '[[]')
    .replace(/\?/g, '[?]')
    .replace(/\*/g, '[*]');
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

const toPosix = (p: string): string => p.split(path.sep).join('/');
