// The actions with `comment: true` on a pull request: one sticky comment per action, updated in place,
// and never a secret in it. Real HTTP on both sides: the Kestra emulator and a fake of GitHub's REST API.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { run as deploy } from '../../deploy/main.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { repoRoot } from '../../scripts/action-runner.js';
import { run as validate } from '../../validate/main.js';
import { startFakeGitHub, type FakeGitHub } from '../pr-comment/github-server.js';
import { runMain } from '../helpers/run-main.js';

const event = JSON.parse(
  readFileSync(path.join(repoRoot, '__tests__/fixtures/github/pull_request.json'), 'utf8'),
) as { number: number; repository: { full_name: string; name: string; owner: { login: string } } };
const [owner, repo] = event.repository.full_name.split('/') as [string, string];
const USER = 'ci@kestra.io';
const PASSWORD = 'Pr-comment-secret9';
const TOKEN = 'ghs_testtoken';

describe('sticky pull-request comments', () => {
  let kestra: Emulator;
  let github: FakeGitHub;
  let env: Record<string, string>;
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19', basicAuth: { username: USER, password: PASSWORD } });
    github = await startFakeGitHub({ token: TOKEN });
    const eventFile = path.join(mkdtempSync(path.join(tmpdir(), 'kestra-event-')), 'event.json');
    writeFileSync(eventFile, JSON.stringify(event));
    env = {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventFile,
      GITHUB_REPOSITORY: event.repository.full_name,
      GITHUB_API_URL: github.url,
    };
  });
  afterAll(async () => {
    await kestra.close();
    await github.close();
  });

  const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
    server: kestra.url,
    user: USER,
    password: PASSWORD,
    comment: 'true',
    'github-token': TOKEN,
    ...extra,
  });
  const bodies = (): string[] => github.comments(owner, repo, event.number).map((c) => c.body);

  it('validate posts one comment and updates it on the next run; deploy adds its own plan comment', async () => {
    const first = await runMain(validate, inputs({ directory: 'examples' }), { env });
    expect(first.failed).toBe(true);
    expect(bodies()).toHaveLength(1);
    expect(bodies()[0]).toContain('kestra-actions:validate');
    expect(bodies()[0]).toContain('Invalid type: io.kestra.plugin.core.log.Logg');

    await runMain(validate, inputs({ directory: 'examples/flows' }), { env });
    expect(bodies()).toHaveLength(1);
    expect(bodies()[0]).not.toContain('Logg');

    const plan = await runMain(deploy, inputs({ directory: 'examples/flows', 'dry-run': 'true' }), { env });
    expect(plan.failed).toBe(false);
    expect(bodies()).toHaveLength(2);
    expect(bodies()[1]).toContain('kestra-actions:deploy');
    expect(bodies()[1]).toContain('company.team');
  });

  it('never carries a secret, even when the server echoes the credentials in its answers', async () => {
    const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    // A (misbehaving) server that quotes the request's credentials in a validation verdict: GitHub masks
    // secrets in logs, never in comments, so the comment must be scrubbed by the action itself.
    const echo = `Illegal state: seen credentials Basic ${basic} and ${PASSWORD}`;
    kestra.fault({
      method: 'POST',
      path: /\/flows\/validate$/,
      status: 200,
      count: 1,
      body: JSON.stringify([0, 1, 2].map((index) => ({ index, constraints: echo, outdated: false }))),
    });
    const r = await runMain(validate, inputs({ directory: 'examples/flows' }), { env });
    expect(r.failed).toBe(true);
    const comment = bodies()[0] ?? '';
    expect(comment).toContain('Illegal state: seen credentials');
    for (const text of [comment, r.summary]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(basic);
    }
  });
});
