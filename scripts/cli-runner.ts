// Runs the `kestra-actions` command as a user's shell does: its TypeScript source through tsx, or the bundle
// (dist/cli/index.js) under a given Node, in a clean environment (no CI variables of the machine running
// it), optionally in a pseudo-terminal. Used by the tests, the demo and the bench.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, spawnNode } from './action-runner.js';

export const cliBundle = path.join(repoRoot, 'dist/cli/index.js');
export const cliSource = path.join(repoRoot, 'src/cli/index.ts');
const tsxLoader = path.join(repoRoot, 'node_modules/tsx/dist/loader.mjs');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  /** Variables on top of PATH and HOME (the machine's own CI variables are left out). */
  env?: Record<string, string>;
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Run dist/cli/index.js instead of the TypeScript source. */
  bundle?: boolean;
  /** The Node that runs it (default: this one). */
  node?: string;
  /**
   * In a pseudo-terminal (util-linux `script`): stdout and stderr are one terminal, so `stdout` holds both,
   * with `\r\n` line ends.
   */
  tty?: boolean;
}

/** Whether `script` can give the command a terminal on this machine. */
export function canFakeTerminal(): boolean {
  try {
    execFileSync('script', ['-qec', 'true', '/dev/null'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export async function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const node = options.node ?? process.execPath;
  // tsx's loader by its URL, so that a run from another working directory finds it.
  const entry = options.bundle ? [cliBundle] : ['--import', pathToFileURL(tsxLoader).href, cliSource];
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env };
  const cwd = options.cwd ?? repoRoot;
  if (!options.tty) return spawnNode(node, [...entry, ...args], { env, cwd });
  const command = [node, ...entry, ...args].map(quote).join(' ');
  return spawnNode('script', ['-qec', command, '/dev/null'], { env, cwd });
}

/** A GitLab job log as a person reads it: each section's title as `▸ title`, its end marker gone. */
export function renderGitLabLog(text: string): string {
  /* eslint-disable no-control-regex -- GitLab's section markers are escape sequences */
  return text
    .replace(/\x1b\[0Ksection_start:\d+:[\w.-]+(?:\[[^\]]*\])?\r\x1b\[0K(.*)/g, '▸ $1')
    .replace(/\x1b\[0Ksection_end:\d+:[\w.-]+\r\x1b\[0K\n?/g, '');
  /* eslint-enable no-control-regex */
}
