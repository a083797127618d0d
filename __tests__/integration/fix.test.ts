// `fix: true` and `--fix`: the old io.kestra.core.tasks.* names rewritten in the files on disk (and nothing
// else), each rewrite logged, then the fixed flows checked. Offline, as a user runs them.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../scripts/cli-runner.js';
import { run } from '../../validate/main.js';
import { runMain } from '../helpers/run-main.js';
import { makeWorkspace } from '../helpers/workspace.js';

const OLD = [
  'id: a # the flow',
  'namespace: team',
  'tasks:',
  '  - id: hello',
  '    type: io.kestra.core.tasks.log.Log   # say hi',
  '    message: hi',
  '',
].join('\n');
const NEW = OLD.replace('io.kestra.core.tasks.log.Log', 'io.kestra.plugin.core.log.Log');

describe('fix', () => {
  it('the action rewrites the file, logs it, and checks the fixed flow', async () => {
    const workspace = makeWorkspace({ 'flows/a.yml': OLD });
    const r = await runMain(run, { directory: 'flows', fix: 'true' }, { workspace });
    expect(r.failed).toBe(false);
    expect(readFileSync(path.join(workspace, 'flows/a.yml'), 'utf8')).toBe(NEW);
    expect(r.stdout).toContain(
      'Fixed flows/a.yml:5: io.kestra.core.tasks.log.Log → io.kestra.plugin.core.log.Log',
    );
    expect(r.annotations).toEqual([]);
  });

  it('without it, the file is untouched and the alias is a warning at its line', async () => {
    const workspace = makeWorkspace({ 'flows/a.yml': OLD });
    const r = await runMain(run, { directory: 'flows' }, { workspace });
    expect(readFileSync(path.join(workspace, 'flows/a.yml'), 'utf8')).toBe(OLD);
    expect(r.annotations.map((a) => [a.level, a.line])).toEqual([['warning', 5]]);
  });

  it('--fix does the same from the CLI; deploy has no --fix', async () => {
    const cwd = makeWorkspace({ 'flows/a.yml': OLD });
    const r = await runCli(['validate', 'flows', '--fix'], { cwd });
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(cwd, 'flows/a.yml'), 'utf8')).toBe(NEW);
    expect(r.stderr).toContain(
      'Fixed flows/a.yml:5: io.kestra.core.tasks.log.Log → io.kestra.plugin.core.log.Log',
    );
    const d = await runCli(['deploy', 'flows', '--server', 'http://localhost:9', '--fix'], { cwd });
    expect(d.code).toBe(2);
    expect(d.stderr).toContain("'--fix' is a flag of 'validate', not of 'deploy'");
  });
});
