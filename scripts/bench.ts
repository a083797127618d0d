// `npm run bench`: speed and memory of the bundled actions at scale, as ratios against a floor measured in
// the same run (scripts/bench-floor.mjs: a bare client sending the same bulk requests). Figures, not a test.
//   npm run bench             1,000 and 10,000 flows, 1,000 namespace files
//   npm run bench -- --quick  100 flows and 100 files (a smoke run)
//   npm run bench -- --only "deploy 10,000"   only the scenarios whose name contains the text
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startEmulator } from '../emulator/index.js';
import { repoRoot, runAction, spawnNode } from './action-runner.js';

const quick = process.argv.includes('--quick');
/** `--only deploy` runs the scenarios whose name contains the text. */
const only = process.argv[process.argv.indexOf('--only') + 1];
const wanted = (scenario: string): boolean =>
  !process.argv.includes('--only') || scenario.includes(only ?? '');

/** A realistic flow (~1.5 kB): description, labels, inputs, five tasks, a trigger. */
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
    type: BOOLEAN
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

function generateFlows(root: string, flows: number, namespaces: number): void {
  for (let i = 0; i < flows; i++) {
    const ns = `bench.ns${String(i % namespaces).padStart(3, '0')}`;
    const dir = path.join(root, ns);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `flow_${i}.yml`), flowSource(ns, `flow_${i}`, i));
  }
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

/** Runs the action, then the floor, each against a fresh emulator, and compares. */
async function measure(
  scenario: string,
  workspace: string,
  action: 'validate' | 'deploy',
  inputs: Record<string, string>,
  floor: string[],
): Promise<Row> {
  const mine = await startEmulator({ version: '1.3.19' });
  const run = await runAction(action, { ...inputs, server: mine.url }, { workspace, measure: true });
  const requests = mine.requests.length;
  await mine.close();
  if (run.code !== 0) throw new Error(`${scenario}: the action failed:\n${run.stdout.slice(-2000)}`);

  const base = await startEmulator({ version: '1.3.19' });
  const [mode, dir, ns] = floor;
  const bare = await spawnNode(
    process.execPath,
    [path.join(repoRoot, 'scripts/bench-floor.mjs'), mode as string, dir as string, base.url, ns ?? ''],
    { env: { PATH: process.env.PATH ?? '' }, cwd: workspace, measure: true },
  );
  const floorRequests = base.requests.length;
  await base.close();
  if (bare.code !== 0) throw new Error(`${scenario}: the floor failed: ${bare.stderr}`);
  return {
    scenario,
    ms: run.ms,
    floorMs: bare.ms,
    requests,
    floorRequests,
    rssMb: mb(run.maxRssBytes),
    floorRssMb: mb(bare.maxRssBytes),
  };
}

async function coldStart(action: 'validate' | 'deploy'): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push((await runAction(action, {})).ms);
  return times.sort((a, b) => a - b)[2] as number; // median
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
    for (const { flows, namespaces } of sizes) {
      const ws = path.join(root, `flows-${flows}`);
      generateFlows(path.join(ws, 'flows'), flows, namespaces);
      const label = `${flows.toLocaleString('en')} flows / ${namespaces} ns`;
      console.error(`… ${label}`);
      rows.push(
        await measure(`validate ${label}`, ws, 'validate', { directory: 'flows' }, ['validate', 'flows']),
      );
      rows.push(await measure(`deploy ${label}`, ws, 'deploy', { directory: 'flows' }, ['flows', 'flows']));
    }
    const filesWs = path.join(root, 'files');
    generateFiles(path.join(filesWs, 'files'), fileCount);
    const filesScenario = `deploy ${fileCount.toLocaleString('en')} namespace files`;
    if (wanted(filesScenario)) {
      console.error(`… ${fileCount} namespace files`);
      rows.push(
        await measure(
          filesScenario,
          filesWs,
          'deploy',
          { directory: 'files', resource: 'namespace-files', namespace: 'bench.files' },
          ['files', 'files', 'bench.files'],
        ),
      );
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
    for (const action of ['validate', 'deploy'] as const) {
      const size = statSync(path.join(repoRoot, 'dist', action, 'index.js')).size;
      console.log(
        `| dist/${action}/index.js | ${Math.round(size / 1024)} | ${((await coldStart(action)) / 1000).toFixed(3)} |`,
      );
    }
    console.log(
      `\nNode ${process.version}, ${new Date().toISOString().slice(0, 10)}; ratio = wall / floor, same machine, same run.`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
