// Flows at O(namespaces), over real HTTP against the emulator, counting its requests: a dry-run reads each
// namespace's sources in one export (docs/kestra-api.md#flow-export), a deploy writes only what changes, and
// a server without a usable export is read flow by flow, said once in the log.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { deploy } from '../../src/core/pipeline.js';
import type { Logger } from '../../src/kestra/api.js';
import { connect } from '../../src/kestra/connect.js';
import type { DeployOutcome, DeployReport } from '../../src/model/results.js';
import type { DeploySettings } from '../../src/model/settings.js';
import { deploySettings } from '../helpers/settings.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

const NAMESPACES = 20;
const PER_NAMESPACE = 100;
const ns = (n: number): string => `scale.team${String(n).padStart(2, '0')}`;
const id = (i: number): string => `flow-${String(i).padStart(3, '0')}`;

/** Every flow of the tree; flow i of each namespace changed when `changed(i)` (a new description). */
function tree(changed: (i: number) => boolean = () => false): Record<string, string> {
  const files: Record<string, string> = {};
  for (let n = 0; n < NAMESPACES; n++) {
    for (let i = 0; i < PER_NAMESPACE; i++) {
      files[`flows/${ns(n)}/${id(i)}.yml`] = flow(ns(n), id(i), changed(i) ? 'description: changed\n' : '');
    }
  }
  return files;
}

const settings = (workspace: string, extra: Partial<DeploySettings> = {}): DeploySettings =>
  deploySettings(workspace, { server: '' }, extra);

interface Run {
  report: DeployReport;
  infos: string[];
}

async function run(kestra: Emulator, s: DeploySettings): Promise<Run> {
  const infos: string[] = [];
  const log: Logger = { info: (m) => infos.push(m), warning: () => {}, debug: () => {} };
  const client = await connect({ server: kestra.url, retry: { attempts: 1 } }, log);
  try {
    const outcome: DeployOutcome = await deploy(s, client, log);
    if (outcome.status !== 'reported' || !outcome.report) throw new Error(`not reported: ${outcome.status}`);
    return { report: outcome.report, infos };
  } finally {
    await client.close();
  }
}

const count = (report: DeployReport, action: string): number =>
  report.results.filter((r) => r.action === action).length;

describe(`${NAMESPACES * PER_NAMESPACE} existing flows in ${NAMESPACES} namespaces`, () => {
  let kestra: Emulator;
  const unchanged = makeWorkspace(tree());
  const tenPercent = makeWorkspace(tree((i) => i % 10 === 0));
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
    for (const [, source] of Object.entries(tree())) kestra.seedFlow(source.trim());
  });
  afterAll(() => kestra.close());
  afterEach(() => kestra.clearRequests());

  const budget = 3 * NAMESPACES + (NAMESPACES * PER_NAMESPACE) / 100 + 5;

  it(`plans a dry-run with 10% changed in at most ${budget} requests, writing nothing`, async () => {
    kestra.clearRequests();
    const { report } = await run(kestra, settings(tenPercent, { dryRun: true }));
    expect(kestra.writes()).toEqual([]);
    expect(kestra.requests.length).toBeLessThanOrEqual(budget);
    // Per namespace: the listing and the export; no flow read on its own.
    const exports = kestra.requests.filter((r) => r.path.endsWith('/flows/export/by-query'));
    expect(exports).toHaveLength(NAMESPACES);
    expect(kestra.requests.filter((r) => /\/flows\/scale\.team\d+\/flow-/.test(r.path))).toEqual([]);
    expect([count(report, 'updated'), count(report, 'unchanged')]).toEqual([200, 1800]);
  });

  it('redeploys the unchanged tree with zero writes, every flow unchanged at its revision', async () => {
    const { report } = await run(kestra, settings(unchanged));
    expect(kestra.writes()).toEqual([]);
    expect(kestra.requests.length).toBeLessThanOrEqual(budget);
    expect(count(report, 'unchanged')).toBe(NAMESPACES * PER_NAMESPACE);
    expect(report.results.every((r) => r.revision === 1)).toBe(true);
    expect(new Set(report.namespaces.map((n) => n.status))).toEqual(new Set(['unchanged']));
  });

  it('deploys 10% changed with one bulk per namespace carrying only the changed flows, never deleting', async () => {
    const { report } = await run(kestra, settings(tenPercent));
    const writes = kestra.writes();
    expect(writes).toHaveLength(NAMESPACES);
    for (const w of writes) {
      expect(w.method).toBe('POST');
      expect(w.query.get('delete')).toBe('false');
      expect(w.body.toString('utf8').match(/^id: /gm)).toHaveLength(PER_NAMESPACE / 10);
    }
    expect([count(report, 'updated'), count(report, 'unchanged')]).toEqual([200, 1800]);
    expect(new Set(report.namespaces.map((n) => n.status))).toEqual(new Set(['written']));
    expect(kestra.getFlow(ns(0), id(0))?.revision).toBe(2);
    expect(kestra.getFlow(ns(0), id(1))?.revision).toBe(1);
  });
});

describe('the rewrites a deploy makes', () => {
  it('compares what it sends: with override-namespace and read-only, a redeploy writes nothing', async () => {
    const kestra = await startEmulator({ version: '2.0.0' });
    try {
      const ws = makeWorkspace({
        'flows/a.yml': flow('dev.team', 'a', 'labels:\n  team: data\n'),
        'flows/b.yml': flow('dev.team', 'b'),
      });
      const s = settings(ws, { namespace: 'prod.team', overrideNamespace: true, readOnly: true });
      const first = await run(kestra, s);
      expect(count(first.report, 'created')).toBe(2);
      expect(kestra.getFlow('prod.team', 'a')?.source).toContain('system.readOnly');
      kestra.clearRequests();
      const again = await run(kestra, s);
      expect(kestra.writes()).toEqual([]);
      expect(count(again.report, 'unchanged')).toBe(2);
    } finally {
      await kestra.close();
    }
  });
});

describe('a server without a usable flow export', () => {
  let kestra: Emulator;
  afterEach(() => kestra.close());

  it('reads each flow to compare on its own, says so once, and plans the same', async () => {
    kestra = await startEmulator({ version: '1.3.19' });
    for (const n of [0, 1]) for (const i of [0, 1, 2]) kestra.seedFlow(flow(ns(n), id(i)).trim());
    kestra.clearRequests();
    kestra.fault({ method: 'GET', path: '/api/v1/main/flows/export/by-query', status: 404 });
    const files: Record<string, string> = {};
    for (const n of [0, 1])
      for (const i of [0, 1, 2])
        files[`flows/${n}-${i}.yml`] = flow(ns(n), id(i), i === 0 ? 'description: x\n' : '');
    const { report, infos } = await run(kestra, settings(makeWorkspace(files), { dryRun: true }));
    // One export tried (the first namespace's), then the six flows one request each.
    expect(kestra.requests.filter((r) => r.path.endsWith('/export/by-query'))).toHaveLength(1);
    expect(kestra.requests.filter((r) => /\/flows\/scale\.team\d+\/flow-\d+$/.test(r.path))).toHaveLength(6);
    expect(infos.filter((m) => /flow export is not usable/.test(m))).toEqual([
      expect.stringMatching(
        /^The server's flow export is not usable \(GET \S+ answered 404\): reading the 6 flows/,
      ),
    ]);
    expect([count(report, 'updated'), count(report, 'unchanged')]).toEqual([2, 4]);
  });
});
