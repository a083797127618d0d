// `npm run bench`: speed and memory of the bundled actions at scale, as ratios against a floor measured in
// the same run (scripts/bench-floor.mjs: a bare client sending the same bulk requests). Figures, not a test.
//   npm run bench             1,000 and 10,000 flows (validate, deploy, redeploy unchanged), 1,000 files
//   npm run bench -- --quick  100 flows and 100 files (a smoke run)
//   npm run bench -- --only "deploy 10,000"   only the scenarios whose name contains the text
//   npm run bench -- --only none              no scenario: the bundles' sizes and cold starts only
//                             (the `kestra-actions` CLI's included; its target is under 0.3 s)
//   npm run bench -- --node tools/node24/node_modules/node/bin/node   the bundles and the floor on that Node
//                             (the runners' Node 24; `npm ci --prefix tools/node24` installs it)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type Emulator, startEmulator } from '../emulator/index.js';
import { repoRoot, runAction, spawnNode } from './action-runner.js';
import { cliBundle, runCli } from './cli-runner.js';

const quick = process.argv.includes('--quick');
/** `--only deploy` runs the scenarios whose name contains the text. */
const only = process.argv[process.argv.indexOf('--only') + 1];
/** The Node that runs the bundles and the floor (default: the one running this script). */
const node = process.argv.includes('--node')
  ? path.resolve(process.argv[process.argv.indexOf('--node') + 1] ?? '')
  : process.execPath;
const wanted = (scenario: string): boolean =>
  !process.argv.includes('--only') || scenario.includes(only ?? '');

/** A realistic flow (~1.5 kB): description, labels, inputs, five tasks, a trigger; clean for Kestra 1.3 and 2.0. */
function flowSource(namespace: string, id: string, n: number): string {
  return `id: ${id}
namespace: ${namespace}
description: |
  Nightly pipeline ${n}: extracts orders, transforms them and loads the warehouse.
  Owned by the data platform team; see the runbook before changing the schedule.
labels:
  team: data
  tier: "${n % 3}"
inputs:
  - id: day
    type: DATE
    required: false
  - id: full_refresh
    type: BOOL
    defaults: false
variables:
  bucket: s3://warehouse/${namespace}/${id}
tasks:
  - id: start
    type: io.kestra.plugin.core.log.Log
    message: "Starting {{ flow.id }} for {{ inputs.day ?? execution.startDate }}"
  - id: extract
    type: io.kestra.plugin.core.http.Download
    uri: https://example.com/exports/orders-${n}.csv
  - id: transform
    type: io.kestra.plugin.scripts.python.Script
    script: |
      import csv
      rows = list(csv.DictReader(open("{{ outputs.extract.uri }}")))
      print(len(rows))
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.full_refresh }}"
    then:
      - id: refresh
        type: io.kestra.plugin.core.log.Log
        message: Full refresh requested
  - id: done
    type: io.kestra.plugin.core.log.Log
    message: "Loaded into {{ vars.bucket }}"
triggers:
  - id: nightly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "${n % 60} 2 * * *"
`;
}

/** Writes the flows and returns their sources. */
function generateFlows(root: string, flows: number, namespaces: number): string[] {
  const sources: string[] = [];
  for (let i = 0; i < flows; i++) {
    const ns = `bench.ns${String(i % namespaces).padStart(3, '0')}`;
    const dir = path.join(root, ns);
    mkdirSync(dir, { recursive: true });
    const source = flowSource(ns, `flow_${i}`, i);
    writeFileSync(path.join(dir, `flow_${i}.yml`), source);
    sources.push(source);
  }
  return sources;
}

function generateFiles(root: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, `dir${i % 20}`, `sub${i % 7}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, `script_${i}.py`),
      `# script ${i}\n${'print("row")\n'.repeat(20 + (i % 50))}`,
    );
  }
}

interface Row {
  scenario: string;
  ms: number;
  floorMs: number;
  requests: number;
  floorRequests: number;
  rssMb: number;
  floorRssMb: number;
}

const mb = (bytes?: number): number => Math.round((bytes ?? 0) / 1024 / 1024);

interface Scenario {
  name: string;
  workspace: string;
  action: 'validate' | 'deploy';
  inputs: Record<string, string>;
  /** Arguments of bench-floor.mjs after its mode: [mode, directory, namespace?]. */
  floor: string[];
  /** Runs of each side; the medians are compared. */
  rounds: number;
  /** Flows the server holds before the run (a redeploy), stored directly, not through the API. */
  seed?: string[];
}

/** A new emulator, holding the scenario's seed flows. */
async function fresh(scenario: Scenario): Promise<Emulator> {
  const emulator = await startEmulator({ version: '1.3.19' });
  for (const source of scenario.seed ?? []) emulator.seedFlow(source);
  return emulator;
}

interface Sample {
  ms: number;
  requests: number;
  rssMb: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** One run of the action against a fresh emulator. */
async function actionSample(scenario: Scenario): Promise<Sample> {
  const { workspace, action, inputs } = scenario;
  const emulator = await fresh(scenario);
  const run = await runAction(
    action,
    { ...inputs, server: emulator.url },
    { workspace, measure: true, node },
  );
  const requests = emulator.requests.length;
  await emulator.close();
  if (run.code !== 0) throw new Error(`${scenario.name}: the action failed:\n${run.stdout.slice(-2000)}`);
  return { ms: run.ms, requests, rssMb: mb(run.maxRssBytes) };
}

/** One run of the floor against a fresh emulator. */
async function floorSample(scenario: Scenario): Promise<Sample> {
  const { workspace, floor } = scenario;
  const emulator = await fresh(scenario);
  const [mode, dir, ns] = floor;
  const bare = await spawnNode(
    node,
    [path.join(repoRoot, 'scripts/bench-floor.mjs'), mode as string, dir as string, emulator.url, ns ?? ''],
    { env: { PATH: process.env.PATH ?? '' }, cwd: workspace, measure: true },
  );
  const requests = emulator.requests.length;
  await emulator.close();
  if (bare.code !== 0) throw new Error(`${scenario.name}: the floor failed: ${bare.stderr}`);
  return { ms: bare.ms, requests, rssMb: mb(bare.maxRssBytes) };
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
  return {
    scenario: scenario.name,
    ms: median(mine.map((s) => s.ms)),
    floorMs: median(base.map((s) => s.ms)),
    requests: median(mine.map((s) => s.requests)),
    floorRequests: median(base.map((s) => s.requests)),
    rssMb: median(mine.map((s) => s.rssMb)),
    floorRssMb: median(base.map((s) => s.rssMb)),
  };
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
  const sizes = quick
    ? [{ flows: 100, namespaces: 10 }]
    : [
        { flows: 1_000, namespaces: 10 },
        { flows: 10_000, namespaces: 100 },
      ];
  const fileCount = quick ? 100 : 1_000;
  const rows: Row[] = [];
  try {
    const scenarios: Scenario[] = [];
    for (const { flows, namespaces } of sizes) {
      const workspace = path.join(root, `flows-${flows}`);
      const sources = generateFlows(path.join(workspace, 'flows'), flows, namespaces);
      const label = `${flows.toLocaleString('en')} flows / ${namespaces} ns`;
      // Medians of three where a run takes a second or two; the 10,000-flow runs are long enough alone.
      const rounds = flows >= 10_000 ? 1 : 3;
      const common = { workspace, inputs: { directory: 'flows' }, rounds };
      scenarios.push(
        { ...common, name: `validate ${label}`, action: 'validate', floor: ['validate', 'flows'] },
        { ...common, name: `deploy ${label}`, action: 'deploy', floor: ['flows', 'flows'] },
        // The everyday CI run: every flow already on the server, unchanged.
        {
          ...common,
          name: `redeploy ${label}, unchanged`,
          action: 'deploy',
          floor: ['flows', 'flows'],
          seed: sources,
        },
      );
    }
    const filesWorkspace = path.join(root, 'files');
    generateFiles(path.join(filesWorkspace, 'files'), fileCount);
    scenarios.push({
      name: `deploy ${fileCount.toLocaleString('en')} namespace files`,
      workspace: filesWorkspace,
      action: 'deploy',
      inputs: { directory: 'files', resource: 'namespace-files', namespace: 'bench.files' },
      floor: ['files', 'files', 'bench.files'],
      rounds: 3,
    });

    const chosen = scenarios.filter((s) => wanted(s.name));
    // The emulator runs in this process: one untimed run warms its JIT, so no scenario pays for it.
    const first = chosen[0];
    if (first) await floorSample(first);
    for (const scenario of chosen) {
      console.error(`… ${scenario.name}`);
      rows.push(await measure(scenario));
    }

    const table = [
      '| scenario | wall (s) | floor (s) | ratio | requests | floor requests | peak RSS (MB) | floor RSS (MB) |',
      '|---|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.scenario} | ${(r.ms / 1000).toFixed(2)} | ${(r.floorMs / 1000).toFixed(2)} | ${(r.ms / r.floorMs).toFixed(2)} | ${r.requests} | ${r.floorRequests} | ${r.rssMb} | ${r.floorRssMb} |`,
      ),
    ];
    console.log(table.join('\n'));
    console.log('\n| bundle | size (kB) | cold start, median of 5 (s) |\n|---|---|---|');
    for (const action of ['validate', 'deploy', 'cli'] as const) {
      const size = statSync(
        action === 'cli' ? cliBundle : path.join(repoRoot, 'dist', action, 'index.js'),
      ).size;
      console.log(
        `| dist/${action}/index.js | ${Math.round(size / 1024)} | ${((await coldStart(action)) / 1000).toFixed(3)} |`,
      );
    }
    console.log(
      `\nNode ${execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()}, ${new Date().toISOString().slice(0, 10)}; ratio = wall / floor, same machine, same run.`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
