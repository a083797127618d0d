// The committed bundles, run as the runner runs them: `node dist/<action>/index.js` with INPUT_* variables,
// reading GITHUB_OUTPUT and GITHUB_STEP_SUMMARY. Under this machine's Node and under Node 24, the runners'
// runtime for `using: node24` (from tools/node24, installed by .ci/run; skipped with a note when absent).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { repoRoot, runAction } from '../../scripts/action-runner.js';

const node24 = path.join(repoRoot, 'tools/node24/node_modules/node/bin/node');
const runtimes: [string, string][] = [[`this machine's Node ${process.version}`, process.execPath]];
if (existsSync(node24)) runtimes.push(['Node 24', node24]);
else
  console.warn(
    `Node 24 not installed (run 'npm ci --prefix tools/node24'): bundles tested under ${process.version} only`,
  );

describe.each(runtimes)('bundles under %s', (_name, node) => {
  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
  });
  afterAll(() => kestra.close());

  it('runs on the version it claims', async () => {
    const r = await runAction('validate', {}, { node });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::Input 'directory' is required/);
    if (node === node24) {
      const { execFileSync } = await import('node:child_process');
      expect(execFileSync(node, ['--version']).toString()).toMatch(/^v24\./);
    }
  });

  it('validate: passes the examples offline, with outputs and a job summary', async () => {
    const r = await runAction('validate', { directory: 'examples/flows' }, { node });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ valid: 'true', flows: '3', errors: '0', warnings: '0' });
    expect(JSON.parse(r.outputs.results ?? '[]')).toHaveLength(3);
    expect(r.summary).toContain('<table>');
    expect(r.summary).toContain('company.team.hello');
  });

  it('validate: annotates the invalid example at its line and exits 1', async () => {
    const r = await runAction('validate', { directory: 'examples', server: kestra.url }, { node });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error title=company\.team\.broken,file=examples\/invalid\/broken\.yml,line=9,col=5::Duplicate task id/,
    );
    expect(r.stdout).toMatch(
      /::error [^\n]*line=14[^\n]*::Invalid type: io\.kestra\.plugin\.core\.log\.Logg/,
    );
    expect(r.outputs).toMatchObject({ valid: 'false', errors: '1' });
  });

  it('deploy: a dry-run plan, then the deploy, through the root action too', async () => {
    const inputs = { directory: 'examples/flows', server: kestra.url, delete: 'true' };
    const plan = await runAction('deploy', { ...inputs, 'dry-run': 'true' }, { node });
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.outputs.plan ?? '{}')).toEqual({
      'company.data': { create: ['report'], update: [], unchanged: [], delete: [] },
      'company.team': { create: ['hello', 'nightly'], update: [], unchanged: [], delete: [] },
    });
    expect(kestra.listFlows()).toEqual([]);

    const root = await runAction('main', { ...inputs, command: 'deploy' }, { node });
    expect(root.code).toBe(0);
    expect(root.outputs).toMatchObject({ created: '3', deleted: '0' });
    expect(
      kestra
        .listFlows()
        .map((f) => `${f.namespace}.${f.id}`)
        .sort(),
    ).toEqual(['company.data.report', 'company.team.hello', 'company.team.nightly']);
  });
});

describe('bundle contents', () => {
  it.each(['validate', 'deploy', 'main'])(
    'dist/%s holds one copy of undici (the toolkit is pinned to ours)',
    (action) => {
      const text = readFileSync(path.join(repoRoot, 'dist', action, 'index.js'), 'utf8');
      expect(text.match(/class Pool extends PoolBase/g)).toHaveLength(1);
    },
  );
});
