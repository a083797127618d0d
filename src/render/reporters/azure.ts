// STAND-IN (h11-cli): the reporters' branch writes the real module; same signature. Azure Pipelines logging
// commands, one `##vso[task.logissue …]` line per finding (notices as warnings: Azure has two levels).
import type { Violation } from '../../model/types.js';

const property = (s: string): string =>
  s
    .replace(/%/g, '%AZP25')
    .replace(/;/g, '%3B')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/]/g, '%5D');
const message = (s: string): string => s.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

export function azureLogIssues(findings: Violation[]): string[] {
  return findings.map(
    (v) =>
      `##vso[task.logissue type=${v.severity === 'error' ? 'error' : 'warning'};sourcepath=${property(v.file)};linenumber=${v.line};columnnumber=${v.column}]${message(v.message)}`,
  );
}
