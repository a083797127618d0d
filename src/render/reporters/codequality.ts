// The GitLab Code Quality report (`artifacts: reports: codequality:`): the findings as a JSON array the
// merge-request widget and the diff view show, in the subset of the Code Climate format GitLab reads.
import * as path from 'node:path';
import type { Severity, Violation } from '../../model/types.js';
import { fingerprints, ruleOf, slashes } from './finding.js';

/**
 * GitLab's severities are info, minor, major, critical and blocker. An error is `critical`: it fails the
 * run and stops a deploy, which is more than the "major" a linter's error usually is. Nothing is a
 * `blocker`, kept for what GitLab itself would refuse.
 */
export const CODE_QUALITY_SEVERITY: Record<Severity, 'critical' | 'minor' | 'info'> = {
  error: 'critical',
  warning: 'minor',
  notice: 'info',
};

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number } };
}

const absolute = (p: string): boolean => /^([A-Za-z]:)?\//.test(p);

/**
 * The finding's file relative to the project root with `/`, as GitLab links it. Files are relative to the
 * run's `workspace` (default: the root). An absolute `root` (CI_PROJECT_DIR) is the project's folder: a
 * workspace inside it (the job ran in a subfolder) becomes a prefix, and a path it does not hold is left as
 * it came. A relative `root` is that prefix already (where the workspace sits in the project).
 */
export function projectPath(file: string, root?: string, workspace?: string): string {
  const relative = slashes(file);
  if (!root) return relative;
  const base = slashes(root).replace(/\/$/, '');
  if (!absolute(base)) return absolute(relative) ? relative : path.posix.normalize(`${base}/${relative}`);
  const full = path.posix.normalize(
    absolute(relative) ? relative : `${slashes(workspace ?? root).replace(/\/$/, '')}/${relative}`,
  );
  return full.startsWith(`${base}/`) ? full.slice(base.length + 1) : relative;
}

/** The report's JSON text: one issue per finding, in the findings' order. */
export function codeQualityReport(
  findings: Violation[],
  options: { root?: string; workspace?: string },
): string {
  const prints = fingerprints(findings);
  const issues: CodeQualityIssue[] = findings.map((v, i) => ({
    description: v.flow ? `${v.flow}: ${v.message}` : v.message,
    check_name: ruleOf(v),
    fingerprint: prints[i] as string,
    severity: CODE_QUALITY_SEVERITY[v.severity],
    location: {
      path: projectPath(v.file, options.root, options.workspace),
      lines: { begin: Math.max(1, v.line) },
    },
  }));
  return `${JSON.stringify(issues, null, 2)}\n`;
}
