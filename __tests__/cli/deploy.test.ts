// `kestra-actions deploy` as a user runs it, over real HTTP to the emulator: the plan, the deploy, a
// redeploy that changes nothing, and every way it ends with exit code 1 (nothing written when refused).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli } from '../../scripts/cli-runner.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

const stored = (kestra: Emulator): string[] =>
  kestra
    .listFlows()
    .map((f) => `${f.namespace}.${f.id}@${f.revision}`)
    .sort();

describe('kestra-actions deploy', () => {
  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
  });
  afterAll(() => kestra.close());

  it('plans with --dry-run, deploys, then finds everything unchanged', async () => {
    const base = ['deploy', 'examples/flows', '--server', kestra.url, '--delete'];
    const plan = await runCli([...base, '--dry-run']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/Plan \(dry-run, nothing written\): company\.team \(planned\)/);
    expect(plan.stdout).toMatch(/\+ will create\s+hello\s+\(examples\/flows\/company\.team\/hello\.yml\)/);
    expect(plan.stdout).toMatch(/^company\.team +2 +0 +0 +0 +📝 planned$/m);
    expect(plan.stdout).toContain('📝 Kestra deploy plan (dry-run): flows: 3 to create · 0 to update');
    expect(stored(kestra)).toEqual([]);

    const done = await runCli(base);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(
      '✅ Kestra flows deployed: 3 created · 0 updated · 0 unchanged · 0 deleted',
    );
    expect(done.stderr).toMatch(/Deploying: namespace [12]\/2/);
    expect(stored(kestra)).toEqual([
      'company.data.report@1',
      'company.team.hello@1',
      'company.team.nightly@1',
    ]);

    const again = await runCli(base);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 created · 0 updated · 3 unchanged · 0 deleted');
    // Each namespace's sources in one export; nothing to write, so no namespace is written.
    expect(again.stderr).toMatch(/Planning: flow sources of [12] namespaces? read/);
    expect(again.stderr).not.toMatch(/Deploying: namespace/);
    expect(stored(kestra)).toEqual([
      'company.data.report@1',
      'company.team.hello@1',
      'company.team.nightly@1',
    ]);
  });

  it('--format json: the plan, the results and the report, nothing else on stdout', async () => {
    const r = await runCli([
      'deploy',
      'examples/flows',
      '--server',
      kestra.url,
      '--dry-run',
      '--format=json',
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      command: 'deploy',
      ok: true,
      valid: true,
      counts: { created: 0, updated: 0, unchanged: 3, deleted: 0 },
      plan: { 'company.team': { create: [], update: [], unchanged: ['hello', 'nightly'], delete: [] } },
      report: {
        resource: 'flows',
        dryRun: true,
        namespaces: [
          { namespace: 'company.data', status: 'planned' },
          { namespace: 'company.team', status: 'planned' },
        ],
      },
      validation: { valid: true, counts: { flows: 3, errors: 0, warnings: 0 } },
    });
    expect(doc.results).toHaveLength(3);
  });

  it('deploys namespace files under --to', async () => {
    const r = await runCli([
      'deploy',
      'examples/namespace-files',
      '--server',
      kestra.url,
      '--resource',
      'namespace-files',
      '--namespace',
      'company.team',
      '--to',
      '/shared',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✅ Kestra namespace files deployed: \d+ created/);
    expect(kestra.listFiles('company.team').every((f) => f.startsWith('/shared/'))).toBe(true);
    expect(kestra.listFiles('company.team').length).toBeGreaterThan(0);
  });
});

describe('kestra-actions deploy refused or failed: exit 1', () => {
  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
    kestra.seedFlow(flow('company.team', 'keep'));
  });
  afterAll(() => kestra.close());
  beforeEach(() => kestra.clearRequests());

  it('invalid flows: every finding, and nothing written or deleted', async () => {
    const r = await runCli(['deploy', 'examples', '--server', kestra.url, '--delete']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^examples\/invalid\/broken\.yml:9:5: error: /m);
    expect(r.stdout).toMatch(
      /^✖ 1 of \d+ flows or files failed validation: nothing was written or deleted$/m,
    );
    expect(kestra.writes()).toEqual([]);
    expect(kestra.getFlow('company.team', 'keep')).toBeDefined();
  });

  it('a server that cannot be reached: one error line, nothing written', async () => {
    const ws = makeWorkspace({ 'flows/a.yml': flow('company.team', 'a') });
    const r = await runCli(['deploy', 'flows', '--server', 'http://127.0.0.1:9', '--timeout', '2'], {
      cwd: ws,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: .*cannot reach http:\/\/127\.0\.0\.1:9.*\(nothing was written or deleted\)$/m,
    );
    expect(r.stdout).toBe('');
  });

  it('a namespace the server refuses to write: what was written and what was not, and exit 1', async () => {
    const ws = makeWorkspace({ 'flows/a.yml': flow('company.team', 'a') });
    kestra.fault({ method: 'POST', path: /\/flows\/company\.team$/, status: 500 });
    const r = await runCli(['deploy', 'flows', '--server', kestra.url, '--format', 'json'], { cwd: ws });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { ok: boolean; error: string };
    expect(doc.ok).toBe(false);
    expect(doc.error).toMatch(/^deploy to company\.team failed: /);
    expect(r.stderr).toMatch(/❌ Kestra deploy of flows stopped/);
  });
});
