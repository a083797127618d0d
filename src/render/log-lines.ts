// The plain-text lines of the log: a violation at its position, and the deploy's plan or what it did,
// grouped by namespace. A front-end prints them (folding a block under its group title where it can);
// it must still make them inert, as they hold file names and server messages (see src/github/log.ts).
import type { DeployReport } from '../model/results.js';
import type { Violation } from '../model/types.js';
import {
  ACTION_SIGN,
  actionWord,
  countActions,
  countsLine,
  deployVerb,
  leftUndone,
  LOG_STATUS,
  resourceName,
} from './words.js';

/** Lines shown together; a block with a `group` may be folded under that title. */
export interface LogBlock {
  group?: string;
  lines: string[];
}

/** `file:line:column: severity: flow: message`. */
export function violationLine(v: Violation): string {
  return `${v.file}:${v.line}:${v.column}: ${v.severity}: ${v.flow ? `${v.flow}: ` : ''}${v.message}`;
}

/** The plan (dry-run) or what was done: one line per resource, grouped by namespace, then notes and counts. */
export function deployLogBlocks(report: DeployReport): LogBlock[] {
  const verb = deployVerb(report.dryRun);
  const blocks: LogBlock[] = report.namespaces.map((ns) => {
    const lines = report.results
      .filter((r) => r.namespace === ns.namespace)
      .map(
        (r) =>
          `${ACTION_SIGN[r.action]} ${actionWord(r.action, report.dryRun).padEnd(report.dryRun ? 11 : 9)} ${resourceName(r)}` +
          (r.file ? `  (${r.file})` : ''),
      );
    for (const [title, list] of leftUndone(ns, report.resource))
      for (const name of list) lines.push(`! ${title.padEnd(14)} ${name}`);
    if (ns.error) lines.push(`! ${ns.error}`);
    return { group: `${verb}: ${ns.namespace} (${LOG_STATUS[ns.status]})`, lines };
  });
  blocks.push({
    lines: [
      ...(report.notices ?? []).map((n) => `Note: ${n.message}`),
      `${verb}: ${countsLine(countActions(report.results), report.dryRun)}`,
    ],
  });
  return blocks;
}
