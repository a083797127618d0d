// The deploy action for namespace files, end to end over real HTTP against the emulator.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run } from '../../deploy/main.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runMain } from '../helpers/run-main.js';
import { makeWorkspace } from '../helpers/workspace.js';

const BINARY = Buffer.from([0, 1, 2, 255, 254, 0x50, 0x4b, 3, 4, 10, 13, 0]);
/** The smallest valid zip (an empty archive): the server would extract it if the part were named *.zip. */
const ZIP = Buffer.from('504b0506000000000000000000000000000000000000', 'hex');

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

  it('skips a symbolic link that leaves the directory, with a warning', async () => {
    const outside = makeWorkspace({ 'secret.txt': 'outside' });
    const ws = makeWorkspace({ 'files/in.py': 'in' });
    symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'files/link.txt'));
    const r = await deploy(ws);
    expect(r.failed).toBe(false);
    expect(kestra.listFiles('company.team')).toEqual(['/in.py']);
    expect(r.annotations.some((a) => a.level === 'warning' && /link\.txt/.test(a.message))).toBe(true);
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

  it('requires a namespace for namespace files, refused before any request', async () => {
    const r = await deploy(makeWorkspace({ 'files/a.py': 'a' }), { namespace: '' });
    expect(r.failed).toBe(true);
    expect(r.stdout).toMatch(/'namespace' is required/);
    expect(kestra.requests).toEqual([]);
  });
});
