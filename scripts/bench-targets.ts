// What the bench compares its request counts with, computed, not run: the fewest requests that can do a
// scenario's job (the floor script, scripts/bench-floor.mjs, sends exactly these), the anchors' pattern, and
// the project's request targets. Pure, so __tests__/project/bench.test.ts can pin the formulas.

/** What a scenario does, in the terms the formulas need. */
export type Job =
  | { kind: 'validate'; flows: number }
  | {
      kind: 'flows';
      flows: number;
      namespaces: number;
      /** Flows Git has and the server has not, or has with another source. */
      changed: number;
      /** Namespaces holding at least one of them. */
      changedNamespaces: number;
      dryRun: boolean;
    }
  | { kind: 'files'; files: number; changed: number; removed: number; batches: number };

export interface Requests {
  total: number;
  writes: number;
}

/** The validate endpoint's batch: the action's and the floor's. */
export const VALIDATE_BATCH = 100;

/**
 * The fewest requests that do the job:
 * - flows: a validate request per 100 flows; one export per namespace to read what the server has (its
 *   `_flows/` entries are the sources; not one export by namespace prefix, which would also read every child
 *   namespace the job does not deploy); one bulk write per namespace with a change, none in a dry-run;
 * - files: one export; one zip upload per batch of created and changed files; one DELETE per removed file
 *   (Kestra has no bulk delete of files).
 * Version detection (`GET /configs`) is left out: a client told the version needs none.
 */
export function fewest(job: Job): Requests {
  const validation = (flows: number): number => Math.ceil(flows / VALIDATE_BATCH);
  switch (job.kind) {
    case 'validate':
      return { total: validation(job.flows), writes: 0 };
    case 'flows': {
      const writes = job.dryRun ? 0 : job.changedNamespaces;
      return { total: validation(job.flows) + job.namespaces + writes, writes };
    }
    case 'files': {
      const writes = (job.changed > 0 ? job.batches : 0) + job.removed;
      return { total: 1 + writes, writes };
    }
  }
}

export interface Anchor extends Requests {
  tool: string;
}

/**
 * The anchors' request pattern: kestractl sends a GET and a POST or PUT per flow, unchanged or not (it has
 * no dry-run: its reads alone stand for one); the legacy deploy action sends one upload per namespace file,
 * unchanged or not, and with `delete` one DELETE of the whole remote folder first.
 */
export function anchor(job: Job, deletes = false): Anchor | undefined {
  switch (job.kind) {
    case 'validate':
      return undefined;
    case 'flows':
      return job.dryRun
        ? { tool: 'kestractl (reads only)', total: job.flows, writes: 0 }
        : { tool: 'kestractl', total: 2 * job.flows, writes: job.flows };
    case 'files': {
      const writes = job.files + (deletes ? 1 : 0);
      return { tool: 'legacy deploy-action', total: writes, writes };
    }
  }
}

/** The project's request targets for a job; undefined fields have none. */
export interface RequestTarget {
  total?: number;
  writes?: number;
}

export function requestTarget(job: Job): RequestTarget {
  if (job.kind === 'validate') return {};
  if (job.kind === 'flows') {
    // A redeploy with nothing to change writes nothing; a plan reads in O(namespaces).
    const writes = job.changed === 0 ? 0 : undefined;
    return job.dryRun
      ? { total: 3 * job.namespaces + Math.ceil(job.flows / VALIDATE_BATCH) + 5, writes: 0 }
      : { writes };
  }
  // Namespace files (stated for 1,000 files; smaller runs are held to the same bounds).
  if (job.changed === 0 && job.removed === 0) return { total: 10, writes: 0 };
  if (job.changed === job.files) return { total: 20 };
  return { total: 25 };
}

export const RATIO_TARGET = 1.5;
export const RSS_TARGET_MB = 200;
/** The RSS target applies from this many flows, on Node 20. */
export const RSS_TARGET_FLOWS = 10_000;

const mark = (met: boolean): string => (met ? 'met' : '**not met**');

/** "≤ 405: met", "0 writes: **not met**", or '—' when the job has no request target. */
export function requestVerdict(target: RequestTarget, measured: Requests): string {
  const parts: string[] = [];
  if (target.total !== undefined) parts.push(`≤ ${target.total}: ${mark(measured.total <= target.total)}`);
  if (target.writes !== undefined)
    parts.push(`${target.writes} writes: ${mark(measured.writes <= target.writes)}`);
  return parts.length > 0 ? parts.join('; ') : '—';
}

export function ratioVerdict(ratio: number): string {
  return `${mark(ratio <= RATIO_TARGET)}`;
}

/** '—' where the RSS target does not apply (fewer flows, or a Node other than 20). */
export function rssVerdict(job: Job, nodeMajor: number, rssMb: number): string {
  const flows = job.kind === 'files' ? 0 : job.flows;
  if (flows < RSS_TARGET_FLOWS) return '—';
  if (nodeMajor !== 20) return 'n/a (target on Node 20)';
  return `≤ ${RSS_TARGET_MB}: ${mark(rssMb <= RSS_TARGET_MB)}`;
}
