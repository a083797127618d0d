// The local tree of namespace files: include, exclude, .kestraignore, containment.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DiscoverError, realDirectoryIn, resolveDirectory } from './discover.js';
import { FileRules } from './file-rules.js';
import type { LocalFile } from '../model/types.js';

const posix = (p: string): string => p.split(path.sep).join('/');

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
