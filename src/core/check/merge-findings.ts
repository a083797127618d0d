// One finding per problem: with a server, the offline rules and the server often report the same problem on
// the same node (a missing namespace, a duplicate id, a bad type). GitHub shows only 10 annotations per level,
// so each such pair becomes one finding. Findings match on file, flow, node path and rule, never on wording.
import type { Severity, Violation } from '../../model/types.js';

const RANK: Record<Severity, number> = { notice: 0, warning: 1, error: 2 };

// An empty or missing value also fails its pattern and size: the 'required' finding says what to fix.
const COVERED_BY_REQUIRED = new Set(['pattern', 'size']);

const keyOf = (v: Violation, rule = v.rule): string | undefined =>
  rule && rule !== 'server' && v.path !== undefined
    ? [v.file, v.flow ?? '', v.path, rule].join('\u0000')
    : undefined;

/**
 * Folds each server finding into the offline finding(s) about the same node and rule, and server findings
 * about the same node and rule into one. The kept finding has the offline rule's text (it names the fix),
 * the higher severity (the server has the last word on what it refuses), and the more precise position:
 * the offline one unless it fell back to the flow's first line (`flowLine`) and the server's did not.
 * Offline findings never fold into each other: two of them on one node are two places to fix.
 */
export function mergeFindings(violations: Violation[], flowLine: number): Violation[] {
  const out: (Violation | undefined)[] = [];
  const local = new Map<string, number[]>();
  const server = new Map<string, number>();
  const fold = (index: number, other: Violation): void => {
    const kept = out[index]!;
    const moves = kept.line === flowLine && other.line !== flowLine;
    out[index] = {
      ...kept,
      ...(moves ? { line: other.line, column: other.column } : {}),
      severity: RANK[other.severity] > RANK[kept.severity] ? other.severity : kept.severity,
    };
  };
  for (const v of violations) {
    const key = keyOf(v);
    if (key === undefined) {
      out.push(v);
      continue;
    }
    if (v.origin !== 'server') {
      local.set(key, [...(local.get(key) ?? []), out.push(v) - 1]);
      const earlier = server.get(key);
      if (earlier !== undefined) {
        // A server finding seen first: the offline one takes its place.
        fold(out.length - 1, out[earlier]!);
        out[earlier] = undefined;
        server.delete(key);
      }
      continue;
    }
    const mine = local.get(key) ?? [];
    const required = keyOf(v, 'required');
    if (mine.length) mine.forEach((i) => fold(i, v));
    else if (server.has(key)) fold(server.get(key)!, v);
    else if (COVERED_BY_REQUIRED.has(v.rule!) && required && (local.has(required) || server.has(required))) {
      continue;
    } else server.set(key, out.push(v) - 1);
  }
  return out.filter((v): v is Violation => v !== undefined);
}
