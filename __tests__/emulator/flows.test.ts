import { afterEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { call, flow, postYaml, YAML, type ErrorJson, type FlowJson } from './http.js';

let emulator: Emulator | undefined;
const start = async (opts: EmulatorOptions = {}): Promise<Emulator> => (emulator = await startEmulator(opts));
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const NS = 'company.team';
const FLOWS = '/api/v1/main/flows';
const put = (e: Emulator, id: string, body: string, ns = NS) =>
  call(e, 'PUT', `${FLOWS}/${ns}/${id}`, { body, contentType: YAML });

describe('create', () => {
  it('answers the FlowWithSource at revision 1, then 422 when the flow exists', async () => {
    const e = await start();
    const source = '# my flow\n' + flow('a');
    const res = await postYaml(e, FLOWS, source);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      id: 'a',
      namespace: NS,
      revision: 1,
      deleted: false,
      disabled: false,
      source,
      tenantId: 'main',
    });
    expect(res.json<FlowJson>().tasks).toEqual([
      { id: 'hello', type: 'io.kestra.plugin.core.log.Log', message: 'Hello a' },
    ]);
    const again = await postYaml(e, FLOWS, source);
    expect(again.status).toBe(422);
    expect(again.json<ErrorJson>()).toEqual({
      message: 'Invalid entity: flow.id: Flow id already exists',
      _links: { self: { href: FLOWS, templated: false } },
      _embedded: { errors: [{ message: 'Flow id already exists', path: 'flow.id' }] },
    });
  });

  it('answers 422 with one error per violation for an invalid flow', async () => {
    const e = await start();
    const res = await postYaml(e, FLOWS, 'id: a b\nnamespace: n\ntasks: []\n');
    expect(res.status).toBe(422);
    const body = res.json<ErrorJson>();
    expect(body.message).toBe(
      'Invalid entity: id: must match "^[a-zA-Z0-9][a-zA-Z0-9._-]*"\ntasks: must not be empty\n',
    );
    expect(body._embedded!.errors).toEqual([
      { message: 'must match "^[a-zA-Z0-9][a-zA-Z0-9._-]*"', path: 'id' },
      { message: 'must not be empty', path: 'tasks' },
    ]);
    expect(e.listFlows()).toEqual([]);
  });

  it('refuses a blank source', async () => {
    const e = await start();
    const res = await postYaml(e, FLOWS, '  \n');
    expect(res.status).toBe(422);
    expect(res.json<ErrorJson>().message).toBe(
      'Illegal argument: Cannot create flow with null or blank source',
    );
  });

  it('sends other media types to the deprecated JSON handler before 2.0, and answers 415 in 2.0', async () => {
    const e = await start({ version: '1.3.19' });
    const notJson = await call(e, 'POST', FLOWS, { body: flow('a'), contentType: 'text/plain' });
    expect(notJson.status).toBe(422);
    expect(notJson.json<ErrorJson>().message).toMatch(/^Invalid json: /);
    const json = {
      id: 'j',
      namespace: NS,
      tasks: [{ id: 't', type: 'io.kestra.plugin.core.log.Log', message: 'm' }],
    };
    const created = await call(e, 'POST', FLOWS, {
      body: JSON.stringify(json),
      contentType: 'application/json',
    });
    expect(created.status).toBe(200);
    expect(created.json()).not.toHaveProperty('source');
    await e.close();
    const e20 = await start({ version: '2.0.0' });
    expect((await call(e20, 'POST', FLOWS, { body: flow('a'), contentType: 'text/plain' })).status).toBe(415);
  });
});

describe('update', () => {
  it('answers 404 for a missing flow (no upsert)', async () => {
    const e = await start();
    const res = await put(e, 'a', flow('a'));
    expect(res.status).toBe(404);
    expect(res.json<ErrorJson>().message).toBe('Not Found');
    expect(e.listFlows()).toEqual([]);
  });

  it('bumps the revision only when the source changes', async () => {
    const e = await start();
    e.seedFlow(flow('a'));
    expect((await put(e, 'a', flow('a'))).json<FlowJson>().revision).toBe(1);
    expect((await put(e, 'a', 'revision: 1\n' + flow('a'))).json<FlowJson>().revision).toBe(1);
    const changed = await put(e, 'a', flow('a', NS, 'description: changed\n'));
    expect(changed.json()).toMatchObject({ revision: 2, description: 'changed' });
  });

  it('refuses a change of id or namespace', async () => {
    const e = await start();
    e.seedFlow(flow('a'));
    const res = await put(e, 'a', flow('b', 'other'));
    expect(res.status).toBe(422);
    expect(res.json<ErrorJson>().message).toBe(
      'Invalid entity: flow.id: Illegal flow id update, flow.namespace: Illegal namespace update',
    );
  });

  it('accepts unknown properties on update in 1.3 but not in 2.0', async () => {
    const withUnknown = flow('a', NS, 'unknownKey: 1\n');
    const e = await start({ version: '1.3.19' });
    e.seedFlow(flow('a'));
    expect((await put(e, 'a', withUnknown)).status).toBe(200);
    await e.close();
    const e20 = await start({ version: '2.0.0' });
    e20.seedFlow(flow('a'));
    const res = await put(e20, 'a', withUnknown);
    expect(res.status).toBe(422);
    expect(res.json<{ detail: string }>().detail).toContain('Unrecognized field "unknownKey"');
  });
});

describe('get, list, delete, search', () => {
  it('returns the source verbatim with source=true, and no source otherwise', async () => {
    const e = await start();
    const source =
      '# comment kept\nid: a\nnamespace: company.team\n\ntasks:\n  - id: t   # inline\n    type: io.kestra.plugin.core.log.Log\n    message: "x"\n';
    e.seedFlow(source);
    expect((await call(e, 'GET', `${FLOWS}/${NS}/a?source=true`)).json<FlowJson>().source).toBe(source);
    expect((await call(e, 'GET', `${FLOWS}/${NS}/a`)).json()).not.toHaveProperty('source');
    expect((await call(e, 'GET', `${FLOWS}/${NS}/missing`)).status).toBe(404);
  });

  it('deletes softly: 204, then 404; a new create continues the revision numbering', async () => {
    const e = await start();
    e.seedFlow(flow('a'));
    const res = await call(e, 'DELETE', `${FLOWS}/${NS}/a`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await call(e, 'DELETE', `${FLOWS}/${NS}/a`)).status).toBe(404);
    expect((await call(e, 'GET', `${FLOWS}/${NS}/a`)).status).toBe(404);
    expect((await call(e, 'GET', `${FLOWS}/${NS}/a?allowDeleted=true`)).json()).toMatchObject({
      revision: 2,
      deleted: true,
    });
    expect((await postYaml(e, FLOWS, flow('a'))).json<FlowJson>().revision).toBe(3);
    expect((await call(e, 'GET', `${FLOWS}/${NS}/a?revision=1&source=true`)).json<FlowJson>().source).toBe(
      flow('a'),
    );
  });

  it('lists the latest non-deleted flows of the exact namespace, without source', async () => {
    const e = await start();
    e.seedFlow(flow('b'));
    e.seedFlow(flow('a'));
    e.seedFlow(flow('c', `${NS}.child`));
    e.seedFlow(flow('gone'));
    await call(e, 'DELETE', `${FLOWS}/${NS}/gone`);
    const list = (await call(e, 'GET', `${FLOWS}/${NS}`)).json<FlowJson[]>();
    expect(list.map((f) => f.id)).toEqual(['a', 'b']);
    expect(list.every((f) => !('source' in f))).toBe(true);
  });

  it('searches by namespace prefix (legacy) or exact filter, with paging', async () => {
    const e = await start();
    for (const id of ['a', 'b', 'c']) e.seedFlow(flow(id));
    e.seedFlow(flow('d', `${NS}.child`));
    e.seedFlow(flow('e', 'elsewhere'));
    const legacy = (await call(e, 'GET', `${FLOWS}/search?namespace=${NS}&size=2&page=2`)).json<{
      results: FlowJson[];
      total: number;
    }>();
    expect(legacy.total).toBe(4);
    expect(legacy.results.map((f) => f.id)).toEqual(['c', 'd']);
    const exact = (await call(e, 'GET', `${FLOWS}/search?filters[namespace][EQUALS]=${NS}&size=50`)).json<{
      total: number;
    }>();
    expect(exact.total).toBe(3);
  });

  it.each([
    // version, edition, legacy `q` read, `filters[q]` read
    ['1.2.0', 'OSS', true, false],
    ['1.3.19', 'OSS', true, true],
    ['1.3.0', 'EE', false, true],
    ['2.0.0', 'OSS', false, true],
  ] as const)(
    '%s %s: reads the legacy q (%s) and filters (%s); an unknown one leaves it unfiltered',
    async (version, edition, legacy, filters) => {
      const e = await start({ version, edition });
      e.seedFlow(flow('mover'));
      e.seedFlow(flow('mover', 'other.team'));
      e.seedFlow(flow('else'));
      const total = async (query: string): Promise<number> =>
        (await call(e, 'GET', `${FLOWS}/search?${query}`)).json<{ total: number }>().total;
      expect(await total('q=MOVER')).toBe(legacy ? 2 : 3);
      expect(await total('filters%5Bq%5D%5BEQUALS%5D=mover')).toBe(filters ? 2 : 3);
    },
  );
});
