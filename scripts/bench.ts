// `npm run bench`: speed, memory and request counts of the bundled actions at scale, against a floor
// measured in the same run (scripts/bench-floor.mjs: a bare client doing the job in the fewest requests),
// and the request counts against the anchors' pattern and the project's targets. Figures, not a test.
//   npm run bench             1,000 and 10,000 flows (validate, deploy, redeploy unchanged, dry-run with 10%
//                             changed), 1,000 namespace files (deploy, redeploy unchanged, 1% changed)
//   npm run bench -- --quick  100 flows and 100 files (a smoke run)
//   npm run bench -- --only "deploy 10,000"   only the scenarios whose name contains the text; `|` separates
//                             alternatives: --only "dry-run|unchanged|namespace files"
//   npm run bench -- --only none              no scenario: the bundles' sizes and cold starts only
//                             (the `kestra-actions` CLI's included; its target is under 0.3 s)
//   npm run bench -- --node tools/node24/node_modules/node/bin/node   the bundles and the floor on that Node
//                             (the runners' Node 24; `npm ci --prefix tools/node24` installs it)
//   npm run bench -- --markdown   the tables with the line naming the command and Node, for the README
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type Emulator, startEmulator } from '../emulator/index.js';
import { repoRoot, runAction, spawnNode } from './action-runner.js';
import { methodLines, NOTES, requestTable, type Row, speedTable } from './bench-report.js';
import { FILES_NAMESPACE, type Plan, type Scenario, scenarios } from './bench-scenarios.js';
import type { Requests } from './bench-targets.js';
import { cliBundle, runCli } from './cli-runner.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const markdown = argv.includes('--markdown');
/** `--only deploy` runs the scenarios whose name contains the text (or one of its `|` alternatives). */
const only = argv.includes('--only') ? (argv[argv.indexOf('--only') + 1] ?? '').split('|') : undefined;
/** The Node that runs the bundles and the floor (default: the one running this script). */
const node = argv.includes('--node')
  ? path.resolve(argv[argv.indexOf('--node') + 1] ?? '')
  : process.execPath;
const wanted = (scenario: string): boolean => !only || only.some((text) => scenario.includes(text));

const mb = (bytes?: number): number => Math.round((bytes ?? 0) / 1024 / 1024);
const median = <T>(xs: T[], by: (x: T) => number): T =>
  [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)] as T;

/** A new emulator, holding the scenario's seed flows and files. */
async function fresh(scenario: Scenario): Promise<Emulator> {
  const emulator = await startEmulator({ version: '1.3.19' });
  // Stored as a bulk write stores them (trimmed), as a previous deploy would have left them: seeding the
  // file's text with its final newline would make every flow an update (docs/kestra-api.md#unchanged-flows).
  for (const source of scenario.seedFlows ?? []) emulator.seedFlow(source.trim());
  for (const file of scenario.seedFiles ?? []) emulator.seedFile(FILES_NAMESPACE, file.path, file.bytes);
  return emulator;
}

interface Sample {
  ms: number;
  rssMb: number;
  requests: Requests & { byMethod: Record<string, number> };
  problems: string[];
}

function counted(emulator: Emulator): Sample['requests'] {
  const byMethod: Record<string, number> = {};
  for (const r of emulator.requests) byMethod[r.method] = (byMethod[r.method] ?? 0) + 1;
  return { total: emulator.requests.length, writes: emulator.writes().length, byMethod };
}

/** Where the action's plan outputs or the namespace's bytes differ from what the scenario expects. */
function problems(scenario: Scenario, outputs: Record<string, string>, emulator: Emulator): string[] {
  const found: string[] = [];
  for (const [key, want] of Object.entries(scenario.plan ?? {}) as [keyof Plan, number][]) {
    const got = outputs[key];
    if (got !== String(want)) found.push(`${key} ${got ?? 'unset'}, expected ${want}`);
  }
  if (scenario.after && scenario.inputs['dry-run'] !== 'true') {
    const want = new Map(scenario.after.map((f) => [f.path, f.bytes]));
    const held = emulator.listFiles(FILES_NAMESPACE);
    const wrong = held.filter(
      (p) => !want.get(p)?.equals(emulator.getFile(FILES_NAMESPACE, p) ?? Buffer.alloc(0)),
    );
    const missing = [...want.keys()].filter((p) => !held.includes(p));
    if (wrong.length + missing.length > 0)
      found.push(`server files differ from Git: ${wrong.length} wrong or extra, ${missing.length} missing`);
  }
  return found;
}

/** One run of the action against a fresh emulator. */
async function actionSample(scenario: Scenario): Promise<Sample> {
  const { workspace, action, inputs } = scenario;
  const emulator = await fresh(scenario);
  const run = await runAction(
    action,
    { ...inputs, server: emulator.url },
    { workspace, measure: true, node },
  );
  const requests = counted(emulator);
  const found = problems(scenario, run.outputs, emulator);
  await emulator.close();
  if (run.code !== 0) throw new Error(`${scenario.name}: the action failed:\n${run.stdout.slice(-2000)}`);
  return { ms: run.ms, rssMb: mb(run.maxRssBytes), requests, problems: found };
}

/** One run of the floor against a fresh emulator. */
async function floorSample(scenario: Scenario): Promise<Sample> {
  const { workspace, floor } = scenario;
  const emulator = await fresh(scenario);
  const bare = await spawnNode(
    node,
    [
      path.join(repoRoot, 'scripts/bench-floor.mjs'),
      floor.mode,
      floor.directory,
      emulator.url,
      floor.namespace ?? '',
      ...(floor.flags ?? []),
    ],
    { env: { PATH: process.env.PATH ?? '' }, cwd: workspace, measure: true },
  );
  const requests = counted(emulator);
  await emulator.close();
  if (bare.code !== 0) throw new Error(`${scenario.name}: the floor failed: ${bare.stderr}`);
  return { ms: bare.ms, rssMb: mb(bare.maxRssBytes), requests, problems: [] };
}

/**
 * Runs the action and the floor `rounds` times each, in alternating order, and compares medians. The
 * emulator lives in this process, so whichever side ran first would also pay for warming its JIT: the
 * order alternates, and the bench warms the emulator once before any scenario.
 */
async function measure(scenario: Scenario): Promise<Row> {
  const mine: Sample[] = [];
  const base: Sample[] = [];
  for (let round = 0; round < scenario.rounds; round++) {
    if (round % 2 === 1) base.push(await floorSample(scenario));
    mine.push(await actionSample(scenario));
    if (round % 2 === 0) base.push(await floorSample(scenario));
  }
  const counts = median(mine, (x) => x.requests.total).requests;
  return {
    scenario: scenario.name,
    job: scenario.job,
    deletes: scenario.inputs.delete === 'true',
    ms: median(mine, (x) => x.ms).ms,
    floorMs: median(base, (x) => x.ms).ms,
    rssMb: median(mine, (x) => x.rssMb).rssMb,
    floorRssMb: median(base, (x) => x.rssMb).rssMb,
    requests: counts,
    floorSent: median(base, (x) => x.requests.total).requests,
    problems: [...new Set(mine.flatMap((x) => x.problems))],
  };
}

/** The command line that reproduces these figures, as a shell reads it (`--markdown` left out). */
function command(): string {
  const args = argv
    .filter((a) => a !== '--markdown')
    .map((a) => (/^[\w./=-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`));
  return ['npm run bench', ...(args.length > 0 ? ['--', ...args] : [])].join(' ');
}

/** Median of 5 runs that load the whole bundle and stop at once (the action without inputs, `--version`). */
async function coldStart(bundle: 'validate' | 'deploy' | 'cli'): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const run =
      bundle === 'cli' ? runCli(['--version'], { bundle: true, node }) : runAction(bundle, {}, { node });
    times.push((await run).ms);
  }
  return times.sort((a, b) => a - b)[2] as number;
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'kestra-bench-'));
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const nodeMajor = Number(/^v(\d+)/.exec(version)?.[1]);
  const rows: Row[] = [];
  try {
    const chosen = scenarios(root, quick).filter((s) => wanted(s.name));
    // The emulator runs in this process: one untimed run warms its JIT, so no scenario pays for it.
    const first = chosen[0];
    if (first) await floorSample(first);
    // A scenario whose action or floor fails is reported at the end; the others still run.
    const failed: string[] = [];
    for (const scenario of chosen) {
      console.error(`… ${scenario.name}`);
      try {
        rows.push(await measure(scenario));
      } catch (error) {
        failed.push(error instanceof Error ? error.message : String(error));
      }
    }

    const day = new Date().toISOString().slice(0, 10);
    if (markdown) console.log(`Figures of \`${command()}\` on Node ${version}, ${day}:\n`);
    if (rows.length > 0) {
      console.log([...speedTable(rows, nodeMajor), '', ...requestTable(rows)].join('\n'));
      console.log(`\n${NOTES.join('\n')}`);
      if (!markdown) console.log(`\nRequests by method:\n${methodLines(rows).join('\n')}`);
    }
    console.log('\n| bundle | size (kB) | cold start, median of 5 (s) |\n|---|---|---|');
    for (const action of ['validate', 'deploy', 'cli'] as const) {
      const size = statSync(
        action === 'cli' ? cliBundle : path.join(repoRoot, 'dist', action, 'index.js'),
      ).size;
      console.log(
        `| dist/${action}/index.js | ${Math.round(size / 1024)} | ${((await coldStart(action)) / 1000).toFixed(3)} |`,
      );
    }
    console.log(`\nNode ${version}, ${day}; ratio = wall / floor, same machine, same run.`);
    if (failed.length > 0) {
      console.error(`\nFailed:\n${failed.join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
