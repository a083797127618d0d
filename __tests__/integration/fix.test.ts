// `fix: true` and `--fix`: the old io.kestra.core.tasks.* names rewritten in the files on disk (and nothing
// else), each rewrite logged, then the fixed flows checked. Offline, as a user runs them.
import { describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../emulator/index.js';
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

const EACH = [
  'id: each # loops',
  'namespace: team',
  'tasks:',
  '  - id: each',
  '    type: io.kestra.plugin.core.flow.ForEach',
  '    values: [a, b]',
  '    tasks:',
  '      - id: log',
  '        type: io.kestra.core.tasks.log.Log',
  '        message: "{{ taskrun.value }}"',
  '  - id: after',
  '    type: io.kestra.plugin.core.log.Log',
  '    message: done',
  '',
].join('\n');
const LOOPED = EACH.replace('flow.ForEach', 'flow.Loop\n    concurrencyLimit: 1')
  .replace('io.kestra.core.tasks.log.Log', 'io.kestra.plugin.core.log.Log')
  .replace('taskrun.value', 'item.value');

describe('fix with Kestra 2.0 as the target', () => {
  it('--fix --kestra-version 2.0 rewrites a ForEach to Loop, with the lines of the written file', async () => {
    const cwd = makeWorkspace({ 'flows/a.yml': EACH });
    const r = await runCli(['validate', 'flows', '--fix', '--kestra-version', '2.0'], { cwd });
    expect(readFileSync(path.join(cwd, 'flows/a.yml'), 'utf8')).toBe(LOOPED);
    expect(r.stderr).toContain(
      'Fixed flows/a.yml:5: io.kestra.plugin.core.flow.ForEach → io.kestra.plugin.core.flow.Loop ' +
        '(concurrencyLimit: 1 added (ForEach ran one value at a time); taskrun.value → item.value in 1 value)',
    );
    expect(r.stderr).toContain(
      'Fixed flows/a.yml:10: io.kestra.core.tasks.log.Log → io.kestra.plugin.core.log.Log',
    );
    expect(r.code).toBe(0);
  });

  it('the action against a 2.0 server: the server is the target and accepts the rewritten flow', async () => {
    const kestra = await startEmulator({ version: '2.0.8' });
    try {
      const workspace = makeWorkspace({ 'flows/a.yml': EACH });
      const r = await runMain(run, { directory: 'flows', fix: 'true', server: kestra.url }, { workspace });
      expect(readFileSync(path.join(workspace, 'flows/a.yml'), 'utf8')).toBe(LOOPED);
      expect(r.annotations).toEqual([]);
      expect(r.failed).toBe(false);
    } finally {
      await kestra.close();
    }
  });

  it('without a 2.x target the ForEach stays, and the log says why', async () => {
    const cwd = makeWorkspace({ 'flows/a.yml': EACH });
    const r = await runCli(['validate', 'flows', '--fix', '--kestra-version', '1.3'], { cwd });
    expect(readFileSync(path.join(cwd, 'flows/a.yml'), 'utf8')).toBe(
      EACH.replace('io.kestra.core.tasks.log.Log', 'io.kestra.plugin.core.log.Log'),
    );
    expect(r.stderr).toContain(
      'Not fixed flows/a.yml:5: io.kestra.plugin.core.flow.ForEach stays: Loop is Kestra 2.x syntax',
    );
  });
});
