// Runs a bundled action (dist/<name>/index.js) the way the GitHub runner does: a Node process with
// INPUT_* variables, and files for GITHUB_OUTPUT and GITHUB_STEP_SUMMARY. Used by the demo, the bench and tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  ms: number;
  /** Peak resident memory of the process in bytes, when run with `measure` (GNU time). */
  maxRssBytes?: number;
}

export interface RunOptions {
  workspace?: string;
  env?: Record<string, string>;
  node?: string;
  /** Run under /usr/bin/time to read the peak RSS (the benchmark). */
  measure?: boolean;
}

const RSS_MARK = 'KESTRA_BENCH_MAXRSS_KB=';

/** Spawns `node args…` (under GNU time when measuring) and collects its output. */
export async function spawnNode(
  node: string,
  args: string[],
  options: { env: Record<string, string>; cwd: string; measure?: boolean },
): Promise<{ code: number; stdout: string; stderr: string; ms: number; maxRssBytes?: number }> {
  const [cmd, argv] = options.measure
    ? ['/usr/bin/time', ['-f', `${RSS_MARK}%M`, node, ...args]]
    : [node, args];
  const started = performance.now();
  const child = spawn(cmd, argv, { env: options.env, cwd: options.cwd });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const ms = performance.now() - started;
  const rss = new RegExp(`${RSS_MARK}(\\d+)`).exec(stderr);
  return {
    code,
    stdout,
    stderr: stderr.replace(/^.*KESTRA_BENCH_MAXRSS_KB=.*$/m, ''),
    ms,
    maxRssBytes: rss ? Number(rss[1]) * 1024 : undefined,
  };
}

/** `name<<DELIM\nvalue\nDELIM` blocks, as @actions/core writes them. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1] as string] = m[3] as string;
  return out;
}

export type ActionName = 'validate' | 'deploy' | 'main';

/** Where an action's metadata is: `main` is the root (marketplace) action. */
const actionYml = (action: ActionName): string =>
  path.join(repoRoot, action === 'main' ? 'action.yml' : `${action}/action.yml`);

/**
 * The inputs the runner sets when the workflow leaves them out: every input's `default:` from the action's
 * own action.yml (act and local-action do the same), so the action never sees an input it declares with a
 * default as unset. `${{ … }}` defaults (github.token) become '': a run passes the value it means.
 */
export function actionDefaults(action: ActionName): Record<string, string> {
  const meta = parse(readFileSync(actionYml(action), 'utf8')) as {
    inputs?: Record<string, { default?: unknown }>;
  };
  const defaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(meta.inputs ?? {})) {
    if (input.default === undefined || input.default === null) continue;
    const value = String(input.default);
    defaults[name] = value.includes('${{') ? '' : value;
  }
  return defaults;
}

/** The INPUT_* variables the runner sets: the given inputs over the action's defaults, names as the runner spells them. */
export function inputVariables(action: ActionName, inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  // The runner upper-cases input names and turns spaces into '_'; dashes stay. Values are passed as written:
  // the action (through @actions/core) trims them.
  for (const [name, value] of Object.entries({ ...actionDefaults(action), ...inputs }))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  return env;
}

export async function runAction(
  action: ActionName,
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<ActionRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kestra-action-'));
  const outputFile = path.join(dir, 'output');
  const summaryFile = path.join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_WORKSPACE: options.workspace ?? repoRoot,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    ...options.env,
    ...inputVariables(action, inputs),
  };
  const bundle = path.join(repoRoot, 'dist', action, 'index.js');
  const proc = await spawnNode(options.node ?? process.execPath, [bundle], {
    env,
    cwd: env.GITHUB_WORKSPACE as string,
    measure: options.measure,
  });
  const result: ActionRun = {
    ...proc,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
  };
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/** Workflow commands (`::error file=a.yml,line=3::msg`) as a person reads them in the Actions UI. */
export function renderLog(stdout: string): string {
  const icon: Record<string, string> = { error: '❌', warning: '⚠️ ', notice: 'ℹ️ ' };
  return stdout
    .split('\n')
    .filter((l) => !/^::(add-mask|debug|set-output|save-state)/.test(l))
    .map((line) => {
      const m = /^::(error|warning|notice)(?: (.*?))?::(.*)$/.exec(line);
      if (m) {
        const props = Object.fromEntries(
          (m[2] ?? '')
            .split(',')
            .filter(Boolean)
            .map((p) => p.split('=') as [string, string]),
        );
        const where = props.file ? `${props.file}:${props.line ?? 1}:${props.col ?? 1} ` : '';
        return `${icon[m[1] as string]} ${where}${decodeCommand(m[3] ?? '')}`;
      }
      if (line.startsWith('::group::')) return `▸ ${line.slice(9)}`;
      if (line.startsWith('::endgroup::')) return '';
      return line;
    })
    .join('\n');
}

const decodeCommand = (s: string): string =>
  s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');

/** The job summary's HTML as plain text rows, for a terminal. */
export function renderSummary(html: string): string {
  return html
    .replace(/<\/t[hd]>\s*<t[hd][^>]*>/g, ' │ ')
    .replace(/<tr>/g, '\n')
    .replace(/<br>/g, ' / ')
    .replace(/<h\d>(.*?)<\/h\d>/g, '\n$1\n')
    .replace(/<summary>(.*?)<\/summary>/g, '\n$1\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
