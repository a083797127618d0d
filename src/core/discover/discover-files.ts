// The local tree of namespace files: `include`, `exclude` and `.kestraignore` (file-rules.ts) over the walk
// of `directory` that flows get too (walk.ts), containment included.
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import type { LocalFile } from '../../model/types.js';
import { FileRules } from './file-rules.js';
import { DiscoverError, realDirectoryIn, resolveDirectory, toPosix, walkFiles } from './walk.js';

/**
 * The files the rules select (`include`, `exclude`, `.kestraignore`), with the rules themselves for the plan.
 * A selected file whose real path leaves the directory stops the run, as it does for flows: skipping it would
 * let `delete` remove its copy on the server. A broken link is skipped with a warning.
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
  const where = toPosix(path.relative(workspace, root)) || '.';
  const inWorkspace = (absolute: string): string => toPosix(path.relative(workspace, absolute));
  const found = walkFiles(root, realRoot, {
    skipsFolder: (relative) => rules.skipsFolder(relative),
    selects: (relative) => !rules.leavesOut(relative),
    broken: (absolute) => warn(`${inWorkspace(absolute)}: broken symbolic link: skipped`),
    leaving: (file) => {
      throw new DiscoverError(
        `${inWorkspace(file.absolutePath)} resolves to ${file.realPath}, outside the directory ${where}: ` +
          `a symbolic link may not lead out of it. Remove the link or add it to 'exclude' or .kestraignore.`,
      );
    },
  });
  const files = found.map((f): LocalFile => ({
    relative: f.relative,
    file: inWorkspace(f.absolutePath),
    absolutePath: f.absolutePath,
    size: statSync(f.absolutePath).size,
  }));
  return { files, rules };
}
