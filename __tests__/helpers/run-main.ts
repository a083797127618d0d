// Runs an action's `run()` in this process the way the runner would call it: INPUT_* variables (with every
// input the test leaves out set to its action.yml default, as the runner does), GITHUB_OUTPUT /
// GITHUB_STEP_SUMMARY files, and the workflow commands it prints captured from stdout.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { run as deploy } from '../../deploy/main.js';
import { run as root } from '../../main.js';
import { inputVariables, parseOutputFile, repoRoot, type ActionName } from '../../scripts/action-runner.js';
import { run as validate } from '../../validate/main.js';

export interface MainRun {
  failed: boolean;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  /** `::error file=…,line=…::message` commands, parsed. */
  annotations: {
    level: string;
    file?: string;
    line?: number;
    col?: number;
    title?: string;
    message: string;
  }[];
}

const dir = mkdtempSync(path.join(tmpdir(), 'kestra-main-'));

/** Which action.yml a `run` reads its defaults from; none for a function that is not an action's. */
function actionOf(run: () => Promise<void>): ActionName | undefined {
  if (run === validate) return 'validate';
  if (run === deploy) return 'deploy';
  if (run === root) return 'main';
  return undefined;
}

/**
 * `options.action` names the action.yml whose defaults fill the inputs the test leaves out; by default the
 * action whose `run` this is. A wrapper that is no action's `run` (the pipeline called directly) gets only
 * the inputs given.
 */
export async function runMain(
  run: () => Promise<void>,
  inputs: Record<string, string>,
  options: { workspace?: string; env?: Record<string, string>; action?: ActionName } = {},
): Promise<MainRun> {
  // @actions/core's summary caches the first GITHUB_STEP_SUMMARY path it sees, so one file per process, emptied per run.
  const outputFile = path.join(dir, 'output');
  const summaryFile = path.join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  Object.assign(process.env, {
    GITHUB_WORKSPACE: options.workspace ?? repoRoot,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    ...options.env,
  });
  const action = options.action ?? actionOf(run);
  if (action) Object.assign(process.env, inputVariables(action, inputs));
  else for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;

  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    stdout += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  const exitCodeBefore = process.exitCode;
  process.exitCode = undefined;
  try {
    await run();
  } finally {
    process.stdout.write = write;
  }
  const failed = process.exitCode === 1;
  process.exitCode = exitCodeBefore;
  process.env = saved;
  const result: MainRun = {
    failed,
    stdout,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    annotations: parseAnnotations(stdout),
  };
  return result;
}

export function parseAnnotations(stdout: string): MainRun['annotations'] {
  const out: MainRun['annotations'] = [];
  for (const m of stdout.matchAll(/^::(error|warning|notice)(?: (.*?))?::(.*)$/gm)) {
    const props = Object.fromEntries(
      (m[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map((p) => {
          const i = p.indexOf('=');
          return [p.slice(0, i), decodeURIComponent(p.slice(i + 1).replace(/%2C/g, ','))];
        }),
    );
    out.push({
      level: m[1] as string,
      file: props.file,
      line: props.line ? Number(props.line) : undefined,
      col: props.col ? Number(props.col) : undefined,
      title: props.title,
      message: (m[3] ?? '').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%'),
    });
  }
  return out;
}
