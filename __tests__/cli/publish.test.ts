// What a run leaves besides its log: --codequality, --junit and --sarif files, and in a GitLab merge request
// pipeline one sticky note per job, written over real HTTP to a stand-in of GitLab's notes API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { repoRoot } from '../../scripts/action-runner.js';
import { runCli } from '../../scripts/cli-runner.js';
import { startFakeGitLab, type FakeGitLab } from './gitlab-server.js';

let kestra: Emulator;
beforeAll(async () => {
  kestra = await startEmulator({ version: '1.3.19' });
});
afterAll(() => kestra.close());

describe('report files', () => {
  it('writes Code Quality, JUnit and SARIF reports, relative to the working directory', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kestra-reports-'));
    // From the repository root (for examples/): a path relative to it, and absolute ones.
    const r = await runCli([
      'validate',
      'examples',
      '--codequality',
      path.relative(repoRoot, path.join(dir, 'out/gl-code-quality.json')),
      '--junit',
      path.join(dir, 'out/junit.xml'),
      '--sarif',
      path.join(dir, 'out/kestra.sarif'),
    ]);
    expect(r.code).toBe(1);
    const quality = JSON.parse(readFileSync(path.join(dir, 'out/gl-code-quality.json'), 'utf8')) as {
      severity: string;
      location: { path: string; lines: { begin: number } };
    }[];
    expect(quality).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          location: { path: 'examples/invalid/broken.yml', lines: expect.objectContaining({ begin: 9 }) },
        }),
      ]),
    );
    expect(readFileSync(path.join(dir, 'out/junit.xml'), 'utf8')).toMatch(/<testsuite[^>]*failures="1"/);
    const sarif = JSON.parse(readFileSync(path.join(dir, 'out/kestra.sarif'), 'utf8')) as {
      version: string;
      runs: { results: unknown[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results.length).toBeGreaterThan(0);
    expect(r.stderr).toContain('Code Quality report written to');
  });

  it('a file that cannot be written is a warning: the exit code stays the run’s', async () => {
    const r = await runCli(['validate', 'examples/flows', '--junit', 'README.md/junit.xml']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: cannot write the JUnit report to README\.md\/junit\.xml: /m);
  });
});

describe('the merge request note', () => {
  const token = 'glpat-secret-token-1';
  let gitlab: FakeGitLab;
  beforeAll(async () => {
    gitlab = await startFakeGitLab({ token });
  });
  afterAll(() => gitlab.close());
  beforeEach(() => {
    gitlab.calls.length = 0;
  });
  const pipeline = (api: FakeGitLab = gitlab): Record<string, string> => ({
    GITLAB_CI: 'true',
    CI_MERGE_REQUEST_IID: '7',
    CI_PROJECT_ID: '42',
    CI_API_V4_URL: api.apiUrl,
  });

  it('is posted once per job and updated in place on the next run', async () => {
    const env = { ...pipeline(), GITLAB_TOKEN: token };
    const first = await runCli(['validate', 'examples', '--server', kestra.url], { env });
    expect(first.code).toBe(1);
    expect(gitlab.notes()).toHaveLength(1);
    const note = gitlab.notes()[0]!;
    expect(note.body).toMatch(
      /^<!-- kestra-actions:validate:[0-9a-f]{16} -->\n### ❌ Kestra validation failed/,
    );
    expect(note.body).toContain('company.team.broken');
    expect(gitlab.calls.every((c) => c.headers['private-token'] === token)).toBe(true);
    expect(first.stdout + first.stderr).not.toContain(token);

    const again = await runCli(['validate', 'examples', '--server', kestra.url], { env });
    expect(again.code).toBe(1);
    expect(gitlab.notes()).toHaveLength(1);
    expect(gitlab.calls.some((c) => c.method === 'PUT')).toBe(true);

    // Another job (another directory, or a deploy) keeps its own note.
    await runCli(['deploy', 'examples/flows', '--server', kestra.url, '--dry-run', '--gitlab-token', token], {
      env: pipeline(),
    });
    expect(gitlab.notes()).toHaveLength(2);
    expect(gitlab.notes()[1]?.body).toMatch(
      /^<!-- kestra-actions:deploy:[0-9a-f]{16} -->\n### 📝 Kestra deploy plan \(dry-run\)/,
    );
  });

  it('is left out without a token, and outside a merge request', async () => {
    const noToken = await runCli(['validate', 'examples/flows'], { env: pipeline() });
    expect(noToken.stderr).toContain('No GITLAB_TOKEN (or --gitlab-token): no merge request note.');
    const noMergeRequest = await runCli(['validate', 'examples/flows'], {
      env: { GITLAB_CI: 'true', GITLAB_TOKEN: token },
    });
    expect(noMergeRequest.code).toBe(0);
    expect(gitlab.calls).toEqual([]);
  });

  it('a note GitLab refuses is a warning: the exit code stays the run’s', async () => {
    const refusing = await startFakeGitLab({
      token,
      fail: { status: 403, body: { message: '403 Forbidden' } },
    });
    try {
      const r = await runCli(['validate', 'examples/flows'], {
        env: { ...pipeline(refusing), GITLAB_TOKEN: token },
      });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^warning: .*merge request/im);
      expect(refusing.calls.length).toBeGreaterThan(0);
    } finally {
      await refusing.close();
    }
  });

  it('names what is missing when the pipeline variables are not all there', async () => {
    const r = await runCli(['validate', 'examples/flows'], {
      env: { CI_MERGE_REQUEST_IID: '7', GITLAB_TOKEN: token },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: CI_API_V4_URL or CI_PROJECT_ID is not set: no merge request note.');
  });
});

describe('Code Quality paths in a GitLab job run from a subfolder', () => {
  it('are read from the project root (CI_PROJECT_DIR)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kestra-cq-'));
    const r = await runCli(['validate', 'invalid', '--codequality', path.join(dir, 'cq.json')], {
      cwd: path.join(repoRoot, 'examples'),
      env: { GITLAB_CI: 'true', CI_PROJECT_DIR: repoRoot },
    });
    expect(r.code).toBe(1);
    const issues = JSON.parse(readFileSync(path.join(dir, 'cq.json'), 'utf8')) as {
      location: { path: string };
    }[];
    expect(issues.map((i) => i.location.path)).toContain('examples/invalid/broken.yml');
  });
});
