// Throw-away workspaces: a temp folder filled with the given files (text or bytes).
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export function makeWorkspace(files: Record<string, string | Buffer>): string {
  const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'kestra-ws-')));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}

/** A small valid flow; `extra` is appended as more top-level YAML. */
export function flow(namespace: string, id: string, extra = ''): string {
  return `id: ${id}\nnamespace: ${namespace}\n\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi from ${id}\n${extra}`;
}
