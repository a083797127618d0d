// `kestra-actions deploy --dry-run` as a reviewer reads it, over real HTTP to the emulator: each updated flow's
// diff printed after the plan, deletions with their revision, --plan-file with every change, and
// --max-deletes refusing before any write.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import type { PlannedChange } from '../../src/model/results.js';
import { runCli } from '../../scripts/cli-runner.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

describe('kestra-actions deploy, reviewable plans', () => {
  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
    kestra.seedFlow(flow('team', 'a'));
    kestra.seedFlow(flow('team', 'gone'));
  });
  afterAll(() => kestra.close());

  it('prints each diff after the plan, and writes the whole plan to --plan-file', async () => {
    const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a').replace('hi from a', 'hello from a') });
    const planFile = path.join(ws, 'out', 'plan.json');
    const r = await runCli(
      ['deploy', 'flows', '--server', kestra.url, '--dry-run', '--delete', '--plan-file', planFile],
      { cwd: ws },
    );
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain('What the deploy would change');
    expect(out).toMatch(/~ team\.a \+1 −1\n\s*--- server\/team\.a\n\s*\+\+\+ git\/team\.a\n\s*@@ /);
    expect(out).toMatch(/\n\s*- {4}message: hi from a\n\s*\+ {4}message: hello from a\n/);
    expect(out).toContain('- team.gone (revision 1), deleted by delete: true');
    // The verdict stays the last line.
    expect(out.trimEnd().split('\n').pop()).toContain('Kestra deploy plan (dry-run)');
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { changes: PlannedChange[] };
    expect(plan.changes.map((c) => [c.action, c.name, c.revision])).toEqual([
      ['update', 'a', 1],
      ['delete', 'gone', 1],
    ]);
    expect(plan.changes[0]?.diff).toContain('+    message: hello from a\n');
    expect(kestra.writes()).toEqual([]);
  });

  it('--format json holds the changes with their diffs', async () => {
    const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a').replace('hi from a', 'hello from a') });
    const r = await runCli(['deploy', 'flows', '--server', kestra.url, '--dry-run', '--format=json'], {
      cwd: ws,
    });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { report: { changes: PlannedChange[] } };
    expect(doc.report.changes).toEqual([
      expect.objectContaining({ action: 'update', name: 'a', added: 1, removed: 1 }),
    ]);
  });

  it('refuses with --max-deletes, nothing written', async () => {
    const ws = makeWorkspace({ 'flows/b.yml': flow('team', 'b') });
    const r = await runCli(['deploy', 'flows', '--server', kestra.url, '--delete', '--max-deletes', '1'], {
      cwd: ws,
    });
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toContain(
      "this deploy would delete 2 flows (team.a, team.gone), more than 'max-deletes' allows (1)",
    );
    expect(kestra.writes()).toEqual([]);
    const bad = await runCli(['deploy', 'flows', '--server', kestra.url, '--max-deletes='], { cwd: ws });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("'--max-deletes' is empty");
  });
});
