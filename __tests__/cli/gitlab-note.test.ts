// The merge request note over real HTTP: a local server plays GitLab's notes endpoints. One note per job,
// edited in place on a re-run, found again past the first pages; every failure one warning that says what
// to do, and the token in none of them.
import { afterEach, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NOTE_LIMIT, upsertMergeRequestNote } from '../../src/cli/gitlab-note.js';
import { stepMarker } from '../../src/render/marker.js';
import { startFakeGitLab, type FakeGitLab, type FakeGitLabOptions } from './gitlab-server.js';

const TOKEN = 'glpat-testtoken';
const MARKER = stepMarker('validate', { directory: 'flows', include: [], exclude: [] });

let servers: FakeGitLab[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function gitlab(options?: FakeGitLabOptions): Promise<FakeGitLab> {
  const s = await startFakeGitLab(options);
  servers.push(s);
  return s;
}

function logs() {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, warn: (m: string) => warnings.push(m), info: (m: string) => infos.push(m) };
}

type Upsert = Partial<Parameters<typeof upsertMergeRequestNote>[0]>;
async function upsert(gl: { apiUrl: string }, more: Upsert = {}, log = logs()) {
  await upsertMergeRequestNote({
    apiUrl: gl.apiUrl,
    projectId: '42',
    mergeRequestIid: '7',
    token: TOKEN,
    marker: MARKER,
    body: `${MARKER}\n### ✅ 3 flows valid\n`,
    warn: log.warn,
    info: log.info,
    env: {},
    ...more,
  });
  return log;
}

describe('upsertMergeRequestNote', () => {
  it('writes the note once, with the token in PRIVATE-TOKEN and nowhere else', async () => {
    const gl = await gitlab();
    const log = await upsert(gl);
    expect(log.warnings).toEqual([]);
    expect(log.infos).toEqual(['Wrote a note on project 42 merge request !7']);
    expect(gl.notes().map((n) => n.body)).toEqual([`${MARKER}\n### ✅ 3 flows valid\n`]);
    expect(gl.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/v4/projects/42/merge_requests/7/notes?per_page=100&page=1',
      'POST /api/v4/projects/42/merge_requests/7/notes',
    ]);
    for (const call of gl.calls) {
      expect(call.headers['private-token']).toBe(TOKEN);
      expect(call.url).not.toContain(TOKEN);
    }
  });

  it('edits its own note on a re-run, leaving the others alone', async () => {
    const gl = await gitlab();
    gl.seed(['LGTM', `quoting an old run: ${MARKER.replace('kestra', 'kestra-old')}`]);
    await upsert(gl);
    const log = await upsert(gl, { body: `${MARKER}\n### ❌ 1 flow invalid\n` });
    expect(log.infos).toEqual(['Updated the note on project 42 merge request !7']);
    expect(gl.notes().map((n) => n.body)).toEqual([
      'LGTM',
      `quoting an old run: ${MARKER.replace('kestra', 'kestra-old')}`,
      `${MARKER}\n### ❌ 1 flow invalid\n`,
    ]);
    expect(gl.calls.at(-1)?.method).toBe('PUT');
  });

  it('pages through 250 notes to find its own, the oldest, on the last page', async () => {
    const gl = await gitlab();
    await upsert(gl);
    gl.seed(Array.from({ length: 249 }, (_, i) => `review comment ${i}`));
    gl.calls.length = 0;
    await upsert(gl, { body: `${MARKER}\nsecond run\n` });
    expect(
      gl.calls.map((c) => `${c.method} ${new URL(c.url, 'http://x').searchParams.get('page') ?? ''}`),
    ).toEqual(['GET 1', 'GET 2', 'GET 3', 'PUT ']);
    expect(gl.notes()).toHaveLength(250);
    expect(gl.notes()[0]?.body).toBe(`${MARKER}\nsecond run\n`);
  });

  it('keeps one note per step: two steps, two notes, each edited by its own re-run', async () => {
    const gl = await gitlab();
    const dev = stepMarker('deploy', { directory: 'flows', include: [], exclude: [], namespace: 'dev.team' });
    const prod = stepMarker('deploy', {
      directory: 'flows',
      include: [],
      exclude: [],
      namespace: 'prod.team',
    });
    for (const run of [1, 2])
      for (const [name, marker] of [
        ['dev', dev],
        ['prod', prod],
      ] as const)
        await upsert(gl, { marker, body: `${marker}\n${name} run ${run}\n` });
    expect(gl.notes().map((n) => n.body)).toEqual([`${dev}\ndev run 2\n`, `${prod}\nprod run 2\n`]);
  });

  it('puts the marker in a body that lacks it, and cuts a body GitLab would refuse', async () => {
    const gl = await gitlab();
    await upsert(gl, { body: 'no marker here' });
    expect(gl.notes()[0]?.body).toBe(`${MARKER}\nno marker here`);
    const log = await upsert(gl, { body: `${MARKER}\n${'x'.repeat(NOTE_LIMIT + 10)}` });
    expect(log.warnings).toEqual([]);
    expect(gl.notes()).toHaveLength(1);
    expect(gl.notes()[0]?.body.length).toBeLessThanOrEqual(NOTE_LIMIT);
    expect(gl.notes()[0]?.body).toMatch(/cut, see the job log_\n$/);
  });

  it('never takes a system note for its own', async () => {
    const gl = await gitlab();
    gl.seed([`changed the description: ${MARKER}`], { system: true });
    await upsert(gl);
    expect(gl.notes().map((n) => n.system)).toEqual([true, false]);
  });

  describe('failures are one warning each, with what to do, and never the token', () => {
    const noToken = (warnings: string[]) => {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).not.toContain(TOKEN);
      return warnings[0];
    };

    it('401: the token is not valid', async () => {
      const gl = await gitlab({ token: 'glpat-other' });
      const log = await upsert(gl);
      expect(noToken(log.warnings)).toMatch(
        /GitLab answered 401 \(401 Unauthorized\): the token is not valid.*GITLAB_TOKEN/,
      );
      expect(gl.notes()).toEqual([]);
    });

    it('403: a token without the api scope reads, and may not write', async () => {
      const gl = await gitlab({ readOnlyToken: TOKEN, token: 'glpat-other' });
      const log = await upsert(gl);
      expect(noToken(log.warnings)).toMatch(
        /GitLab answered 403 \(insufficient_scope\).*'api' scope and at least the Reporter role/,
      );
    });

    it('404: a project or merge request the token cannot see', async () => {
      const gl = await gitlab();
      expect(noToken((await upsert(gl, { projectId: 'acme/other' })).warnings)).toMatch(
        /404 \(404 Project Not Found\) for project acme\/other merge request !7: check CI_PROJECT_ID/,
      );
      expect(noToken((await upsert(gl, { mergeRequestIid: '8' })).warnings)).toMatch(/404 .* !8/);
    });

    it('the job token: refused for notes, and the warning names the token to use instead', async () => {
      const gl = await gitlab();
      const log = await upsert(gl, { token: 'glcbt-jobtoken', env: { CI_JOB_TOKEN: 'glcbt-jobtoken' } });
      expect(gl.calls[0]?.headers['job-token']).toBe('glcbt-jobtoken');
      expect(gl.calls[0]?.headers['private-token']).toBeUndefined();
      expect(log.warnings).toHaveLength(1);
      expect(log.warnings[0]).toMatch(
        /CI_JOB_TOKEN cannot write merge request notes.*'api' scope.*GITLAB_TOKEN/,
      );
      expect(log.warnings[0]).not.toContain('glcbt-jobtoken');
    });

    it('a server that echoes the token: scrubbed from the warning', async () => {
      const gl = await gitlab({
        fail: { status: 500, body: { message: `bad header PRIVATE-TOKEN: ${TOKEN}` } },
      });
      const message = noToken((await upsert(gl)).warnings);
      expect(message).toContain('GitLab answered 500 (bad header PRIVATE-TOKEN: ***)');
    });

    it('a server that cannot be reached', async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const log = await upsert({ apiUrl: `http://127.0.0.1:${port}/api/v4` });
      expect(noToken(log.warnings)).toMatch(
        /cannot reach http:\/\/127\.0\.0\.1:\d+\/api\/v4: .*ECONNREFUSED.*CI_API_V4_URL/,
      );
    });

    it('a server that never answers: the timeout', async () => {
      const gl = await gitlab({ hang: true });
      const log = await upsert(gl, { timeoutMs: 300 });
      expect(noToken(log.warnings)).toBe(
        `Cannot write the merge request note: ${gl.apiUrl} did not answer within 0.3 s.`,
      );
    });

    it('what is missing before any request: the token, the marker, the merge request', async () => {
      const gl = await gitlab();
      expect((await upsert(gl, { token: '' })).warnings[0]).toMatch(/no token.*GITLAB_TOKEN/);
      expect((await upsert(gl, { marker: ' ' })).warnings[0]).toMatch(/marker is empty/);
      expect((await upsert(gl, { mergeRequestIid: '' })).warnings[0]).toMatch(/CI_MERGE_REQUEST_IID/);
      expect(gl.calls).toEqual([]);
    });
  });
});
