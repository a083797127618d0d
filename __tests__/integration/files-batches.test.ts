// Namespace files in a handful of requests (docs/kestra-api.md#zip-uploads), end to end over real HTTP:
// the plan reads the namespace export once, uploads go in zip batches, and the traps of batching hold.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run } from '../../deploy/main.js';
import { readZip, startEmulator, type Emulator } from '../../emulator/index.js';
import { runMain } from '../helpers/run-main.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

/** A thousand files in twenty folders, every tenth one binary (all 256 byte values, NULs and CRs). */
function thousandFiles(): Record<string, Buffer> {
  return Object.fromEntries(
    Array.from({ length: 1000 }, (_, i) => {
      const name = `files/dir${i % 20}/file-${i}.${i % 10 === 0 ? 'bin' : 'py'}`;
      return [name, i % 10 === 0 ? randomBytes(512 + i) : Buffer.from(`print(${i})\r\n`)];
    }),
  );
}

describe.each(['0.22.0', '1.2.0', '1.3.19', '2.0.8'])('namespace files in batches, Kestra %s', (version) => {
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
  const writes = () => kestra.writes().map((w) => `${w.method} ${w.query.get('path')}`);
  const sameBytes = (tree: Record<string, Buffer>, to = '') => {
    for (const [name, bytes] of Object.entries(tree)) {
      const stored = kestra.getFile('company.team', to + name.replace(/^files/, ''));
      expect(stored?.equals(bytes)).toBe(true);
    }
  };

  it('1,000 files: deployed in ≤ 20 requests, redeployed unchanged in ≤ 10 with no write, 10 changed and 5 removed in ≤ 25', async () => {
    const tree = thousandFiles();
    const ws = makeWorkspace(tree);
    const first = await deploy(ws, { delete: 'true' });
    expect(first.failed).toBe(false);
    expect(first.outputs).toMatchObject({ created: '1000' });
    expect(kestra.requests.length).toBeLessThanOrEqual(20);
    // The version, the export, four batches of 250 (the README's figure).
    expect(kestra.requests.length).toBe(6);
    expect(kestra.listFiles('company.team')).toHaveLength(1000);
    sameBytes(tree);

    kestra.clearRequests();
    const again = await deploy(ws, { delete: 'true' });
    expect(again.outputs).toMatchObject({ created: '0', updated: '0', unchanged: '1000', deleted: '0' });
    expect(kestra.writes()).toEqual([]);
    expect(kestra.requests.length).toBeLessThanOrEqual(10);
    expect(kestra.requests.length).toBe(2);

    const names = Object.keys(tree);
    for (const name of names.slice(0, 10)) {
      tree[name] = Buffer.concat([tree[name]!, Buffer.from([0, 13, 10])]);
      writeFileSync(path.join(ws, name), tree[name]!);
    }
    for (const name of names.slice(10, 15)) {
      rmSync(path.join(ws, name));
      delete tree[name];
    }
    kestra.clearRequests();
    const edited = await deploy(ws, { delete: 'true' });
    expect(edited.outputs).toMatchObject({ updated: '10', deleted: '5', unchanged: '985' });
    expect(kestra.requests.length).toBeLessThanOrEqual(25);
    // The version, the export, one batch, five deletions.
    expect(kestra.requests.length).toBe(8);
    expect(kestra.listFiles('company.team')).toHaveLength(995);
    sameBytes(tree);
    // Deletions after the uploads.
    const methods = kestra.writes().map((w) => w.method);
    expect(methods.lastIndexOf('POST')).toBeLessThan(methods.indexOf('DELETE'));
  });

  it('sends a real .zip alone, under a part name the server does not extract, and stores its bytes', async () => {
    const inner = Buffer.from(
      '504b03040a0000000000000000000000000000000000000000000500000061' +
        '2e7478745048504b0102140000000000000000000000000000000000000000' +
        '00000500000000000000000000000000000000612e747874504b050600000000',
      'hex',
    );
    const ws = makeWorkspace({ 'files/a.py': 'a', 'files/data/real.ZIP': inner });
    const r = await deploy(ws, { to: '/app' });
    expect(r.failed).toBe(false);
    expect(kestra.listFiles('company.team')).toEqual(['/app/a.py', '/app/data/real.ZIP']);
    expect(kestra.getFile('company.team', '/app/data/real.ZIP')?.equals(inner)).toBe(true);
    const parts = kestra
      .writes()
      .map((w) => /filename="([^"]*)"/.exec(w.body.toString('latin1'))?.[1])
      .sort();
    expect(parts).toEqual(['files.zip', 'real.ZIP.bin']);
  });

  it('never sends or prunes `_flows/`: the export lists the flows there, and they stay flows', async () => {
    kestra.seedFlow(flow('company.team', 'hello'));
    kestra.seedFile('company.team', '/old.py', 'old');
    const ws = makeWorkspace({ 'files/a.py': 'a' });
    const r = await deploy(ws, { delete: 'true' });
    expect(r.failed).toBe(false);
    expect(r.outputs).toMatchObject({ created: '1', deleted: '1' });
    expect(writes().sort()).toEqual(['DELETE /old.py', 'POST /']);
    expect(kestra.getFlow('company.team', 'hello')?.revision).toBe(1);
    const sent = kestra.writes().find((w) => w.method === 'POST')!;
    const archive = sent.body.subarray(sent.body.indexOf('PK\x03\x04', 0, 'latin1'));
    expect(readZip(archive).map((e) => e.name)).toEqual(['a.py']);
  });

  it('sends a path with a space or URI characters alone, stored as each version stores `path`, and finds it unchanged next time', async () => {
    const tree = {
      'files/read me.txt': Buffer.from('spaced'),
      'files/100%.txt': Buffer.from('percent'),
      'files/q?#.txt': Buffer.from('query'),
      'files/ok.txt': Buffer.from('ok'),
    };
    const ws = makeWorkspace(tree);
    const r = await deploy(ws);
    expect(r.failed).toBe(false);
    const spaced = version.startsWith('2.') ? '/read me.txt' : '/read+me.txt';
    expect(kestra.listFiles('company.team')).toEqual(['/100%.txt', '/ok.txt', '/q?#.txt', spaced].sort());
    expect(writes().sort()).toEqual(['POST /', 'POST /100%.txt', 'POST /q?#.txt', 'POST /read me.txt']);
    kestra.clearRequests();
    const again = await deploy(ws);
    expect(again.outputs).toMatchObject({ unchanged: '4' });
    expect(kestra.writes()).toEqual([]);
    // Before 1.2 the server cannot build an export holding `100%.txt`: the plan lists instead.
    const fallback =
      /company\.team: its export answered 422, so its files are listed and compared one by one/;
    if (version.startsWith('0.')) expect(again.stdout).toMatch(fallback);
    else expect(again.stdout).not.toMatch(fallback);
  });

  it('falls back to listing and per-file reads when the export is not usable, and says so', async () => {
    kestra.seedFile('company.team', '/same.py', 'same');
    kestra.seedFile('company.team', '/edit.py', 'v1');
    const prefix = version.startsWith('0.') ? '/api/v1' : '/api/v1/main';
    kestra.fault({ method: 'GET', path: `${prefix}/namespaces/company.team/files/export`, status: 404 });
    const ws = makeWorkspace({ 'files/same.py': 'same', 'files/edit.py': 'v2', 'files/new.py': 'new' });
    const r = await deploy(ws);
    expect(r.failed).toBe(false);
    expect(r.outputs).toMatchObject({ created: '1', updated: '1', unchanged: '1' });
    expect(r.stdout).toContain(
      'company.team: its export answered 404, so its files are listed and compared one by one',
    );
    expect(kestra.getFile('company.team', '/edit.py')?.toString()).toBe('v2');
  });
});
