// The client against the project's Kestra emulator over real HTTP: version detection and paths per
// version, both request formats, auth, every method, and a few faults.
import { afterEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { authorizationValue, connect } from '../../src/kestra/index.js';
import type { ClientOptions, KestraClient } from '../../src/kestra/index.js';
import { failure, fastRetry } from './helpers.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function emulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator(opts);
  open.push(emu);
  return emu;
}

async function client(emu: Emulator, extra: Partial<ClientOptions> = {}): Promise<KestraClient> {
  const c = await connect({ server: emu.url, retry: fastRetry, ...extra });
  open.push(c);
  return c;
}

const flow = (id: string, ns = 'team', extra = '') =>
  `id: ${id}\nnamespace: ${ns}\n${extra}tasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hi ${id}\n`;
const unknownType = (id: string) =>
  `id: ${id}\nnamespace: team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.debug.UnknownTask\n`;
const src = (source: string, filename = 'f.yml') => ({ source, filename });

const cases = [
  {
    name: 'OSS 0.22 (no tenant in paths, YAML bodies)',
    emu: { version: '0.22.0' },
    opts: {},
    prefix: '/api/v1',
    info: { version: '0.22.0', edition: 'OSS', tenantInPath: false, multipart: false, known: true },
  },
  {
    name: 'OSS 1.2 (tenant main, YAML bodies)',
    emu: { version: '1.2.0' },
    opts: {},
    prefix: '/api/v1/main',
    info: { version: '1.2.0', edition: 'OSS', tenantInPath: true, multipart: false, known: true },
  },
  {
    name: 'OSS 1.3 (tenant main, multipart bodies)',
    emu: { version: '1.3.19' },
    opts: {},
    prefix: '/api/v1/main',
    info: { version: '1.3.19', edition: 'OSS', tenantInPath: true, multipart: true, known: true },
  },
  {
    name: 'EE 1.3 with tenant acme and a token',
    emu: { version: '1.3.0', edition: 'EE' as const, tenants: ['acme'], tokens: ['tok-1'] },
    opts: { apiToken: 'tok-1', tenant: 'acme' },
    prefix: '/api/v1/acme',
    info: { version: '1.3.0', edition: 'EE', tenantInPath: true, multipart: true, known: true },
  },
];

describe.each(cases)('$name', ({ emu: emuOpts, opts, prefix, info }) => {
  const tenant = opts.tenant ?? 'main';

  it('detects the server and uses its paths and body format for every method', async () => {
    const emu = await emulator(emuOpts);
    const c = await client(emu, opts);
    expect(c.info).toEqual(info);
    expect(c.tenant).toBe(tenant);

    const results = await c.validateFlows([
      src(flow('a'), 'a.yml'),
      src(unknownType('b'), 'b.yml'),
      src(flow('c'), 'c.yml'),
    ]);
    // An unknown type fails the strict parse, before the id is read: no `flow` on that result.
    expect(results.map((r) => [r.index, r.flow, r.filename, r.constraints === undefined])).toEqual([
      [0, 'a', 'a.yml', true],
      [1, undefined, 'b.yml', false],
      [2, 'c', 'c.yml', true],
    ]);
    expect(results[1]?.constraints).toContain('Invalid type: io.kestra.plugin.core.debug.UnknownTask');
    const validate = emu.requests.filter((r) => r.path.endsWith('/flows/validate'));
    expect(validate).toHaveLength(1);
    expect(validate[0]?.contentType).toMatch(
      info.multipart ? /^multipart\/form-data; boundary=/ : /^application\/x-yaml$/,
    );
    if (info.multipart) {
      const body = validate[0]?.body.toString() ?? '';
      expect(
        body.match(/name="flows"; filename="[abc]\.yml"\r\nContent-Type: application\/x-yaml/g),
      ).toHaveLength(3);
    }

    const created = await c.createFlow(flow('a'));
    expect(created).toMatchObject({ id: 'a', namespace: 'team', revision: 1 });
    expect((await c.getFlow('team', 'a'))?.source).toBe(flow('a'));
    expect(await c.getFlow('team', 'missing')).toBeUndefined();
    expect((await c.updateFlow('team', 'a', flow('a', 'team', 'description: two\n'))).revision).toBe(2);
    // Listings and bulk answers keep only what a deploy reads: a redeploy holds every namespace's listing.
    expect(await c.listFlows('team')).toEqual([{ id: 'a', namespace: 'team', revision: 2 }]);

    emu.seedFlow(flow('old'), { tenant });
    const bulk = await c.bulkUpdate('team', [src(flow('a')), src(flow('b'))], { delete: true });
    expect(bulk.map((f) => f.id)).toEqual(['old', 'a', 'b']); // deleted first: docs/kestra-api.md#bulk-update
    expect(bulk.every((f) => Object.keys(f).join() === 'id,namespace,revision')).toBe(true);
    expect(emu.getFlow('team', 'old', tenant)).toBeUndefined();
    const bulkReq = emu.requests.find((r) => r.method === 'POST' && r.path === `${prefix}/flows/team`);
    expect(bulkReq?.query.get('delete')).toBe('true');
    expect(bulkReq?.contentType).toMatch(info.multipart ? /^multipart\/form-data/ : /^application\/x-yaml$/);

    await c.deleteFlow('team', 'b');
    expect(emu.getFlow('team', 'b', tenant)).toBeUndefined();

    await c.uploadFile('team', '/scripts/run.py', Buffer.from('print(1)\n'));
    await c.uploadFile('team', 'data/deep/x.bin', Buffer.from([0, 1, 2, 255]));
    expect(emu.getFile('team', '/data/deep/x.bin', tenant)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect((await c.listDirectory('team', '/')).map((e) => [e.fileName, e.type]).sort()).toEqual([
      ['data', 'Directory'],
      ['scripts', 'Directory'],
    ]);
    expect(await c.listFilesRecursive('team')).toEqual([
      { path: '/data/deep/x.bin', size: 4 },
      { path: '/scripts/run.py', size: 9 },
    ]);
    expect((await c.downloadFile('team', '/scripts/run.py')).toString()).toBe('print(1)\n');
    await c.deleteFile('team', '/scripts/run.py');
    await c.deleteFile('team', '/scripts/never-there.py'); // missing: 200, not an error
    expect(emu.listFiles('team', tenant)).toEqual(['/data/deep/x.bin']);

    const paths = emu.requests.map((r) => r.path).filter((p) => p !== '/api/v1/configs');
    expect(paths.filter((p) => !p.startsWith(`${prefix}/`))).toEqual([]);
    const failed = emu.requests.filter((r) => r.status < 200 || r.status >= 300);
    expect(failed.map((r) => `${r.status} ${r.path}`)).toEqual([`404 ${prefix}/flows/team/missing`]);
    expect(c.requestCount).toBe(emu.requests.length);
  });
});

describe.each(['1.3.19', '2.0.0'])('a Kestra %s whose /configs gives no version', (version) => {
  it('gets what every server since 0.23 accepts (tenant paths, YAML bodies), and the log says exactly that', async () => {
    const emu = await emulator({ version, configsWithoutVersion: true });
    const said: string[] = [];
    const log = { info: (m: string) => said.push(m), warning: (m: string) => said.push(m), debug: () => {} };
    const c = await connect({ server: emu.url, retry: fastRetry }, log);
    open.push(c);
    expect(c.info).toEqual({
      version: 'unknown',
      edition: 'OSS',
      tenantInPath: true,
      multipart: false,
      known: false,
    });
    expect(said).toEqual([
      `Kestra at ${emu.url} reports no readable version ('unknown'): using what every Kestra since 0.23 accepts, ` +
        "API paths with the tenant ('/api/v1/main/…') and flows sent as YAML rather than the multipart files of 1.3+",
      `Kestra unknown (OSS) at ${emu.url}, tenant 'main', flows sent as YAML`,
    ]);
    const results = await c.validateFlows([src(flow('a')), src(unknownType('b'))]);
    expect(results.map((r) => r.constraints === undefined)).toEqual([true, false]);
    const validate = emu.requests.filter((r) => r.path.endsWith('/flows/validate'));
    expect(validate.map((r) => [r.path, r.contentType, r.status])).toEqual([
      ['/api/v1/main/flows/validate', 'application/x-yaml', 200],
    ]);
  });
});

describe('request formats', () => {
  it('YAML mode sends a flow with a line starting with --- on its own, and keeps results in input order', async () => {
    const emu = await emulator({ version: '1.2.0' });
    const c = await client(emu);
    const withMarker = `---\n${flow('b')}`;
    const results = await c.validateFlows([src(flow('a')), src(withMarker), src(unknownType('c'))]);
    expect(results.map((r) => [r.index, r.flow, r.constraints === undefined])).toEqual([
      [0, 'a', true],
      [1, 'b', true],
      [2, undefined, false],
    ]);
    expect(results[2]?.constraints).toContain('UnknownTask');
    const bodies = emu.requests.filter((r) => r.path.endsWith('/validate')).map((r) => r.body.toString());
    expect(bodies).toEqual([withMarker, `${flow('a')}\n---\n${unknownType('c')}`]);
  });

  it('a flow that still reads as two documents alone gets one merged result', async () => {
    const emu = await emulator({ version: '1.2.0' });
    const c = await client(emu);
    const results = await c.validateFlows([src(`${flow('a')}---\n${flow('b')}`, 'two.yml')]);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ index: 0, filename: 'two.yml', flow: 'a' });
    expect(results[0]?.constraints).toContain('the server read 2 YAML documents here');
  });

  it('validates more than 100 flows in batches of 100', async () => {
    const emu = await emulator({ version: '1.3.19' });
    const c = await client(emu);
    const flows = Array.from({ length: 205 }, (_, i) => src(flow(`f${i}`), `f${i}.yml`));
    const results = await c.validateFlows(flows);
    expect(results.map((r) => r.flow)).toEqual(flows.map((_, i) => `f${i}`));
    expect(results.map((r) => r.index)).toEqual(flows.map((_, i) => i));
    expect(emu.requests.filter((r) => r.path.endsWith('/validate'))).toHaveLength(3);
    expect(await c.validateFlows([])).toEqual([]);
  });

  it('YAML bulk refuses a flow containing --- anywhere, before any request', async () => {
    const emu = await emulator({ version: '1.2.0' });
    const c = await client(emu);
    emu.clearRequests();
    await expect(
      c.bulkUpdate(
        'team',
        [src(flow('a')), src(flow('b', 'team', 'description: "x---y"\n'), 'flows/b.yml')],
        {
          delete: false,
        },
      ),
    ).rejects.toThrow("flows/b.yml: contains '---', which Kestra 1.2.0 splits flows on in a bulk update");
    expect(emu.requests).toEqual([]);
  });

  it('multipart bulk sends such a flow untouched', async () => {
    const emu = await emulator({ version: '1.3.19' });
    const c = await client(emu);
    const source = flow('b', 'team', 'description: "x---y"\n');
    await c.bulkUpdate('team', [src(source)], { delete: false });
    expect(emu.getFlow('team', 'b')?.source).toBe(source.trim()); // the server trims each part
  });

  it('an empty bulk update is refused before any request', async () => {
    const emu = await emulator();
    const c = await client(emu);
    emu.seedFlow(flow('keep'));
    emu.clearRequests();
    const before = c.requestCount;
    await expect(c.bulkUpdate('team', [], { delete: true })).rejects.toThrow(
      "refusing a bulk update of namespace 'team' without flows: it would delete all its flows",
    );
    expect(emu.requests).toEqual([]);
    expect(c.requestCount).toBe(before);
    expect(emu.getFlow('team', 'keep')).toBeDefined();
  });

  it('delete=false is sent explicitly (the server defaults to true)', async () => {
    const emu = await emulator();
    const c = await client(emu);
    emu.seedFlow(flow('keep'));
    await c.bulkUpdate('team', [src(flow('a'))], { delete: false });
    expect(emu.requests.at(-1)?.query.get('delete')).toBe('false');
    expect(emu.getFlow('team', 'keep')).toBeDefined();
  });

  it('uploads a .zip as a plain file (the part filename never ends in .zip)', async () => {
    const emu = await emulator();
    const c = await client(emu);
    const bytes = Buffer.from('PK\u0003\u0004 not really a zip');
    await c.uploadFile('team', '/data/archive.zip', bytes);
    expect(emu.listFiles('team')).toEqual(['/data/archive.zip']);
    expect(emu.getFile('team', '/data/archive.zip')).toEqual(bytes);
    const body = emu.requests.at(-1)?.body.toString('latin1') ?? '';
    expect(body).toContain('name="fileContent"; filename="archive.zip.bin"');
  });

  it('encodes query values: &, #, ?, = and non-ASCII survive in file paths', async () => {
    const emu = await emulator();
    const c = await client(emu);
    const path = '/odd/a&b=c#d?e%20é.txt';
    await c.uploadFile('team', path, Buffer.from('x'));
    expect(emu.listFiles('team')).toEqual([path]);
    expect((await c.downloadFile('team', path)).toString()).toBe('x');
    expect(await c.listFilesRecursive('team', '/odd')).toEqual([{ path, size: 1 }]);
  });

  it('listFilesRecursive of a missing directory is empty', async () => {
    const emu = await emulator();
    const c = await client(emu);
    expect(await c.listFilesRecursive('team', '/nothing/here')).toEqual([]);
    expect(await c.listFilesRecursive('empty')).toEqual([]);
  });

  it('walks a wide and deep tree', async () => {
    const emu = await emulator();
    const c = await client(emu);
    const expected: { path: string; size: number }[] = [];
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 3; j++) {
        const p = `/d${i}/s${j}/f.txt`;
        emu.seedFile('team', p, 'x'.repeat(i + j));
        expected.push({ path: p, size: i + j });
      }
    }
    emu.seedFile('team', '/top.txt', 'top');
    expected.push({ path: '/top.txt', size: 3 });
    expect(await c.listFilesRecursive('team')).toEqual(expected.sort((a, b) => (a.path < b.path ? -1 : 1)));
  });

  it('refuses namespaces the server would route to another flow endpoint', async () => {
    const emu = await emulator();
    const c = await client(emu);
    emu.clearRequests();
    await expect(c.deleteFlow('delete', 'by-query')).rejects.toThrow(
      "namespace 'delete' cannot be used through the flow API",
    );
    await expect(c.listFlows('search')).rejects.toThrow("namespace 'search' cannot be used");
    expect(emu.requests).toEqual([]);
  });
});

describe('auth', () => {
  const basic = { username: 'admin@kestra.io', password: 'Admin1234' };

  it('sends basic auth, and a 401 for wrong credentials names the inputs', async () => {
    const emu = await emulator({ version: '1.3.19', basicAuth: basic });
    const ok = await client(emu, { user: basic.username, password: basic.password });
    expect(await ok.listFlows('team')).toEqual([]);
    const expected = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
    expect(emu.requests.at(-1)?.headers.authorization).toBe(expected);

    const bad = await client(emu, { user: basic.username, password: 'Wrong1234' });
    const err = await failure(bad.listFlows('team'));
    expect(err.status).toBe(401);
    expect(err.message).toContain("the server refused the basic auth sent from 'user'/'password'");
    expect(err.attempts).toBe(1);
  });

  it('OSS 0.22 with basic auth protects /configs: connect sends the credentials there', async () => {
    const emu = await emulator({ version: '0.22.0', basicAuth: basic });
    const c = await client(emu, { user: basic.username, password: basic.password });
    expect(c.info.tenantInPath).toBe(false);
    await expect(failure(connect({ server: emu.url, retry: fastRetry }))).resolves.toMatchObject({
      status: 401,
      message: `401 Unauthorized from GET ${emu.url}/api/v1/configs: the server requires authentication: set 'user'/'password' or 'api-token'`,
    });
  });

  it('a token wins over basic auth; extra headers are sent; a wrong token is a 401', async () => {
    const emu = await emulator({ version: '1.3.0', edition: 'EE', tokens: ['tok-1'] });
    const c = await client(emu, {
      apiToken: 'tok-1',
      user: 'u',
      password: 'p',
      headers: { 'X-Team': 'data' },
    });
    await c.listFlows('team');
    const last = emu.requests.at(-1);
    expect(last?.headers.authorization).toBe('Bearer tok-1');
    expect(last?.headers['x-team']).toBe('data');
    const wrong = await client(emu, { apiToken: 'nope' });
    expect((await failure(wrong.listFlows('team'))).status).toBe(401);
  });

  it('a wrong token on EE: the 401 names the token as sent, and user/password as given but not sent', async () => {
    const emu = await emulator({ version: '1.3.0', edition: 'EE', tokens: ['tok-1'], basicAuth: basic });
    const c = await client(emu, { apiToken: 'tok-old', user: basic.username, password: basic.password });
    const err = await failure(c.listFlows('team'));
    expect(err.status).toBe(401);
    expect(err.message).toBe(
      `401 Unauthorized from GET ${emu.url}/api/v1/main/flows/team: Unauthorized: the server refused the API token sent from 'api-token': check it is current and not revoked; 'user'/'password' were not sent (the token wins when both are given): remove 'api-token' to use them`,
    );
    const alone = await client(emu, { apiToken: 'tok-old' });
    expect((await failure(alone.listFlows('team'))).message).toMatch(
      /the server refused the API token sent from 'api-token': check it is current and not revoked$/,
    );
  });

  it('OSS has no API tokens: given both, basic auth is sent after /configs, with a notice', async () => {
    const emu = await emulator({ version: '1.3.19', basicAuth: basic });
    const notices: string[] = [];
    const c = await connect(
      {
        server: emu.url,
        apiToken: 'tok-1',
        user: basic.username,
        password: basic.password,
        retry: fastRetry,
      },
      { info: () => {}, debug: () => {}, warning: () => {}, notice: (m) => notices.push(m) },
    );
    open.push(c);
    await c.listFlows('team');
    const expected = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
    expect(emu.requests.map((q) => q.headers.authorization)).toEqual(['Bearer tok-1', expected]);
    expect(notices).toEqual([
      "open-source Kestra has no API tokens: 'api-token' is ignored, and 'user'/'password' are sent (basic auth)",
    ]);
    // A logger without notice gets it as info.
    const infos: string[] = [];
    open.push(
      await connect(
        { server: emu.url, apiToken: 'tok-1', user: basic.username, password: basic.password },
        { info: (m) => infos.push(m), debug: () => {}, warning: () => {} },
      ),
    );
    expect(infos).toContain(notices[0]);
  });

  it('OSS 0.22 protects /configs and ignores tokens: given both, a 401 there is asked again with basic auth', async () => {
    const emu = await emulator({ version: '0.22.0', basicAuth: basic });
    const c = await client(emu, { apiToken: 'tok-1', user: basic.username, password: basic.password });
    await c.listFlows('team');
    expect(
      emu.requests.map((q) => `${q.status} ${q.path} ${String(q.headers.authorization).split(' ')[0]}`),
    ).toEqual(['401 /api/v1/configs Bearer', '200 /api/v1/configs Basic', '200 /api/v1/flows/team Basic']);

    emu.clearRequests();
    const err = await failure(
      connect({
        server: emu.url,
        apiToken: 'tok-1',
        user: basic.username,
        password: 'Wrong1234',
        retry: fastRetry,
      }),
    );
    expect(err.message).toBe(
      `401 Unauthorized from GET ${emu.url}/api/v1/configs: the server refused the basic auth sent from 'user'/'password': check both ('api-token' was refused too)`,
    );
    expect(emu.requests).toHaveLength(2);
  });

  it("a pasted 'Bearer ' prefix (any case, spaces around) is dropped: the header carries it once", async () => {
    const emu = await emulator({ version: '1.3.0', edition: 'EE', tokens: ['tok-1'] });
    for (const given of ['Bearer tok-1', ' bearer   tok-1 ', 'BEARER tok-1']) {
      emu.clearRequests();
      const c = await client(emu, { apiToken: given });
      await c.listFlows('team');
      expect(emu.requests.map((q) => q.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1']);
    }
    expect(authorizationValue({ apiToken: 'Bearer tok-1' })).toBe('Bearer tok-1');
  });

  it("OSS ≥ 0.23 with another tenant than 'main' gets the tenant hint", async () => {
    const emu = await emulator({ version: '1.3.19' });
    const warnings: string[] = [];
    const c = await connect(
      { server: emu.url, tenant: 'prod', retry: fastRetry },
      { info: () => {}, debug: () => {}, warning: (m) => warnings.push(m) },
    );
    open.push(c);
    expect(warnings).toEqual(["open-source Kestra only knows the tenant 'main', and 'tenant' is 'prod'"]);
    const err = await failure(c.listFlows('team'));
    expect(err.status).toBe(400);
    expect(err.message).toContain("set 'tenant' to main or leave 'tenant' out");
  });
});

describe('refused before any request', () => {
  it.each([
    ['Content-Length', '5', 'the client sets it from each request body'],
    ['transfer-encoding', 'chunked', 'the client sets it from each request body'],
    ['Content-Type', 'text/plain', 'the client sets it per request (YAML, JSON or multipart)'],
    [
      'Host',
      'other.example',
      "the client sends the host of 'server' (to reach Kestra under another name, change 'server')",
    ],
    ['Connection', 'close', 'the HTTP client manages its connections'],
  ])('a %s header: no request, so no retry of one that can never succeed', async (name, value, why) => {
    const emu = await emulator();
    await expect(connect({ server: emu.url, headers: { [name]: value }, retry: fastRetry })).rejects.toThrow(
      `header '${name}' in 'headers': ${why}; remove it`,
    );
    expect(emu.requests).toEqual([]);
  });

  it("'Authorization' in headers: refused with credentials, sent without them", async () => {
    const emu = await emulator();
    await expect(
      connect({ server: emu.url, apiToken: 'tok-1', headers: { authorization: 'Bearer other' } }),
    ).rejects.toThrow(
      "header 'authorization' in 'headers': the credentials given ('user'/'password' or 'api-token') set it already; remove it",
    );
    expect(emu.requests).toEqual([]);
    const c = await client(emu, { headers: { Authorization: 'Gateway gw-1' } });
    await c.listFlows('team');
    expect(emu.requests.map((q) => q.headers.authorization)).toEqual(['Gateway gw-1', 'Gateway gw-1']);
  });

  it.each([
    [{ apiToken: 'tok\n-1' }, 'api-token'],
    [{ apiToken: 'Bearer tok\t1' }, 'api-token'],
    [{ user: 'me@x.io\r', password: 'Secret-1' }, 'user'],
    [{ user: 'me@x.io', password: 'Sec\nret-1' }, 'password'],
    [{ user: 'me@x.io', password: 'Sec\u0000ret-1' }, 'password'],
  ])('a control character in %j names %s, never the value', async (credentials, name) => {
    const emu = await emulator();
    const err = await connect({ server: emu.url, ...credentials }).then(
      () => new Error('connected'),
      (e: unknown) => e as Error,
    );
    expect(err.message).toBe(
      `'${name}' holds a control character (a line break or tab pasted with it?): set it again as one line (the value is not shown)`,
    );
    expect(emu.requests).toEqual([]);
  });

  it("a token beyond Latin-1, a ':' in user, a token that is only 'Bearer', an empty tenant", async () => {
    const emu = await emulator();
    const refused = (extra: Partial<ClientOptions>): Promise<unknown> =>
      connect({ server: emu.url, ...extra }).then(
        () => 'connected',
        (e: unknown) => (e as Error).message,
      );
    await expect(refused({ apiToken: 'tok€1' })).resolves.toMatch(
      /^'api-token' holds a character an HTTP header cannot carry/,
    );
    await expect(refused({ user: 'a:b', password: 'Secret-1' })).resolves.toMatch(/^'user' holds a ':'/);
    await expect(refused({ apiToken: ' Bearer ' })).resolves.toBe(
      "'api-token' holds only the word 'Bearer': paste the token itself",
    );
    await expect(refused({ tenant: ' ' })).resolves.toBe(
      "'tenant' is empty: give the tenant id, or leave 'tenant' out for 'main'",
    );
    await expect(refused({ headers: { 'X-A': 'caf\u00e9\u20ac' } })).resolves.toMatch(
      /^header 'X-A' holds a control character or a character beyond Latin-1/,
    );
    expect(emu.requests).toEqual([]);
  });
});

describe('faults', () => {
  it('retries a 503 and a dropped connection, then succeeds', async () => {
    const emu = await emulator();
    const c = await client(emu);
    emu.fault({ method: 'POST', path: '/api/v1/main/flows/validate', status: 503 });
    emu.fault({ method: 'POST', path: '/api/v1/main/flows/validate', drop: true });
    const [r] = await c.validateFlows([src(flow('a'))]);
    expect(r).toMatchObject({ index: 0, flow: 'a' });
    expect(emu.requests.filter((q) => q.path.endsWith('/validate')).map((q) => q.status)).toEqual([
      503, 0, 200,
    ]);
  });

  it('a retried upload stores the file once, with its content', async () => {
    const emu = await emulator();
    const c = await client(emu);
    emu.fault({ method: 'POST', path: '/api/v1/main/namespaces/team/files', status: 502, html: true });
    await c.uploadFile('team', '/a.txt', Buffer.from('content'));
    expect(emu.getFile('team', '/a.txt')?.toString()).toBe('content');
  });

  it('an HTML 502 from a proxy, retries exhausted, reads as one line', async () => {
    const emu = await emulator();
    const c = await client(emu, { retry: { attempts: 2, baseMs: 1 } });
    emu.fault({ path: '/api/v1/main/flows/team', html: true, count: 2 });
    const err = await failure(c.listFlows('team'));
    expect(err.message).toBe(
      `502 Bad Gateway from GET ${emu.url}/api/v1/main/flows/team: 502 Bad Gateway 502 Bad Gateway nginx (not a Kestra answer: a proxy or load balancer?) (after 2 attempts)`,
    );
  });

  it('a 422 from the server is not retried and carries its details', async () => {
    const emu = await emulator();
    const c = await client(emu);
    emu.seedFlow(flow('a'));
    const err = await failure(c.createFlow(flow('a')));
    expect(err.status).toBe(422);
    expect(err.message).toContain('Flow id already exists');
    expect(emu.writes()).toHaveLength(1);
  });

  it('a slow answer within the timeout is fine; beyond it is a timeout', async () => {
    const emu = await emulator();
    const c = await client(emu, { timeoutSeconds: 1, retry: { attempts: 1 } });
    emu.fault({ path: '/api/v1/main/flows/team', delayMs: 200 });
    expect(await c.listFlows('team')).toEqual([]);
    emu.fault({ path: '/api/v1/main/flows/team', delayMs: 3000 });
    const t0 = Date.now();
    expect((await failure(c.listFlows('team'))).message).toContain('within 1 s (timeout)');
    expect(Date.now() - t0).toBeLessThan(2500);
  });
});
