// The sticky comment over real HTTP: a local server plays GitHub's issue-comment endpoints, and the event
// payload is a real `pull_request` webhook body written where GITHUB_EVENT_PATH points.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { upsertPullRequestComment } from '../../src/github/comment.js';
import { COMMENT_LIMIT, validateCommentBody } from '../../src/render/comment.js';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from './github-server.js';
import type { FlowResult } from '../../src/model/results.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(
  readFileSync(path.join(here, '..', 'fixtures', 'github', 'pull_request.json'), 'utf8'),
) as {
  number: number;
  pull_request: { number: number; head: { repo: { full_name: string; owner: { login: string } } } };
  repository: { full_name: string };
};
const PR = fixture.pull_request.number;
const TOKEN = 'ghs_testtoken';
const VALIDATE = '<!-- kestra-actions:validate -->';
const DEPLOY = '<!-- kestra-actions:deploy -->';
const PERMISSION =
  "Cannot comment on the pull request: the token lacks 'pull-requests: write' (add it under permissions:, see the README)";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'kestra-pr-comment-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let servers: FakeGitHub[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function github(options?: FakeGitHubOptions): Promise<FakeGitHub> {
  const s = await startFakeGitHub(options);
  servers.push(s);
  return s;
}

let events = 0;
/** Writes an event payload to a temp file and returns the runner environment that points at it. */
function runnerEnv(
  api: string,
  {
    event = 'pull_request',
    payload = fixture as object,
    repository = fixture.repository.full_name as string | undefined,
  } = {},
): NodeJS.ProcessEnv {
  const file = path.join(tmp, `event-${++events}.json`);
  writeFileSync(file, JSON.stringify(payload));
  const env: NodeJS.ProcessEnv = { GITHUB_EVENT_NAME: event, GITHUB_EVENT_PATH: file, GITHUB_API_URL: api };
  if (repository) env.GITHUB_REPOSITORY = repository;
  return env;
}

function logs() {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, warn: (m: string) => warnings.push(m), info: (m: string) => infos.push(m) };
}

const upsert = (env: NodeJS.ProcessEnv, marker: string, body: string, log = logs(), token = TOKEN) =>
  upsertPullRequestComment({ token, marker, body, env, warn: log.warn, info: log.info });

const withMarker = (s: FakeGitHub, marker: string) =>
  s.comments('acme', 'kestra-flows', PR).filter((c) => c.body.includes(marker));

describe('upsertPullRequestComment', () => {
  it('creates the comment on the first run, with the marker and the token', async () => {
    const gh = await github();
    const log = logs();
    const result = await upsert(runnerEnv(gh.url), VALIDATE, `${VALIDATE}\n### ✅ all good\n`, log);
    expect(result).toBe('created');
    expect(log.warnings).toEqual([]);
    const [c, ...others] = gh.comments('acme', 'kestra-flows', PR);
    expect(others).toEqual([]);
    expect(c?.body).toBe(`${VALIDATE}\n### ✅ all good\n`);
    expect(gh.calls.map((x) => `${x.method} ${x.url.split('?')[0]}`)).toEqual([
      `GET /repos/acme/kestra-flows/issues/${PR}/comments`,
      `POST /repos/acme/kestra-flows/issues/${PR}/comments`,
    ]);
    expect(gh.calls[0]?.url).toContain('per_page=100');
    expect(gh.calls.every((x) => x.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('updates the same comment in place on the second run', async () => {
    const gh = await github();
    const env = runnerEnv(gh.url);
    expect(await upsert(env, VALIDATE, `${VALIDATE}\nfirst`)).toBe('created');
    const id = withMarker(gh, VALIDATE)[0]?.id;
    expect(await upsert(env, VALIDATE, `${VALIDATE}\nsecond`)).toBe('updated');
    expect(withMarker(gh, VALIDATE)).toEqual([expect.objectContaining({ id, body: `${VALIDATE}\nsecond` })]);
    expect(gh.calls.at(-1)).toMatchObject({
      method: 'PATCH',
      url: `/repos/acme/kestra-flows/issues/comments/${id}`,
    });
  });

  it('finds its comment on a later page among other people’s comments and never duplicates it', async () => {
    const gh = await github();
    const env = runnerEnv(gh.url);
    gh.seed(
      'acme',
      'kestra-flows',
      PR,
      Array.from({ length: 130 }, (_, i) => `review note ${i}`),
    );
    expect(await upsert(env, VALIDATE, `${VALIDATE}\nrun 1`)).toBe('created');
    gh.seed(
      'acme',
      'kestra-flows',
      PR,
      Array.from({ length: 120 }, (_, i) => `later note ${i}`),
    );
    // The comment is now number 131 of 251: on page 2 of 3.
    gh.calls.length = 0;
    expect(await upsert(env, VALIDATE, `${VALIDATE}\nrun 2`)).toBe('updated');
    expect(await upsert(env, VALIDATE, `${VALIDATE}\nrun 3`)).toBe('updated');
    expect(withMarker(gh, VALIDATE).map((c) => c.body)).toEqual([`${VALIDATE}\nrun 3`]);
    expect(gh.comments('acme', 'kestra-flows', PR)).toHaveLength(251);
    // It followed the Link header to page 2 and stopped there: page 3 was never needed.
    const pages = gh.calls
      .filter((c) => c.method === 'GET')
      .map((c) => new URL(c.url, gh.url).searchParams.get('page'));
    expect(pages).toEqual([null, '2', null, '2']);
  });

  it('follows the pages to the end before creating, so a comment on the last page is found', async () => {
    const gh = await github();
    const env = runnerEnv(gh.url);
    gh.seed(
      'acme',
      'kestra-flows',
      PR,
      Array.from({ length: 230 }, (_, i) => `note ${i}`),
    );
    gh.seed('acme', 'kestra-flows', PR, [`${VALIDATE}\nfrom an earlier run`]);
    expect(await upsert(env, VALIDATE, `${VALIDATE}\nnow`)).toBe('updated');
    expect(withMarker(gh, VALIDATE).map((c) => c.body)).toEqual([`${VALIDATE}\nnow`]);
    expect(gh.calls.filter((c) => c.method === 'GET')).toHaveLength(3);
  });

  it('keeps one comment per marker: validate and deploy do not overwrite each other', async () => {
    const gh = await github();
    const env = runnerEnv(gh.url);
    expect(await upsert(env, VALIDATE, `${VALIDATE}\nvalidate 1`)).toBe('created');
    expect(await upsert(env, DEPLOY, `${DEPLOY}\ndeploy 1`)).toBe('created');
    expect(await upsert(env, DEPLOY, `${DEPLOY}\ndeploy 2`)).toBe('updated');
    expect(await upsert(env, VALIDATE, `${VALIDATE}\nvalidate 2`)).toBe('updated');
    expect(gh.comments('acme', 'kestra-flows', PR).map((c) => c.body)).toEqual([
      `${VALIDATE}\nvalidate 2`,
      `${DEPLOY}\ndeploy 2`,
    ]);
  });

  it('puts the marker in a body that lacks it, so the next run finds the comment', async () => {
    const gh = await github();
    const env = runnerEnv(gh.url);
    expect(await upsert(env, DEPLOY, 'no marker here')).toBe('created');
    expect(await upsert(env, DEPLOY, 'still none')).toBe('updated');
    expect(gh.comments('acme', 'kestra-flows', PR).map((c) => c.body)).toEqual([`${DEPLOY}\nstill none`]);
  });

  it('works on pull_request_target and reads the environment at call time', async () => {
    const a = await github();
    const b = await github();
    const other = { ...fixture, number: 7, pull_request: { ...fixture.pull_request, number: 7 } };
    expect(await upsert(runnerEnv(a.url, { event: 'pull_request_target' }), DEPLOY, 'a')).toBe('created');
    expect(await upsert(runnerEnv(b.url, { payload: other }), DEPLOY, 'b')).toBe('created');
    expect(a.comments('acme', 'kestra-flows', PR)).toHaveLength(1);
    expect(b.comments('acme', 'kestra-flows', 7)).toHaveLength(1);
    expect(b.comments('acme', 'kestra-flows', PR)).toHaveLength(0);
  });

  it('takes the repository from the payload when GITHUB_REPOSITORY is not set', async () => {
    const gh = await github();
    expect(await upsert(runnerEnv(gh.url, { repository: undefined }), DEPLOY, 'x')).toBe('created');
    expect(gh.comments('acme', 'kestra-flows', PR)).toHaveLength(1);
  });

  it.each(['push', 'workflow_dispatch', 'schedule'])(
    'skips a %s event without any request',
    async (event) => {
      const gh = await github();
      const log = logs();
      expect(await upsert(runnerEnv(gh.url, { event }), VALIDATE, 'x', log)).toBe('skipped');
      expect(gh.calls).toEqual([]);
      expect(log.warnings).toEqual([]);
      expect(log.infos).toEqual([expect.stringContaining(`'${event}'`)]);
    },
  );

  it('skips with one warning and no request when the token is empty', async () => {
    const gh = await github();
    const log = logs();
    expect(await upsert(runnerEnv(gh.url), VALIDATE, 'x', log, '')).toBe('skipped');
    expect(gh.calls).toEqual([]);
    expect(log.warnings).toEqual([
      expect.stringMatching(/^Cannot comment on the pull request: no GitHub token/),
    ]);
  });

  it.each(['writes', 'all'] as const)(
    'answers a 403 on %s (read-only token) with exactly one warning, never a throw',
    async (forbid) => {
      const gh = await github({ forbid });
      const log = logs();
      await expect(upsert(runnerEnv(gh.url), VALIDATE, 'x', log)).resolves.toBe('skipped');
      expect(log.warnings).toEqual([PERMISSION]);
      expect(gh.comments('acme', 'kestra-flows', PR)).toEqual([]);
    },
  );

  it('explains the read-only token of a pull request from a fork', async () => {
    const gh = await github({ forbid: 'writes' });
    const log = logs();
    const head = {
      ...fixture.pull_request.head,
      repo: { ...fixture.pull_request.head.repo, full_name: 'someone/kestra-flows' },
    };
    const payload = { ...fixture, pull_request: { ...fixture.pull_request, head } };
    expect(await upsert(runnerEnv(gh.url, { payload }), VALIDATE, 'x', log)).toBe('skipped');
    expect(log.warnings).toEqual([PERMISSION]);
    expect(log.infos).toEqual([expect.stringContaining('fork')]);
  });

  it('reports any other error once with its status and GitHub’s message', async () => {
    const gh = await github({ fail: { status: 502, message: 'Server Error' } });
    const log = logs();
    expect(await upsert(runnerEnv(gh.url), VALIDATE, 'x', log)).toBe('skipped');
    expect(log.warnings).toEqual(['Cannot comment on the pull request: GitHub answered 502: Server Error']);
  });

  it('does not mistake a rate limit (also a 403) for a missing permission', async () => {
    const gh = await github({
      fail: {
        status: 403,
        message: 'API rate limit exceeded for installation ID 1.',
        headers: { 'x-ratelimit-remaining': '0' },
      },
    });
    const log = logs();
    expect(await upsert(runnerEnv(gh.url), VALIDATE, 'x', log)).toBe('skipped');
    expect(log.warnings).toEqual([
      'Cannot comment on the pull request: GitHub answered 403: API rate limit exceeded for installation ID 1.',
    ]);
  });

  it('reports bad credentials (401) without throwing', async () => {
    const gh = await github();
    const log = logs();
    expect(await upsert(runnerEnv(gh.url), VALIDATE, 'x', log, 'wrong')).toBe('skipped');
    expect(log.warnings).toEqual([
      'Cannot comment on the pull request: GitHub answered 401: Bad credentials',
    ]);
  });

  it('gives up on a server that never answers, with one warning', async () => {
    const gh = await github({ hang: true });
    const log = logs();
    const result = await upsertPullRequestComment({
      token: TOKEN,
      marker: VALIDATE,
      body: 'x',
      env: runnerEnv(gh.url),
      warn: log.warn,
      info: log.info,
      timeoutMs: 300,
    });
    expect(result).toBe('skipped');
    expect(log.warnings).toEqual([expect.stringMatching(/did not answer within 0\.3 s/)]);
  });

  it('warns when GitHub cannot be reached', async () => {
    const gh = await github();
    const url = gh.url;
    await gh.close();
    servers = [];
    const log = logs();
    expect(await upsert(runnerEnv(url), VALIDATE, 'x', log)).toBe('skipped');
    expect(log.warnings).toEqual([expect.stringContaining(`cannot reach ${url}`)]);
  });

  it('warns, without throwing, when the event payload is missing or has no pull request number', async () => {
    const gh = await github();
    const log = logs();
    const env = { ...runnerEnv(gh.url), GITHUB_EVENT_PATH: path.join(tmp, 'nope.json') };
    expect(await upsert(env, VALIDATE, 'x', log)).toBe('skipped');
    expect(await upsert(runnerEnv(gh.url, { payload: { action: 'opened' } }), VALIDATE, 'x', log)).toBe(
      'skipped',
    );
    expect(log.warnings).toEqual([
      expect.stringContaining('cannot read the event payload'),
      expect.stringContaining('has no pull request number'),
    ]);
    expect(gh.calls).toEqual([]);
  });

  it('refuses an empty marker, which would match every comment', async () => {
    const gh = await github();
    gh.seed('acme', 'kestra-flows', PR, ['a human comment']);
    const log = logs();
    expect(await upsert(runnerEnv(gh.url), '', 'x', log)).toBe('skipped');
    expect(log.warnings).toHaveLength(1);
    expect(gh.comments('acme', 'kestra-flows', PR).map((c) => c.body)).toEqual(['a human comment']);
  });

  it('posts the body of 10,000 results, which GitHub accepts (under 65,536 characters)', async () => {
    const gh = await github();
    const results: FlowResult[] = Array.from({ length: 10_000 }, (_, i) => ({
      file: `flows/team-${i % 50}/flow_${i}.yml`,
      line: 1,
      namespace: `company.team${i % 50}`,
      id: `flow_${i}`,
      status: i % 3 === 0 ? 'invalid' : i % 3 === 1 ? 'warning' : 'valid',
      messages: i % 3 === 2 ? [] : [`error: line 4: Invalid type io.kestra.plugin.Nope${i}`],
    }));
    const body = validateCommentBody(
      { valid: false, flows: 10_000, errors: 3334, warnings: 3333, results },
      'server',
      VALIDATE,
    );
    expect(body.length).toBeLessThan(COMMENT_LIMIT);
    const log = logs();
    expect(await upsert(runnerEnv(gh.url), VALIDATE, body, log)).toBe('created');
    expect(log.warnings).toEqual([]);
    expect(gh.comments('acme', 'kestra-flows', PR)[0]?.body).toBe(body);
  });

  it('cuts a body that is over the limit rather than have GitHub refuse it', async () => {
    const gh = await github();
    const log = logs();
    expect(await upsert(runnerEnv(gh.url), VALIDATE, `${VALIDATE}\n${'x'.repeat(100_000)}`, log)).toBe(
      'created',
    );
    const [c] = gh.comments('acme', 'kestra-flows', PR);
    expect(c?.body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(c?.body.startsWith(VALIDATE)).toBe(true);
  });
});
