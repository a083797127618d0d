// Usage errors end with exit code 2 and one line that points at --help, before any request; --help and
// --version answer on stdout.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { repoRoot } from '../../scripts/action-runner.js';
import { runCli } from '../../scripts/cli-runner.js';
import { FLAGS } from '../../src/cli/options.js';

const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;

let kestra: Emulator;
beforeAll(async () => {
  kestra = await startEmulator({ version: '1.3.19' });
});
afterAll(() => kestra.close());
beforeEach(() => kestra.clearRequests());

describe('--help and --version', () => {
  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, `${version}\n`, '']);
  });

  it('--help lists the commands, every flag, its variable and default, and the exit codes', async () => {
    const r = await runCli(['deploy', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kestra-actions validate [DIRECTORY] [flags]');
    for (const f of FLAGS) expect(r.stdout).toContain(`--${f.name}`);
    expect(r.stdout).toMatch(/--server URL +.*\(env KESTRA_SERVER; required by deploy\)/);
    expect(r.stdout).toMatch(/--tenant ID +.*\(env KESTRA_TENANT; default main\)/);
    expect(r.stdout).toContain(
      'Exit codes: 0 success; 1 invalid flows, or a deploy refused or failed; 2 a usage error.',
    );
  });
});

describe('usage errors: exit 2, one line, nothing sent', () => {
  const server = (): string[] => ['--server', kestra.url];
  it.each([
    [['validate', '--no-such-flag'], "unknown flag '--no-such-flag'"],
    [['lint'], "unknown command 'lint'"],
    [
      ['deploy', 'examples/flows', 'SERVER', '--dry-run=yes'],
      '\'--dry-run\' must be true or false (accepted: true, True, TRUE, false, False, FALSE), got "yes"',
    ],
    [['validate', 'examples/flows', 'flows'], "one DIRECTORY at most: 'flows' is one argument too many"],
    [
      ['validate', 'examples/flows', 'SERVER', '--timeout', '0'],
      "'--timeout' must be between 1 and 3600 seconds, got 0",
    ],
    [
      ['validate', 'examples/flows', 'SERVER', '--timeout', 'soon'],
      '\'--timeout\' must be a whole number of seconds, got "soon"',
    ],
    [
      ['validate', 'examples/flows', '--kestra-version', '2'],
      '\'--kestra-version\' must be a Kestra version as major.minor (e.g. 1.3 or 2.0), got "2"',
    ],
    [['validate', 'no/such/folder'], "DIRECTORY 'no/such/folder' does not exist"],
    [['validate', 'examples/flows', '--format', 'xml'], '\'--format\' must be one of text, json, got "xml"'],
    [['deploy', 'examples/flows'], "'server' is required to deploy"],
    [
      ['deploy', 'examples/flows', 'SERVER', '--resource', 'template'],
      "'resource: template' is not supported",
    ],
    [
      ['deploy', 'examples/flows', 'SERVER', '--override-namespace'],
      "'override-namespace' is true but 'namespace' is empty",
    ],
    [['deploy', 'examples/flows', 'SERVER', '--tenant='], "'--tenant' is empty: give the tenant id"],
    [
      ['validate', 'examples/flows', 'SERVER', '--header', 'Content-Type: x'],
      "--header #1 sets 'Content-Type': the client sets it per request",
    ],
    [
      ['validate', 'examples/flows', '--server', 'kestra.example.com'],
      "'server' must start with http:// or https://",
    ],
    [['validate', 'examples/flows', '--junit='], "'--junit' is empty"],
  ])('%j', async (args, message) => {
    const argv = args.flatMap((a) => (a === 'SERVER' ? server() : [a]));
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kestra-actions: .* \(see kestra-actions --help\)$/);
    expect(lines[0]).toContain(message);
    expect(kestra.requests).toEqual([]);
  });
});
