// The bench's scenarios: what each runs (action, inputs, the floor's mode), what the server holds first, the
// job the request formulas see (scripts/bench-targets.ts), and the plan the action must report.
import * as path from 'node:path';
import {
  changedNamespaces,
  generateFiles,
  generateFlows,
  type NamespaceFile,
  serverFiles,
  withChanged,
} from './bench-data.js';
import type { Job } from './bench-targets.js';

export interface Plan {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export interface Scenario {
  name: string;
  workspace: string;
  action: 'validate' | 'deploy';
  inputs: Record<string, string>;
  /** bench-floor.mjs's mode, directory, namespace (files) and flags. */
  floor: { mode: 'validate' | 'flows' | 'files'; directory: string; namespace?: string; flags?: string[] };
  /** Runs of each side; the medians are compared. */
  rounds: number;
  /** What the server holds before the run, stored directly, not through the API. */
  seedFlows?: string[];
  seedFiles?: NamespaceFile[];
  job: Job;
  /** The action's plan outputs; unset for validate. */
  plan?: Plan;
  /** Files: what the namespace must hold afterwards (remote path → bytes), checked after each run. */
  after?: NamespaceFile[];
}

export const FILES_NAMESPACE = 'bench.files';
/** Share of flows a dry-run finds changed (1 in 10), and of files a changed redeploy (1 in 100). */
const FLOWS_EVERY = 10;
const FILES_EVERY = 100;
const FILES_REMOVED = 5;

const n = (x: number): string => x.toLocaleString('en');

function flowScenarios(root: string, flows: number, namespaces: number): Scenario[] {
  const workspace = path.join(root, `flows-${flows}`);
  const sources = generateFlows(path.join(workspace, 'flows'), flows, namespaces);
  const label = `${n(flows)} flows / ${namespaces} ns`;
  // Medians of three where a run takes a second or two; the 10,000-flow runs are long enough alone.
  const rounds = flows >= 10_000 ? 1 : 3;
  const common = { workspace, inputs: { directory: 'flows' }, rounds };
  const flowsJob = (changed: number, touched: number, dryRun: boolean): Job => ({
    kind: 'flows',
    flows,
    namespaces,
    changed,
    changedNamespaces: touched,
    dryRun,
  });
  const changed = Math.ceil(flows / FLOWS_EVERY);
  return [
    {
      ...common,
      name: `validate ${label}`,
      action: 'validate',
      floor: { mode: 'validate', directory: 'flows' },
      job: { kind: 'validate', flows },
    },
    {
      ...common,
      name: `deploy ${label}`,
      action: 'deploy',
      floor: { mode: 'flows', directory: 'flows' },
      job: flowsJob(flows, namespaces, false),
      plan: { created: flows, updated: 0, unchanged: 0, deleted: 0 },
    },
    // The everyday CI run: every flow already on the server, unchanged. Writes nothing at best.
    {
      ...common,
      name: `redeploy ${label}, unchanged`,
      action: 'deploy',
      floor: { mode: 'flows', directory: 'flows' },
      seedFlows: sources,
      job: flowsJob(0, 0, false),
      plan: { created: 0, updated: 0, unchanged: flows, deleted: 0 },
    },
    // A pull request's plan on a large repository: every flow on the server, one in ten changed in Git.
    {
      ...common,
      name: `dry-run ${label}, 10% changed`,
      inputs: { directory: 'flows', 'dry-run': 'true' },
      action: 'deploy',
      floor: { mode: 'flows', directory: 'flows', flags: ['--dry-run'] },
      seedFlows: withChanged(sources, FLOWS_EVERY),
      job: flowsJob(changed, changedNamespaces(flows, namespaces, FLOWS_EVERY), true),
      plan: { created: 0, updated: changed, unchanged: flows - changed, deleted: 0 },
    },
  ];
}

function fileScenarios(root: string, count: number): Scenario[] {
  const workspace = path.join(root, 'files');
  const files = generateFiles(path.join(workspace, 'files'), count);
  const label = `${n(count)} namespace files`;
  const changed = Math.ceil(count / FILES_EVERY);
  const common = {
    workspace,
    action: 'deploy' as const,
    inputs: { directory: 'files', resource: 'namespace-files', namespace: FILES_NAMESPACE },
    floor: { mode: 'files' as const, directory: 'files', namespace: FILES_NAMESPACE },
    rounds: 3,
    after: files,
  };
  const job = (changedFiles: number, removed: number): Job => ({
    kind: 'files',
    files: count,
    changed: changedFiles,
    removed,
    // The generated files (~0.5 kB each) fit in one batch of any sensible cap.
    batches: 1,
  });
  return [
    {
      ...common,
      name: `deploy ${label}`,
      job: job(count, 0),
      plan: { created: count, updated: 0, unchanged: 0, deleted: 0 },
    },
    {
      ...common,
      name: `redeploy ${label}, unchanged`,
      seedFiles: files,
      job: job(0, 0),
      plan: { created: 0, updated: 0, unchanged: count, deleted: 0 },
    },
    {
      ...common,
      name: `redeploy ${label}, 1% changed, ${FILES_REMOVED} removed`,
      inputs: { ...common.inputs, delete: 'true' },
      floor: { ...common.floor, flags: ['--delete'] },
      seedFiles: serverFiles(files, FILES_EVERY, FILES_REMOVED),
      job: job(changed, FILES_REMOVED),
      plan: { created: 0, updated: changed, unchanged: count - changed, deleted: FILES_REMOVED },
    },
  ];
}

/** Every scenario, generated under `root`: `--quick` sizes are 100 flows / 10 ns and 100 files. */
export function scenarios(root: string, quick: boolean): Scenario[] {
  const sizes = quick
    ? [{ flows: 100, namespaces: 10 }]
    : [
        { flows: 1_000, namespaces: 10 },
        { flows: 10_000, namespaces: 100 },
      ];
  return [
    ...sizes.flatMap(({ flows, namespaces }) => flowScenarios(root, flows, namespaces)),
    ...fileScenarios(root, quick ? 100 : 1_000),
  ];
}
