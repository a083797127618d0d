// The actions with `comment: true` on a pull request: one sticky comment per step, updated in place,
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
import { flow, makeWorkspace } from '../helpers/workspace.js';

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
    const ws = makeWorkspace({
      'flows/a.yml': flow('company.team', 'a').replace('core.log.Log', 'core.log.Logg'),
      'flows/b.yml': flow('company.team', 'b'),
    });
    const first = await runMain(validate, inputs({ directory: 'flows' }), { env, workspace: ws });
    expect(first.failed).toBe(true);
    expect(bodies()).toHaveLength(1);
    expect(bodies()[0]).toContain('kestra-actions:validate');
    expect(bodies()[0]).toContain('Invalid type: io.kestra.plugin.core.log.Logg');

    // The same step after a fix: its own comment, edited.
    writeFileSync(path.join(ws, 'flows/a.yml'), flow('company.team', 'a'));
    await runMain(validate, inputs({ directory: 'flows' }), { env, workspace: ws });
    expect(bodies()).toHaveLength(1);
    expect(bodies()[0]).not.toContain('Logg');

    const plan = await runMain(deploy, inputs({ directory: 'flows', 'dry-run': 'true' }), {
      env,
      workspace: ws,
    });
    expect(plan.failed).toBe(false);
    expect(bodies()).toHaveLength(2);
    expect(bodies()[1]).toContain('kestra-actions:deploy');
    expect(bodies()[1]).toContain('company.team');
  });

  /** A pull request of its own (so each test counts only its comments): the env to run on it. */
  let nextPull = 100;
  const onNewPull = (): { env: Record<string, string>; comments: () => { id: number; body: string }[] } => {
    const number = nextPull++;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kestra-event-')), 'event.json');
    writeFileSync(file, JSON.stringify({ ...event, number, pull_request: { number } }));
    return {
      env: { ...env, GITHUB_EVENT_PATH: file },
      comments: () => github.comments(owner, repo, number).map(({ id, body }) => ({ id, body })),
    };
  };

  it('keeps one comment per step: a flows and a namespace-files deploy get one each; a re-run updates its own', async () => {
    const pull = onNewPull();
    const ws = makeWorkspace({ 'flows/a.yml': flow('company.team', 'a'), 'files/etl.py': 'print(1)\n' });
    const flows = inputs({ directory: 'flows', 'dry-run': 'true' });
    const files = inputs({
      resource: 'namespace-files',
      directory: 'files',
      namespace: 'company.team',
      'dry-run': 'true',
    });
    await runMain(deploy, flows, { env: pull.env, workspace: ws });
    await runMain(deploy, files, { env: pull.env, workspace: ws });
    const [flowComment, fileComment] = pull.comments();
    expect(pull.comments()).toHaveLength(2);
    expect(flowComment?.body).toContain('plan (dry-run): flows');
    expect(fileComment?.body).toContain('plan (dry-run): namespace files');

    // A push adds a file; both steps run again and each edits its own comment.
    writeFileSync(path.join(ws, 'files/new.py'), 'print(2)\n');
    await runMain(deploy, flows, { env: pull.env, workspace: ws });
    await runMain(deploy, files, { env: pull.env, workspace: ws });
    const after = pull.comments();
    expect(after.map((c) => c.id)).toEqual([flowComment?.id, fileComment?.id]);
    expect(after[0]?.body).toContain('plan (dry-run): flows');
    expect(after[1]?.body).toContain('new.py');
  });

  it('keeps one comment per environment of a dev/prod matrix', async () => {
    const pull = onNewPull();
    const ws = makeWorkspace({ 'flows/a.yml': flow('company.team', 'a') });
    const step = (env: string) =>
      inputs({
        directory: 'flows',
        namespace: `${env}.company.team`,
        'override-namespace': 'true',
        'dry-run': 'true',
      });
    for (const run of ['dev', 'prod', 'dev', 'prod'])
      await runMain(deploy, step(run), { env: pull.env, workspace: ws });
    const comments = pull.comments();
    expect(comments).toHaveLength(2);
    expect(comments[0]?.body).toContain('dev.company.team');
    expect(comments[1]?.body).toContain('prod.company.team');
  });

  it("with a 1.x server, validate's comment and deploy's plan end with what each flow must change for Kestra 2.0", async () => {
    const pull = onNewPull();
    const old = flow('company.team', 'a').replace(
      'tasks:',
      'pluginDefaults:\n  - type: io.kestra.plugin.core.log.Log\n    values: { level: INFO }\ntasks:',
    );
    const ws = makeWorkspace({ 'flows/a.yml': old, 'flows/b.yml': flow('company.team', 'b') });
    const r = await runMain(validate, inputs({ directory: 'flows' }), { env: pull.env, workspace: ws });
    expect(r.failed).toBe(false);
    const body = pull.comments()[0]?.body ?? '';
    const table = body.indexOf('**Ready for Kestra 2.0?**');
    expect(table).toBeGreaterThan(0);
    expect(body.slice(table)).toMatch(
      /Not yet: 1 flow uses what Kestra 2\.0 removed \(1 change to make\)\.\n\n\| Flow \| What to change \|\n\| --- \| --- \|\n\| <code>company\.team\.a<\/code><br><code>flows\/a\.yml<\/code> \| 'pluginDefaults' → inline values .* \(line 4\) \|\n$/,
    );

    // The deploy's plan comment ends with the same table, after the plan.
    const d = await runMain(deploy, inputs({ directory: 'flows', 'dry-run': 'true' }), {
      env: pull.env,
      workspace: ws,
    });
    expect(d.failed).toBe(false);
    const plan = pull.comments()[1]?.body ?? '';
    expect(plan).toMatch(/^<!-- kestra-actions:deploy:/);
    expect(plan.indexOf('**Ready for Kestra 2.0?**')).toBeGreaterThan(
      plan.indexOf('company.team</code> <code>a'),
    );
    expect(plan).toMatch(/\(line 4\) \|\n$/);
  });

  it('names the comment with comment-id: the same id is the same comment whatever the inputs, never across actions', async () => {
    const pull = onNewPull();
    const ws = makeWorkspace({
      'one/a.yml': flow('company.team', 'a'),
      'two/b.yml': flow('company.team', 'b'),
    });
    const run = (action: typeof deploy, extra: Record<string, string>) =>
      runMain(action, inputs({ 'dry-run': 'true', ...extra }), { env: pull.env, workspace: ws });
    await run(deploy, { directory: 'one', 'comment-id': 'plan' });
    await run(deploy, { directory: 'two', 'comment-id': 'plan' });
    expect(pull.comments()).toHaveLength(1);
    expect(pull.comments()[0]?.body).toContain('<!-- kestra-actions:deploy:id=plan -->');
    expect(pull.comments()[0]?.body).toContain('company.team</code> <code>b');

    await run(deploy, { directory: 'two', 'comment-id': 'other' });
    await run(validate, { directory: 'two', 'comment-id': 'plan' });
    expect(pull.comments().map((c) => /<!-- (.*?) -->/.exec(c.body)?.[1])).toEqual([
      'kestra-actions:deploy:id=plan',
      'kestra-actions:deploy:id=other',
      'kestra-actions:validate:id=plan',
    ]);
  });

  it('a dry-run speaks of what it will do in the log, the summary and the comment; a deploy of what it did', async () => {
    const pull = onNewPull();
    kestra.seedFlow(flow('tense.team', 'changed', '# old\n'));
    kestra.seedFlow(flow('tense.team', 'same').trim()); // as a bulk write stores it: the same file is a no-op
    kestra.seedFlow(flow('tense.team', 'gone'));
    const ws = makeWorkspace({
      'flows/new.yml': flow('tense.team', 'new'),
      'flows/changed.yml': flow('tense.team', 'changed'),
      'flows/same.yml': flow('tense.team', 'same'),
    });
    const step = (dryRun: string) =>
      runMain(deploy, inputs({ directory: 'flows', delete: 'true', 'dry-run': dryRun }), {
        env: pull.env,
        workspace: ws,
      });
    const past = /\b(created|updated|deleted)\b/;

    const plan = await step('true');
    const logged = plan.stdout.split('\n').filter((l) => /^[+~=-] /.test(l));
    expect(logged).toEqual([
      '+ will create new  (flows/new.yml)',
      '~ will update changed  (flows/changed.yml)',
      '= unchanged   same  (flows/same.yml)',
      '- will delete gone',
    ]);
    expect(plan.summary).toContain(
      '<th>will create</th><th>will update</th><th>unchanged</th><th>will delete</th>',
    );
    expect(plan.summary).toContain('- + will create <code>tense.team</code> new');
    const comment = pull.comments()[0]?.body ?? '';
    expect(comment).toContain('| Namespace | Status | will create | will update | unchanged | will delete |');
    expect(comment).toContain('- `- will delete` <code>tense.team</code> <code>gone</code>');
    for (const text of [logged.join('\n'), plan.summary, comment]) expect(text).not.toMatch(past);

    const done = await step('false');
    expect(done.stdout).toContain('+ created   new  (flows/new.yml)');
    expect(done.stdout).toContain('- deleted   gone');
    expect(done.summary).toContain('<th>created</th><th>updated</th><th>unchanged</th><th>deleted</th>');
    expect(pull.comments()[0]?.body).toContain('- `~ updated` <code>tense.team</code> <code>changed</code>');
    expect(`${done.stdout}${done.summary}${pull.comments()[0]?.body}`).not.toMatch(
      /will (create|update|delete)/,
    );
  });

  it('refuses a comment-id too long to be a name, before any request', async () => {
    const pull = onNewPull();
    kestra.clearRequests();
    const r = await runMain(deploy, inputs({ directory: 'flows', 'comment-id': 'x'.repeat(101) }), {
      env: pull.env,
    });
    expect(r.failed).toBe(true);
    expect(r.annotations.map((a) => a.message)).toEqual([
      "'comment-id' is 101 characters long: keep it under 100, e.g. 'flows-prod'",
    ]);
    expect(kestra.requests).toEqual([]);
    expect(pull.comments()).toEqual([]);
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
    const pull = onNewPull();
    const r = await runMain(validate, inputs({ directory: 'examples/flows' }), { env: pull.env });
    expect(r.failed).toBe(true);
    const comment = pull.comments()[0]?.body ?? '';
    expect(comment).toContain('Illegal state: seen credentials');
    for (const text of [comment, r.summary]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(basic);
    }
  });
});
