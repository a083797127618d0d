// `kestra-actions validate` as a user runs it: a process, real HTTP to the emulator, the exit code, the
// report on stdout and the progress on stderr.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli } from '../../scripts/cli-runner.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

let kestra: Emulator;
beforeAll(async () => {
  kestra = await startEmulator({ version: '1.3.19' });
});
afterAll(() => kestra.close());

describe('kestra-actions validate', () => {
  it('passes the example flows offline: exit 0, a row per flow, the verdict', async () => {
    const r = await runCli(['validate', 'examples/flows']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /examples\/flows\/company\.team\/hello\.yml:\d+ +company\.team\.hello +✅ valid/,
    );
    expect(r.stdout).toContain('✔ Kestra validation passed: 3 flows checked (offline');
    expect(r.stderr).toContain("No server given: validating offline with Kestra's structural rules.");
    expect(r.stderr).toContain('Found 3 YAML files under examples/flows');
  });

  it('validates on the server given by flag, with progress on stderr only', async () => {
    const r = await runCli(['validate', 'examples/flows', '--server', kestra.url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 flows checked (server OSS 1.3.19): 0 invalid, 0 warnings');
    expect(r.stderr).toMatch(/Validating on the server: 3 of 3 flows answered/);
    expect(r.stdout).not.toMatch(/Validating on the server|Found 3/);
    expect(kestra.requests.some((q) => q.path.endsWith('/flows/validate'))).toBe(true);
  });

  it('exits 1 on invalid flows, with each finding at file:line:column', async () => {
    const r = await runCli(['validate', 'examples/invalid', '--server', kestra.url]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^examples\/invalid\/broken\.yml:9:5: error: company\.team\.broken: Duplicate task id/m,
    );
    expect(r.stdout).toMatch(
      /^examples\/invalid\/broken\.yml:14:\d+: error: .*io\.kestra\.plugin\.core\.log\.Logg/m,
    );
    expect(r.stdout).toContain('✖ Kestra validation failed: 1 flows checked (server OSS 1.3.19): 1 invalid');
  });

  it('fails on warnings with --fail-on-warnings only', async () => {
    const dir = makeWorkspace({
      'flows/a.yml': flow(
        'team',
        'a',
        'triggers:\n  - id: t\n    type: io.kestra.plugin.core.trigger.Flow\n',
      ),
    });
    const lenient = await runCli(['validate', 'flows', '--server', kestra.url], { cwd: dir });
    expect(lenient.stdout).toMatch(/warning/);
    expect(lenient.code).toBe(0);
    const strict = await runCli(['validate', 'flows', '--server', kestra.url, '--fail-on-warnings'], {
      cwd: dir,
    });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('(fail-on-warnings)');
  });

  it('takes DIRECTORY from the working directory, . by default, and --include/--exclude as the action does', async () => {
    const dir = makeWorkspace({
      'team/a.yml': flow('team', 'a'),
      'team/b.yml': flow('team', 'b'),
      'draft/c.yml': 'not: [a flow',
    });
    const r = await runCli(['validate', '--exclude', 'draft', '--include', 'team/*.yml,other/*.yml'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 flows checked');
    expect(r.stdout).toMatch(/^team\/a\.yml:\d+ /m);
  });

  it('--quiet keeps the findings and the verdict only', async () => {
    const r = await runCli(['validate', 'examples', '--quiet']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').filter(Boolean);
    expect(lines).toEqual([
      expect.stringMatching(/^examples\/invalid\/broken\.yml:9:5: error: /),
      // The core type typo is caught offline too (docs/kestra-api.md#core-types).
      expect.stringMatching(
        /^examples\/invalid\/broken\.yml:14:11: error: .*Invalid type: io\.kestra\.plugin\.core\.log\.Logg\./,
      ),
      expect.stringMatching(
        /^✖ Kestra validation failed: \d+ flows checked .*: 1 invalid, 0 warnings, \d+ checked fully offline, \d+ needs? a server$/,
      ),
    ]);
    expect(r.stderr).toBe('');
  });

  it('--format json: stdout holds the results document and nothing else', async () => {
    const r = await runCli(['validate', 'examples', '--format', 'json', '--server', kestra.url]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      command: 'validate',
      ok: false,
      valid: false,
      mode: 'server OSS 1.3.19',
      counts: { errors: 1, warnings: 0 },
    });
    // A row per flow or file (every file of examples/ holds one flow).
    expect(doc.results).toHaveLength((doc.counts as { flows: number }).flows);
    expect(doc.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'examples/invalid/broken.yml',
          line: 9,
          column: 5,
          severity: 'error',
        }),
      ]),
    );
    // The human report went to stderr, the toolkit's debug lines nowhere.
    expect(r.stderr).toContain('✖ Kestra validation failed');
    expect(r.stdout + r.stderr).not.toContain('::debug::');
  });
});
