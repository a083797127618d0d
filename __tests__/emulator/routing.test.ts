import { afterEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { call, flow, form, postYaml, type ErrorJson } from './http.js';

let emulator: Emulator | undefined;
const start = async (opts: EmulatorOptions = {}): Promise<Emulator> => (emulator = await startEmulator(opts));
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('GET /api/v1/configs', () => {
  it('reports version and edition from 1.0, with isBasicAuthInitialized', async () => {
    const e = await start({ version: '1.3.19', edition: 'EE' });
    const res = await call(e, 'GET', '/api/v1/configs');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ version: '1.3.19', edition: 'EE', isBasicAuthInitialized: false });
  });

  it('has no edition before 1.0, and isBasicAuthEnabled before 0.24', async () => {
    const e = await start({ version: '0.22.0', basicAuth: { username: 'u', password: 'p' } });
    const auth = { authorization: 'Basic ' + Buffer.from('u:p').toString('base64') };
    const body = (await call(e, 'GET', '/api/v1/configs', { headers: auth })).json<Record<string, unknown>>();
    expect(body.version).toBe('0.22.0');
    expect(body).not.toHaveProperty('edition');
    expect(body.isBasicAuthEnabled).toBe(true);
    // 0.22 mapped it as `{/tenant}/configs`.
    expect((await call(e, 'GET', '/api/v1/main/configs', { headers: auth })).status).toBe(200);
  });

  it('keeps a -SNAPSHOT suffix', async () => {
    const e = await start({ version: '2.0.0-SNAPSHOT' });
    expect((await call(e, 'GET', '/api/v1/configs')).json()).toMatchObject({ version: '2.0.0-SNAPSHOT' });
  });
});

describe('paths before 0.23 have no tenant', () => {
  it('serves /api/v1/flows… and answers 404 for /api/v1/main/flows…', async () => {
    const e = await start({ version: '0.22.0' });
    e.seedFlow(flow('a'));
    expect((await call(e, 'GET', '/api/v1/flows/company.team/a')).status).toBe(200);
    const res = await call(e, 'GET', '/api/v1/main/flows/company.team/a');
    expect(res.status).toBe(404);
    expect(res.json<ErrorJson>().message).toBe('Not Found');
    // Flows carry no tenantId there.
    expect((await call(e, 'GET', '/api/v1/flows/company.team/a')).json()).not.toHaveProperty('tenantId');
  });
});

describe('paths from 0.23 carry the tenant', () => {
  it('serves /api/v1/main/… and rejects another tenant with 400 on OSS', async () => {
    const e = await start({ version: '0.23.0' });
    e.seedFlow(flow('a'));
    const ok = await call(e, 'GET', '/api/v1/main/flows/company.team/a');
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ tenantId: 'main' });
    const res = await call(e, 'GET', '/api/v1/other/flows/company.team/a');
    expect(res.status).toBe(400);
    expect(res.json<ErrorJson>()).toEqual({
      message: "Bad Request: Tenant must be 'main' for OSS version",
      _links: { self: { href: '/api/v1/other/flows/company.team/a', templated: false } },
    });
  });

  it('aliases a tenant-less path that matches no route to main (TenantAliasingRooter)', async () => {
    const e = await start({ version: '1.3.19' });
    e.seedFlow(flow('a'));
    expect((await call(e, 'GET', '/api/v1/flows/company.team/a')).status).toBe(200);
    const validate = await postYaml(e, '/api/v1/flows/validate', flow('b'));
    expect(validate.status).toBe(200);
  });

  it('takes a tenant-less path literally when it fits a {tenant} route, and fails the tenant check', async () => {
    const e = await start();
    const res = await call(e, 'GET', '/api/v1/executions/flows/ns/id');
    expect(res.status).toBe(400);
  });

  it('prefers literal segments: GET flows/search is the search, not namespace "search"', async () => {
    const e = await start();
    e.seedFlow(flow('a'));
    expect((await call(e, 'GET', '/api/v1/main/flows/search')).json()).toMatchObject({ total: 1 });
  });

  it('answers 405 for a known path with another method, 404 for an unknown path', async () => {
    const e = await start();
    const res = await call(e, 'PATCH', '/api/v1/main/flows/company.team');
    expect(res.status).toBe(405);
    expect((await call(e, 'GET', '/api/v1/main/nothing/here/at/all')).status).toBe(404);
    expect((await call(e, 'GET', '/not-api')).status).toBe(404);
  });

  it('has no namespace-file revisions route before 1.2', async () => {
    const e = await start({ version: '1.1.0' });
    e.seedFile('ns', '/a.txt', 'x');
    expect((await call(e, 'GET', '/api/v1/main/namespaces/ns/files/revisions?path=/a.txt')).status).toBe(404);
  });
});

describe('EE tenants', () => {
  it('keeps tenants apart and answers 404 for a tenant that does not exist', async () => {
    const e = await start({ edition: 'EE', tenants: ['main', 'prod'] });
    expect((await postYaml(e, '/api/v1/prod/flows', flow('a'))).status).toBe(200);
    expect(e.getFlow('company.team', 'a', 'prod')).toMatchObject({ tenantId: 'prod', revision: 1 });
    expect(e.getFlow('company.team', 'a')).toBeUndefined();
    expect((await call(e, 'GET', '/api/v1/main/flows/company.team/a')).status).toBe(404);
    const res = await call(e, 'GET', '/api/v1/dev/flows/company.team/a');
    expect(res.status).toBe(404);
    expect(res.json<ErrorJson>().message).toBe("Not Found: Tenant not found: 'dev'");
  });
});

describe('content types', () => {
  it('rejects multipart on validate before 1.3 with 415, and accepts it from 1.3', async () => {
    const body = form([{ name: 'flows', content: flow('a'), filename: 'a.yml' }]);
    const old = await start({ version: '1.2.0' });
    expect((await call(old, 'POST', '/api/v1/main/flows/validate', { body })).status).toBe(415);
    await old.close();
    const e = await start({ version: '1.3.0' });
    const body2 = form([{ name: 'flows', content: flow('a'), filename: 'a.yml' }]);
    expect((await call(e, 'POST', '/api/v1/main/flows/validate', { body: body2 })).status).toBe(200);
  });

  it('rejects other media types on YAML endpoints with 415', async () => {
    const e = await start();
    const res = await call(e, 'POST', '/api/v1/main/flows/validate', {
      body: flow('a'),
      contentType: 'text/yaml',
    });
    expect(res.status).toBe(415);
    expect(
      (await call(e, 'POST', '/api/v1/main/flows/ns', { body: '{}', contentType: 'application/json' }))
        .status,
    ).toBe(415);
  });

  it('accepts application/x-yaml with parameters', async () => {
    const e = await start();
    const res = await postYaml(e, '/api/v1/main/flows/validate', flow('a'));
    const withCharset = await call(e, 'POST', '/api/v1/main/flows/validate', {
      body: flow('a'),
      contentType: 'application/x-yaml; charset=utf-8',
    });
    expect(withCharset.status).toBe(200);
    expect(withCharset.text).toBe(res.text);
  });
});
