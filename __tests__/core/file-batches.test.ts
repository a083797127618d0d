// Which uploads share a zip batch: the caps, and the files that must go alone (docs/kestra-api.md#zip-uploads).
// Over real HTTP: the client refuses a batch entry under /_flows before sending anything, the export cap,
// and the plan's `before` (the server's bytes of each update).
import { afterEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import {
  BATCH_MAX_BYTES,
  BATCH_MAX_FILES,
  groupUploads,
  type Upload,
} from '../../src/core/apply/file-batches.js';
import { discoverNamespaceFiles } from '../../src/core/discover/discover-files.js';
import { planNamespaceFiles } from '../../src/core/plan/plan-files.js';
import { batchable } from '../../src/kestra/batch.js';
import { connect } from '../../src/kestra/connect.js';
import type { KestraClient } from '../../src/kestra/api.js';
import { makeWorkspace } from '../helpers/workspace.js';

const upload = (path: string, size = 10, index = 0): Upload => ({
  f: { relative: path.slice(1), file: `files${path}`, absolutePath: `/nowhere${path}`, size },
  path,
  action: 'created',
  index,
});
const paths = (groups: Upload[][]) => groups.map((g) => g.map((u) => u.path));

describe('groupUploads', () => {
  it('cuts batches at BATCH_MAX_FILES files and BATCH_MAX_BYTES bytes, in order', () => {
    const many = Array.from({ length: BATCH_MAX_FILES + 1 }, (_, i) => upload(`/f${i}`, 1, i));
    expect(groupUploads(many).batches.map((b) => b.length)).toEqual([BATCH_MAX_FILES, 1]);
    const third = Math.floor(BATCH_MAX_BYTES / 3) + 1;
    const big = ['/a', '/b', '/c', '/d'].map((p, i) => upload(p, third, i));
    expect(paths(groupUploads(big).batches)).toEqual([
      ['/a', '/b'],
      ['/c', '/d'],
    ]);
  });

  it('sends alone a file over the byte cap, a .zip, a path with a space or URI characters, and /_flows', () => {
    const { batches, alone } = groupUploads([
      upload('/ok.py'),
      upload('/huge.bin', BATCH_MAX_BYTES + 1),
      upload('/real.Zip'),
      upload('/read me.txt'),
      upload('/100%.txt'),
      upload('/a#b'),
      upload('/a?b'),
      upload('/_flows/x.yml'),
      upload('/dir/é-ü+(1)~$.py'),
    ]);
    expect(paths(batches)).toEqual([['/ok.py', '/dir/é-ü+(1)~$.py']]);
    expect(alone.map((u) => u.path)).toEqual([
      '/huge.bin',
      '/real.Zip',
      '/read me.txt',
      '/100%.txt',
      '/a#b',
      '/a?b',
      '/_flows/x.yml',
    ]);
  });

  it('batchable refuses dot segments, empty segments and the /_flows folder itself', () => {
    expect(['/a/../b', '/a/./b', '/a//b', '/_flows', '/_flows/a.yml', 'a.txt'].filter(batchable)).toEqual([]);
    expect(['/_flowsx/a.yml', '/x/_flows/a.yml'].every(batchable)).toBe(true);
  });
});

describe('the client and the plan against the emulator', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });
  const rig = async (version = '1.3.19'): Promise<[Emulator, KestraClient]> => {
    const emu = await startEmulator({ version });
    const client = await connect({ server: emu.url, retry: { attempts: 1 } });
    open.push(emu, client);
    return [emu, client];
  };

  it('uploadBatch refuses an entry under /_flows (it would be imported as a flow) before sending anything', async () => {
    const [emu, client] = await rig();
    emu.clearRequests();
    const files = [
      { path: '/ok.py', bytes: Buffer.from('ok') },
      { path: '/_flows/evil.yml', bytes: Buffer.from('id: evil\nnamespace: team\ntasks: []\n') },
    ];
    await expect(client.uploadBatch('team', files)).rejects.toThrow(
      '/_flows/evil.yml cannot go in a zip batch',
    );
    expect(emu.requests).toEqual([]);
    expect(emu.listFlows('team')).toEqual([]);
  });

  it('exportFiles stops reading past maxBytes, and leaves `_flows/` out', async () => {
    const [emu, client] = await rig();
    emu.seedFile('team', '/big.bin', Buffer.alloc(4096, 7));
    emu.seedFlow(
      'id: hello\nnamespace: team\ntasks:\n  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n',
    );
    expect(await client.exportFiles('team', 100)).toEqual({ unusable: 'its export is over 100 bytes' });
    const all = await client.exportFiles('team', 2 ** 20);
    expect(all.unusable).toBeUndefined();
    expect([...(all.unusable === undefined ? all.files.keys() : [])]).toEqual(['/big.bin']);
  });

  it("the plan's before holds the server's bytes of each update, from the export or from downloads", async () => {
    const [emu, client] = await rig();
    emu.seedFile('team', '/app/same.txt', 'same');
    emu.seedFile('team', '/app/edit.txt', 'old text');
    emu.seedFile('team', '/app/grown.txt', 'x');
    const ws = makeWorkspace({
      'files/same.txt': 'same',
      'files/edit.txt': 'new text',
      'files/grown.txt': 'xyz',
      'files/new.txt': 'new',
    });
    const { files: local } = await discoverNamespaceFiles(ws, 'files', () => undefined);
    const options = { delete: false, spacesAsPlus: false };
    const plan = await planNamespaceFiles(client, 'team', '/app', local, options);
    expect(plan.update.map((f) => f.relative).sort()).toEqual(['edit.txt', 'grown.txt']);
    expect(
      Object.fromEntries([...(plan.before ?? [])].map(([k, v]) => [k, Buffer.from(v).toString()])),
    ).toEqual({
      '/app/edit.txt': 'old text',
      '/app/grown.txt': 'x',
    });
    // An export refused for the credentials is an error (the listing would be refused too).
    emu.fault({ method: 'GET', path: /\/files\/export$/, status: 403 });
    await expect(planNamespaceFiles(client, 'team', '/app', local, options)).rejects.toThrow(/^403 /);
    // Without the export, only the same-size file is downloaded, so only its bytes are known.
    emu.fault({ method: 'GET', path: /\/files\/export$/, status: 404 });
    const listed = await planNamespaceFiles(client, 'team', '/app', local, options);
    expect(listed.update.map((f) => f.relative).sort()).toEqual(['edit.txt', 'grown.txt']);
    expect([...(listed.before ?? new Map()).keys()]).toEqual(['/app/edit.txt']);
  });
});
