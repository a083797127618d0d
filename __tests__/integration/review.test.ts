// The deploy action's reviewable plan, end to end over real HTTP against the emulator: a dry-run's job
// summary shows each update's diff, the `plan-file` output names a JSON file with every change and its whole
// diff, a secret the server echoes is hidden in both, and `max-deletes` refuses before any write.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { run } from '../../deploy/main.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import type { PlannedChange } from '../../src/model/results.js';
import { repoRoot } from '../../scripts/action-runner.js';
import { startFakeGitHub } from '../pr-comment/github-server.js';
import { runMain } from '../helpers/run-main.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

const credentials = { username: 'ci@kestra.io', password: 'Secret-pass1' };

describe('the deploy action, reviewable plans', () => {
  let kestra: Emulator;
  beforeEach(async () => {
    kestra = await startEmulator({ version: '1.3.19', basicAuth: credentials });
  });
  afterEach(() => kestra.close());

  const deploy = (workspace: string, inputs: Record<string, string> = {}) =>
    runMain(
      run,
      {
        directory: 'flows',
        server: kestra.url,
        user: credentials.username,
        password: credentials.password,
        ...inputs,
      },
      { workspace },
    );

  it('shows the diffs in the summary and writes every change to the plan-file output', async () => {
    // The server's copy holds the password (a flow that once had it inline): it must not be shown.
    kestra.seedFlow(flow('team', 'a', `# old: ${credentials.password}\n`));
    kestra.seedFlow(flow('team', 'gone'));
    const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a'), 'flows/b.yml': flow('team', 'b') });
    const r = await deploy(ws, { 'dry-run': 'true', delete: 'true' });
    expect(r.failed).toBe(false);
    expect(r.summary).toContain('What the deploy would change');
    expect(r.summary).toContain('<details><summary>~ <code>team.a</code> +0 −1</summary>');
    expect(r.summary).toContain('```diff\n--- server/team.a\n+++ git/team.a\n');
    expect(r.summary).toContain('-# old: ***');
    expect(r.summary).toContain('- − <code>team.gone</code> (revision 1), from <code>delete: true</code>');
    expect(r.summary).not.toContain(credentials.password);

    const file = r.outputs['plan-file'] as string;
    expect(r.stdout).toContain(
      `Diffs of the updates (1): in the job summary; the whole plan: ${file} (the plan-file output)`,
    );
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(credentials.password);
    const plan = JSON.parse(text) as { resource: string; dryRun: boolean; changes: PlannedChange[] };
    expect(plan).toMatchObject({ resource: 'flows', dryRun: true });
    expect(plan.changes.map((c) => [c.action, c.name])).toEqual([
      ['create', 'b'],
      ['update', 'a'],
      ['delete', 'gone'],
    ]);
    expect(plan.changes[1]?.diff).toMatch(/^--- server\/team\.a\n\+\+\+ git\/team\.a\n@@ .* @@\n/);
    expect(kestra.writes()).toEqual([]);
  });

  it('puts the diffs in the pull-request comment, secrets hidden', async () => {
    const event = JSON.parse(
      readFileSync(path.join(repoRoot, '__tests__/fixtures/github/pull_request.json'), 'utf8'),
    ) as { number: number; repository: { full_name: string } };
    const [owner, repo] = event.repository.full_name.split('/') as [string, string];
    const github = await startFakeGitHub({ token: 'ghs_testtoken' });
    try {
      const eventFile = path.join(mkdtempSync(path.join(tmpdir(), 'kestra-event-')), 'event.json');
      writeFileSync(eventFile, JSON.stringify(event));
      kestra.seedFlow(flow('team', 'a', `# old: ${credentials.password}\n`));
      const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a', '# new\n') });
      const r = await runMain(
        run,
        {
          directory: 'flows',
          server: kestra.url,
          user: credentials.username,
          password: credentials.password,
          'dry-run': 'true',
          comment: 'true',
          'github-token': 'ghs_testtoken',
        },
        {
          workspace: ws,
          env: {
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: eventFile,
            GITHUB_REPOSITORY: event.repository.full_name,
            GITHUB_API_URL: github.url,
          },
        },
      );
      expect(r.failed).toBe(false);
      const [body] = github.comments(owner, repo, event.number).map((c) => c.body);
      expect(body).toContain('**What the deploy would change**');
      expect(body).toContain('<details><summary>~ <code>team.a</code> +1 −1</summary>');
      expect(body).toContain('```diff\n--- server/team.a\n+++ git/team.a\n');
      expect(body).toContain('\n-# old: ***\n+# new\n');
      expect(body).not.toContain(credentials.password);
    } finally {
      await github.close();
    }
  });

  it('sets no plan-file on a real deploy', async () => {
    const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a') });
    const r = await deploy(ws);
    expect(r.failed).toBe(false);
    expect(r.outputs['plan-file']).toBeUndefined();
  });

  it('refuses with max-deletes, nothing written, and refuses an empty or malformed value by name', async () => {
    kestra.seedFlow(flow('team', 'x'));
    kestra.seedFlow(flow('team', 'y'));
    const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a') });
    kestra.requests.length = 0;
    const r = await deploy(ws, { delete: 'true', 'max-deletes': '1' });
    expect(r.failed).toBe(true);
    expect(r.stdout).toContain(
      "this deploy would delete 2 flows (team.x, team.y), more than 'max-deletes' allows (1)",
    );
    expect(kestra.writes()).toEqual([]);
    for (const [value, message] of [
      ['', "Input 'max-deletes' is empty"],
      ['many', `'max-deletes' must be a whole number of deletions (0 or more) or 'unlimited', got "many"`],
    ] as const) {
      kestra.requests.length = 0;
      const bad = await deploy(ws, { delete: 'true', 'max-deletes': value });
      expect(bad.failed).toBe(true);
      expect(bad.stdout).toContain(message);
      expect(kestra.requests).toEqual([]);
    }
    expect(kestra.getFlow('team', 'x')).toBeDefined();
  });
});
