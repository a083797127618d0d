// JUnit XML: golden files for a validation, a plan and a failed deploy; counts that add up; and hostile
// names and messages that leave the XML well-formed and come back, read by an XML reader, as they went in.
import { describe, expect, it } from '@jest/globals';
import { junitReport } from '../../../src/render/reporters/junit.js';
import { FAILED_DEPLOY, HOSTILE_DEPLOY, HOSTILE_TEXT, HOSTILE_VALIDATION, PLAN, VALIDATION } from './data.js';
import { expectGolden } from './golden.js';
import { findAll, parseXml, type XmlElement } from './xml-check.js';

/** What XML 1.0 cannot hold at all comes back as `\uXXXX`; everything else exactly. */
const representable = (s: string): string =>
  s.replace(
    // eslint-disable-next-line no-control-regex -- the control characters are the point
    /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );

/** Each suite's and the root's counts match the cases they hold. */
function expectCounts(root: XmlElement): void {
  const cases = findAll(root, 'testcase');
  const tally = (list: XmlElement[]) => ({
    tests: String(list.length),
    failures: String(list.filter((c) => findAll(c, 'failure').length).length),
    skipped: String(list.filter((c) => findAll(c, 'skipped').length).length),
  });
  expect(root.attributes).toMatchObject(tally(cases));
  for (const suite of findAll(root, 'testsuite'))
    expect(suite.attributes).toMatchObject(tally(findAll(suite, 'testcase')));
}

const caseRows = (root: XmlElement) =>
  findAll(root, 'testcase').map((c) => ({
    name: c.attributes.name,
    failure: findAll(c, 'failure')[0]?.attributes.message,
    skipped: findAll(c, 'skipped')[0]?.attributes.message,
  }));

describe('junitReport', () => {
  it('gives a validation one case per flow, failing the invalid ones with their messages', () => {
    const xml = junitReport({ validation: VALIDATION });
    expectGolden('junit-validate.xml', xml);
    const root = parseXml(xml);
    expectCounts(root);
    expect(root.attributes).toMatchObject({ tests: '4', failures: '2' });
    const hello = findAll(root, 'testcase').find((c) => c.attributes.name === 'company.team.hello')!;
    expect(hello.attributes).toMatchObject({
      classname: 'company.team',
      file: 'flows/company.team/hello.yml',
    });
    expect(findAll(hello, 'failure')[0]?.text).toBe(VALIDATION.totals.results[2]!.messages.join('\n'));
    // A warning passes, its message kept in the case's output.
    const report = findAll(root, 'testcase').find((c) => c.attributes.name === 'company.data.report')!;
    expect(findAll(report, 'failure')).toEqual([]);
    expect(findAll(report, 'system-out')[0]?.text).toContain("Label key 'Team Name'");
  });

  it('gives a plan one passing case per flow, saying what it will do', () => {
    const xml = junitReport({
      validation: { ...VALIDATION, totals: { ...VALIDATION.totals, results: [] } },
      report: PLAN,
    });
    expectGolden('junit-plan.xml', xml);
    const root = parseXml(xml);
    expectCounts(root);
    const suites = findAll(root, 'testsuite').map((s) => s.attributes.name);
    expect(suites).toEqual(['kestra-actions validate', 'kestra-actions deploy flows (dry-run)']);
    expect(findAll(root, 'system-out').map((o) => o.text)).toEqual([
      'will create',
      'will update (revision 3)',
      'unchanged (revision 1)',
      'will delete (revision 2)',
    ]);
  });

  it('fails what a failed namespace did not write and skips what it never tried', () => {
    const xml = junitReport({ report: FAILED_DEPLOY });
    expectGolden('junit-deploy-failed.xml', xml);
    const root = parseXml(xml);
    expectCounts(root);
    expect(caseRows(root)).toEqual([
      { name: '/readme.md' },
      { name: '/notes.md' },
      { name: '/scripts/etl.py', failure: 'upload of /scripts/etl.py failed: 413 Payload Too Large' },
      {
        name: '/sql/daily.sql',
        failure:
          'not uploaded: the deploy of company.b stopped: upload of /scripts/etl.py failed: 413 Payload Too Large',
      },
      {
        name: '/old.txt',
        skipped:
          'not deleted: the deploy of company.b stopped: upload of /scripts/etl.py failed: 413 Payload Too Large',
      },
      { name: 'company.c', skipped: 'not written: the deploy stopped at an earlier namespace' },
    ]);
  });

  it('fails a namespace that failed before any request of its own', () => {
    const root = parseXml(
      junitReport({
        report: {
          ...FAILED_DEPLOY,
          results: [],
          namespaces: [{ namespace: 'x', status: 'failed', error: 'boom' }],
        },
      }),
    );
    expect(caseRows(root)).toEqual([{ name: 'x', failure: 'boom' }]);
  });

  it('stays well-formed with hostile names and messages, which come back as they went in', () => {
    const validation = parseXml(junitReport({ validation: HOSTILE_VALIDATION }));
    expectCounts(validation);
    const cases = findAll(validation, 'testcase');
    expect(cases.map((c) => c.attributes.name)).toEqual(HOSTILE_TEXT.map((t) => representable(`${t}.${t}`)));
    expect(cases.map((c) => c.attributes.file)).toEqual(
      HOSTILE_TEXT.map((t) => representable(`flows/${t}.yml`)),
    );
    expect(cases.map((c) => findAll(c, 'failure')[0]?.text)).toEqual(HOSTILE_TEXT.map(representable));
    expect(cases.map((c) => findAll(c, 'failure')[0]?.attributes.message)).toEqual(
      HOSTILE_TEXT.map(representable),
    );
    expect(findAll(validation, 'property')[0]?.attributes.value).toBe(HOSTILE_TEXT[4]);

    const deploy = parseXml(junitReport({ report: HOSTILE_DEPLOY }));
    expectCounts(deploy);
    expect(findAll(deploy, 'testcase').map((c) => c.attributes.name)).toEqual(
      [...HOSTILE_TEXT, HOSTILE_TEXT[4]!, HOSTILE_TEXT[6]!].map(representable),
    );
    expect(findAll(deploy, 'failure')[0]?.attributes.message).toBe(representable(HOSTILE_TEXT[8]!));
  });

  it('is a valid empty report when there is nothing to report', () => {
    const root = parseXml(junitReport({}));
    expect(root.attributes).toMatchObject({ tests: '0', failures: '0' });
    expect(findAll(root, 'testsuite')).toEqual([]);
  });
});

describe('the XML reader the tests rely on', () => {
  it.each([
    ['<a>1 < 2</a>', /malformed/],
    ['<a>1 & 2</a>', /bare/],
    ['<a>&nbsp;</a>', /unknown entity/],
    ['<a b="1" b="2"/>', /repeated/],
    ['<a b=1/>', /malformed/],
    ['<a><b></a></b>', /closes/],
    ['<a>', /never closed/],
    ['<a/><b/>', /second root/],
    ['<a>\u0001</a>', /not allowed/],
    ['<a>&#1;</a>', /not allowed/],
    ['<a>]]></a>', /raw/],
  ])('refuses %j', (xml, error) => {
    expect(() => parseXml(xml)).toThrow(error);
  });
});
