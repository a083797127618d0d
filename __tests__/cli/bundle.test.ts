// The CLI bundle as npm installs it: dist/cli/index.js, run by this machine's Node and by Node 24 (from
// tools/node24, when installed), and through a bin link as a shell runs it. Skipped, with a note, when the
// bundle is not built (npm run package).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { repoRoot, spawnNode } from '../../scripts/action-runner.js';
import { cliBundle, runCli } from '../../scripts/cli-runner.js';

const built = existsSync(cliBundle);
if (!built)
  console.warn('dist/cli/index.js is not built (npm run package): the CLI bundle tests are skipped');
const node24 = path.join(repoRoot, 'tools/node24/node_modules/node/bin/node');
const runtimes: [string, string][] = [[`this machine's Node ${process.version}`, process.execPath]];
if (existsSync(node24)) runtimes.push(['Node 24', node24]);
const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

(built ? describe.each(runtimes) : describe.skip.each(runtimes))('the CLI bundle under %s', (_name, node) => {
  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
  });
  afterAll(() => kestra.close());
  const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { bundle: true, node, env });

  it('prints its version', async () => {
    expect(await cli(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
    if (node === node24) expect(execFileSync(node, ['--version']).toString()).toMatch(/^v24\./);
  });

  it('validates: 0 for the examples, 1 for the invalid one, JSON alone on stdout', async () => {
    expect((await cli(['validate', 'examples/flows'])).code).toBe(0);
    const r = await cli(['validate', 'examples', '--server', kestra.url, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'validate', counts: { errors: 1, warnings: 0 } });
  });

  it('deploys on GitLab CI with sections, then finds everything unchanged', async () => {
    const args = ['deploy', 'examples/flows', '--server', kestra.url];
    const first = await cli(args, { GITLAB_CI: 'true' });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/\x1b\[0Ksection_start:\d+:kestra_\d+\[collapsed=true\]/); // eslint-disable-line no-control-regex
    expect(first.stdout).toContain('3 created');
    expect((await cli(args)).stdout).toContain('3 unchanged');
  });

  it('a usage error is exit code 2', async () => {
    const r = await cli(['deploy', '--nope']);
    expect([r.code, r.stderr]).toEqual([
      2,
      "kestra-actions: unknown flag '--nope' (see kestra-actions --help)\n",
    ]);
  });
});

(built ? describe : describe.skip)('the bin link', () => {
  it('runs the bundle through its shebang from any folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kestra-bin-'));
    const link = path.join(dir, 'kestra-actions');
    symlinkSync(cliBundle, link);
    const r = await spawnNode(link, ['--version'], { env: { PATH: process.env.PATH ?? '' }, cwd: dir });
    expect([r.code, r.stdout]).toEqual([0, `${version}\n`]);
  });
});
