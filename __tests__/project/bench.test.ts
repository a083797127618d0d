// The bench's request yardsticks (scripts/bench-targets.ts) hold the project's stated numbers, and the floor
// script (scripts/bench-floor.mjs) really does each job in the fewest requests they compute: run as a
// process against the emulator over HTTP, with the bytes on the server checked. No timing is asserted.
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type Emulator, startEmulator } from '../../emulator/index.js';
import { repoRoot, spawnNode } from '../../scripts/action-runner.js';
import {
  flowSource,
  generateFiles,
  generateFlows,
  serverFiles,
  withChanged,
} from '../../scripts/bench-data.js';
import {
  anchor,
  fewest,
  type Job,
  requestTarget,
  requestVerdict,
  rssVerdict,
} from '../../scripts/bench-targets.js';

const dryRun10k: Job = {
  kind: 'flows',
  flows: 10_000,
  namespaces: 100,
  changed: 1_000,
  changedNamespaces: 100,
  dryRun: true,
};
const files = (changed: number, removed: number): Job => ({
  kind: 'files',
  files: 1_000,
  changed,
  removed,
  batches: 1,
});

describe('bench yardsticks', () => {
  it('a dry-run needs a validation per 100 flows and an export per namespace, and its target is 3 × ns + flows/100 + 5', () => {
    expect(fewest(dryRun10k)).toEqual({ total: 200, writes: 0 });
    expect(requestTarget(dryRun10k)).toEqual({ total: 405, writes: 0 });
    expect(anchor(dryRun10k)).toMatchObject({ total: 10_000, writes: 0 });
  });

  it('an unchanged redeploy writes nothing at best, where kestractl writes every flow', () => {
    const job: Job = { ...dryRun10k, changed: 0, changedNamespaces: 0, dryRun: false };
    expect(fewest(job)).toEqual({ total: 200, writes: 0 });
    expect(requestTarget(job)).toEqual({ writes: 0 });
    expect(anchor(job)).toMatchObject({ total: 20_000, writes: 10_000 });
  });

  it('namespace files: an export, a zip batch, a DELETE per removed file; targets 20, 10 and 25', () => {
    expect(fewest(files(1_000, 0))).toEqual({ total: 2, writes: 1 });
    expect(fewest(files(0, 0))).toEqual({ total: 1, writes: 0 });
    expect(fewest(files(10, 5))).toEqual({ total: 7, writes: 6 });
    expect(requestTarget(files(1_000, 0))).toEqual({ total: 20 });
    expect(requestTarget(files(0, 0))).toEqual({ total: 10, writes: 0 });
    expect(requestTarget(files(10, 5))).toEqual({ total: 25 });
    expect(anchor(files(10, 5), true)).toMatchObject({ total: 1_001, writes: 1_001 });
  });

  it('says met or not met, and holds the RSS target to 10,000 flows on Node 20', () => {
    expect(requestVerdict({ total: 405, writes: 0 }, { total: 10_112, writes: 0 })).toBe(
      '≤ 405: **not met**; 0 writes: met',
    );
    expect(requestVerdict({}, { total: 1, writes: 1 })).toBe('—');
    expect(rssVerdict(dryRun10k, 20, 180)).toBe('≤ 200: met');
    expect(rssVerdict(dryRun10k, 20, 250)).toBe('≤ 200: **not met**');
    expect(rssVerdict(dryRun10k, 24, 250)).toBe('n/a (target on Node 20)');
    expect(rssVerdict({ ...dryRun10k, flows: 1_000 }, 20, 250)).toBe('—');
  });
});

describe('the bench floor sends the fewest requests', () => {
  let emulator: Emulator | undefined;
  const roots: string[] = [];
  afterEach(async () => {
    await emulator?.close();
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  const workspace = (): string => {
    const root = mkdtempSync(path.join(tmpdir(), 'bench-floor-'));
    roots.push(root);
    return root;
  };

  async function floor(cwd: string, args: string[]): Promise<{ total: number; writes: number }> {
    emulator!.clearRequests();
    const run = await spawnNode(
      process.execPath,
      [path.join(repoRoot, 'scripts/bench-floor.mjs'), args[0]!, args[1]!, emulator!.url, ...args.slice(2)],
      { env: { PATH: process.env.PATH ?? '' }, cwd },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return { total: emulator!.requests.length, writes: emulator!.writes().length };
  }

  it('flows: deploy, unchanged redeploy and a dry-run with changes', async () => {
    emulator = await startEmulator();
    const cwd = workspace();
    const sources = generateFlows(path.join(cwd, 'flows'), 12, 3);
    const job = (changed: number, touched: number, dryRun: boolean): Job => ({
      kind: 'flows',
      flows: 12,
      namespaces: 3,
      changed,
      changedNamespaces: touched,
      dryRun,
    });

    expect(await floor(cwd, ['flows', 'flows'])).toEqual(fewest(job(12, 3, false)));
    const stored = (ns: string): string[] =>
      emulator!
        .listFlows(ns)
        .map((f) => f.source.trim())
        .sort();
    expect(stored('bench.ns001')).toEqual(
      sources
        .filter((s) => s.includes('bench.ns001'))
        .map((s) => s.trim())
        .sort(),
    );
    expect(await floor(cwd, ['flows', 'flows'])).toEqual(fewest(job(0, 0, false)));

    for (const source of withChanged(sources, 10)) emulator.seedFlow(source);
    expect(await floor(cwd, ['flows', 'flows', '', '--dry-run'])).toEqual(fewest(job(2, 2, true)));
    expect(emulator.getFlow('bench.ns000', 'flow_0')?.source).not.toBe(
      flowSource('bench.ns000', 'flow_0', 0),
    );
    expect(await floor(cwd, ['flows', 'flows'])).toEqual(fewest(job(2, 2, false)));
    expect(emulator.getFlow('bench.ns000', 'flow_0')?.source.trim()).toBe(
      flowSource('bench.ns000', 'flow_0', 0).trim(),
    );
  });

  it('files: deploy in one zip batch, unchanged redeploy, changes and removals', async () => {
    emulator = await startEmulator();
    const cwd = workspace();
    const local = generateFiles(path.join(cwd, 'files'), 30);
    const job = (changed: number, removed: number): Job => ({
      kind: 'files',
      files: 30,
      changed,
      removed,
      batches: 1,
    });
    const held = (): Map<string, string> =>
      new Map(emulator!.listFiles('ns').map((p) => [p, emulator!.getFile('ns', p)!.toString('utf8')]));
    const git = new Map(local.map((f) => [f.path, f.bytes.toString('utf8')]));

    expect(await floor(cwd, ['files', 'files', 'ns'])).toEqual(fewest(job(30, 0)));
    expect(held()).toEqual(git);
    expect(await floor(cwd, ['files', 'files', 'ns', '--delete'])).toEqual(fewest(job(0, 0)));

    for (const f of serverFiles(local, 10, 2)) emulator.seedFile('ns', f.path, f.bytes);
    // A flow in the namespace shows in the export under _flows/: neither a file to delete nor one to send.
    emulator.seedFlow('id: kept\nnamespace: ns\ntasks: []\n');
    expect(await floor(cwd, ['files', 'files', 'ns', '--delete'])).toEqual(fewest(job(3, 2)));
    expect(held()).toEqual(git);
    expect(emulator.getFlow('ns', 'kept')).toBeDefined();
  });
});
