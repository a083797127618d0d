// The bench's tables: speed and memory against the floor, and request counts against the fewest possible,
// the anchors' pattern and the project's targets, with met / not met beside each target. Markdown either way;
// `--markdown` adds the line that says which command and Node produced them, ready for the README.
import {
  anchor,
  fewest,
  type Job,
  RATIO_TARGET,
  ratioVerdict,
  requestTarget,
  requestVerdict,
  type Requests,
  rssVerdict,
  RSS_TARGET_MB,
} from './bench-targets.js';

export interface Row {
  scenario: string;
  job: Job;
  /** With `delete: true` (the legacy action's pattern then wipes the folder first). */
  deletes: boolean;
  ms: number;
  floorMs: number;
  rssMb: number;
  floorRssMb: number;
  requests: Requests & { byMethod: Record<string, number> };
  /** What the floor script sent; it should equal `fewest(job)`. */
  floorSent: Requests;
  /** Problems with the action's result (plan counts, bytes on the server); empty when right. */
  problems: string[];
}

const s = (ms: number): string => (ms / 1000).toFixed(2);
const counts = (r: Requests): string => `${r.total} (${r.writes})`;

export function speedTable(rows: Row[], nodeMajor: number): string[] {
  return [
    `| scenario | wall (s) | floor (s) | ratio (target ≤ ${RATIO_TARGET}) | peak RSS (MB) | floor RSS (MB) | RSS target (≤ ${RSS_TARGET_MB} MB at 10,000 flows, Node 20) |`,
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const ratio = r.ms / r.floorMs;
      return `| ${r.scenario} | ${s(r.ms)} | ${s(r.floorMs)} | ${ratio.toFixed(2)}: ${ratioVerdict(ratio)} | ${r.rssMb} | ${r.floorRssMb} | ${rssVerdict(r.job, nodeMajor, r.rssMb)} |`;
    }),
  ];
}

export function requestTable(rows: Row[]): string[] {
  return [
    '| scenario | requests (writes) | fewest (writes) | anchor (writes) | request target | result |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const least = fewest(r.job);
      const floorNote =
        r.floorSent.total === least.total && r.floorSent.writes === least.writes
          ? ''
          : ` (floor script sent ${counts(r.floorSent)})`;
      const a = anchor(r.job, r.deletes);
      const anchorCell = a ? `${a.tool}: ${counts(a)}` : '—';
      const result = r.problems.length > 0 ? `**${r.problems.join('; ')}**` : 'right';
      return `| ${r.scenario} | ${counts(r.requests)} | ${counts(least)}${floorNote} | ${anchorCell} | ${requestVerdict(requestTarget(r.job), r.requests)} | ${result} |`;
    }),
  ];
}

/** Per scenario, the action's requests by method: where the count comes from. */
export function methodLines(rows: Row[]): string[] {
  return rows.map(
    (r) =>
      `${r.scenario}: ${Object.entries(r.requests.byMethod)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([method, n]) => `${method} ${n}`)
        .join(', ')}`,
  );
}

export const NOTES = [
  'Requests: the action\'s, counted by the emulator; "(writes)": POST/PUT/DELETE other than validation.',
  'Fewest: what the job needs at least, computed (scripts/bench-targets.ts); the floor script sends exactly that.',
  'Anchors, computed: kestractl sends a GET and a POST/PUT per flow; the legacy deploy-action one upload per file.',
  '"result": the plan counts (created, updated, unchanged, deleted) and, for files, the bytes on the server checked.',
];
