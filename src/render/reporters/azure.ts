// Azure Pipelines logging commands (`##vso[task.logissue …]message`) for findings: errors and warnings show
// in the run's summary and on its timeline. Escaped as Azure's task library escapes them, so a file name or
// a message cannot end the property list, end the command or start a line of its own.
import type { Violation } from '../../model/types.js';

/** Message data: `%` first (Azure decodes `%AZP25` back to `%`), then the line breaks. */
const escapeData = (s: string): string =>
  s.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** A property value: the data escapes, and `]` (ends the command) and `;` (ends the property). */
const escapeProperty = (s: string): string => escapeData(s).replace(/]/g, '%5D').replace(/;/g, '%3B');

/**
 * One line per error or warning. Notices are left out: `task.logissue` knows only errors and warnings, and
 * a notice reported as a warning would mark a clean run "succeeded with issues"; the log has them all.
 */
export function azureLogIssues(findings: Violation[]): string[] {
  return findings
    .filter((v) => v.severity !== 'notice')
    .map((v) => {
      const props: [string, string | number][] = [
        ['type', v.severity],
        ['sourcepath', v.file],
        ['linenumber', v.line],
        ['columnnumber', v.column],
      ];
      if (v.rule) props.push(['code', v.rule]);
      const list = props.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(';');
      return `##vso[task.logissue ${list}]${escapeData(v.flow ? `${v.flow}: ${v.message}` : v.message)}`;
    });
}
