// Error mapping, retries, timeouts, proxy and TLS of the client, over real sockets against tiny servers
// that produce what the emulator cannot (drops, hangs, HTML from a proxy, self-signed TLS).
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmulator } from '../../emulator/index.js';
import { connect } from '../../src/kestra/index.js';
import type { ClientOptions, KestraClient, Logger } from '../../src/kestra/index.js';
import { Transport, backoffDelay } from '../../src/kestra/http.js';
import { failure, fastRetry, freePort, json, startServer, type Handler, type TestServer } from './helpers.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function serve(handler: Handler, configs?: object | null): Promise<TestServer> {
  const s = await startServer(handler, configs);
  open.push(s);
  return s;
}

async function client(
  server: string,
  extra: Partial<ClientOptions> = {},
  log?: Logger,
): Promise<KestraClient> {
  const c = await connect({ server, retry: fastRetry, timeoutSeconds: 5, ...extra }, log);
  open.push(c);
  return c;
}

const flow =
  'id: a\nnamespace: team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';

describe('error messages', () => {
  it('401 names the credentials to check and never shows them', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Basic realm=Kestra' });
      res.end();
    });
    const c = await client(s.url, { user: 'me@x.io', password: 'S3cret-pass' });
    const err = await failure(c.validateFlows([{ source: flow, filename: 'a.yml' }]));
    expect(err.status).toBe(401);
    expect(err.message).toBe(
      `401 Unauthorized from POST ${s.url}/api/v1/main/flows/validate: the server refused the basic auth sent from 'user'/'password': check both`,
    );
    expect(err.message).not.toContain('S3cret');
    expect(err.message).not.toContain(Buffer.from('me@x.io:S3cret-pass').toString('base64'));
    expect(s.calls()).toHaveLength(1); // no retry on 401
  });

  it('401 without credentials asks for them; 401 with a token on OSS says OSS ignores tokens', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(401);
      res.end();
    });
    const none = await client(s.url);
    expect((await failure(none.listFlows('team'))).message).toContain(
      "the server requires authentication: set 'user'/'password' or 'api-token'",
    );
    const token = await client(s.url, { apiToken: 'tok' });
    expect((await failure(token.listFlows('team'))).message).toContain(
      'open-source Kestra ignores API tokens',
    );
  });

  it('401 on /api/v1/configs fails connect with a clear error', async () => {
    // OSS ≤ 0.23 with basic auth, or EE: /configs is protected too, and was sent with the credentials.
    const s = await serve((_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Basic' });
      res.end();
    }, null);
    const err = await failure(
      connect({ server: s.url, user: 'a@b.c', password: 'Wrong-pass1', retry: fastRetry }),
    );
    expect(err.message).toBe(
      `401 Unauthorized from GET ${s.url}/api/v1/configs: the server refused the basic auth sent from 'user'/'password': check both`,
    );
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('a@b.c:Wrong-pass1').toString('base64')}`,
    );
  });

  it('403 names the namespace and tenant', async () => {
    const s = await serve((_req, res) => json(res, 403, { message: 'Forbidden' }), {
      version: '1.3.0',
      edition: 'EE',
    });
    const c = await client(s.url, { apiToken: 't', tenant: 'acme' });
    const err = await failure(c.listFlows('team.a'));
    expect(err.status).toBe(403);
    expect(err.message).toContain(`403 Forbidden from GET ${s.url}/api/v1/acme/flows/team.a: Forbidden`);
    expect(err.message).toContain("lack permission on namespace 'team.a' in tenant 'acme'");
  });

  it('404 on a tenant path hints at the tenant and server version', async () => {
    const s = await serve((_req, res) => json(res, 404, { message: 'Not Found' }));
    const c = await client(s.url);
    const err = await failure(c.updateFlow('team', 'a', flow));
    expect(err.status).toBe(404);
    expect(err.message).toContain(`404 Not Found from PUT ${s.url}/api/v1/main/flows/team/a: Not Found`);
    expect(err.message).toContain("check 'tenant' ('main')");
  });

  it("400 'Tenant must be main' hints at the tenant input", async () => {
    const s = await serve((_req, res) =>
      json(res, 400, { message: "Bad Request: Tenant must be 'main' for OSS version" }),
    );
    const c = await client(s.url, { tenant: 'prod' });
    const err = await failure(c.listFlows('team'));
    expect(err.message).toContain("Tenant must be 'main' for OSS version");
    expect(err.message).toContain("set 'tenant' to main");
    expect(s.calls()[0]?.url).toBe('/api/v1/prod/flows/team');
  });

  it('422 gives the server message and each _embedded.errors line, without retry', async () => {
    const s = await serve((_req, res) =>
      json(res, 422, {
        message: 'Invalid entity: flow.namespace: main_team_a_-1 - flow namespace is invalid',
        _links: { self: { href: '/api/v1/main/flows/other', templated: false } },
        _embedded: {
          errors: [
            { message: 'main_team_a_-1 - flow namespace is invalid', path: 'flow.namespace' },
            { message: 'Duplicate flow id', path: 'flow.id' },
          ],
        },
      }),
    );
    const c = await client(s.url);
    const err = await failure(
      c.bulkUpdate('other', [{ source: flow, filename: 'a.yml' }], { delete: false }),
    );
    expect(err.status).toBe(422);
    expect(err.serverMessage).toBe(
      'Invalid entity: flow.namespace: main_team_a_-1 - flow namespace is invalid',
    );
    expect(err.details).toEqual([
      { message: 'main_team_a_-1 - flow namespace is invalid', path: 'flow.namespace' },
      { message: 'Duplicate flow id', path: 'flow.id' },
    ]);
    expect(err.message.split('\n')).toEqual([
      `422 Unprocessable Entity from POST ${s.url}/api/v1/main/flows/other?delete=false: Invalid entity: flow.namespace: main_team_a_-1 - flow namespace is invalid`,
      '  - flow.id: Duplicate flow id',
    ]);
    expect(s.calls()).toHaveLength(1);
  });

  it('500 is a server error, not retried', async () => {
    const s = await serve((_req, res) => json(res, 500, { message: 'Internal server error: boom' }));
    const c = await client(s.url);
    const err = await failure(c.listFlows('team'));
    expect(err.message).toBe(
      `500 Internal Server Error from GET ${s.url}/api/v1/main/flows/team: Internal server error: boom: server error, the request may be fine; see the Kestra server logs`,
    );
    expect(s.calls()).toHaveLength(1);
  });

  it('an HTML page from a proxy becomes one line with the status and its text', async () => {
    const page = `<html><head><style>body{}</style><title>502</title></head><body><h1>Bad   Gateway</h1><p>nginx &amp; co</p>${'x'.repeat(400)}</body></html>`;
    const s = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(page);
    });
    const c = await client(s.url, { retry: { attempts: 1 } });
    const err = await failure(c.listFlows('team'));
    expect(err.message).not.toContain('\n');
    expect(err.message).toMatch(
      new RegExp(`^502 Bad Gateway from GET ${s.url}/api/v1/main/flows/team: 502 Bad Gateway nginx & co x+…`),
    );
    expect(err.message).toContain('(not a Kestra answer: a proxy or load balancer?)');
    expect(err.message).not.toContain('<');
    expect(err.message.length).toBeLessThan(400);
  });

  it('a 200 that is not JSON (an SSO login page) is an error', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Please sign in</body></html>');
    });
    const c = await client(s.url);
    const err = await failure(c.listFlows('team'));
    expect(err.message).toContain('Please sign in');
    expect(err.message).toContain('expected JSON: is this a Kestra server?');
  });

  it('a redirect names its target', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(301, { location: 'https://kestra.example.com/api/v1/main/flows/team' });
      res.end();
    });
    const c = await client(s.url);
    const err = await failure(c.listFlows('team'));
    expect(err.message).toContain('redirects to https://kestra.example.com/api/v1/main/flows/team');
  });

  it('connection refused says so and suggests checking server', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const err = await failure(connect({ server: url, retry: fastRetry }));
    expect(err.message).toBe(
      `cannot reach ${url}/api/v1/configs: ECONNREFUSED — is 'server' right and the server up? (after 4 attempts)`,
    );
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.message).not.toMatch(/\n\s+at /);
  });

  it('a 404 on /configs says the URL is not a Kestra API', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such page');
    }, null);
    const err = await failure(connect({ server: `${s.url}/api/v1`, retry: fastRetry }));
    expect(err.message).toContain(`404 Not Found from GET ${s.url}/api/v1/configs: no such page`);
    expect(err.message).toContain("'server' should be the Kestra base URL");
  });
});

describe('retry pauses', () => {
  const retry = { baseMs: 500, maxDelayMs: 10_000 };
  const schedule = (randoms: number[]) => randoms.map((r, i) => backoffDelay(i + 1, retry, () => r));

  it('keep their jitter on a growing base: each pause is at least the floor of the one before', () => {
    // The sequence full jitter turns into 0.3 s, 0.2 s, 1.4 s.
    const worst = [0.6, 0.1, 0.7, 0, 1, 0, 1, 0];
    const pauses = schedule(worst);
    const floors = worst.map((_, i) => backoffDelay(i + 1, retry, () => 0));
    const ceilings = worst.map((_, i) => backoffDelay(i + 1, retry, () => 1));
    expect(floors.slice(0, 5)).toEqual([250, 500, 1000, 2000, 4000]);
    expect(ceilings.slice(0, 5)).toEqual([500, 1000, 2000, 4000, 8000]);
    for (let i = 1; i < pauses.length; i++) {
      expect(pauses[i]).toBeGreaterThanOrEqual(floors[i]!);
      expect(pauses[i]).toBeGreaterThanOrEqual(floors[i - 1]!);
      // Below the cap the bases strictly grow, and a pause is never shorter than the one before it.
      if (ceilings[i]! < retry.maxDelayMs) {
        expect(floors[i]).toBeGreaterThan(floors[i - 1]!);
        expect(pauses[i]).toBeGreaterThanOrEqual(pauses[i - 1]!);
      }
    }
    expect(pauses.slice(0, 3)).toEqual([400, 550, 1700]);
  });

  it('stay jittered within the cap, whatever the random source gives', () => {
    for (const r of [0, 0.5, 1, -3, 7]) {
      const pause = backoffDelay(10, retry, () => r);
      expect(pause).toBeGreaterThanOrEqual(5000);
      expect(pause).toBeLessThanOrEqual(10_000);
    }
  });

  it('grow between real attempts against the emulator answering 503, and Retry-After still wins', async () => {
    const kestra = await startEmulator({ version: '1.3.19' });
    open.push(kestra);
    const warnings: string[] = [];
    const randoms = [1, 0, 0];
    const transport = new Transport({
      server: kestra.url,
      headers: {},
      timeoutSeconds: 5,
      retry: { attempts: 4, baseMs: 200, maxDelayMs: 10_000 },
      log: { info: () => {}, debug: () => {}, warning: (m) => warnings.push(m) },
      context: { auth: 'none', tenant: 'main', tenantInPath: true, timeoutSeconds: 5 },
      random: () => randoms.shift() ?? 0,
    });
    open.push(transport);
    kestra.fault({ path: '/api/v1/configs', status: 503, count: 3 });
    const started = Date.now();
    const answer = await transport.send({ method: 'GET', path: '/api/v1/configs' });
    expect(answer).toMatchObject({ status: 200, attempts: 4 });
    const pauses = warnings.map((w) => Number(/ in ([\d.]+) s$/.exec(w)?.[1]));
    expect(pauses).toEqual([0.2, 0.2, 0.4]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(790);

    warnings.length = 0;
    kestra.fault({ path: '/api/v1/configs', status: 503, retryAfter: 1 });
    await transport.send({ method: 'GET', path: '/api/v1/configs' });
    expect(warnings).toEqual([expect.stringMatching(/answered 503; retry 1\/3 in 1\.0 s$/)]);
  });
});

describe('retries', () => {
  it('503 then 200 succeeds on the second attempt', async () => {
    let n = 0;
    const s = await serve((_req, res) =>
      n++ === 0 ? json(res, 503, { message: 'busy' }) : json(res, 200, []),
    );
    const warnings: string[] = [];
    const c = await client(s.url, {}, { info: () => {}, debug: () => {}, warning: (m) => warnings.push(m) });
    expect(await c.listFlows('team')).toEqual([]);
    expect(s.calls()).toHaveLength(2);
    expect(c.requestCount).toBe(3); // configs + 2
    expect(warnings[0]).toMatch(/answered 503; retry 1\/3 in/);
  });

  it('429 waits for Retry-After seconds', async () => {
    let n = 0;
    const s = await serve((_req, res) => {
      if (n++ === 0) json(res, 429, { message: 'slow down' }, { 'retry-after': '1' });
      else json(res, 200, []);
    });
    const c = await client(s.url);
    const t0 = Date.now();
    await c.listFlows('team');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(s.calls()).toHaveLength(2);
  });

  it('a dropped connection is retried', async () => {
    let n = 0;
    const s = await serve((_req, res, raw) => (n++ === 0 ? raw.socket.destroy() : json(res, 200, [])));
    const c = await client(s.url);
    expect(await c.listFlows('team')).toEqual([]);
    expect(s.calls()).toHaveLength(2);
  });

  it('gives up after the configured attempts and says how many', async () => {
    const s = await serve((_req, res) => json(res, 504, { message: 'Gateway Timeout' }));
    const c = await client(s.url);
    const err = await failure(c.listFlows('team'));
    expect(err.status).toBe(504);
    expect(err.attempts).toBe(4);
    expect(err.message).toMatch(/ \(after 4 attempts\)$/);
    expect(s.calls()).toHaveLength(4);
  });

  it('retries a multipart upload with a fresh body each time', async () => {
    let n = 0;
    const s = await serve((_req, res) => (n++ === 0 ? json(res, 502, {}) : (res.writeHead(200), res.end())));
    const c = await client(s.url);
    await c.uploadFile('team', '/a/b.txt', Buffer.from('hello'));
    const [first, second] = s.calls();
    expect(second?.body.toString()).toContain('hello');
    expect(second?.body.length).toBe(first?.body.length);
  });

  it('a retried create that finds its own flow already there succeeds', async () => {
    let posts = 0;
    const s = await serve((req, res, raw) => {
      if (req.method === 'POST' && posts++ === 0)
        raw.socket.destroy(); // created, but the answer was lost
      else if (req.method === 'POST')
        json(res, 422, { message: 'Invalid entity: flow.id: Flow id already exists' });
      else json(res, 200, { id: 'a', namespace: 'team', revision: 1, source: flow });
    });
    const c = await client(s.url);
    expect(await c.createFlow(flow)).toMatchObject({ id: 'a', revision: 1 });
    expect(s.calls().map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /api/v1/main/flows',
      'POST /api/v1/main/flows',
      'GET /api/v1/main/flows/team/a?source=true',
    ]);
  });

  it('a create that was not retried reports "already exists"', async () => {
    const s = await serve((_req, res) =>
      json(res, 422, { message: 'Invalid entity: flow.id: Flow id already exists' }),
    );
    const c = await client(s.url);
    expect((await failure(c.createFlow(flow))).message).toContain('Flow id already exists');
  });

  it('a retried flow delete that gets 404 is done; a first-attempt 404 is an error', async () => {
    let n = 0;
    const s = await serve((_req, res, raw) =>
      n++ === 0 ? raw.socket.destroy() : json(res, 404, { message: 'Not Found' }),
    );
    const c = await client(s.url);
    await expect(c.deleteFlow('team', 'a')).resolves.toBeUndefined();
    expect((await failure(c.deleteFlow('team', 'a'))).status).toBe(404);
  });
});

describe('timeouts', () => {
  it('a server that never answers fails after timeoutSeconds', async () => {
    const s = await serve(() => {});
    const c = await client(s.url, { timeoutSeconds: 1, retry: { attempts: 1 } });
    const t0 = Date.now();
    const err = await failure(c.listFlows('team'));
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2500);
    expect(err.message).toBe(
      `no answer from GET ${s.url}/api/v1/main/flows/team within 1 s (timeout); is the server overloaded? raise 'timeout' if it is just slow`,
    );
  });

  it('retries of timeouts stay within the total budget', async () => {
    const s = await serve(() => {});
    const c = await client(s.url, { timeoutSeconds: 1, retry: { attempts: 4, baseMs: 10, totalMs: 2500 } });
    const t0 = Date.now();
    const err = await failure(c.listFlows('team'));
    expect(Date.now() - t0).toBeLessThan(3500);
    expect(err.message).toMatch(/^no answer from GET .* \(timeout\).* \(after 3 attempts\)$/);
  });

  it('a body that stalls half-way times out too', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('[{"id":');
    });
    const c = await client(s.url, { timeoutSeconds: 1, retry: { attempts: 1 } });
    const t0 = Date.now();
    expect((await failure(c.listFlows('team'))).message).toContain('(timeout)');
    expect(Date.now() - t0).toBeLessThan(2500);
  });
});

describe('proxy', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  /** A CONNECT proxy that counts the tunnels it opens. */
  async function proxy(): Promise<{ url: string; tunnels: string[] }> {
    const tunnels: string[] = [];
    const { createServer } = await import('node:http');
    const srv = createServer((_req, res) => res.writeHead(405).end());
    srv.on('connect', (req, socket: net.Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    open.push({
      close: () => {
        srv.closeAllConnections();
        return new Promise<void>((r) => srv.close(() => r()));
      },
    });
    return { url: `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}`, tunnels };
  }

  it('goes through HTTP_PROXY, and around it for NO_PROXY hosts', async () => {
    const s = await serve((_req, res) => json(res, 200, []));
    const p = await proxy();
    for (const k of ['http_proxy', 'https_proxy', 'no_proxy', 'NO_PROXY', 'HTTPS_PROXY'])
      delete process.env[k];
    process.env.HTTP_PROXY = p.url;
    const via = await client(s.url);
    await via.listFlows('team');
    const host = new URL(s.url).host;
    expect(p.tunnels.length).toBeGreaterThan(0);
    expect(new Set(p.tunnels)).toEqual(new Set([host]));
    expect(s.requests).toHaveLength(2);
    const tunnels = p.tunnels.length;

    process.env.NO_PROXY = '127.0.0.1';
    const around = await client(s.url);
    await around.listFlows('team');
    expect(p.tunnels).toHaveLength(tunnels);
    expect(s.requests).toHaveLength(4);
  });
});

// Throwaway self-signed certificate for localhost / 127.0.0.1, made for this test only (not a secret).
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgVcCppJfVvoH17iwE
pqwaMYnsxvUnCyLGQHxBBI1hf7GhRANCAAScPFLDCLK0UwvHa+GJjc4HzlAE82Tc
qhcnGmybKAp2nemToHicwKa9LXIFKeanV/1hSuojeG5oFPmF6OOTenTH
-----END PRIVATE KEY-----
`;
const CERT = `-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIUQmS1dmifYq7OFF9xDcPe0RY5G5AwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMTIzNDMzNFoYDzIxMjYxMDI4
MjM0MzM0WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAScPFLDCLK0UwvHa+GJjc4HzlAE82TcqhcnGmybKAp2nemToHicwKa9
LXIFKeanV/1hSuojeG5oFPmF6OOTenTHo28wbTAdBgNVHQ4EFgQUh5bXM8CG7zGc
9rfKyh8ZpFeivpkwHwYDVR0jBBgwFoAUh5bXM8CG7zGc9rfKyh8ZpFeivpkwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDSQAwRgIhAPg07FUgfpYjciNOrlBaetl4gpuoeZZmpU2P/FxqYc7KAiEA
l7QeefV2EoSB6WzvnT966Gz1DwNx4OOpJuHiwjnMBDY=
-----END CERTIFICATE-----
`;

describe('TLS', () => {
  async function httpsServer(): Promise<string> {
    const srv = https.createServer({ key: KEY, cert: CERT }, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url === '/api/v1/configs' ? { version: '1.3.19', edition: 'OSS' } : []));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    open.push({
      close: () => {
        srv.closeAllConnections();
        return new Promise<void>((r) => srv.close(() => r()));
      },
    });
    return `https://127.0.0.1:${(srv.address() as net.AddressInfo).port}`;
  }

  it('an untrusted certificate is not retried and points at NODE_EXTRA_CA_CERTS', async () => {
    const url = await httpsServer();
    const err = await failure(connect({ server: url, retry: fastRetry }));
    expect(err.message).toMatch(
      new RegExp(
        `^cannot reach ${url}/api/v1/configs: TLS error [A-Z_]+ — for a private CA, point NODE_EXTRA_CA_CERTS at its PEM file$`,
      ),
    );
    expect(err.attempts).toBe(1);
  });

  it('NODE_EXTRA_CA_CERTS makes the private CA trusted (in a child process: Node reads it at start)', async () => {
    const url = await httpsServer();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kestra-ca-'));
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, CERT);
    const client = path.resolve('src/kestra/connect.ts');
    const script = `const { connect } = await import(${JSON.stringify(client)});
      const c = await connect({ server: ${JSON.stringify(url)} });
      console.log(JSON.stringify(await c.listFlows('team'))); await c.close();`;
    // The https server lives in this process: run the child without blocking the event loop.
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: ca },
    });
    let out = '';
    let errText = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (errText += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    fs.rmSync(dir, { recursive: true, force: true });
    expect({ code, out: out.trim(), errText }).toEqual({ code: 0, out: '[]', errText: '' });
  }, 20_000);
});
