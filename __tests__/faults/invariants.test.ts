// Deploy's safety invariants (docs/architecture.md#safety-invariants), each proved over HTTP, faults included:
// 1. no write unless every resource passed validation and the plan was computed;
// 2. nothing deleted unless `delete` is true, the namespace's local set is non-empty, and only in the
//    namespaces deployed;
// 3. namespace files: deletions only after every upload succeeded (see also files.test.ts).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { applyPlans } from '../../src/core/apply/apply.js';
import { connect } from '../../src/kestra/connect.js';
import { makeWorkspace, flow } from '../helpers/workspace.js';
import { planNamespace } from '../../src/core/plan/plan.js';
import { bulkPath, credentials, deployAction, deployPipeline, errors, writeLines } from './helpers.js';

const THREE = {
  'flows/a.yml': flow('team.a', 'one'),
  'flows/b.yml': flow('team.b', 'two'),
  'flows/c.yml': flow('team.c', 'three'),
};

describe('invariant 1: no write before every flow is validated and every namespace planned', () => {
  let kestra: Emulator;
  beforeEach(async () => {
    kestra = await startEmulator({ version: '1.3.19', basicAuth: credentials });
    for (const ns of ['team.a', 'team.b', 'team.c']) kestra.seedFlow(flow(ns, 'stale'));
    kestra.clearRequests();
  });
  afterEach(() => kestra.close());

  it('writes nothing when the validate request fails', async () => {
    kestra.fault({ method: 'POST', path: '/api/v1/main/flows/validate', status: 500 });
    const r = await deployAction(kestra.url, makeWorkspace(THREE), { delete: 'true' });
    expect(r.failed).toBe(true);
    expect(kestra.writes()).toEqual([]);
    expect(errors(r)[0]).toMatch(
      /^500 Internal Server Error from POST .*\(nothing was written or deleted\)$/,
    );
  });

  it('writes nothing, not even to the first namespace, when listing the second one fails', async () => {
    kestra.fault({ method: 'GET', path: bulkPath('1.3', 'team.b'), status: 500 });
    const r = await deployAction(kestra.url, makeWorkspace(THREE), { delete: 'true' });
    expect(r.failed).toBe(true);
    expect(kestra.writes()).toEqual([]);
    expect(kestra.requests.some((q) => q.method === 'GET' && q.path === bulkPath('1.3', 'team.b'))).toBe(
      true,
    );
    expect(errors(r)[0]).toMatch(/\(nothing was written or deleted\)$/);
  });

  it('writes nothing when reading the flow sources of a namespace fails', async () => {
    for (const ns of ['team.a', 'team.b', 'team.c']) kestra.seedFlow(flow(ns, ns === 'team.a' ? 'one' : 'x'));
    kestra.clearRequests();
    kestra.fault({ method: 'GET', path: '/api/v1/main/flows/export/by-query', status: 500, count: 10 });
    const r = await deployAction(kestra.url, makeWorkspace(THREE), { delete: 'true' });
    expect(r.failed).toBe(true);
    expect(kestra.writes()).toEqual([]);
    expect(errors(r)[0]).toMatch(
      /^500 Internal Server Error from GET .*export.*\(nothing was written or deleted\)$/,
    );
  });

  it('writes nothing when one flow of the last namespace is invalid on the server', async () => {
    const r = await deployAction(
      kestra.url,
      makeWorkspace({ ...THREE, 'flows/c.yml': flow('team.c', 'three').replace('log.Log', 'log.Nope') }),
      { delete: 'true' },
    );
    expect(r.failed).toBe(true);
    expect(kestra.writes()).toEqual([]);
    for (const ns of ['team.a', 'team.b', 'team.c']) expect(kestra.getFlow(ns, 'stale')).toBeDefined();
  });

  it('writes no file when the export fails and the listing or downloads that replace it fail too', async () => {
    const files = {
      resource: 'namespace-files',
      directory: 'files',
      namespace: 'company.team',
      delete: 'true',
    };
    kestra.seedFile('company.team', '/same-size.py', 'old');
    kestra.seedFile('company.team', '/gone.py', 'old');
    kestra.clearRequests();
    const ws = makeWorkspace({ 'files/new.py': 'new', 'files/same-size.py': 'NEW' });
    const filesPath = '/api/v1/main/namespaces/company.team/files';
    const noExport = () => kestra.fault({ method: 'GET', path: `${filesPath}/export`, status: 500 });

    // An export that fails: the plan lists and downloads instead, and those may fail too.
    noExport();
    kestra.fault({ method: 'GET', path: `${filesPath}/directory`, status: 500 });
    const listing = await deployAction(kestra.url, ws, files);
    expect(listing.failed).toBe(true);
    expect(errors(listing)[0]).toMatch(/\(nothing was written or deleted\)$/);

    noExport();
    kestra.fault({ method: 'GET', path: filesPath, status: 500 });
    const download = await deployAction(kestra.url, ws, files);
    expect(download.failed).toBe(true);
    expect(kestra.requests.some((q) => q.method === 'GET' && q.path === filesPath)).toBe(true);

    expect(kestra.writes()).toEqual([]);
    expect(kestra.listFiles('company.team')).toEqual(['/gone.py', '/same-size.py']);
  });
});

describe.each(['1.3.19', '1.2.0'])('invariant 2: deletions, Kestra %s', (version) => {
  let kestra: Emulator;
  beforeEach(async () => {
    kestra = await startEmulator({ version, basicAuth: credentials });
    kestra.seedFlow(flow('team.a', 'stale'));
    kestra.seedFlow(flow('team.b', 'stale'));
    kestra.seedFlow(flow('team.a.child', 'kid'));
    kestra.seedFlow(flow('team.z', 'other'));
    kestra.clearRequests();
  });
  afterEach(() => kestra.close());

  // team.b holds a `---`: on 1.2 it goes flow by flow (DELETE requests), on 1.3 in one bulk.
  const ws = (): string =>
    makeWorkspace({
      'flows/a.yml': flow('team.a', 'one'),
      'flows/b.yml': flow('team.b', 'two', 'description: "x---y"\n'),
    });

  it('deletes nothing without `delete`: every bulk says delete=false and no DELETE is sent', async () => {
    const r = await deployAction(kestra.url, ws());
    expect(r.failed).toBe(false);
    const writes = kestra.writes();
    expect(writes.some((w) => w.method === 'DELETE')).toBe(false);
    const bulks = writes.filter((w) => w.path.startsWith(bulkPath(version, 'team.')));
    expect(bulks.length).toBeGreaterThan(0);
    expect(bulks.every((w) => w.query.get('delete') === 'false')).toBe(true);
    expect(kestra.getFlow('team.a', 'stale')).toBeDefined();
    expect(kestra.getFlow('team.b', 'stale')).toBeDefined();
    expect(r.outputs.deleted).toBe('0');
  });

  it('with `delete`, prunes only the namespaces deployed: never a child, never another namespace', async () => {
    const r = await deployAction(kestra.url, ws(), { delete: 'true' });
    expect(r.failed).toBe(false);
    expect(kestra.getFlow('team.a', 'stale')).toBeUndefined();
    expect(kestra.getFlow('team.b', 'stale')).toBeUndefined();
    expect(kestra.getFlow('team.a.child', 'kid')).toBeDefined();
    expect(kestra.getFlow('team.z', 'other')).toBeDefined();
    // Every state-changing request names a deployed namespace (a bulk path, a single flow, a DELETE).
    for (const w of kestra.writes()) {
      const ns = /\/flows\/([^/?]+)/.exec(w.path)?.[1] ?? /^namespace: (\S+)$/m.exec(w.body.toString())?.[1];
      expect(['team.a', 'team.b']).toContain(ns);
    }
    expect(JSON.parse(r.outputs.plan as string)).toMatchObject({
      'team.a': { delete: ['stale'] },
      'team.b': { delete: ['stale'] },
    });
  });

  it('with `delete` and no local flows, refuses and writes nothing', async () => {
    const r = await deployAction(kestra.url, makeWorkspace({ 'flows/README.md': 'none' }), {
      delete: 'true',
    });
    expect(r.failed).toBe(true);
    expect(kestra.writes()).toEqual([]);
  });

  it('the apply stage itself never sends a namespace without local flows', async () => {
    const client = await connect({
      server: kestra.url,
      user: credentials.username,
      password: credentials.password,
    });
    try {
      const remote = await client.listFlows('team.a');
      const plan = planNamespace('team.a', [], remote, { delete: true });
      expect(plan.delete).toEqual(['stale']);
      kestra.clearRequests();
      const {
        namespaces: [outcome],
      } = await applyPlans(client, [plan], { delete: true });
      expect(outcome).toMatchObject({ status: 'failed', error: expect.stringMatching(/no local flows/) });
      expect(kestra.requests).toEqual([]);
      expect(kestra.getFlow('team.a', 'stale')).toBeDefined();
    } finally {
      await client.close();
    }
  });
});

describe('invariant 3: namespace-file deletions only after every upload succeeded', () => {
  it('sends no DELETE when an upload keeps failing with a retryable status', async () => {
    const kestra = await startEmulator({ version: '1.3.19' });
    try {
      kestra.seedFile('company.team', '/gone.py', 'old');
      kestra.clearRequests();
      kestra.fault({ method: 'POST', path: /\/files$/, status: 503, count: 100 });
      const r = await deployPipeline(kestra.url, makeWorkspace({ 'files/a.py': 'a', 'files/b.py': 'b' }), {
        resource: 'namespace-files',
        directory: 'files',
        namespace: 'company.team',
        delete: true,
        connection: { server: kestra.url, retry: { attempts: 2, baseMs: 10 } },
      });
      expect(r.failed).toBe(true);
      expect(writeLines(kestra).filter((l) => l.startsWith('DELETE'))).toEqual([]);
      expect(kestra.getFile('company.team', '/gone.py')).toBeDefined();
      expect(r.summary).toContain('not deleted (1): <code>/gone.py</code>');
    } finally {
      await kestra.close();
    }
  });
});
