// STAND-IN (h11-cli): the reporters' branch writes the real module; same signature. GitHub workflow-command
// annotations at file:line, escaped as @actions/core escapes them.
import type { Violation } from '../../model/types.js';

const data = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s: string): string => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function githubAnnotations(findings: Violation[]): string[] {
  return findings.map(
    (v) =>
      `::${v.severity} title=${property(v.flow ?? v.file)},file=${property(v.file)},line=${v.line},col=${v.column}::${data(v.message)}`,
  );
}
