// STAND-IN (h11-cli): the reporters' branch writes the real module; same signature. SARIF 2.1.0, one result
// per finding.
import type { Violation } from '../../model/types.js';

const LEVEL = { error: 'error', warning: 'warning', notice: 'note' } as const;

export function sarifReport(findings: Violation[], options: { version: string }): string {
  const results = findings.map((v) => ({
    ruleId: v.rule ?? v.origin,
    level: LEVEL[v.severity],
    message: { text: v.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: v.file },
          region: { startLine: v.line, startColumn: v.column },
        },
      },
    ],
  }));
  const driver = { name: 'kestra-actions', version: options.version };
  return JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver }, results }] }, null, 2);
}
