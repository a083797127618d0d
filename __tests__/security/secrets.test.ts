// Secrets never leak. validate and deploy run against the emulator with basic auth and with an API token, in
// debug mode (ACTIONS_STEP_DEBUG, RUNNER_DEBUG), on success and on every failure path (wrong credentials, 500,
// 422, a dropped connection, a timeout), and every log line, the job summary and every output are searched
// for the password, the token, the `Authorization` values and a secret extra header: none may appear except
// in the `::add-mask::` commands that tell the runner to hide them. No request header is ever printed.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { run as deploy } from '../../deploy/main.js';
import { startEmulator, type Emulator, type Fault } from '../../emulator/index.js';
import { repoRoot, runAction } from '../../scripts/action-runner.js';
import { run as validate } from '../../validate/main.js';
import { runMain } from '../helpers/run-main.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

const USER = 'ci-robot@kestra.io';
const PASSWORD = 'Pw-7c41e9d2b0aa';
const TOKEN = 'tok-5f0c2e8a9b3d41e6';
const PROXY_KEY = 'proxy-key-d93a0b7e';
const DEBUG = { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' };

/** Undoes the escapes of workflow commands (`::error::a%3Ab`), so an escaped secret is still found. */
const decode = (s: string): string =>
  s
    .replace(/%0A/gi, '\n')
    .replace(/%0D/gi, '\r')
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%25/g, '%');

interface Captured {
  stdout: string;
  stderr?: string;
  summary: string;
  outputs: Record<string, string>;
}

/** What the runner must mask for these inputs: the password or token, and the header value made of it. */
function maskedFor(inputs: Record<string, string>): string[] {
  const token = inputs['api-token'];
  if (token) return [token, `Bearer ${token}`];
  const basic = Buffer.from(`${inputs.user}:${inputs.password}`).toString('base64');
  return [inputs.password!, `Basic ${basic}`];
}

/** Every form a secret of these inputs could leak in (the base64 alone too), and the secret header. */
function secretsOf(inputs: Record<string, string>): string[] {
  const forms = maskedFor(inputs);
  return [...forms, ...forms.map((f) => f.replace(/^(Basic|Bearer) /, '')), PROXY_KEY];
}

/** No secret anywhere but in `::add-mask::` lines, escaped or not; and no line names the Authorization header. */
function expectNoLeak(r: Captured, secrets: string[]): void {
  const lines = `${r.stdout}\n${r.stderr ?? ''}`.split('\n').filter((l) => !l.startsWith('::add-mask::'));
  for (const line of lines) {
    for (const secret of secrets) {
      const leaks = line.includes(secret) || decode(line).includes(secret);
      expect({ line, leaks }).toEqual({ line, leaks: false });
    }
    expect({ line, header: /authorization/i.test(decode(line)) }).toEqual({ line, header: false });
  }
  for (const secret of secrets) {
    expect(r.summary).not.toContain(secret);
    for (const [name, value] of Object.entries(r.outputs)) {
      expect({ name, leaks: value.includes(secret) }).toEqual({ name, leaks: false });
    }
  }
}

/** The secrets were handed to the runner to mask before the first line that names the server. */
function expectMasked(r: Captured, secrets: string[]): void {
  const lines = r.stdout.split('\n');
  const firstServerLine = lines.findIndex((l) => /https?:\/\//.test(l) && !l.startsWith('::add-mask::'));
  for (const secret of secrets) {
    const mask = lines.indexOf(`::add-mask::${secret}`);
    expect({ secret, masked: mask >= 0 }).toEqual({ secret, masked: true });
    if (firstServerLine >= 0) expect(mask).toBeLessThan(firstServerLine);
  }
}

interface Auth {
  name: string;
  emulator: { edition?: 'OSS' | 'EE'; basicAuth?: { username: string; password: string }; tokens?: string[] };
  inputs: Record<string, string>;
  wrong: Record<string, string>;
}

const AUTHS: Auth[] = [
  {
    name: 'basic auth (OSS)',
    emulator: { basicAuth: { username: USER, password: PASSWORD } },
    inputs: { user: USER, password: PASSWORD },
    wrong: { user: USER, password: `${PASSWORD}-wrong` },
  },
  {
    name: 'an API token (EE)',
    emulator: { edition: 'EE', tokens: [TOKEN] },
    inputs: { 'api-token': TOKEN },
    wrong: { 'api-token': `${TOKEN}-wrong` },
  },
];

const ERROR_JSON = (message: string): string => JSON.stringify({ message, _embedded: { errors: [] } });

interface FailurePath {
  name: string;
  fails: boolean;
  /** Faults armed before the run. */
  faults?: Fault[];
  inputs?: Record<string, string>;
  wrongCredentials?: boolean;
  only?: 'validate' | 'deploy';
}

const PATHS: FailurePath[] = [
  { name: 'success', fails: false },
  { name: 'wrong credentials (401)', fails: true, wrongCredentials: true },
  { name: 'a 500 from the server', fails: true, faults: [{ status: 500, count: 100 }] },
  {
    name: 'a 422 on validate',
    fails: true,
    only: 'validate',
    faults: [{ method: 'POST', path: /\/flows\/validate$/, status: 422, body: ERROR_JSON('Invalid entity') }],
  },
  {
    name: 'a 422 on the write',
    fails: true,
    only: 'deploy',
    faults: [
      { method: 'POST', path: /\/flows\/team\.[ab]$/, status: 422, count: 10, body: ERROR_JSON('Invalid') },
    ],
  },
  { name: 'a dropped connection', fails: true, faults: [{ drop: true, count: 100 }] },
  {
    name: 'a timeout',
    fails: true,
    inputs: { timeout: '1' },
    faults: [{ method: 'POST', delayMs: 2500, count: 100 }],
  },
];

const workspace = (): string =>
  makeWorkspace({ 'flows/a.yml': flow('team.a', 'a'), 'flows/b.yml': flow('team.b', 'b') });

describe.each(AUTHS)('secrets with $name, in debug mode', (auth) => {
  const cases = PATHS.flatMap((p) =>
    (['validate', 'deploy'] as const)
      .filter((a) => !p.only || p.only === a)
      .map((a) => [a, p.name, p] as const),
  );

  it.each(cases)(
    '%s, %s: nothing leaks',
    async (action, _name, p) => {
      // One server per run: faults a run stops before consuming must not reach the next one.
      const kestra = await startEmulator({ ...auth.emulator, version: '1.3.19' });
      try {
        // A flow to update: the write paths are exercised too.
        kestra.seedFlow(flow('team.a', 'a', 'description: older\n'));
        for (const f of p.faults ?? []) kestra.fault(f);
        const credentials = p.wrongCredentials ? auth.wrong : auth.inputs;
        const r = await runMain(
          action === 'validate' ? validate : deploy,
          {
            directory: 'flows',
            server: kestra.url,
            headers: `X-Proxy-Key: ${PROXY_KEY}`,
            ...credentials,
            ...(action === 'deploy' ? { delete: 'true' } : {}),
            ...p.inputs,
          },
          { workspace: workspace(), env: DEBUG },
        );
        expect(r.failed).toBe(p.fails);
        // Debug mode was on: the `::debug::` lines (requests, timings, stack traces) were searched too.
        expect(r.stdout).toMatch(/^::debug::/m);
        if (p.fails) expect(r.stdout).toMatch(/^::error::/m);
        expectMasked(r, maskedFor(credentials));
        expectNoLeak(r, secretsOf(credentials));
        // The secret header did reach the server: it was there to leak.
        expect(kestra.requests.some((q) => q.headers['x-proxy-key'] === PROXY_KEY)).toBe(true);
      } finally {
        await kestra.close();
      }
    },
    40_000,
  );
});

// A proxy or server that echoes the request's credentials in its error page: the message quotes the page, so the
// client scrubs known secrets from it; the runner's masking alone would not cover act or local runs.
it('an error page that echoes the credentials is not quoted verbatim', async () => {
  const kestra = await startEmulator({ basicAuth: { username: USER, password: PASSWORD } });
  try {
    const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    kestra.fault({
      status: 400,
      count: 10,
      body: ERROR_JSON(`bad request with credentials Basic ${basic}`),
    });
    const r = await runMain(
      validate,
      { directory: 'flows', server: kestra.url, user: USER, password: PASSWORD },
      { workspace: workspace(), env: DEBUG },
    );
    expect(r.failed).toBe(true);
    expectNoLeak(r, [basic]);
  } finally {
    await kestra.close();
  }
});

describe('secrets in the bundled action (dist/deploy/index.js, as the runner runs it)', () => {
  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ basicAuth: { username: USER, password: PASSWORD } });
  });
  afterAll(() => kestra.close());

  it.each([
    ['success', { user: USER, password: PASSWORD }, 0],
    ['wrong password', { user: USER, password: `${PASSWORD}-wrong` }, 1],
  ] as const)(
    '%s: nothing leaks in stdout, stderr, summary or outputs',
    async (_name, credentials, code) => {
      const r = await runAction(
        'deploy',
        {
          directory: 'flows',
          server: kestra.url,
          headers: `X-Proxy-Key: ${PROXY_KEY}`,
          delete: 'true',
          ...credentials,
        },
        { workspace: workspace(), env: DEBUG },
      );
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code, stderr: '' });
      expect(r.stdout).toMatch(/^::debug::/m);
      expectMasked(r, maskedFor(credentials));
      expectNoLeak(r, secretsOf(credentials));
    },
    60_000,
  );
});

/**
 * A loopback stand-in for HTTP(S)_PROXY that refuses every tunnel (403): with it set, the client never resolves
 * or reaches the real host, so a test can give `server: http://kestra.invalid` and see what would be sent.
 * The first `drop` connections are closed without an answer instead.
 */
async function startTrap(drop = 0): Promise<{ server: Server; url: string; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket: Socket) => {
    connections++;
    if (connections <= drop) {
      socket.destroy();
      return;
    }
    socket.once('data', () =>
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
    );
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, connections: () => connections };
}

const proxyEnv = (url: string): Record<string, string> => ({
  HTTP_PROXY: url,
  http_proxy: url,
  HTTPS_PROXY: url,
  https_proxy: url,
  NO_PROXY: '',
  no_proxy: '',
});

describe('credentials and the server URL', () => {
  let trap: Awaited<ReturnType<typeof startTrap>>;
  beforeAll(async () => {
    trap = await startTrap();
  });
  afterAll(() => new Promise<void>((resolve) => trap.server.close(() => resolve())));
  const viaTrap = (): Record<string, string> => ({ ...DEBUG, ...proxyEnv(trap.url) });

  const URL_PASSWORD = 'url-pass-4e1f';

  it.each([
    ['with user/password inputs', { user: USER, password: PASSWORD }],
    ['without other credentials', {}],
  ])(
    'refuses credentials in `server` (https://user:pass@host) %s, without echoing them or connecting',
    async (_name, credentials: Record<string, string>) => {
      const before = trap.connections();
      for (const action of [validate, deploy]) {
        const r = await runMain(
          action,
          {
            directory: 'flows',
            server: `https://ci:${URL_PASSWORD}@kestra.invalid`,
            timeout: '1',
            ...credentials,
          },
          { workspace: workspace(), env: viaTrap() },
        );
        expect(r.failed).toBe(true);
        expect(r.stdout).toMatch(
          /'server' must not contain credentials; use 'user'\/'password' or 'api-token'/,
        );
        expectNoLeak(r, [URL_PASSWORD, ...(credentials.password ? secretsOf(credentials) : [])]);
      }
      expect(trap.connections()).toBe(before);
    },
  );

  // A mistyped scheme is refused, quoting the value with its credentials replaced by ***.
  it('refuses credentials in a non-http `server` without echoing them', async () => {
    const r = await runMain(
      validate,
      { directory: 'flows', server: `ftp://ci:${URL_PASSWORD}@kestra.invalid` },
      { workspace: workspace(), env: viaTrap() },
    );
    expect(r.failed).toBe(true);
    expectNoLeak(r, [URL_PASSWORD]);
  });

  // An unparsable URL is refused the same way.
  it('refuses credentials in an unparsable `server` without echoing them', async () => {
    const r = await runMain(
      validate,
      { directory: 'flows', server: `https://ci:${URL_PASSWORD}@kestra invalid` },
      { workspace: workspace(), env: viaTrap() },
    );
    expect(r.failed).toBe(true);
    expectNoLeak(r, [URL_PASSWORD]);
  });

  it('warns before any connection when credentials would go over plain http to another host, then fails cleanly', async () => {
    const before = trap.connections();
    const credentials = { user: USER, password: PASSWORD };
    const r = await runMain(
      validate,
      { directory: 'flows', server: 'http://kestra.invalid', timeout: '1', ...credentials },
      { workspace: workspace(), env: viaTrap() },
    );
    expect(r.failed).toBe(true);
    const lines = r.stdout.split('\n');
    const warning = lines.findIndex((l) =>
      /^::warning::Credentials are sent to http:\/\/kestra\.invalid over plain http: use https:\/\//.test(l),
    );
    expect(warning).toBeGreaterThanOrEqual(0);
    // The only connection went to the loopback trap, after the warning was printed.
    expect(trap.connections()).toBeGreaterThan(before);
    const firstRequest = lines.findIndex((l) => /kestra\.invalid\/api/.test(l));
    expect(firstRequest).toBeGreaterThan(warning);
    expect(r.stdout).toMatch(/^::error::cannot reach http:\/\/kestra\.invalid/m);
    expect(r.stdout).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expectNoLeak(r, secretsOf(credentials));
  }, 30_000);

  it.each(['http://127.0.0.1:9', 'http://localhost:9', 'https://kestra.invalid'])(
    'does not warn about plain http for %s',
    async (server) => {
      const r = await runMain(
        validate,
        { directory: 'flows', server, timeout: '1', user: USER, password: PASSWORD },
        { workspace: workspace(), env: viaTrap() },
      );
      expect(r.stdout).not.toMatch(/over plain http/);
    },
    30_000,
  );
});

/** Source text that imports a process API, calls one, or evaluates code. */
function startsProcess(text: string): boolean {
  return [
    /child_process|@actions\/exec|\bexeca\b|\bshelljs\b/,
    /(?<![.\w])(exec|execSync|execFile|execFileSync|spawn|spawnSync|fork)\s*\(/,
    /(?<![.\w])eval\s*\(|new Function\s*\(|shell:\s*true/,
  ].some((re) => re.test(text));
}

describe('inputs never reach a shell', () => {
  // The action's own code: no child processes, no eval. (Bundled libraries are not searched: @actions/core
  // carries @actions/exec for an OS probe the actions never call.)
  const roots = ['src', 'validate', 'deploy', 'main.ts', 'index.ts'].map((p) => path.join(repoRoot, p));
  const sources: string[] = [];
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) for (const n of readdirSync(p)) walk(path.join(p, n));
    else if (/\.[cm]?[jt]s$/.test(p)) sources.push(p);
  };
  roots.forEach(walk);

  it('finds the sources to search', () => {
    expect(sources.map((s) => path.relative(repoRoot, s))).toEqual(
      expect.arrayContaining(['main.ts', 'src/core/pipeline.ts', 'validate/main.ts', 'deploy/main.ts']),
    );
  });

  it('the search itself catches process and eval calls, not RegExp#exec', () => {
    const bad = [
      "import { spawn } from 'node:child_process';",
      "const cp = require('child_process');",
      'exec(`ls ${dir}`);',
      'await execFile(cmd);',
      'spawnSync(cmd, { shell: true });',
      'eval(input);',
    ];
    for (const text of bad) expect(startsProcess(text)).toBe(true);
    expect(startsProcess('const m = /a/.exec(text); re.exec(s); executor(x); execute(y);')).toBe(false);
  });

  it.each(sources.map((s) => [path.relative(repoRoot, s), s]))(
    '%s starts no process and evaluates no code',
    (_rel, file) => {
      expect(startsProcess(readFileSync(file, 'utf8'))).toBe(false);
    },
  );
});

describe('a proxy that drops connections', () => {
  // undici 7 reconnects in a tight loop when a proxy closes the connection during CONNECT and ignores the
  // request's abort signal (nodejs/undici#3897, fixed in undici 8.10.1): without the client's guard the action
  // would hammer the proxy and never end. The trap answers after 50 dropped connections, so a loop would end
  // here and the count shows it.
  it('gives up after a few connections instead of reconnecting in a loop', async () => {
    const trap = await startTrap(50);
    try {
      const r = await runMain(
        validate,
        {
          directory: 'flows',
          server: 'http://kestra.invalid',
          timeout: '1',
          user: USER,
          password: PASSWORD,
        },
        { workspace: workspace(), env: { ...DEBUG, ...proxyEnv(trap.url) } },
      );
      expect(r.failed).toBe(true);
      expect(trap.connections()).toBeLessThanOrEqual(8);
    } finally {
      await new Promise<void>((resolve) => trap.server.close(() => resolve()));
    }
  }, 30_000);
});

describe('the leak checks themselves', () => {
  const clean: Captured = {
    stdout: `::add-mask::${PASSWORD}\nall good\n`,
    summary: '<p>ok</p>',
    outputs: { a: '1' },
  };
  const secrets = secretsOf({ user: USER, password: PASSWORD });

  it('accept a secret only inside ::add-mask::', () => {
    expect(() => expectNoLeak(clean, secrets)).not.toThrow();
    expect(() => expectMasked(clean, [PASSWORD])).not.toThrow();
  });

  it.each([
    ['a log line', { stdout: `::debug::sent ${PASSWORD}\n` }],
    ['an annotation', { stdout: `::error file=flows/a.yml,line=1::bad%0A${PASSWORD}\n` }],
    ['the base64 header value', { stdout: `x ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}\n` }],
    ['a header line', { stdout: '::debug::Authorization: Basic ***\n' }],
    ['stderr', { stderr: `Bearer ${PASSWORD}` }],
    ['the summary', { summary: `<td>${PASSWORD}</td>` }],
    ['an output', { outputs: { results: `[{"x":"${PASSWORD}"}]` } }],
  ])('catch a secret in %s', (_where, leak) => {
    expect(() => expectNoLeak({ ...clean, ...leak }, secrets)).toThrow();
  });

  it('catch a secret split by a workflow-command escape', () => {
    const escaped = `${PASSWORD.slice(0, 3)}%3A`;
    expect(() =>
      expectNoLeak({ ...clean, stdout: `::error::x ${escaped}\n` }, [`${PASSWORD.slice(0, 3)}:`]),
    ).toThrow();
  });

  it('catch a secret that was never masked, or masked only after the server was named', () => {
    expect(() => expectMasked({ ...clean, stdout: 'nothing\n' }, [PASSWORD])).toThrow();
    expect(() =>
      expectMasked({ ...clean, stdout: `GET http://x/api\n::add-mask::${PASSWORD}\n` }, [PASSWORD]),
    ).toThrow();
  });
});
