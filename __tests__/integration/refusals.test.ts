// Inputs that change what is written or deleted: a missing, empty or malformed value is refused with one line
// naming the input, before any request (the emulator sees none), never read as a default. Over real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { run as deploy } from '../../deploy/main.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { run as validate } from '../../validate/main.js';
import { runMain, type MainRun } from '../helpers/run-main.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

const credentials = { username: 'ci@kestra.io', password: 'Secret-pass1' };

/** The `::error::` messages of a run. */
const errors = (r: MainRun): string[] =>
  r.annotations.filter((a) => a.level === 'error').map((a) => a.message);

/** A refused run: failed, one error line matching `message`, and not a single request to the server. */
function expectRefused(r: MainRun, kestra: Emulator, message: string | RegExp): void {
  expect(r.failed).toBe(true);
  expect(errors(r)).toHaveLength(1);
  const [line = ''] = errors(r);
  if (typeof message === 'string') expect(line).toBe(message);
  else expect(line).toMatch(message);
  expect(line).not.toContain('\n');
  expect(kestra.requests.map((q) => `${q.method} ${q.path}`)).toEqual([]);
}

describe('deploy refuses, with nothing sent (OSS 1.3)', () => {
  let kestra: Emulator;
  let ws: string;
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19', basicAuth: credentials });
    // What an unset variable would reach: production, with a flow that a prune would delete.
    kestra.seedFlow(flow('company.prod', 'keep'));
    ws = makeWorkspace({
      'flows/one.yml': flow('company.prod', 'one'),
      'files/scripts/a.py': 'print(1)\n',
    });
  });
  afterAll(() => kestra.close());
  beforeEach(() => kestra.clearRequests());

  const run = (inputs: Record<string, string>): Promise<MainRun> =>
    runMain(
      deploy,
      {
        directory: 'flows',
        server: kestra.url,
        user: credentials.username,
        password: credentials.password,
        ...inputs,
      },
      { workspace: ws },
    );

  const untouched = (): void => {
    expect(kestra.getFlow('company.prod', 'keep')).toBeDefined();
    expect(kestra.getFlow('company.prod', 'one')).toBeUndefined();
  };

  it("override-namespace with an empty namespace: the flows' own namespace is neither written nor pruned", async () => {
    const r = await run({ 'override-namespace': 'true', namespace: '', delete: 'true' });
    expectRefused(
      r,
      kestra,
      "'override-namespace' is true but 'namespace' is empty (an unset variable?): set 'namespace' to the namespace to deploy to, or remove 'override-namespace' to deploy each flow to the namespace it declares",
    );
    untouched();
  });

  it.each(['dry-run', 'delete', 'override-namespace', 'read-only', 'fail-on-warnings', 'comment'])(
    "an empty '%s' is refused, not read as false",
    async (name) => {
      const r = await run({ [name]: '' });
      expectRefused(
        r,
        kestra,
        `Input '${name}' is empty (an unset variable or secret?): write true or false, or remove the line to use its default`,
      );
      untouched();
    },
  );

  it.each(['yes', '1', 'no', 'on', 'tRuE'])(
    "'dry-run: %s' is refused with the accepted spellings",
    async (value) => {
      const r = await run({ 'dry-run': value });
      expectRefused(
        r,
        kestra,
        `'dry-run' must be true or false (accepted: true, True, TRUE, false, False, FALSE), got "${value}"`,
      );
      untouched();
    },
  );

  it.each(['true', 'false'])(
    "namespace files with an empty 'to' (delete: %s) never become '/'",
    async (del) => {
      const r = await run({
        resource: 'namespace-files',
        directory: 'files',
        namespace: 'company.prod',
        to: '',
        delete: del,
      });
      expectRefused(
        r,
        kestra,
        "Input 'to' is empty (an unset variable or secret?): write the namespace folder the files go to, or remove the line to use '/' (its root)",
      );
      expect(kestra.listFiles('company.prod')).toEqual([]);
    },
  );

  it('namespace files with an empty namespace are refused before connecting', async () => {
    const r = await run({ resource: 'namespace-files', directory: 'files', namespace: '' });
    expectRefused(
      r,
      kestra,
      "'namespace' is required with 'resource: namespace-files', and it is empty (an unset variable?): set it to the namespace the files go to",
    );
  });

  it.each([
    [
      'tenant',
      '',
      "Input 'tenant' is empty (an unset variable or secret?): set the tenant id, or remove the line to use 'main'",
    ],
    [
      'resource',
      '',
      "Input 'resource' is empty (an unset variable or secret?): write one of flows, namespace-files, or remove the line to use its default",
    ],
    [
      'include',
      '',
      "Input 'include' is empty (an unset variable or secret?): write the globs of the files to manage, or remove the line to take every file ('**')",
    ],
    [
      'include',
      ' ,\n',
      "Input 'include' is empty (an unset variable or secret?): write the globs of the files to manage, or remove the line to take every file ('**')",
    ],
    ['directory', '', /^Input 'directory' is required/],
    ['server', '', /^Input 'server' is required to deploy/],
  ])("'%s: %j' is refused, not read as a default", async (name, value, message) => {
    const r = await run({ [name]: value });
    expectRefused(r, kestra, message);
    untouched();
  });

  it.each(['api-token', 'password', 'user'])(
    "a control character inside '%s' is one line naming it, never the value, and not 'cannot reach'",
    async (name) => {
      const secret = 'Pasted-secret\nsecond-line';
      const r = await run({ [name]: secret });
      expectRefused(
        r,
        kestra,
        `'${name}' holds a control character (a line break or tab pasted with it?): set it again as one line (the value is not shown)`,
      );
      // Only the runner's mask command may carry it (the runner then hides it everywhere).
      const shown = r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'));
      expect(shown.join('\n')).not.toMatch(/second-line|cannot reach/);
    },
  );

  it("a ':' in 'user' is refused (basic auth cannot carry it)", async () => {
    const r = await run({ user: 'ci:kestra.io' });
    expectRefused(r, kestra, /^'user' holds a ':'/);
  });

  it.each([
    ['Content-Length', '0'],
    ['content-type', 'text/plain'],
    ['Host', 'kestra.internal'],
    ['Transfer-Encoding', 'chunked'],
    ['Connection', 'close'],
    ['Authorization', 'Bearer hdr-Secret-123'],
  ])("'headers' setting %s is refused naming the line, with no request at all", async (header, value) => {
    const r = await run({ headers: `X-Team: data\n${header}: ${value}` });
    expectRefused(r, kestra, new RegExp(`^'headers' line 2 sets '${header}': .*; remove that line$`));
    expect(errors(r)[0]).not.toContain(value);
    untouched();
  });
});

describe('headers the client sets itself cause no retry storm (the action, default retries)', () => {
  it('a Content-Length header never reaches the network', async () => {
    const kestra = await startEmulator({ version: '1.3.19' });
    try {
      const ws = makeWorkspace({ 'flows/one.yml': flow('team', 'one') });
      const started = Date.now();
      const r = await runMain(
        deploy,
        { directory: 'flows', server: kestra.url, headers: 'Content-Length: 5' },
        { workspace: ws },
      );
      expect(r.failed).toBe(true);
      expect(errors(r)).toEqual([
        "'headers' line 1 sets 'Content-Length': the client sets it from each request body; remove that line",
      ]);
      expect(kestra.requests).toEqual([]);
      expect(r.stdout).not.toMatch(/retry/);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await kestra.close();
    }
  });

  it("without credentials, an 'Authorization' header is allowed (a gateway's own auth) and sent", async () => {
    const kestra = await startEmulator({ version: '1.3.19' });
    try {
      const ws = makeWorkspace({ 'flows/one.yml': flow('team', 'one') });
      const r = await runMain(
        validate,
        { directory: 'flows', server: kestra.url, headers: 'Authorization: Gateway gw-Secret-1' },
        { workspace: ws },
      );
      expect(r.failed).toBe(false);
      expect(kestra.requests.map((q) => q.headers.authorization)).toEqual([
        'Gateway gw-Secret-1',
        'Gateway gw-Secret-1',
      ]);
    } finally {
      await kestra.close();
    }
  });
});
