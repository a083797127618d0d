// STAND-IN (h11-cli): the reporters' branch writes the real module; same signature. GitLab Code Quality:
// a JSON array of issues, each with a description, a check name, a fingerprint, a severity and a location.
import { createHash } from 'node:crypto';
import type { Violation } from '../../model/types.js';

const SEVERITY = { error: 'major', warning: 'minor', notice: 'info' } as const;

export function codeQualityReport(findings: Violation[], options: { root?: string }): string {
  const issues = findings.map((v) => {
    const file = options.root ? `${options.root.replace(/\/+$/, '')}/${v.file}` : v.file;
    return {
      description: v.message,
      check_name: v.rule ?? v.origin,
      fingerprint: createHash('sha256').update(`${file}:${v.line}:${v.column}:${v.message}`).digest('hex'),
      severity: SEVERITY[v.severity],
      location: { path: file, lines: { begin: v.line } },
    };
  });
  return JSON.stringify(issues, null, 2);
}
