// Settings from the environment, so secrets never need the command line: KESTRA_SERVER, KESTRA_USER,
// KESTRA_PASSWORD, KESTRA_API_TOKEN, KESTRA_TENANT. A flag wins over its variable; a secret, from either,
// is never printed, whatever the run prints.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli, type CliRun } from '../../scripts/cli-runner.js';
import { makeWorkspace } from '../helpers/workspace.js';

const credentials = { username: 'ci@kestra.io', password: 'Env-pass-4711' };
const token = 'tok-EE-0123456789';

let oss: Emulator;
let ee: Emulator;
beforeAll(async () => {
  oss = await startEmulator({ version: '1.3.19', basicAuth: credentials });
  ee = await startEmulator({ version: '1.3.19', edition: 'EE', tokens: [token] });
});
afterAll(async () => {
  await oss.close();
  await ee.close();
});
beforeEach(() => {
  oss.clearRequests();
  ee.clearRequests();
});

const printed = (r: CliRun): string => `${r.stdout}\n${r.stderr}`;

describe('the environment', () => {
  it('gives the server and the credentials', async () => {
    const r = await runCli(['validate', 'examples/flows'], {
      env: {
        KESTRA_SERVER: oss.url,
        KESTRA_USER: credentials.username,
        KESTRA_PASSWORD: credentials.password,
      },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(server OSS 1.3.19)');
  });

  it('gives an API token', async () => {
    const r = await runCli(['validate', 'examples/flows'], {
      env: { KESTRA_SERVER: ee.url, KESTRA_API_TOKEN: token },
    });
    expect(r.code).toBe(0);
    expect(ee.requests.length).toBeGreaterThan(0);
    expect(ee.requests.every((q) => q.headers.authorization === `Bearer ${token}`)).toBe(true);
    expect(printed(r)).not.toContain(token);
  });

  it('loses to a flag', async () => {
    const r = await runCli(
      ['validate', 'examples/flows', '--server', oss.url, '--password', credentials.password],
      {
        env: {
          KESTRA_SERVER: 'http://127.0.0.1:9',
          KESTRA_USER: credentials.username,
          KESTRA_PASSWORD: 'wrong-password-1',
          KESTRA_TENANT: 'main',
        },
      },
    );
    expect(r.code).toBe(0);
    expect(oss.requests.length).toBeGreaterThan(0);
  });

  it('refuses a variable set but empty where the default matters (an unset variable upstream)', async () => {
    const r = await runCli(['deploy', 'examples/flows'], {
      env: { KESTRA_SERVER: oss.url, KESTRA_TENANT: '' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'KESTRA_TENANT' is empty (an unset variable?)");
    expect(oss.requests).toEqual([]);
  });
});

describe('secrets are never printed', () => {
  const env = { KESTRA_USER: credentials.username, KESTRA_PASSWORD: credentials.password };

  it.each([
    ['a run that works, with debug lines', ['validate', 'examples/flows', 'SERVER'], { KESTRA_DEBUG: '1' }],
    ['a JSON document', ['deploy', 'examples/flows', 'SERVER', '--dry-run', '--format', 'json'], {}],
    ['a refused password', ['validate', 'examples/flows', 'SERVER', '--user', 'other@kestra.io'], {}],
    ['a usage error', ['validate', 'examples/flows', 'SERVER', '--timeout', 'x'], {}],
  ])('%s', async (_what, args, extra) => {
    const argv = args.flatMap((a) => (a === 'SERVER' ? ['--server', oss.url] : [a]));
    const r = await runCli(argv, { env: { ...env, ...extra } });
    expect(printed(r)).not.toContain(credentials.password);
    expect(printed(r)).not.toContain(
      Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'),
    );
  });

  it('from a server that echoes them back in an error page', async () => {
    oss.fault({
      path: /\/flows\/validate$/,
      status: 500,
      html: false,
      body: `{"message":"bad ${credentials.password} and X-Proxy-Key proxy-secret-42"}`,
    });
    const r = await runCli(
      [
        'validate',
        'examples/flows',
        '--server',
        oss.url,
        '--header',
        'X-Proxy-Key: proxy-secret-42',
        '--format',
        'json',
      ],
      { env },
    );
    expect(r.code).toBe(1);
    expect(printed(r)).toContain('***');
    expect(printed(r)).not.toContain(credentials.password);
    expect(printed(r)).not.toContain('proxy-secret-42');
  });

  it('from a server finding that quotes one (in the report, the JSON document and the report files)', async () => {
    const answer = [0, 1, 2].map((index) =>
      index === 0 ? { index, constraints: `tasks[0]: cannot log in as ${credentials.password}` } : { index },
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'kestra-cli-'));
    for (const format of ['text', 'json']) {
      oss.fault({ path: /\/flows\/validate$/, status: 200, body: JSON.stringify(answer) });
      const reports = ['codequality', 'junit', 'sarif'].flatMap((k) => [
        `--${k}`,
        path.join(dir, `${format}.${k}`),
      ]);
      const r = await runCli(
        ['validate', 'examples/flows', '--server', oss.url, '--format', format, ...reports],
        { env },
      );
      expect(r.code).toBe(1);
      expect(printed(r)).toContain('cannot log in as ***');
      expect(printed(r)).not.toContain(credentials.password);
      for (const k of ['codequality', 'junit', 'sarif']) {
        const written = readFileSync(path.join(dir, `${format}.${k}`), 'utf8');
        expect(written).toContain('cannot log in as ***');
        expect(written).not.toContain(credentials.password);
      }
    }
  });

  it('even where no server sees it: a flow that quotes the password, validated offline', async () => {
    const ws = makeWorkspace({ 'a.yml': `id: ${credentials.password}!\nnamespace: team\ntasks: []\n` });
    for (const format of ['text', 'json']) {
      const r = await runCli(['validate', '--format', format], { cwd: ws, env });
      expect(r.code).toBe(1);
      expect(printed(r)).toContain('***!');
      expect(printed(r)).not.toContain(credentials.password);
    }
  });
});
