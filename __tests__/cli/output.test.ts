// What the CLI writes, wherever it runs: GitLab sections, GitHub and Azure annotations, colours only on a
// terminal, lines that a file name cannot turn into a CI command.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
/* eslint-disable no-control-regex -- escape sequences are what these tests look for */
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { canFakeTerminal, runCli } from '../../scripts/cli-runner.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

const SGR = /\x1b\[\d+m/;

let kestra: Emulator;
beforeAll(async () => {
  kestra = await startEmulator({ version: '1.3.19' });
});
afterAll(() => kestra.close());

describe('on GitLab CI', () => {
  it('folds each stage in a collapsed section and leaves findings and verdict outside', async () => {
    const r = await runCli(['deploy', 'examples/flows', '--server', kestra.url, '--dry-run'], {
      env: { GITLAB_CI: 'true' },
    });
    expect(r.code).toBe(0);
    const start = /\x1b\[0Ksection_start:(\d+):(kestra_\d+)\[collapsed=true\]\r\x1b\[0K(.*)/g;
    const stages = [...r.stderr.matchAll(start)].map((m) => m[3]);
    expect(stages).toEqual([`Planning flows from examples/flows to ${kestra.url}`]);
    expect(r.stderr).toMatch(/Found 3 YAML files[\s\S]*\x1b\[0Ksection_end:\d+:kestra_1\r\x1b\[0K/);
    const namespaces = [...r.stdout.matchAll(start)].map((m) => m[3]);
    expect(namespaces).toEqual([
      'Plan (dry-run, nothing written): company.data (planned)',
      'Plan (dry-run, nothing written): company.team (planned)',
    ]);
    for (const [, , name] of r.stdout.matchAll(start)) {
      expect(r.stdout).toMatch(new RegExp(`\\x1b\\[0Ksection_end:\\d+:${name}\\r\\x1b\\[0K`));
    }
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^📝 Kestra deploy plan \(dry-run\): flows: /);
  });
});

describe('findings as the CI annotates them', () => {
  it('GitHub Actions: workflow-command annotations, and groups', async () => {
    const r = await runCli(['validate', 'examples/invalid'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(r.code).toBe(1);
    const annotation = r.stdout.split('\n').find((l) => l.startsWith('::error '));
    expect(annotation).toMatch(/file=examples\/invalid\/broken\.yml/);
    expect(annotation).toMatch(/line=9\b/);
    expect(r.stderr).toMatch(/^::group::Validating examples\/invalid \(offline\)$/m);
    expect(r.stderr).toMatch(/^::endgroup::$/m);
  });

  it('Azure Pipelines: ##vso[task.logissue] lines', async () => {
    const r = await runCli(['validate', 'examples/invalid'], { env: { TF_BUILD: 'True' } });
    expect(r.code).toBe(1);
    const issue = r.stdout.split('\n').find((l) => l.startsWith('##vso[task.logissue'));
    expect(issue).toMatch(/type=error/);
    expect(issue).toMatch(/sourcepath=examples\/invalid\/broken\.yml/);
    expect(issue).toMatch(/linenumber=9\b/);
  });

  it('elsewhere: the findings as lines, no CI command', async () => {
    const r = await runCli(['validate', 'examples/invalid']);
    expect(r.stdout + r.stderr).not.toMatch(/^(::|##vso\[|##\[)/m);
  });
});

describe('file names cannot forge a CI command', () => {
  const broken = 'id: x\nnamespace: team\n'; // no tasks: one finding at the file
  const ws = (): string =>
    makeWorkspace({
      '::warning::forged.yml': broken,
      'evil\n::error::forged.yml': broken,
      'a##vso[task.complete result=Failed]b.yml': broken,
      '##[error]forged.yml': broken,
      'ok.yml': flow('team', 'ok'),
    });
  /** The CLI's own lines: every line but the annotations its reporters make. */
  const ownLines = (text: string): string[] =>
    text.split('\n').filter((l) => !/^(::(error|warning|notice) |##vso\[task\.logissue )/.test(l));

  it.each([
    ['GitHub Actions', { GITHUB_ACTIONS: 'true' }],
    ['Azure Pipelines', { TF_BUILD: 'True' }],
    ['GitLab CI', { GITLAB_CI: 'true' }],
  ])('on %s', async (_ci, env) => {
    const r = await runCli(['validate'], { cwd: ws(), env });
    expect(r.code).toBe(1);
    const lines = ownLines(`${r.stdout}\n${r.stderr}`);
    expect(lines.filter((l) => /forged|##\\?vso/.test(l)).length).toBeGreaterThanOrEqual(4);
    for (const line of lines) {
      expect(line).not.toMatch(/^\s*::(?!group::|endgroup::$)/);
      expect(line).not.toMatch(/##vso\[|##\[(?!group\]|endgroup\]$)/);
    }
    // One line, the break shown as `\n`: what follows it no longer starts a line.
    expect(r.stdout).toContain('evil\\n::error::forged.yml:1:1: error: ');
  });
});

describe('colours', () => {
  const tty = canFakeTerminal() ? it : it.skip;
  if (!canFakeTerminal()) console.warn('script(1) is not available: the terminal cases are skipped');

  tty('on a terminal: coloured findings and verdict', async () => {
    const r = await runCli(['validate', 'examples/invalid'], { tty: true, env: { TERM: 'xterm' } });
    expect(r.stdout).toMatch(/\x1b\[31merror\x1b\[39m/);
    expect(r.stdout).toMatch(/\x1b\[31m✖ Kestra validation failed: \x1b\[39m/);
  });

  tty('on a terminal with NO_COLOR or --no-color: none', async () => {
    for (const run of [
      runCli(['validate', 'examples/invalid'], { tty: true, env: { TERM: 'xterm', NO_COLOR: '1' } }),
      runCli(['validate', 'examples/invalid', '--no-color'], { tty: true, env: { TERM: 'xterm' } }),
    ]) {
      const r = await run;
      expect(r.stdout).toContain('✖ Kestra validation failed');
      expect(r.stdout).not.toMatch(SGR);
    }
  });

  it('in a pipe: none, unless FORCE_COLOR', async () => {
    const plain = await runCli(['validate', 'examples/invalid']);
    expect(plain.stdout + plain.stderr).not.toMatch(SGR);
    const forced = await runCli(['validate', 'examples/invalid'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(SGR);
  });
});
