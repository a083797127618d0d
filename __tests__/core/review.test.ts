// Reviewable plans in the core, over real HTTP against the emulator: a dry-run's changes carry the diff of
// each updated flow or text file as Kestra will store it, the size change of a binary file, and deletions
// with their revision; `max-deletes` refuses a deploy that would delete more, before any write.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { DeployError } from '../../src/core/deploy-error.js';
import { deploy } from '../../src/core/pipeline.js';
import { asStored, MAX_DIFF_BYTES } from '../../src/core/plan/changes.js';
import { changesMarkdown, SUMMARY_DIFF_CAPS } from '../../src/render/changes.js';
import type { KestraClient, Logger } from '../../src/kestra/api.js';
import { connect } from '../../src/kestra/connect.js';
import type { DeployReport } from '../../src/model/results.js';
import type { DeploySettings } from '../../src/model/settings.js';
import { parseMaxDeletes } from '../../src/model/settings-checks.js';
import { deploySettings } from '../helpers/settings.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

const log: Logger = { info: () => undefined, warning: () => undefined, debug: () => undefined };

describe('reviewable plans', () => {
  let kestra: Emulator;
  let client: KestraClient;
  beforeEach(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
    client = await connect({ server: kestra.url });
  });
  afterEach(async () => {
    await client.close();
    await kestra.close();
  });

  const settings = (workspace: string, more: Partial<DeploySettings> = {}): DeploySettings =>
    deploySettings(workspace, { server: kestra.url }, { dryRun: true, ...more });

  async function report(s: DeploySettings): Promise<DeployReport> {
    const outcome = await deploy(s, client, log);
    if (outcome.status !== 'reported') throw new Error(`expected a report, got ${outcome.status}`);
    return outcome.report;
  }

  it('gives each updated flow the diff of the source Kestra will store, deletions their revision', async () => {
    kestra.seedFlow(flow('team', 'a'));
    kestra.seedFlow(flow('team', 'same'));
    kestra.seedFlow(flow('team', 'gone'));
    const ws = makeWorkspace({
      'flows/a.yml': flow('team', 'a').replace('hi from a', 'hello from a'),
      'flows/same.yml': flow('team', 'same'),
      'flows/new.yml': flow('team', 'new'),
    });
    const r = await report(settings(ws, { delete: true, readOnly: true }));
    const byName = new Map(r.changes?.map((c) => [c.name, c]));
    expect([...byName.keys()].sort()).toEqual(['a', 'gone', 'new', 'same']);
    expect(byName.get('new')).toMatchObject({ action: 'create', file: 'flows/new.yml' });
    expect(byName.get('gone')).toMatchObject({ action: 'delete', revision: 1, reason: 'delete: true' });
    const a = byName.get('a');
    expect(a).toMatchObject({ action: 'update', revision: 1, file: 'flows/a.yml' });
    expect(a?.diff).toMatch(/^--- server\/team\.a\n\+\+\+ git\/team\.a\n@@ /);
    expect(a?.diff).toContain('\n-    message: hi from a\n+    message: hello from a\n');
    // The read-only label is part of what Kestra will store, so part of the diff.
    expect(a?.diff).toMatch(/\n\+.*system\.readOnly/);
    expect(kestra.writes()).toEqual([]);
  });

  it('diffs a flow as Kestra stores it: no final-newline, line-end or revision-line noise', async () => {
    const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a') });
    await report(settings(ws, { dryRun: false }));
    const crlf = makeWorkspace({
      'flows/a.yml': flow('team', 'a').replace('hi from a', 'hello').replace(/\n/g, '\r\n'),
    });
    const diff = (await report(settings(crlf))).changes?.[0]?.diff ?? '';
    expect(diff).toContain('\n-    message: hi from a\n+    message: hello\n');
    expect(diff).not.toContain('No newline');
    expect(diff).not.toContain('\r');
    expect(asStored('id: a\nrevision: 3\nx: 1', 'id: a\nx: 2\n')).toEqual(['id: a\nx: 1\n', 'id: a\nx: 2\n']);
    expect(asStored('revision: 3\nx: 1', 'revision: 4\nx: 1\n')).toEqual([
      'revision: 3\nx: 1\n',
      'revision: 4\nx: 1\n',
    ]);
  });

  it('says so when only line endings differ, which Kestra stores as a new revision', async () => {
    const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a') });
    await report(settings(ws, { dryRun: false }));
    const crlf = makeWorkspace({ 'flows/a.yml': flow('team', 'a').replace(/\n/g, '\r\n') });
    const change = (await report(settings(crlf))).changes?.[0];
    expect(change).toMatchObject({ action: 'update', diff: '' });
    const md = changesMarkdown([change!], SUMMARY_DIFF_CAPS, 'the plan file');
    expect(md).toContain('only line endings or whitespace at the ends differ');
  });

  it('diffs a changed text file, and gives a binary file its size change only', async () => {
    kestra.seedFile('team', '/a.txt', 'one\ntwo\n');
    kestra.seedFile('team', '/b.bin', Buffer.from([0, 1, 2, 3]));
    const ws = makeWorkspace({ 'flows/a.txt': 'one\nTWO\n', 'flows/b.bin': Buffer.from([0, 1, 2, 4]) });
    const r = await report(settings(ws, { resource: 'namespace-files', namespace: 'team' }));
    const byName = new Map(r.changes?.map((c) => [c.name, c]));
    expect(byName.get('/a.txt')).toMatchObject({
      action: 'update',
      added: 1,
      removed: 1,
      diff: '--- server/team/a.txt\n+++ git/team/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n',
    });
    expect(byName.get('/b.bin')).toMatchObject({ action: 'update', size: { before: 4, after: 4 } });
    expect(byName.get('/b.bin')?.diff).toBeUndefined();
    expect(kestra.writes()).toEqual([]);
  });

  it('diffs a file whose path holds a space on Kestra 1.3 (stored with +), and sizes a large one', async () => {
    const big = (c: string): string => `${c.repeat(MAX_DIFF_BYTES)}\n`;
    kestra.seedFile('team', '/x+y.txt', 'old\n');
    kestra.seedFile('team', '/big.txt', big('a'));
    const ws = makeWorkspace({ 'flows/x y.txt': 'new\n', 'flows/big.txt': big('b') });
    const r = await report(settings(ws, { resource: 'namespace-files', namespace: 'team' }));
    const byName = new Map(r.changes?.map((c) => [c.name, c]));
    expect(byName.get('/x y.txt')?.diff).toContain('\n-old\n+new\n');
    expect(byName.get('/big.txt')).toMatchObject({
      large: true,
      size: { before: MAX_DIFF_BYTES + 1, after: MAX_DIFF_BYTES + 1 },
    });
    expect(byName.get('/big.txt')?.diff).toBeUndefined();
  });

  it('refuses a deploy that would delete more than max-deletes, with nothing written', async () => {
    for (const id of ['x', 'y', 'z']) kestra.seedFlow(flow('team', id));
    kestra.seedFlow(flow('other', 'w'));
    const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a'), 'flows/b.yml': flow('other', 'b') });
    kestra.requests.length = 0;
    const refused = deploy(settings(ws, { delete: true, dryRun: false, maxDeletes: 3 }), client, log);
    await expect(refused).rejects.toBeInstanceOf(DeployError);
    await expect(refused).rejects.toThrow(
      "this deploy would delete 4 flows (other.w, team.x, team.y, team.z), more than 'max-deletes' allows (3): nothing was written or deleted",
    );
    expect(kestra.requests.length).toBeGreaterThan(0);
    expect(kestra.writes()).toEqual([]);
    expect(kestra.getFlow('team', 'x')).toBeDefined();
  });

  it('deploys when the deletions are within max-deletes (0 with nothing to delete)', async () => {
    kestra.seedFlow(flow('team', 'x'));
    const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a') });
    await report(settings(ws, { delete: true, dryRun: false, maxDeletes: 1 }));
    expect(kestra.getFlow('team', 'x')).toBeUndefined();
    await report(settings(ws, { delete: true, dryRun: false, maxDeletes: 0 }));
  });

  it('refuses deleting namespace files past max-deletes, the dry-run too', async () => {
    kestra.seedFile('team', '/old1.txt', '1');
    kestra.seedFile('team', '/old2.txt', '2');
    const ws = makeWorkspace({ 'flows/a.txt': 'a' });
    for (const dryRun of [true, false]) {
      const s = settings(ws, {
        resource: 'namespace-files',
        namespace: 'team',
        delete: true,
        dryRun,
        maxDeletes: 1,
      });
      await expect(deploy(s, client, log)).rejects.toThrow(
        /would delete 2 files \(team:\/old1.txt, team:\/old2.txt\)/,
      );
    }
    expect(kestra.writes()).toEqual([]);
  });
});

describe('the max-deletes setting', () => {
  it('reads a whole number or unlimited, and refuses empty or malformed values by name', () => {
    expect(parseMaxDeletes('max-deletes', '0')).toBe(0);
    expect(parseMaxDeletes('max-deletes', ' 25 ')).toBe(25);
    expect(parseMaxDeletes('max-deletes', 'unlimited')).toBeUndefined();
    expect(parseMaxDeletes('--max-deletes', 'Unlimited')).toBeUndefined();
    expect(() => parseMaxDeletes('max-deletes', '')).toThrow(/^Input 'max-deletes' is empty/);
    for (const bad of ['-1', '1.5', 'ten', '1e3', 'none', '99999999999999999999']) {
      expect(() => parseMaxDeletes('--max-deletes', bad)).toThrow(
        `'--max-deletes' must be a whole number of deletions (0 or more) or 'unlimited', got "${bad}"`,
      );
    }
  });
});
