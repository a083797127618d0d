// Every method of the client, once, against an emulator reached through Prism: what the contract tests run.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { connect, type KestraClient } from '../../src/kestra/index.js';
import { SPEC, startPrism, type Prism } from './prism.js';

export const flow = (id: string, ns = 'contract.team', extra = '') =>
  `id: ${id}\nnamespace: ${ns}\n${extra}\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hello from ${id}\n`;

/** Named steps, so a failing one is easy to find; each returns nothing and asserts its own outcome. */
export function steps(client: () => KestraClient, emu: () => Emulator): [string, () => Promise<void>][] {
  const ns = 'contract.team';
  return [
    [
      'validateFlows',
      async () => {
        const results = await client().validateFlows([
          { source: flow('a'), filename: 'a.yml' },
          { source: 'id: b\nnamespace: contract.team\ntasks: []\n', filename: 'b.yml' },
          { source: `---\n${flow('c')}`, filename: 'c.yml' },
        ]);
        expect(results.map((r) => [r.index, r.constraints === undefined])).toEqual([
          [0, true],
          [1, false],
          [2, true],
        ]);
      },
    ],
    [
      'createFlow',
      async () => {
        expect(await client().createFlow(flow('a', ns, 'labels:\n  team: data\n'))).toMatchObject({
          id: 'a',
          revision: 1,
        });
      },
    ],
    [
      'getFlow',
      async () => {
        expect((await client().getFlow(ns, 'a'))?.source).toContain('team: data');
      },
    ],
    [
      'getFlow of a missing flow',
      async () => {
        expect(await client().getFlow(ns, 'missing')).toBeUndefined();
      },
    ],
    [
      'updateFlow',
      async () => {
        expect((await client().updateFlow(ns, 'a', flow('a', ns, 'description: v2'))).revision).toBe(2);
      },
    ],
    [
      'exportFlows',
      async () => {
        // Prism's proxy passes a binary answer on as text, which damages the archive: here the request and
        // the answer's status and type meet the spec; __tests__/kestra/export.test.ts reads the archive.
        const answer = await client().exportFlows(ns);
        if ('sources' in answer) expect(answer.sources.map((s) => /^id: (\S+)/m.exec(s)?.[1])).toEqual(['a']);
        else expect(answer.unusable).toMatch(/^the flow export of contract\.team does not read: corrupt zip/);
      },
    ],
    [
      'listFlows',
      async () => {
        expect((await client().listFlows(ns)).map((f) => f.id)).toEqual(['a']);
      },
    ],
    [
      'searchFlows',
      async () => {
        const found = await client().searchFlows('a', 100);
        expect(found.filter((f) => f.id === 'a').map((f) => f.namespace)).toEqual([ns]);
      },
    ],
    [
      'bulkUpdate',
      async () => {
        emu().seedFlow(flow('old'));
        const answer = await client().bulkUpdate(
          ns,
          [
            { source: flow('a', ns, 'description: v2'), filename: 'a.yml' },
            { source: flow('b'), filename: 'b.yml' },
          ],
          { delete: true },
        );
        expect(answer.map((f) => f.id)).toEqual(['old', 'a', 'b']);
        expect(
          await client().bulkUpdate(ns, [{ source: flow('c'), filename: 'c.yml' }], { delete: false }),
        ).toHaveLength(1);
      },
    ],
    [
      'deleteFlow',
      async () => {
        await client().deleteFlow(ns, 'b');
        expect(emu().getFlow(ns, 'b')).toBeUndefined();
      },
    ],
    [
      'uploadFile',
      async () => {
        await client().uploadFile(ns, '/scripts/run.py', Buffer.from('print("hi")\n'));
        await client().uploadFile(ns, '/data/archive.zip', Buffer.from('PK not a zip'));
        expect(emu().listFiles(ns)).toEqual(['/data/archive.zip', '/scripts/run.py']);
      },
    ],
    [
      'uploadBatch (a zip the server extracts)',
      async () => {
        // Prism forwards a multipart body as text, so this archive holds no byte over 0x7f: short stored
        // entries whose checksums happen to be ASCII. Binary batches are tested without Prism
        // (__tests__/integration/files-batches.test.ts).
        await client().uploadBatch(ns, [
          { path: '/batch/a.txt', bytes: Buffer.from('text 11') },
          { path: '/batch/b.txt', bytes: Buffer.from('text 20') },
        ]);
        expect(emu().getFile(ns, '/batch/b.txt')?.toString()).toBe('text 20');
        await client().deleteFile(ns, '/batch');
      },
    ],
    [
      'exportFiles',
      async () => {
        // A 200 the spec accepts. Prism passes the zip on as text, which spoils its bytes: reading the
        // export is tested without Prism (__tests__/integration/files-batches.test.ts).
        const exported = await client().exportFiles(ns, 2 ** 20);
        expect(exported.unusable ?? '').not.toMatch(/answered/);
      },
    ],
    [
      'listDirectory',
      async () => {
        expect((await client().listDirectory(ns, '/scripts')).map((f) => f.fileName)).toEqual(['run.py']);
      },
    ],
    [
      'listFilesRecursive (and of a missing directory)',
      async () => {
        expect((await client().listFilesRecursive(ns)).map((f) => f.path)).toEqual([
          '/data/archive.zip',
          '/scripts/run.py',
        ]);
        expect(await client().listFilesRecursive(ns, '/missing')).toEqual([]);
      },
    ],
    [
      'downloadFile',
      async () => {
        expect((await client().downloadFile(ns, '/scripts/run.py')).toString()).toBe('print("hi")\n');
      },
    ],
    [
      'deleteFile',
      async () => {
        await client().deleteFile(ns, '/scripts/run.py');
        await client().deleteFile(ns, '/never/there.txt');
        expect(emu().listFiles(ns)).toEqual(['/data/archive.zip']);
      },
    ],
  ];
}

/** The emulator of `version` behind Prism, and a client pointed at Prism, for one test file. */
export interface ContractRig {
  emu: Emulator;
  prism: Prism;
  client: KestraClient;
}

export function contractRig(version: string, spec = SPEC): ContractRig {
  const rig = {} as ContractRig;
  beforeAll(async () => {
    rig.emu = await startEmulator({ version });
    rig.prism = await startPrism(rig.emu.url, spec);
    // No retries: a retry would hide a rejected request behind a second one.
    rig.client = await connect({ server: rig.prism.url, retry: { attempts: 1 } });
  }, 30_000);
  afterAll(async () => {
    await rig.client?.close();
    await rig.prism?.close();
    await rig.emu?.close();
  });
  return rig;
}

/** Runs every client method once through Prism; each step's requests must all be accepted by the spec. */
export function everyStepAccepted(rig: ContractRig): void {
  it.each(
    steps(
      () => rig.client,
      () => rig.emu,
    ),
  )('%s: accepted by the spec', async (_name, step) => {
    rig.prism.answers.length = 0;
    await step();
    expect(rig.prism.problems()).toEqual([]);
    expect(rig.prism.answers.length).toBeGreaterThan(0);
  });
}
