// What a run leaves besides its log: --codequality, --junit and --sarif files, and in a GitLab merge request
// pipeline one sticky note per job, written over real HTTP to a small stand-in of GitLab's notes API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { repoRoot } from '../../scripts/action-runner.js';
import { runCli } from '../../scripts/cli-runner.js';

interface Note {
  id: number;
  body: string;
}
interface Call {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body?: string;
}

/** GitLab's merge request notes: list, create, update; `status` answers every request instead. */
async function startFakeGitLab(): Promise<{
  url: string;
  notes: Note[];
  calls: Call[];
  status?: number;
  close(): Promise<void>;
}> {
  const state = { notes: [] as Note[], calls: [] as Call[], status: undefined as number | undefined };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      state.calls.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
      const answer = (status: number, data: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
      };
      if (state.status) return answer(state.status, { message: 'refused' });
      const m = /^\/api\/v4\/projects\/42\/merge_requests\/7\/notes(?:\/(\d+))?$/.exec(url.pathname);
      if (!m) return answer(404, { message: '404 Not found' });
      if (req.method === 'GET') return answer(200, state.notes);
      const text = (JSON.parse(body) as { body: string }).body;
      if (req.method === 'POST') {
        const note = { id: state.notes.length + 1, body: text };
        state.notes.push(note);
        return answer(201, note);
      }
      const note = state.notes.find((n) => n.id === Number(m[1]));
      if (req.method === 'PUT' && note) {
        note.body = text;
        return answer(200, note);
      }
      return answer(404, { message: '404 Not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

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
  let gitlab: Awaited<ReturnType<typeof startFakeGitLab>>;
  beforeAll(async () => {
    gitlab = await startFakeGitLab();
  });
  afterAll(() => gitlab.close());
  beforeEach(() => {
    gitlab.calls.length = 0;
    gitlab.status = undefined;
  });
  const pipeline = (): Record<string, string> => ({
    GITLAB_CI: 'true',
    CI_MERGE_REQUEST_IID: '7',
    CI_PROJECT_ID: '42',
    CI_API_V4_URL: `${gitlab.url}/api/v4`,
  });

  it('is posted once per job and updated in place on the next run', async () => {
    const env = { ...pipeline(), GITLAB_TOKEN: 'glpat-secret-token-1' };
    const first = await runCli(['validate', 'examples', '--server', kestra.url], { env });
    expect(first.code).toBe(1);
    expect(gitlab.notes).toHaveLength(1);
    const note = gitlab.notes[0] as Note;
    expect(note.body).toMatch(
      /^<!-- kestra-actions:validate:[0-9a-f]{16} -->\n### ❌ Kestra validation failed/,
    );
    expect(note.body).toContain('company.team.broken');
    expect(JSON.stringify(gitlab.calls[0]?.headers)).toContain('glpat-secret-token-1');
    expect(first.stdout + first.stderr).not.toContain('glpat-secret-token-1');

    const again = await runCli(['validate', 'examples', '--server', kestra.url], { env });
    expect(again.code).toBe(1);
    expect(gitlab.notes).toHaveLength(1);
    expect(gitlab.calls.some((c) => c.method === 'PUT')).toBe(true);

    // Another job (another directory, or a deploy) keeps its own note.
    await runCli(
      [
        'deploy',
        'examples/flows',
        '--server',
        kestra.url,
        '--dry-run',
        '--gitlab-token',
        'glpat-secret-token-1',
      ],
      {
        env: pipeline(),
      },
    );
    expect(gitlab.notes).toHaveLength(2);
    expect(gitlab.notes[1]?.body).toMatch(
      /^<!-- kestra-actions:deploy:[0-9a-f]{16} -->\n### 📝 Kestra deploy plan \(dry-run\)/,
    );
  });

  it('is left out without a token, and outside a merge request', async () => {
    const noToken = await runCli(['validate', 'examples/flows'], { env: pipeline() });
    expect(noToken.stderr).toContain('No GITLAB_TOKEN (or --gitlab-token): no merge request note.');
    const noMergeRequest = await runCli(['validate', 'examples/flows'], {
      env: { GITLAB_CI: 'true', GITLAB_TOKEN: 'glpat-secret-token-1' },
    });
    expect(noMergeRequest.code).toBe(0);
    expect(gitlab.calls).toEqual([]);
  });

  it('a note GitLab refuses is a warning: the exit code stays the run’s', async () => {
    gitlab.status = 403;
    const r = await runCli(['validate', 'examples/flows'], {
      env: { ...pipeline(), GITLAB_TOKEN: 'glpat-secret-token-1' },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: .*merge request note/im);
    expect(gitlab.calls.length).toBeGreaterThan(0);
  });

  it('names what is missing when the pipeline variables are not all there', async () => {
    const r = await runCli(['validate', 'examples/flows'], {
      env: { CI_MERGE_REQUEST_IID: '7', GITLAB_TOKEN: 'glpat-secret-token-1' },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: CI_API_V4_URL or CI_PROJECT_ID is not set: no merge request note.');
  });
});
