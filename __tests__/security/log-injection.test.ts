// File names and server messages are not ours (on a pull request from a fork the author picks the file
// names): whatever they hold, the step's stdout must carry only the workflow commands the product meant,
// as the runner reads them. Real runs over HTTP against the emulator; the stdout read like the runner.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { run as deploy } from '../../deploy/main.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { repoRoot } from '../../scripts/action-runner.js';
import { safeLogLine } from '../../src/github/log.js';
import { run as validate } from '../../validate/main.js';
import { runMain, type MainRun } from '../helpers/run-main.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';
import { runnerCommands, type RunnerCommand } from './runner-commands.js';

/** Names a pull request's author may choose: each would forge an annotation or silence the rest. */
const HOSTILE = [
  'x\n::error file=README.md,line=1::forged\n.yml',
  'y\r::stop-commands::tok\r\n.yml',
  'z ##[error]forged-v1.yml',
  'w\n \t::warning title=forged::forged after blanks\n.yml',
  'v\u2028::error::forged after a line separator.yml',
];
const FORGED = /forged/;

/**
 * The commands the product emits itself; any other (or any annotation the test did not expect) is forged.
 * Outputs go to GITHUB_OUTPUT and no run here has a secret to mask, so `set-output` or `add-mask` would be.
 */
const PRODUCT = new Set(['debug', 'endgroup', 'error', 'group', 'notice', 'warning']);

function commandsOf(r: MainRun): RunnerCommand[] {
  const commands = runnerCommands(r.stdout);
  expect(commands.filter((c) => !PRODUCT.has(c.command))).toEqual([]);
  // Every command line is one @actions/core wrote: at the start of its line, never found further in.
  for (const c of commands) expect(c.line.startsWith(`::${c.command}`)).toBe(true);
  return commands;
}

const annotations = (commands: RunnerCommand[]) =>
  commands
    .filter((c) => ['error', 'warning', 'notice'].includes(c.command))
    .map((c) => ({ level: c.command, file: c.properties.file, title: c.properties.title, message: c.data }));

describe('safeLogLine', () => {
  it('turns line breaks into visible escapes and defuses a leading :: and ##[ anywhere', () => {
    expect(safeLogLine('a\nb\r\nc\rd')).toBe('a\\nb\\r\\nc\\rd');
    expect(safeLogLine('::error::x')).toBe('\\::error::x');
    expect(safeLogLine(' \t\u00a0::error::x')).toBe(' \t\u00a0\\::error::x');
    expect(safeLogLine('file ##[error]x and ###[warning]y')).toBe('file ##\\[error]x and ###\\[warning]y');
    expect(safeLogLine('a\u2028b\u2029c\u0085d')).toBe('a\\u2028b\\u2029c\\u0085d');
    expect(safeLogLine('plain: text :: with colons')).toBe('plain: text :: with colons');
  });

  it('leaves the runner nothing to act on, whatever the text', () => {
    const pieces = fc.constantFrom(
      '::',
      '##[',
      '\n',
      '\r',
      ' ',
      '\t',
      '\u2028',
      'error',
      'stop-commands',
      ']',
      'x',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 12 }), (parts) => {
        const line = safeLogLine(parts.join(''));
        expect(line).not.toMatch(/[\r\n]/);
        expect(runnerCommands(`${line}\n`)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('hostile file names and server messages over the emulator', () => {
  let kestra: Emulator;
  beforeAll(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
  });
  afterAll(() => kestra.close());

  /**
   * One valid flow per hostile name, and one invalid per hostile name: an unknown plugin type outside Kestra's
   * core (a core one is named offline), so that the server's message is what gets shown.
   */
  const workspace = (): string => {
    const files: Record<string, string> = {};
    HOSTILE.forEach((name, i) => {
      files[`flows/ok/${name}`] = flow('company.team', `ok${i}`);
      files[`flows/bad/${name}`] = flow('company.team', `bad${i}`).replace(
        'io.kestra.plugin.core.log.Log',
        'io.kestra.plugin.other.log.Logg',
      );
    });
    return makeWorkspace(files);
  };

  it('validate: one annotation per invalid file, at its own name, and nothing forged', async () => {
    const r = await runMain(validate, { directory: 'flows', server: kestra.url }, { workspace: workspace() });
    expect(r.failed).toBe(true);
    const found = annotations(commandsOf(r));
    expect(found.filter((a) => a.level === 'error').map((a) => a.file)).toEqual(
      expect.arrayContaining(HOSTILE.map((name) => `flows/bad/${name}`)),
    );
    expect(found.filter((a) => a.level === 'error')).toHaveLength(HOSTILE.length + 1); // + the run's failure
    expect(found.filter((a) => a.level !== 'error')).toEqual([]);
    expect(found.filter((a) => FORGED.test(a.message))).toEqual([]);
    // The names are in the log, shown inert.
    expect(r.stdout).toContain('flows/bad/x\\n::error file=README.md,line=1::forged\\n.yml:6:5: error');
  });

  const valid = (): string => {
    const files: Record<string, string> = {};
    HOSTILE.forEach((name, i) => (files[`flows/${name}`] = flow('company.team', `ok${i}`)));
    return makeWorkspace(files);
  };

  it.each([
    ['a dry-run', 'true'],
    ['a deploy', 'false'],
  ])("deploy flows, %s: every file in the log, no command but the product's own", async (_name, dryRun) => {
    const r = await runMain(
      deploy,
      { directory: 'flows', server: kestra.url, 'dry-run': dryRun },
      { workspace: valid() },
    );
    expect(r.failed).toBe(false);
    expect(annotations(commandsOf(r))).toEqual([]);
    expect(r.stdout).toContain('(flows/y\\r::stop-commands::tok\\r\\n.yml)');
    expect(kestra.listFlows('company.team').length).toBe(dryRun === 'true' ? 0 : HOSTILE.length);
  });

  it.each([
    ['a dry-run', 'true'],
    ['a deploy', 'false'],
  ])("deploy namespace files, %s: no command but the product's own", async (_name, dryRun) => {
    const files: Record<string, string> = {};
    for (const name of HOSTILE) files[`files/${name.replace(/\.yml$/, '.py')}`] = 'print(1)\n';
    const r = await runMain(
      deploy,
      {
        resource: 'namespace-files',
        directory: 'files',
        namespace: 'company.files',
        server: kestra.url,
        'dry-run': dryRun,
      },
      { workspace: makeWorkspace(files) },
    );
    expect(r.failed).toBe(false);
    // Kestra before 2.0 stores a space as '+': the one warning, which names the files (escaped by @actions/core).
    expect(annotations(commandsOf(r)).map((a) => a.message.slice(0, 34))).toEqual([
      'Kestra 1.3.19 stores a space in a ',
    ]);
    expect(r.stdout).toContain('/x\\n::error file=README.md,line=1::forged\\n.py');
    expect(kestra.listFiles('company.files').length).toBe(dryRun === 'true' ? 0 : HOSTILE.length);
  });

  it("a server's message: an unknown task type named with the hostile text is one annotation, inert in the log", async () => {
    const type = 'io.kestra.plugin.x\n::error file=README.md::forged\r::stop-commands::tok ##[error]forged';
    const ws = makeWorkspace({
      'flows/a.yml': flow('company.team', 'a').replace('io.kestra.plugin.core.log.Log', JSON.stringify(type)),
    });
    const r = await runMain(validate, { directory: 'flows', server: kestra.url }, { workspace: ws });
    expect(r.failed).toBe(true);
    const found = annotations(commandsOf(r));
    // The task's errors at the file, then the run's failure: nothing else.
    expect(found.map((a) => [a.level, a.file]).slice(-1)).toEqual([['error', undefined]]);
    expect(found.slice(0, -1).every((a) => a.level === 'error' && a.file === 'flows/a.yml')).toBe(true);
    expect(found.some((a) => a.message.startsWith(`Invalid type: ${type}`))).toBe(true);
    expect(r.stdout).toContain(`Invalid type: ${safeLogLine(type)}`);
  });

  it("a server's message in a validation answer, its version and a failed write's message stay inert", async () => {
    const echo = 'bad\n::error::forged\n::stop-commands::tok';
    kestra.fault({
      method: 'GET',
      path: /\/configs$/,
      status: 200,
      body: JSON.stringify({ version: `1.3.19\n::error::forged version`, edition: 'OSS' }),
    });
    kestra.fault({
      method: 'POST',
      path: /\/flows\/validate$/,
      status: 200,
      body: JSON.stringify([{ index: 0, warnings: [echo], outdated: false }]),
    });
    kestra.fault({
      method: 'POST',
      path: /\/flows\/company\.other$/,
      status: 422,
      body: JSON.stringify({ message: `Invalid entity: ${echo}` }),
      count: 10,
    });
    const ws = makeWorkspace({ 'flows/a.yml': flow('company.other', 'a') });
    const r = await runMain(deploy, { directory: 'flows', server: kestra.url }, { workspace: ws });
    expect(r.failed).toBe(true);
    const found = annotations(commandsOf(r));
    expect(found.map((a) => [a.level, a.file])).toEqual([
      ['warning', 'flows/a.yml'],
      ['error', undefined], // the run's failure, quoting the server
    ]);
    expect(found[0]?.message).toBe(echo);
    expect(r.stdout).toContain('Kestra 1.3.19\\n::error::forged version (OSS)');
    expect(r.stdout).toContain('Invalid entity: bad\\n::error::forged\\n::stop-commands::tok\n');
  });
});

it('eslint forbids core.info outside src/github/log.ts', () => {
  const lint = (file: string, code: string): string => {
    try {
      execFileSync('node', ['node_modules/eslint/bin/eslint.js', '--stdin', '--stdin-filename', file], {
        cwd: repoRoot,
        input: code,
      });
      return '';
    } catch (error) {
      return String((error as { stdout?: Buffer }).stdout);
    }
  };
  const code = "import * as core from '@actions/core';\nexport const f = (): void => core.info('x');\n";
  expect(lint('src/core/probe.ts', code)).toMatch(/core\.info.*src\/github\/log\.ts/);
  expect(lint('deploy/probe.ts', code)).toMatch(/core\.info/);
  expect(lint('src/github/log.ts', code)).toBe('');
  expect(lint('src/core/probe.ts', "export const f = (): boolean => process.stdout.write('x');\n")).toMatch(
    /process\.stdout/,
  );
});
