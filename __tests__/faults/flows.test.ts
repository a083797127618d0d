// The deploy action for flows under network and server faults, over real HTTP against the emulator:
// it survives what a retry can fix, and otherwise stops cleanly and says exactly what was written.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';
import {
  apiBase,
  bulkPath,
  credentials,
  deployAction,
  deployPipeline,
  errors,
  lossyProxy,
  writeLines,
} from './helpers.js';

interface Result {
  namespace: string;
  id: string;
  action: string;
  revision?: number;
}
const results = (outputs: Record<string, string>): Result[] =>
  (JSON.parse(outputs.results ?? '[]') as Result[]).map(({ namespace, id, action, revision }) => ({
    namespace,
    id,
    action,
    revision,
  }));

describe.each(['1.3.19', '1.2.0', '0.22.0'])('deploy flows under faults, Kestra %s', (version) => {
  let kestra: Emulator;
  beforeEach(async () => {
    kestra = await startEmulator({ version, basicAuth: credentials });
  });
  afterEach(() => kestra.close());

  /**
   * team.a on the server: `keep` (same as Git), `changed` (Git differs), `stale` (not in Git). Seeded
   * trimmed, as the bulk endpoint stores sources, so that `keep` is a no-op.
   */
  const seedTeamA = (): string => {
    kestra.seedFlow(flow('team.a', 'keep').trim());
    kestra.seedFlow(flow('team.a', 'changed'));
    kestra.seedFlow(flow('team.a', 'stale'));
    kestra.clearRequests();
    return makeWorkspace({
      'flows/keep.yml': flow('team.a', 'keep'),
      'flows/changed.yml': flow('team.a', 'changed', 'description: new\n'),
      'flows/new.yml': flow('team.a', 'new'),
    });
  };
  const EXPECTED: Result[] = [
    { namespace: 'team.a', id: 'changed', action: 'updated', revision: 2 },
    { namespace: 'team.a', id: 'keep', action: 'unchanged', revision: 1 },
    { namespace: 'team.a', id: 'new', action: 'created', revision: 1 },
    { namespace: 'team.a', id: 'stale', action: 'deleted', revision: 1 },
  ];
  const expectTeamADeployed = (): void => {
    expect(kestra.getFlow('team.a', 'new')?.revision).toBe(1);
    expect(kestra.getFlow('team.a', 'changed')?.revision).toBe(2);
    expect(kestra.getFlow('team.a', 'keep')?.revision).toBe(1);
    expect(kestra.getFlow('team.a', 'stale')).toBeUndefined();
    expectKeepUntouched();
  };
  /**
   * `keep` is unchanged: no request carried it, none could delete it (no bulk with `delete=true`), and the
   * only deletion named `stale`. Holds on every path below, retries of lost answers included.
   */
  const expectKeepUntouched = (): void => {
    const bulk = bulkPath(version, 'team.a');
    for (const w of kestra.writes()) {
      expect(w.query.get('delete')).not.toBe('true');
      expect(w.body.toString('utf8')).not.toContain('id: keep');
      if (w.method === 'DELETE') expect(w.path).toBe(`${bulk}/stale`);
    }
    expect(kestra.getFlow('team.a', 'keep')?.revision).toBe(1);
  };
  const BULK_THEN_DELETE = (): string[] => [
    `POST ${bulkPath(version, 'team.a')}?delete=false`,
    `DELETE ${bulkPath(version, 'team.a')}/stale`,
  ];

  it('retries a bulk write whose connection dropped before the server acted, and reports it right', async () => {
    const ws = seedTeamA();
    kestra.fault({ method: 'POST', path: bulkPath(version, 'team.a'), drop: true });
    const r = await deployAction(kestra.url, ws, { delete: 'true' });
    expect(r.failed).toBe(false);
    // Two attempts reached the server: the dropped one (no answer, status 0) and the retry; then the deletion.
    expect(kestra.writes().map((w) => [w.method, w.path, w.status])).toEqual([
      ['POST', bulkPath(version, 'team.a'), 0],
      ['POST', bulkPath(version, 'team.a'), 200],
      ['DELETE', `${bulkPath(version, 'team.a')}/stale`, 204],
    ]);
    expect(r.outputs).toMatchObject({ created: '1', updated: '1', unchanged: '1', deleted: '1' });
    expect(results(r.outputs).sort((a, b) => a.id.localeCompare(b.id))).toEqual(EXPECTED);
    expect(r.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(/failed \(.+\); retry 1\/3/),
      }),
    );
    expectTeamADeployed();
  });

  it('reports a retried bulk right when the lost attempt had already written and deleted', async () => {
    const ws = seedTeamA();
    const proxy = await lossyProxy(kestra.url, (m, p) => m === 'POST' && p === bulkPath(version, 'team.a'));
    try {
      const r = await deployAction(proxy.url, ws, { delete: 'true' });
      expect(r.failed).toBe(false);
      expect(proxy.lost).toEqual([`POST ${bulkPath(version, 'team.a')}`]);
      // The server carried out both attempts; the second found the flows already in the wanted state.
      expect(kestra.writes().map((w) => w.status)).toEqual([200, 200, 204]);
      expect(r.outputs).toMatchObject({ created: '1', updated: '1', unchanged: '1', deleted: '1' });
      expect(results(r.outputs).sort((a, b) => a.id.localeCompare(b.id))).toEqual(EXPECTED);
      expectTeamADeployed();
    } finally {
      await proxy.close();
    }
  });

  it('retries a deletion whose answer was lost: the repeat finds it gone, and nothing else is deleted', async () => {
    const ws = seedTeamA();
    const stale = `${bulkPath(version, 'team.a')}/stale`;
    const proxy = await lossyProxy(kestra.url, (m, p) => m === 'DELETE' && p === stale);
    try {
      const r = await deployAction(proxy.url, ws, { delete: 'true' });
      expect(r.failed).toBe(false);
      expect(proxy.lost).toEqual([`DELETE ${stale}`]);
      expect(kestra.writes().map((w) => `${w.method} ${w.status}`)).toEqual([
        'POST 200',
        'DELETE 204',
        'DELETE 404',
      ]);
      expect(results(r.outputs).sort((a, b) => a.id.localeCompare(b.id))).toEqual(EXPECTED);
      expectTeamADeployed();
    } finally {
      await proxy.close();
    }
  });

  it('a deletion that keeps failing stops the run after the writes; unchanged flows stay', async () => {
    const ws = seedTeamA();
    kestra.fault({ method: 'DELETE', path: `${bulkPath(version, 'team.a')}/stale`, status: 500, count: 10 });
    const r = await deployPipeline(kestra.url, ws, { delete: true });
    expect(r.failed).toBe(true);
    expect(kestra.getFlow('team.a', 'stale')).toBeDefined();
    expect(kestra.getFlow('team.a', 'changed')?.revision).toBe(2);
    expectKeepUntouched();
    expect(errors(r)[0]).toContain('failed: stale.');
  });

  it('redeploys an unchanged tree with no write at all, every flow reported unchanged at its revision', async () => {
    const ws = seedTeamA();
    kestra.seedFlow(flow('team.a', 'changed', 'description: new\n').trim());
    kestra.seedFlow(flow('team.a', 'new').trim());
    kestra.clearRequests();
    const r = await deployPipeline(kestra.url, ws);
    expect(r.failed).toBe(false);
    expect(kestra.writes()).toEqual([]);
    expect(r.summary).toMatch(/<code>team\.a<\/code><\/td><td>✅ unchanged, nothing sent/);
    expect(r.stdout).toMatch(/Deployed: team\.a \(unchanged\)/);
    expect(results(r.outputs).sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { namespace: 'team.a', id: 'changed', action: 'unchanged', revision: 2 },
      { namespace: 'team.a', id: 'keep', action: 'unchanged', revision: 1 },
      { namespace: 'team.a', id: 'new', action: 'unchanged', revision: 1 },
    ]);
  });

  it('a namespace whose only change is a removed flow gets that one DELETE, retried when its answer is lost', async () => {
    const ws = seedTeamA();
    kestra.seedFlow(flow('team.a', 'changed', 'description: new\n').trim());
    kestra.seedFlow(flow('team.a', 'new').trim());
    kestra.clearRequests();
    const stale = `${bulkPath(version, 'team.a')}/stale`;
    const proxy = await lossyProxy(kestra.url, (m, p) => m === 'DELETE' && p === stale);
    try {
      const r = await deployAction(proxy.url, ws, { delete: 'true' });
      expect(r.failed).toBe(false);
      expect(writeLines(kestra)).toEqual([`DELETE ${stale}`, `DELETE ${stale}`]);
      expect(r.outputs).toMatchObject({ created: '0', updated: '0', unchanged: '3', deleted: '1' });
      expectKeepUntouched();
      expect(kestra.getFlow('team.a', 'stale')).toBeUndefined();
    } finally {
      await proxy.close();
    }
  });

  it('stops at a 500 on the second of three namespaces and says exactly what was written', async () => {
    for (const ns of ['team.a', 'team.b', 'team.c']) kestra.seedFlow(flow(ns, 'stale'));
    kestra.clearRequests();
    kestra.fault({ method: 'POST', path: bulkPath(version, 'team.b'), status: 500 });
    const ws = makeWorkspace({
      'flows/a.yml': flow('team.a', 'one'),
      'flows/b.yml': flow('team.b', 'two'),
      'flows/c.yml': flow('team.c', 'three'),
    });
    const r = await deployAction(kestra.url, ws, { delete: 'true' });
    expect(r.failed).toBe(true);

    // Server: team.a deployed; team.b and team.c as they were; nothing was even sent for team.c.
    expect(writeLines(kestra)).toEqual([
      `POST ${bulkPath(version, 'team.a')}?delete=false`,
      `DELETE ${bulkPath(version, 'team.a')}/stale`,
      `POST ${bulkPath(version, 'team.b')}?delete=false`,
    ]);
    expect(kestra.getFlow('team.a', 'one')).toBeDefined();
    expect(kestra.getFlow('team.a', 'stale')).toBeUndefined();
    for (const ns of ['team.b', 'team.c']) expect(kestra.getFlow(ns, 'stale')).toBeDefined();
    expect(kestra.getFlow('team.b', 'two')).toBeUndefined();
    expect(kestra.getFlow('team.c', 'three')).toBeUndefined();

    // Outputs: only what was written.
    expect(r.outputs).toMatchObject({ created: '1', updated: '0', unchanged: '0', deleted: '1' });
    expect(results(r.outputs)).toEqual([
      { namespace: 'team.a', id: 'one', action: 'created', revision: 1 },
      { namespace: 'team.a', id: 'stale', action: 'deleted', revision: 1 },
    ]);
    expect(JSON.parse(r.outputs.plan as string)).toEqual({
      'team.a': { create: ['one'], update: [], unchanged: [], delete: ['stale'] },
    });

    // Summary and log name each namespace's fate.
    expect(r.summary).toMatch(/Kestra deploy of flows stopped/);
    expect(r.summary).toMatch(/<code>team\.a<\/code><\/td><td>✅ written/);
    expect(r.summary).toMatch(/<code>team\.b<\/code><\/td><td>❌ failed[^<]*<br>500 Internal Server Error/);
    expect(r.summary).toMatch(/<code>team\.c<\/code><\/td><td>⏭️ not written/);
    expect(r.stdout).toMatch(/Deployed: team\.a \(written\)/);
    expect(r.stdout).toMatch(/Deployed: team\.b \(FAILED\)/);
    expect(r.stdout).toMatch(/Deployed: team\.c \(not written\)/);
    const [failure] = errors(r);
    expect(failure).toMatch(/^deploy to team\.b failed: 500 Internal Server Error from POST /);
    expect(failure).toContain('Namespaces written: team.a; not written: team.c.');
    expect(failure).toContain("re-run the deploy (it sends only the flows that differ from the server's");
    expect(failure).not.toContain('\n');
  });

  it('retries a 503 twice, with a warning for each retry, then succeeds', async () => {
    const ws = seedTeamA();
    kestra.fault({ method: 'POST', path: bulkPath(version, 'team.a'), status: 503, count: 2 });
    const r = await deployAction(kestra.url, ws, { delete: 'true' });
    expect(r.failed).toBe(false);
    expect(kestra.writes().map((w) => w.status)).toEqual([503, 503, 200, 204]);
    expect(writeLines(kestra).slice(-2)).toEqual(BULK_THEN_DELETE());
    const retries = r.annotations.filter(
      (a) => a.level === 'warning' && /answered 503; retry/.test(a.message),
    );
    expect(retries.map((a) => a.message.match(/retry \d\/\d/)?.[0])).toEqual(['retry 1/3', 'retry 2/3']);
    expect(results(r.outputs).sort((a, b) => a.id.localeCompare(b.id))).toEqual(EXPECTED);
    expectTeamADeployed();
  });
});

describe('deploy flows under faults, Kestra 1.3', () => {
  let kestra: Emulator;
  beforeEach(async () => {
    kestra = await startEmulator({ version: '1.3.19', basicAuth: credentials });
  });
  afterEach(() => kestra.close());

  it('waits for Retry-After on a 429, then succeeds', async () => {
    kestra.fault({ method: 'POST', path: bulkPath('1.3', 'team.a'), status: 429, retryAfter: 1 });
    const start = Date.now();
    const r = await deployAction(kestra.url, makeWorkspace({ 'flows/a.yml': flow('team.a', 'a') }));
    const [first, second] = kestra.writes();
    expect(r.failed).toBe(false);
    expect([first?.status, second?.status]).toEqual([429, 200]);
    expect(Date.now() - start).toBeGreaterThanOrEqual(1000);
    expect(r.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(/answered 429; retry 1\/3 in 1\.0 s/),
      }),
    );
    expect(kestra.getFlow('team.a', 'a')).toBeDefined();
  });

  it('fails with the 401 hint when the write is refused after a successful validate, deleting nothing', async () => {
    kestra.seedFlow(flow('team.a', 'stale'));
    kestra.clearRequests();
    kestra.fault({ method: 'POST', path: bulkPath('1.3', 'team.a'), status: 401 });
    const r = await deployAction(kestra.url, makeWorkspace({ 'flows/a.yml': flow('team.a', 'a') }), {
      delete: 'true',
    });
    expect(r.failed).toBe(true);
    expect(kestra.requests.find((q) => q.path.endsWith('/flows/validate'))?.status).toBe(200);
    expect(kestra.writes().map((w) => w.status)).toEqual([401]);
    expect(kestra.getFlow('team.a', 'stale')).toBeDefined();
    expect(kestra.getFlow('team.a', 'a')).toBeUndefined();
    const [failure] = errors(r);
    expect(failure).toMatch(
      /401 Unauthorized from POST .*: the server refused the basic auth sent from 'user'\/'password': check both/,
    );
    expect(r.outputs).toMatchObject({ created: '0', updated: '0', unchanged: '0', deleted: '0' });
    expect(r.summary).toMatch(/0 created · 0 updated · 0 unchanged · 0 deleted/);
    expect(r.summary).toMatch(/<code>team\.a<\/code><\/td><td>❌ failed/);
  });

  it('reports a proxy HTML 502 page as one line with the status and the page text, no stack trace', async () => {
    kestra.fault({ method: 'POST', path: bulkPath('1.3', 'team.a'), status: 502, html: true, count: 2 });
    const r = await deployPipeline(kestra.url, makeWorkspace({ 'flows/a.yml': flow('team.a', 'a') }));
    expect(r.failed).toBe(true);
    const [failure] = errors(r);
    expect(failure).toMatch(
      /^deploy to team\.a failed: 502 Bad Gateway from POST http:\S+\/api\/v1\/main\/flows\/team\.a\?delete=false: 502 Bad Gateway 502 Bad Gateway nginx \(not a Kestra answer/,
    );
    expect(failure).toContain('(after 2 attempts)');
    expect(failure).not.toMatch(/[\n<>]/);
    expect(r.stdout).not.toMatch(/^\s+at /m);
    expect(errors(r)).toHaveLength(1);
  });

  it('a failing search for copies in other namespaces never stops the deploy: it says so and goes on', async () => {
    kestra.seedFlow(flow('team.old', 'a'));
    kestra.clearRequests();
    kestra.fault({ method: 'GET', path: /\/flows\/search$/, status: 500, count: 10 });
    const r = await deployPipeline(kestra.url, makeWorkspace({ 'flows/a.yml': flow('team.a', 'a') }));
    expect(r.failed).toBe(false);
    expect(kestra.getFlow('team.a', 'a')).toBeDefined();
    expect(r.stdout).toMatch(
      /^Could not look for copies of the new flows in other namespaces: 500 Internal Server Error from GET /m,
    );
    expect(JSON.parse(r.outputs.plan as string)['team.a'].elsewhere).toBeUndefined();
  });

  it('with excluded flows kept, writes without the bulk delete, then deletes one by one and reports a failure', async () => {
    for (const id of ['kept', 'gone1', 'gone2']) kestra.seedFlow(flow('team.a', id));
    kestra.clearRequests();
    kestra.fault({ method: 'DELETE', path: `${apiBase('1.3')}/flows/team.a/gone2`, status: 500, count: 10 });
    const ws = makeWorkspace({
      'flows/a.yml': flow('team.a', 'a'),
      'flows/drafts/kept.yml': flow('team.a', 'kept'),
    });
    const r = await deployPipeline(kestra.url, ws, { delete: true, exclude: ['drafts'] });
    expect(r.failed).toBe(true);
    expect(writeLines(kestra)).toEqual([
      `POST ${bulkPath('1.3', 'team.a')}?delete=false`,
      `DELETE ${apiBase('1.3')}/flows/team.a/gone1`,
      `DELETE ${apiBase('1.3')}/flows/team.a/gone2`,
    ]);
    expect(kestra.getFlow('team.a', 'kept')).toBeDefined();
    expect(kestra.getFlow('team.a', 'gone1')).toBeUndefined();
    expect(kestra.getFlow('team.a', 'gone2')).toBeDefined();
    expect(results(r.outputs)).toEqual([
      { namespace: 'team.a', id: 'a', action: 'created', revision: 1 },
      { namespace: 'team.a', id: 'gone1', action: 'deleted', revision: 1 },
    ]);
    const [failure] = errors(r);
    expect(failure).toContain('In team.a, written or deleted: a, gone1; failed: gone2.');
  });

  it('flow by flow, reports each write right when the server acted but every answer was lost once', async () => {
    const v12 = await startEmulator({ version: '1.2.0' });
    // The first answer of each write is lost; the retry's comes through.
    const seen = new Set<string>();
    const firstWrite = (m: string, p: string): boolean =>
      m !== 'GET' && !p.endsWith('/validate') && !seen.has(`${m} ${p}`) && !!seen.add(`${m} ${p}`);
    const proxy = await lossyProxy(v12.url, firstWrite, 3);
    try {
      v12.seedFlow(flow('team.b', 'changed'));
      v12.seedFlow(flow('team.b', 'stale'));
      // Flow by flow, writes are PUTs, which store the text as sent: the same file is a no-op, never sent.
      v12.seedFlow(flow('team.b', 'same'));
      v12.clearRequests();
      const ws = makeWorkspace({
        'flows/1.yml': flow('team.b', 'new', 'description: "a---b"\n'),
        'flows/2.yml': flow('team.b', 'changed', 'description: changed\n'),
        'flows/3.yml': flow('team.b', 'same'),
      });
      const r = await deployAction(proxy.url, ws, { delete: 'true', user: '', password: '' });
      expect(r.failed).toBe(false);
      expect(proxy.lost).toEqual([
        'POST /api/v1/main/flows',
        'PUT /api/v1/main/flows/team.b/changed',
        'DELETE /api/v1/main/flows/team.b/stale',
      ]);
      // Each was carried out twice: the create's repeat is refused (exists), the delete's finds nothing.
      expect(v12.writes().map((w) => `${w.method} ${w.status}`)).toEqual([
        'POST 200',
        'POST 422',
        'PUT 200',
        'PUT 200',
        'DELETE 204',
        'DELETE 404',
      ]);
      expect(results(r.outputs)).toEqual([
        { namespace: 'team.b', id: 'new', action: 'created', revision: 1 },
        { namespace: 'team.b', id: 'changed', action: 'updated', revision: 2 },
        { namespace: 'team.b', id: 'same', action: 'unchanged', revision: 1 },
        { namespace: 'team.b', id: 'stale', action: 'deleted', revision: 1 },
      ]);
      expect(v12.getFlow('team.b', 'stale')).toBeUndefined();
      expect(v12.getFlow('team.b', 'same')?.revision).toBe(1);
      expect(v12.writes().some((w) => w.path.endsWith('/same') || w.body.includes('id: same'))).toBe(false);
    } finally {
      await proxy.close();
      await v12.close();
    }
  });

  it('stops flow by flow at a failed write: written flows reported, no deletion attempted', async () => {
    const v12 = await startEmulator({ version: '1.2.0' });
    try {
      v12.seedFlow(flow('team.b', 'two'));
      v12.seedFlow(flow('team.b', 'stale'));
      v12.clearRequests();
      // `---` in a value: 1.2 would split the YAML bulk body there, so this namespace goes flow by flow.
      const ws = makeWorkspace({
        'flows/1.yml': flow('team.b', 'one', 'description: "a---b"\n'),
        'flows/2.yml': flow('team.b', 'two', 'description: changed\n'),
        'flows/3.yml': flow('team.b', 'three'),
      });
      v12.fault({ method: 'PUT', path: `${apiBase('1.2')}/flows/team.b/two`, status: 500 });
      const r = await deployAction(v12.url, ws, { delete: 'true' });
      expect(r.failed).toBe(true);
      expect(writeLines(v12)).toEqual(['POST /api/v1/main/flows', 'PUT /api/v1/main/flows/team.b/two']);
      expect(v12.getFlow('team.b', 'stale')).toBeDefined();
      expect(v12.getFlow('team.b', 'three')).toBeUndefined();
      expect(results(r.outputs)).toEqual([
        { namespace: 'team.b', id: 'one', action: 'created', revision: 1 },
      ]);
      expect(r.stdout).toMatch(/! failed +two/);
      expect(r.stdout).toMatch(/! not written +three/);
      expect(r.stdout).toMatch(/! not deleted +stale/);
      expect(r.summary).toMatch(
        /❌ failed[^<]*<br>500 Internal Server Error[^<]*<br>failed \(1\): <code>two<\/code><br>not written \(1\): <code>three<\/code><br>not deleted \(1\): <code>stale<\/code>/,
      );
      const [failure] = errors(r);
      expect(failure).toContain(
        'In team.b, written or deleted: one; failed: two; not written: three; not deleted: stale.',
      );
    } finally {
      await v12.close();
    }
  });
});
