// STAND-IN (h11-cli): the reporters' branch writes the real module; same signature. JUnit XML: one test case
// per validated flow or file, and per deployed resource.
import type { DeployReport, Validation } from '../../model/results.js';

const xml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function junitReport(input: { validation?: Validation; report?: DeployReport }): string {
  const suites: string[] = [];
  const results = input.validation?.totals.results ?? [];
  if (input.validation) {
    const cases = results.map((r) => {
      const name = xml(r.namespace && r.id ? `${r.namespace}.${r.id}` : r.file);
      const failure = r.status === 'invalid' ? `<failure message="${xml(r.messages.join('; '))}"/>` : '';
      return `    <testcase classname="${xml(r.file)}" name="${name}">${failure}</testcase>`;
    });
    const failures = results.filter((r) => r.status === 'invalid').length;
    suites.push(
      `  <testsuite name="kestra validate" tests="${results.length}" failures="${failures}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  if (input.report) {
    const cases = input.report.results.map(
      (r) => `    <testcase classname="${xml(r.namespace)}" name="${xml(r.id ?? r.path ?? '')}"/>`,
    );
    suites.push(
      `  <testsuite name="kestra deploy" tests="${cases.length}" failures="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${suites.join('\n')}\n</testsuites>\n`;
}
