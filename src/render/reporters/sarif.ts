// SARIF 2.1.0, the static-analysis format GitHub code scanning, Azure DevOps and most IDEs read: one run of
// the `kestra-actions` tool, a rule per kind of finding, a result per finding at its file, line and column.
import type { Severity, Violation } from '../../model/types.js';
import { fingerprints, ruleOf, slashes } from './finding.js';

const SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  notice: 'note',
};

/** Half a surrogate pair has no UTF-8 form, so no percent-encoding: it reads as U+FFFD, as a decoder would. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A workspace-relative file as a relative URI reference: each segment percent-encoded (spaces, `#`, `:`…). */
export const fileUri = (file: string): string =>
  slashes(file)
    .split('/')
    .map((segment) => encodeURIComponent(segment.replace(LONE_SURROGATE, '\uFFFD')))
    .join('/');

/** The SARIF log's JSON text. `version`: the tool's, shown by the viewers next to its name. */
export function sarifReport(findings: Violation[], options: { version: string }): string {
  const rules = [...new Set(findings.map(ruleOf))].sort();
  const prints = fingerprints(findings);
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kestra-actions',
            version: options.version,
            rules: rules.map((id) => ({ id, name: id })),
          },
        },
        // Files are relative to the folder the run read them from: the checkout, for a CI.
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The checkout the run read.' } } },
        results: findings.map((v, i) => ({
          ruleId: ruleOf(v),
          ruleIndex: rules.indexOf(ruleOf(v)),
          level: LEVEL[v.severity],
          message: { text: v.flow ? `${v.flow}: ${v.message}` : v.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: fileUri(v.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: Math.max(1, v.line), startColumn: Math.max(1, v.column) },
              },
            },
          ],
          // The same line-independent identity as the Code Quality report's.
          partialFingerprints: { 'kestraFinding/v1': prints[i] as string },
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
