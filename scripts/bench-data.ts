// The bench's generated workspaces: realistic flows and namespace files written to disk, and the server's
// copies (identical, or with a share changed) to seed the emulator with before a redeploy or a dry-run.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** A realistic flow (~1.5 kB): description, labels, inputs, five tasks, a trigger; clean for Kestra 1.3 and 2.0. */
export function flowSource(namespace: string, id: string, n: number): string {
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

/** Writes the flows (flow i in namespace i mod namespaces) and returns their sources. */
export function generateFlows(root: string, flows: number, namespaces: number): string[] {
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

/** Every `every`-th source (the first included) as the server's older revision: another description. */
export function withChanged(sources: string[], every: number): string[] {
  return sources.map((s, i) => (i % every === 0 ? s.replace('Nightly pipeline', 'Nightly job') : s));
}

/** Namespaces holding at least one flow `withChanged` changes. */
export function changedNamespaces(flows: number, namespaces: number, every: number): number {
  const touched = new Set<number>();
  for (let i = 0; i < flows; i += every) touched.add(i % namespaces);
  return touched.size;
}

export interface NamespaceFile {
  /** Remote path, with a leading `/`. */
  path: string;
  bytes: Buffer;
}

/** Writes `count` small Python scripts in 140 folders and returns them as the server would store them. */
export function generateFiles(root: string, count: number): NamespaceFile[] {
  const files: NamespaceFile[] = [];
  for (let i = 0; i < count; i++) {
    const relative = `dir${i % 20}/sub${i % 7}/script_${i}.py`;
    const bytes = Buffer.from(`# script ${i}\n${'print("row")\n'.repeat(20 + (i % 50))}`, 'utf8');
    mkdirSync(path.join(root, path.dirname(relative)), { recursive: true });
    writeFileSync(path.join(root, relative), bytes);
    files.push({ path: `/${relative}`, bytes });
  }
  return files;
}

/**
 * The server's copy of the files: every `every`-th one (the first included) with other bytes of the same
 * size (the case a size check cannot settle), plus `extra` files Git does not have.
 */
export function serverFiles(files: NamespaceFile[], every: number, extra: number): NamespaceFile[] {
  const changed = files.map((f, i) =>
    every > 0 && i % every === 0
      ? { path: f.path, bytes: Buffer.from(f.bytes.toString('utf8').replace('row', 'ROW')) }
      : f,
  );
  const gone = Array.from({ length: extra }, (_, i) => ({
    path: `/old/removed_${i}.py`,
    bytes: Buffer.from(`# removed ${i}\n`),
  }));
  return [...changed, ...gone];
}
