// JUnit XML for the CI's test report (GitLab's `artifacts: reports: junit:`, Azure's PublishTestResults,
// Jenkins' junit step): validate gives one test case per flow, deploy one per flow or namespace file, and a
// failure carries the messages that explain it.
import type { DeployReport, FlowResult, NamespaceStatus, Validation } from '../../model/results.js';
import { actionWord, flowName, leftUndone, resourceName } from '../words.js';
import { xmlAttribute, xmlText } from './xml.js';

interface TestCase {
  classname: string;
  name: string;
  file?: string;
  failure?: { message: string; type: string; text: string };
  skipped?: string;
  output?: string;
}

interface Suite {
  name: string;
  properties: [string, string][];
  cases: TestCase[];
}

/** A flow's verdict: invalid fails with its messages; warnings pass, their messages in the case's output. */
function flowCase(r: FlowResult): TestCase {
  const test: TestCase = { classname: r.namespace ?? r.file, name: flowName(r) || r.file, file: r.file };
  const text = r.messages.join('\n');
  if (r.status === 'invalid') {
    const first = r.messages.find((m) => m.startsWith('error')) ?? r.messages[0] ?? 'invalid';
    test.failure = { message: first, type: 'invalid', text };
  } else if (text) test.output = text;
  return test;
}

function validateSuite(validation: Validation): Suite {
  return {
    name: 'kestra-actions validate',
    properties: [['mode', validation.mode]],
    cases: validation.totals.results.map(flowCase),
  };
}

/** What a failed or skipped namespace left undone, as failing (not written) and skipped (not deleted) cases. */
function undoneCases(ns: NamespaceStatus, report: DeployReport): TestCase[] {
  const classname = ns.namespace;
  if (ns.status === 'skipped') {
    return [
      { classname, name: ns.namespace, skipped: 'not written: the deploy stopped at an earlier namespace' },
    ];
  }
  const error = ns.error ?? 'unknown error';
  const cases: TestCase[] = [];
  for (const [title, names] of leftUndone(ns, report.resource)) {
    for (const name of names) {
      const message =
        title === 'failed' ? error : `${title}: the deploy of ${ns.namespace} stopped: ${error}`;
      if (title === 'not deleted') cases.push({ classname, name, skipped: message });
      else cases.push({ classname, name, failure: { message, type: title, text: message } });
    }
  }
  // A namespace that failed before any resource's own request still fails a case.
  if (!cases.some((c) => c.failure)) {
    cases.push({ classname, name: ns.namespace, failure: { message: error, type: 'failed', text: error } });
  }
  return cases;
}

function deploySuite(report: DeployReport): Suite {
  const cases: TestCase[] = report.results.map((r) => ({
    classname: r.namespace,
    name: resourceName(r),
    file: r.file,
    output: actionWord(r.action, report.dryRun) + (r.revision ? ` (revision ${r.revision})` : ''),
  }));
  for (const ns of report.namespaces)
    if (ns.status === 'failed' || ns.status === 'skipped') cases.push(...undoneCases(ns, report));
  return {
    name: `kestra-actions deploy ${report.resource}${report.dryRun ? ' (dry-run)' : ''}`,
    properties: [
      ['resource', report.resource],
      ['dry-run', String(report.dryRun)],
    ],
    cases,
  };
}

const count = (cases: TestCase[]) => ({
  tests: cases.length,
  failures: cases.filter((c) => c.failure).length,
  skipped: cases.filter((c) => c.skipped !== undefined).length,
});

function caseXml(c: TestCase): string {
  const file = c.file ? ` file="${xmlAttribute(c.file)}"` : '';
  const open = `    <testcase classname="${xmlAttribute(c.classname)}" name="${xmlAttribute(c.name)}"${file}`;
  const body: string[] = [];
  if (c.failure) {
    const { message, type, text } = c.failure;
    body.push(
      `      <failure message="${xmlAttribute(message)}" type="${xmlAttribute(type)}">${xmlText(text)}</failure>`,
    );
  }
  if (c.skipped !== undefined) body.push(`      <skipped message="${xmlAttribute(c.skipped)}"/>`);
  if (c.output) body.push(`      <system-out>${xmlText(c.output)}</system-out>`);
  return body.length ? `${open}>\n${body.join('\n')}\n    </testcase>` : `${open}/>`;
}

function suiteXml(suite: Suite): string {
  const { tests, failures, skipped } = count(suite.cases);
  const properties = suite.properties
    .map(([name, value]) => `      <property name="${xmlAttribute(name)}" value="${xmlAttribute(value)}"/>`)
    .join('\n');
  return [
    `  <testsuite name="${xmlAttribute(suite.name)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
    `    <properties>\n${properties}\n    </properties>`,
    ...suite.cases.map(caseXml),
    '  </testsuite>',
  ].join('\n');
}

/** The JUnit XML text: a suite for the validation and one for the deploy, whichever are given. */
export function junitReport(input: { validation?: Validation; report?: DeployReport }): string {
  const suites: Suite[] = [];
  if (input.validation) suites.push(validateSuite(input.validation));
  if (input.report) suites.push(deploySuite(input.report));
  const all = count(suites.flatMap((s) => s.cases));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="kestra-actions" tests="${all.tests}" failures="${all.failures}" errors="0" skipped="${all.skipped}">`,
    ...suites.map(suiteXml),
    '</testsuites>',
    '',
  ].join('\n');
}
