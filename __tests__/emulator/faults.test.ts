import { afterEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { call, flow, postYaml, type ErrorJson } from './http.js';

let emulator: Emulator | undefined;
const start = async (): Promise<Emulator> => (emulator = await startEmulator());
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const LIST = '/api/v1/main/flows/company.team';

describe('faults', () => {
  it('answers the given status with a JsonError for the next `count` matching requests, then disappears', async () => {
    const e = await start();
    e.fault({ method: 'GET', path: LIST, status: 503, count: 2, retryAfter: 7 });
    for (let i = 0; i < 2; i++) {
      const res = await call(e, 'GET', LIST);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(res.json<ErrorJson>()).toEqual({
        message: 'Service Unavailable',
        _links: { self: { href: LIST, templated: false } },
      });
    }
    expect((await call(e, 'GET', LIST)).status).toBe(200);
    // Faulted requests are recorded with the status they got.
    expect(e.requests.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('matches on method and on a RegExp path', async () => {
    const e = await start();
    e.fault({ method: 'POST', path: /\/flows\/validate$/, status: 500 });
    expect((await call(e, 'GET', LIST)).status).toBe(200);
    expect((await postYaml(e, '/api/v1/main/flows/validate', flow('a'))).status).toBe(500);
    expect((await postYaml(e, '/api/v1/main/flows/validate', flow('a'))).status).toBe(200);
  });

  it('answers an HTML page like a proxy, or a raw body', async () => {
    const e = await start();
    e.fault({ path: LIST, status: 502, html: true });
    const html = await call(e, 'GET', LIST);
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.text).toContain('<h1>502 Bad Gateway</h1>');
    e.fault({ path: LIST, status: 429, body: 'slow down' });
    expect((await call(e, 'GET', LIST)).text).toBe('slow down');
  });

  it('drops the connection without an answer', async () => {
    const e = await start();
    e.fault({ path: LIST, drop: true });
    await expect(call(e, 'GET', LIST)).rejects.toThrow();
    expect(e.requests[0]!.status).toBe(0);
    expect((await call(e, 'GET', LIST)).status).toBe(200);
  });

  it('delays normal handling, or the fault answer', async () => {
    const e = await start();
    e.fault({ path: LIST, delayMs: 150 });
    let t0 = Date.now();
    expect((await call(e, 'GET', LIST)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    e.fault({ path: LIST, delayMs: 150, status: 504 });
    t0 = Date.now();
    expect((await call(e, 'GET', LIST)).status).toBe(504);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });
});

describe('recording', () => {
  it('records every request; writes() leaves out reads and validation', async () => {
    const e = await start();
    await postYaml(e, '/api/v1/main/flows/validate', flow('a'));
    await postYaml(e, '/api/v1/main/flows', flow('a'));
    await call(e, 'GET', `${LIST}/a?source=true`);
    await call(e, 'DELETE', `${LIST}/a`);
    expect(e.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /api/v1/main/flows/validate 200',
      'POST /api/v1/main/flows 200',
      `GET ${LIST}/a 200`,
      `DELETE ${LIST}/a 204`,
    ]);
    const [create] = e.writes();
    expect(create!.body.toString()).toBe(flow('a'));
    expect(create!.contentType).toBe('application/x-yaml');
    expect(e.requests[2]!.query.get('source')).toBe('true');
    expect(e.writes().map((r) => r.method)).toEqual(['POST', 'DELETE']);
    e.clearRequests();
    expect(e.requests).toEqual([]);
  });
});
