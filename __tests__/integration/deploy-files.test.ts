// The deploy action for namespace files, end to end over real HTTP against the emulator.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run } from '../../deploy/main.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runMain, type MainRun } from '../helpers/run-main.js';
import { makeWorkspace } from '../helpers/workspace.js';

const BINARY = Buffer.from([0, 1, 2, 255, 254, 0x50, 0x4b, 3, 4, 10, 13, 0]);
/** The smallest valid zip (an empty archive): the server would extract it if the part were named *.zip. */
const ZIP = Buffer.from('504b0506000000000000000000000000000000000000', 'hex');

const errors = (r: MainRun): string[] =>
  r.annotations.filter((a) => a.level === 'error').map((a) => a.message);

describe.each(['1.2.0', '1.3.19', '2.0.0'])('deploy namespace files to Kestra %s', (version) => {
  let kestra: Emulator;
  beforeEach(async () => {
    kestra = await startEmulator({ version });
  });
  afterEach(() => kestra.close());

  const deploy = (workspace: string, inputs: Record<string, string> = {}) =>
    runMain(
      run,
      {
        resource: 'namespace-files',
        directory: 'files',
        namespace: 'company.team',
        server: kestra.url,
        ...inputs,
      },
      { workspace },
    );

  const tree = () =>
    makeWorkspace({
      'files/.kestraignore': '# not for Kestra\n*.tmp\ndrafts/\n',
      'files/scripts/etl.py': 'print("etl")\n',
      'files/scripts/lib/util.py': 'X = 1\n',
      'files/data/blob.bin': BINARY,
      'files/data/archive.zip': ZIP,
      'files/notes.tmp': 'scratch',
      'files/drafts/wip.py': 'nope',
      'files/.secret/token': 'never uploaded',
    });

  it('uploads the tree with nested folders, exact bytes, a .zip stored as a file, and ignore rules', async () => {
    const ws = tree();
    const r = await deploy(ws);
    expect(r.failed).toBe(false);
    expect(kestra.listFiles('company.team')).toEqual([
      '/data/archive.zip',
      '/data/blob.bin',
      '/scripts/etl.py',
      '/scripts/lib/util.py',
    ]);
    expect(kestra.getFile('company.team', '/data/blob.bin')?.equals(BINARY)).toBe(true);
    expect(kestra.getFile('company.team', '/data/archive.zip')?.equals(ZIP)).toBe(true);
    expect(r.outputs).toMatchObject({ created: '4', updated: '0', unchanged: '0', deleted: '0' });
  });

  it('uploads nothing the second time (no new revisions) and only what changed after an edit', async () => {
    const ws = tree();
    await deploy(ws);
    kestra.clearRequests();
    const again = await deploy(ws);
    expect(again.outputs).toMatchObject({ created: '0', updated: '0', unchanged: '4' });
    expect(kestra.writes()).toEqual([]);
    expect(kestra.fileRevisions('company.team', '/scripts/etl.py')).toBe(1);

    writeFileSync(path.join(ws, 'files/scripts/etl.py'), 'print("etl v2")\n');
    const edited = await deploy(ws);
    expect(edited.outputs).toMatchObject({ updated: '1', unchanged: '3' });
    expect(kestra.getFile('company.team', '/scripts/etl.py')?.toString()).toBe('print("etl v2")\n');
  });

  it('deletes remote files missing locally only with delete, only under `to`, after every upload', async () => {
    kestra.seedFile('company.team', '/app/old.py', 'old');
    kestra.seedFile('company.team', '/elsewhere/keep.py', 'keep');
    const ws = makeWorkspace({ 'files/new.py': 'new', 'files/sub/two.py': 'two' });

    const keep = await deploy(ws, { to: '/app' });
    expect(keep.outputs.deleted).toBe('0');
    expect(kestra.getFile('company.team', '/app/old.py')).toBeDefined();

    kestra.clearRequests();
    const prune = await deploy(ws, { to: '/app', delete: 'true' });
    expect(prune.failed).toBe(false);
    expect(prune.outputs.deleted).toBe('1');
    expect(kestra.getFile('company.team', '/app/old.py')).toBeUndefined();
    expect(kestra.getFile('company.team', '/elsewhere/keep.py')?.toString()).toBe('keep');
    const writes = kestra.writes().map((w) => w.method);
    expect(writes.lastIndexOf('POST')).toBeLessThan(writes.indexOf('DELETE'));
  });

  it('deletes nothing when an upload fails', async () => {
    kestra.seedFile('company.team', '/gone.py', 'old');
    kestra.fault({ method: 'POST', path: /\/files$/, status: 500, count: 100 });
    const r = await deploy(makeWorkspace({ 'files/new.py': 'new' }), { delete: 'true' });
    expect(r.failed).toBe(true);
    expect(kestra.writes().some((w) => w.method === 'DELETE')).toBe(false);
    expect(kestra.getFile('company.team', '/gone.py')).toBeDefined();
  });

  it('refuses a symbolic link that leaves the directory, naming it, and writes nothing; excluded, it is left alone', async () => {
    // Skipping it would let `delete` remove the server's copy of a file the repository still has.
    const outside = makeWorkspace({ 'secret.txt': 'outside' });
    const ws = makeWorkspace({ 'files/in.py': 'in' });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'files/link.txt'));
    const r = await deploy(ws, { delete: 'true' });
    expect(r.failed).toBe(true);
    expect(errors(r)).toEqual([
      expect.stringMatching(
        /^files\/link\.txt resolves to .*secret\.txt, outside the directory files: a symbolic link may not lead out of it\. Remove the link or add it to 'exclude' or \.kestraignore\. \(nothing was written or deleted\)$/,
      ),
    ]);
    expect(kestra.writes()).toEqual([]);

    const excluded = await deploy(ws, { exclude: 'link.txt' });
    expect(excluded.failed).toBe(false);
    expect(kestra.listFiles('company.team')).toEqual(['/in.py']);
  });

  it('refuses files under /_flows and an empty tree with delete, writing nothing', async () => {
    const reserved = await deploy(makeWorkspace({ 'files/_flows/x.yml': 'id: x' }));
    expect(reserved.failed).toBe(true);
    expect(reserved.stdout).toMatch(/_flows/);
    kestra.seedFile('company.team', '/keep.py', 'keep');
    const empty = await deploy(makeWorkspace({ 'files/.kestraignore': '*\n' }), { delete: 'true' });
    expect(empty.failed).toBe(true);
    expect(kestra.writes()).toEqual([]);
    expect(kestra.getFile('company.team', '/keep.py')).toBeDefined();
  });

  it('applies include and exclude on top of .kestraignore; without include every file goes', async () => {
    const ws = makeWorkspace({
      'files/.kestraignore': '*.tmp\n',
      'files/scripts/etl.py': 'etl',
      'files/scripts/lib/util.py': 'util',
      'files/certs/key.pem': 'PRIVATE',
      'files/deep/er/other.pem': 'PRIVATE',
      'files/data/rows.csv': 'a,b',
      'files/notes.tmp': 'scratch',
      'files/flow.yml': 'id: x',
    });
    const r = await deploy(ws, { exclude: '**/*.pem' });
    expect(r.failed).toBe(false);
    expect(kestra.listFiles('company.team')).toEqual([
      '/data/rows.csv',
      '/flow.yml',
      '/scripts/etl.py',
      '/scripts/lib/util.py',
    ]);
    const narrowed = await deploy(ws, {
      namespace: 'company.other',
      include: '**/*.py, **/*.pem',
      exclude: 'scripts/lib\ncerts/',
    });
    expect(narrowed.failed).toBe(false);
    expect(kestra.listFiles('company.other')).toEqual(['/deep/er/other.pem', '/scripts/etl.py']);
  });

  it('with delete, keeps the remote files its filters leave out, and says so in the log, summary and plan', async () => {
    kestra.seedFile('company.team', '/certs/key.pem', 'the server key');
    kestra.seedFile('company.team', '/notes.tmp', 'server scratch');
    kestra.seedFile('company.team', '/data/old.csv', 'not ours');
    kestra.seedFile('company.team', '/scripts/gone.py', 'gone');
    kestra.clearRequests();
    const ws = makeWorkspace({
      'files/.kestraignore': '*.tmp\n',
      'files/scripts/etl.py': 'etl',
      'files/certs/key.pem': 'a local key',
    });
    const inputs = { delete: 'true', include: '**/*.py,**/*.pem,**/*.tmp', exclude: '**/*.pem' };
    const kept = ['/certs/key.pem', '/notes.tmp', '/data/old.csv'];
    const plan = await deploy(ws, { ...inputs, 'dry-run': 'true' });
    expect(JSON.parse(plan.outputs.plan as string)).toEqual({
      'company.team': {
        create: ['/scripts/etl.py'],
        update: [],
        unchanged: [],
        delete: ['/scripts/gone.py'],
        kept,
      },
    });
    expect(kestra.writes()).toEqual([]);

    const r = await deploy(ws, inputs);
    expect(r.failed).toBe(false);
    expect(kestra.listFiles('company.team')).toEqual([
      '/certs/key.pem',
      '/data/old.csv',
      '/notes.tmp',
      '/scripts/etl.py',
    ]);
    expect(kestra.getFile('company.team', '/certs/key.pem')?.toString()).toBe('the server key');
    expect(JSON.parse(r.outputs.plan as string)['company.team'].kept).toEqual(kept);
    for (const line of [
      "company.team: kept, excluded by 'exclude', so not deleted: /certs/key.pem",
      'company.team: kept, excluded by .kestraignore, so not deleted: /notes.tmp',
      "company.team: kept, not matched by 'include', so not deleted: /data/old.csv",
    ]) {
      expect(r.stdout).toContain(`Note: ${line}`);
      expect(r.summary).toContain(line);
    }
  });

  it('refuses two files that land on one stored path where a space is stored as +, and warns for a spaced `to`', async () => {
    const plusForSpace = version !== '2.0.0';
    const ws = makeWorkspace({ 'files/x y.txt': 'space', 'files/x+y.txt': 'plus', 'files/ok.txt': 'ok' });
    const r = await deploy(ws);
    if (plusForSpace) {
      expect(r.failed).toBe(true);
      expect(errors(r)).toEqual([
        `Kestra ${version} stores a space in a file path as '+', so these files would overwrite each other on the server: files/x y.txt and files/x+y.txt (/x+y.txt). Rename one of each; nothing was written.`,
      ]);
      expect(kestra.writes()).toEqual([]);
    } else {
      expect(r.failed).toBe(false);
      expect(kestra.listFiles('company.team')).toEqual(['/ok.txt', '/x y.txt', '/x+y.txt']);
    }

    const spaced = await deploy(makeWorkspace({ 'files/a.txt': 'a' }), { to: '/my dir' });
    expect(spaced.failed).toBe(false);
    const warnings = spaced.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toEqual(
      plusForSpace
        ? [`Kestra ${version} stores a space in a file path as '+' (fixed in 2.0): 'to' (/my dir/)`]
        : [],
    );
  });

  it('says nothing about the flow format when it deploys files', async () => {
    const r = await deploy(makeWorkspace({ 'files/a.txt': 'a' }));
    expect(r.failed).toBe(false);
    expect(r.stdout).toMatch(new RegExp(`^Kestra ${version.replace(/\./g, '\\.')} \\(OSS\\) at http`, 'm'));
    expect(r.stdout).not.toMatch(/flows sent as/);
  });

  it('takes `directory` as the real path of a workspace reached through a symbolic link, and refuses one outside', async () => {
    const real = makeWorkspace({ 'files/a.py': 'a' });
    const link = path.join(makeWorkspace({}), 'checkout');
    symlinkSync(real, link);
    const r = await runMain(
      run,
      {
        resource: 'namespace-files',
        directory: path.join(real, 'files'),
        namespace: 'company.team',
        server: kestra.url,
      },
      { workspace: link },
    );
    expect(r.failed).toBe(false);
    expect(JSON.parse(r.outputs.results as string)).toEqual([
      { file: 'files/a.py', namespace: 'company.team', path: '/a.py', action: 'created' },
    ]);

    const outside = await deploy(real, { directory: '../' });
    expect(outside.failed).toBe(true);
    expect(errors(outside)[0]).toMatch(/^directory '\.\.\/' is outside the workspace/);
    expect(kestra.listFiles('company.team')).toEqual(['/a.py']);
  });

  it('requires a namespace for namespace files, refused before any request', async () => {
    const r = await deploy(makeWorkspace({ 'files/a.py': 'a' }), { namespace: '' });
    expect(r.failed).toBe(true);
    expect(r.stdout).toMatch(/'namespace' is required/);
    expect(kestra.requests).toEqual([]);
  });
});

describe('deploy namespace files to a Kestra whose /configs gives no version', () => {
  let kestra: Emulator;
  beforeEach(async () => {
    kestra = await startEmulator({ version: '1.3.19', configsWithoutVersion: true });
  });
  afterEach(() => kestra.close());

  const deploy = (inputs: Record<string, string>) =>
    runMain(
      run,
      {
        resource: 'namespace-files',
        directory: 'files',
        namespace: 'company.team',
        server: kestra.url,
        ...inputs,
      },
      { workspace: makeWorkspace({ 'files/a b.txt': 'a', 'files/c.txt': 'c' }) },
    );

  it("refuses a path with a space when 'delete' is true: the stored spelling is unknown", async () => {
    kestra.seedFile('company.team', '/old.txt', 'old');
    const r = await deploy({ delete: 'true' });
    expect(r.failed).toBe(true);
    expect(errors(r)).toEqual([
      expect.stringMatching(/does not say its version.*Nothing was written or deleted\.$/),
    ]);
    expect(kestra.writes()).toEqual([]);
    expect(kestra.getFile('company.team', '/old.txt')).toBeDefined();
  });

  it("uploads them without 'delete'", async () => {
    const r = await deploy({});
    expect(r.failed).toBe(false);
    expect(r.outputs.created).toBe('2');
  });
});
