// The comment bodies: verdict, counts, problem tables and change lists, folded when long, always under
// GitHub's limit, with user text unable to break the Markdown or inject HTML.
import { describe, expect, it } from '@jest/globals';
import {
  COMMENT_LIMIT,
  deployCommentBody,
  escapeMarkdown,
  validateCommentBody,
} from '../../src/render/comment.js';
import type { DeployReport, DeployResult, FlowResult, ValidateTotals } from '../../src/model/results.js';

const VALIDATE = '<!-- kestra-actions:validate -->';
const DEPLOY = '<!-- kestra-actions:deploy -->';

const result = (i: number, status: FlowResult['status'], messages: string[] = []): FlowResult => ({
  file: `flows/company.team/flow_${i}.yml`,
  line: 1 + (i % 7),
  namespace: 'company.team',
  id: `flow_${i}`,
  status,
  messages,
});

function totals(results: FlowResult[], valid = !results.some((r) => r.status === 'invalid')): ValidateTotals {
  return {
    valid,
    flows: results.length,
    errors: results.filter((r) => r.status === 'invalid').length,
    warnings: results.filter((r) => r.status === 'warning').length,
    results,
  };
}

/** Table rows split into cells on the pipes Markdown sees (an escaped `\|` stays inside its cell). */
const cells = (row: string): string[] => row.split(/(?<!\\)\|/).slice(1, -1);
const tableRows = (body: string): string[] =>
  body.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
/** Every HTML tag in the body: only ours may appear. */
const tags = (body: string): string[] =>
  [...body.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => (m[1] as string).toLowerCase());
const OUR_TAGS = new Set(['code', 'br', 'details', 'summary']);
/** The "… N more" counts of a body, in order. */
const more = (body: string): number[] =>
  [...body.matchAll(/^_… (\d+) more, see the job summary_$/gm)].map((m) => Number(m[1]));

describe('validateCommentBody', () => {
  it('starts with the marker and says all is well, with counts and no table, when every flow is valid', () => {
    const body = validateCommentBody(totals([result(1, 'valid'), result(2, 'valid')]), 'offline', VALIDATE);
    expect(body.split('\n')[0]).toBe(VALIDATE);
    expect(body).toContain('### ✅ Kestra validation passed: 2 flows valid');
    expect(body).toContain(
      '2 flows checked · 0 invalid · 0 with warnings · 2 valid · 0 warnings · mode: <code>offline</code>',
    );
    expect(tableRows(body)).toEqual([]);
    expect(body).not.toContain('flow_1');
  });

  it('lists only the flows with errors or warnings, errors first, and counts the valid ones', () => {
    const body = validateCommentBody(
      totals([
        result(1, 'valid'),
        result(2, 'warning', ['warning: line 3: Deprecated property `inputs[0].name`']),
        result(3, 'invalid', ['error: line 5: Unknown task type', 'warning: line 9: deprecated']),
        result(4, 'valid'),
      ]),
      'server',
      VALIDATE,
    );
    expect(body).toContain('### ❌ Kestra validation failed: 1 of 4 files or flows invalid');
    expect(body).toContain('1 invalid · 1 with warnings · 2 valid');
    const rows = tableRows(body)
      .slice(1)
      .filter((r) => !r.startsWith('| File'));
    expect(rows.map((r) => cells(r).map((c) => c.trim()))).toEqual([
      [
        '<code>flows/company.team/flow\\_3.yml:4</code>',
        '<code>company.team.flow\\_3</code>',
        '❌ invalid',
        'error: line 5: Unknown task type<br>warning: line 9: deprecated',
      ],
      [
        '<code>flows/company.team/flow\\_2.yml:3</code>',
        '<code>company.team.flow\\_2</code>',
        '⚠️ warning',
        'warning: line 3: Deprecated property \\`inputs\\[0\\].name\\`',
      ],
    ]);
    expect(body.indexOf('flow\\_3')).toBeLessThan(body.indexOf('flow\\_2'));
    expect(body).not.toMatch(/flow\\_[14]\b/);
    expect(body).not.toContain('<details>');
  });

  it('fails on warnings alone when the run counts them as failures', () => {
    const body = validateCommentBody(
      totals([result(1, 'warning', ['warning: x'])], false),
      'offline',
      VALIDATE,
    );
    expect(body).toContain('### ❌ Kestra validation failed: 1 warning (warnings fail this run)');
  });

  it('folds a long list into a <details> block', () => {
    const ten = validateCommentBody(
      totals(Array.from({ length: 10 }, (_, i) => result(i, 'invalid', ['e']))),
      'x',
      VALIDATE,
    );
    expect(ten).not.toContain('<details>');
    const eleven = validateCommentBody(
      totals(Array.from({ length: 11 }, (_, i) => result(i, 'invalid', ['e']))),
      'x',
      VALIDATE,
    );
    expect(eleven).toMatch(/<details><summary>11 invalid files or flows<\/summary>\n\n\| File \|/);
    expect(eleven).toMatch(/\n<\/details>\n/);
    expect(tableRows(eleven)).toHaveLength(12);
  });

  it('keeps 10,000 results under the limit and says how many rows were left out', () => {
    const results = Array.from({ length: 10_000 }, (_, i) =>
      result(i, i % 3 === 0 ? 'invalid' : i % 3 === 1 ? 'warning' : 'valid', [
        `error: line ${i}: Invalid type io.kestra.plugin.scripts.python.Scriptz (did you mean Script?)`,
      ]),
    );
    const body = validateCommentBody(totals(results), 'server', VALIDATE);
    expect(body.length).toBeLessThan(COMMENT_LIMIT);
    expect(body).toContain('3334 of 10000 files or flows invalid');
    expect(body).toContain('3334 invalid · 3333 with warnings · 3333 valid');
    const invalidRows = tableRows(body).filter((r) => r.includes('❌ invalid')).length;
    const warningRows = tableRows(body).filter((r) => r.includes('⚠️ warning')).length;
    expect(invalidRows).toBeGreaterThan(100);
    // Every problem is either shown or counted in a "… N more" line.
    expect(more(body)).toEqual([3334 - invalidRows, 3333 - warningRows]);
    // A table head is only there with rows under it.
    expect(body.match(/^\| File \|/gm)).toHaveLength((invalidRows ? 1 : 0) + (warningRows ? 1 : 0));
    // Each fold is closed even when cut short, and the body ends cleanly.
    expect(body.match(/<details>/g)).toHaveLength(2);
    expect(body.match(/<\/details>/g)).toHaveLength(2);
  });

  it('stays under the limit when every row is huge and full of characters that escaping expands', () => {
    const nasty = '&<>@1#2|'.repeat(5_000);
    const results = Array.from({ length: 10_000 }, (_, i) => ({
      ...result(
        i,
        'invalid',
        Array.from({ length: 50 }, () => nasty),
      ),
      file: `${nasty}.yml`,
      id: nasty,
    }));
    const body = validateCommentBody(totals(results), nasty, VALIDATE);
    expect(body.length).toBeLessThan(COMMENT_LIMIT);
    expect(tableRows(body).length).toBeGreaterThan(2);
    expect(tableRows(body).every((r) => cells(r).length === 4)).toBe(true);
    expect(tags(body).every((t) => OUR_TAGS.has(t))).toBe(true);
    expect(body).toContain('… 40 more'); // messages past the tenth of a flow are counted, not shown
  });

  it('escapes file names and messages so they cannot break the table, inject HTML or ping anyone', () => {
    const body = validateCommentBody(
      totals([
        {
          file: 'flows/a|b<img src=x onerror=alert(1)>.yml',
          line: 2,
          namespace: 'company.team',
          id: 'x|y',
          status: 'invalid',
          messages: [
            'error: line 4: bad `code` | pipe\nsecond line\r\nthird </details> <script>alert(1)</script>',
            'error: see @octocat and #12, **bold** _it_ [link](javascript:alert(1)) ~~s~~ $x^2$ \\| &amp;',
          ],
        },
      ]),
      'server <b>',
      VALIDATE,
    );
    expect(new Set(tags(body))).toEqual(new Set(['code', 'br']));
    const [row, ...rest] = tableRows(body).filter((r) => !r.startsWith('| File'));
    expect(rest).toEqual([]);
    expect(cells(row as string)).toHaveLength(4);
    expect(row).toContain('flows/a\\|b&lt;img src=x onerror=alert(1)&gt;.yml:2');
    expect(row).toContain('&lt;/details&gt; &lt;script&gt;');
    expect(row).toContain('bad \\`code\\` \\| pipe<br>second line<br>third');
    expect(row).toContain(
      '\\*\\*bold\\*\\* \\_it\\_ \\[link\\](javascript:alert(1)) \\~\\~s\\~\\~ \\$x^2\\$ \\\\\\| &amp;amp;',
    );
    expect(row).not.toMatch(/@octocat|#12/);
    expect(row).toContain('@&#8203;octocat and #&#8203;12');
    expect(body).toContain('mode: <code>server &lt;b&gt;</code>');
  });

  it('cuts a long message without splitting an emoji in half', () => {
    const body = validateCommentBody(totals([result(1, 'invalid', ['😀'.repeat(400)])]), 'x', VALIDATE);
    expect(body).toContain('😀…');
    expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('escapes what GitHub would otherwise render or link', () => {
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    expect(escapeMarkdown('<x y="1">&')).toBe('&lt;x y=&quot;1&quot;&gt;&amp;');
    expect(escapeMarkdown('line\nbreak\r\nand\rmore')).toBe('line<br>break<br>and<br>more');
    expect(escapeMarkdown('@team #7 mail@x.io')).toBe('@&#8203;team #&#8203;7 mail@&#8203;x.io');
  });
});

const report = (over: Partial<DeployReport> & { results: DeployResult[] }): DeployReport => ({
  resource: 'flows',
  dryRun: false,
  namespaces: [...new Set(over.results.map((r) => r.namespace))].map((namespace) => ({
    namespace,
    status: 'written',
  })),
  plan: {},
  ...over,
});

describe('deployCommentBody', () => {
  const results: DeployResult[] = [
    { namespace: 'company.team', id: 'hello', file: 'flows/hello.yml', action: 'created', revision: 1 },
    { namespace: 'company.team', id: 'nightly', file: 'flows/nightly.yml', action: 'updated', revision: 4 },
    { namespace: 'company.team', id: 'same', file: 'flows/same.yml', action: 'unchanged', revision: 2 },
    { namespace: 'company.data', id: 'old_report', action: 'deleted' },
  ];

  it('shows the plan of a dry-run: heading, counts, namespace table and the changes (not the unchanged)', () => {
    const body = deployCommentBody(
      report({
        dryRun: true,
        results,
        namespaces: [
          { namespace: 'company.team', status: 'planned' },
          { namespace: 'company.data', status: 'planned' },
        ],
      }),
      DEPLOY,
    );
    expect(body.split('\n')[0]).toBe(DEPLOY);
    expect(body).toContain('### 📝 Kestra deploy plan (dry-run): flows');
    expect(body).toContain('1 to create · 1 to update · 1 unchanged · 1 to delete');
    expect(tableRows(body).map((r) => cells(r).map((c) => c.trim()))).toEqual([
      ['Namespace', 'Status', 'will create', 'will update', 'unchanged', 'will delete'],
      ['<code>company.team</code>', '📝 planned', '1', '1', '1', '0'],
      ['<code>company.data</code>', '📝 planned', '0', '0', '0', '1'],
    ]);
    expect(body).toContain('**3 planned changes**');
    expect(body).toContain(
      '- `+ will create` <code>company.team</code> <code>hello</code> (<code>flows/hello.yml</code>)',
    );
    expect(body).toContain(
      '- `~ will update` <code>company.team</code> <code>nightly</code> (<code>flows/nightly.yml</code>)',
    );
    expect(body).toContain('- `- will delete` <code>company.data</code> <code>old\\_report</code>');
    expect(body).not.toContain('<code>same</code>');
  });

  it('says what was done after a deploy, and names namespace files by path', () => {
    const body = deployCommentBody(
      report({
        resource: 'namespace-files',
        results: [
          {
            namespace: 'company.team',
            path: 'scripts/etl.py',
            file: 'files/scripts/etl.py',
            action: 'created',
          },
        ],
      }),
      DEPLOY,
    );
    expect(body).toContain('### ✅ Kestra namespace files deployed');
    expect(body).toContain('1 created · 0 updated · 0 unchanged · 0 deleted');
    expect(body).toContain('- `+ created` <code>company.team</code> <code>scripts/etl.py</code>');
  });

  it('says nothing changed when every resource is unchanged', () => {
    const body = deployCommentBody(report({ results: [results[2] as DeployResult] }), DEPLOY);
    expect(body).toContain('Nothing changed.');
    expect(body).not.toMatch(/^- /m);
  });

  it('shows a stopped deploy with the namespace’s error, escaped', () => {
    const body = deployCommentBody(
      report({
        results,
        namespaces: [
          { namespace: 'company.team', status: 'failed', error: 'HTTP 500 from <server> | retry\nlater' },
          { namespace: 'company.data', status: 'skipped' },
        ],
      }),
      DEPLOY,
    );
    expect(body).toContain('### ❌ Kestra deploy of flows stopped');
    const [, team, data] = tableRows(body);
    expect(cells(team as string)[1]?.trim()).toBe(
      '❌ failed (may be partly written)<br>HTTP 500 from &lt;server&gt; \\| retry<br>later',
    );
    expect(cells(data as string)[1]?.trim()).toBe('⏭️ not written');
    expect(new Set(tags(body))).toEqual(new Set(['code', 'br']));
  });

  it('keeps 10,000 results over 1,000 namespaces under the limit, folded, with what was left out counted', () => {
    const actions = ['created', 'updated', 'unchanged', 'deleted'] as const;
    const many: DeployResult[] = Array.from({ length: 10_000 }, (_, i) => ({
      namespace: `company.team${i % 1000}`,
      id: `flow_${i}`,
      file: `flows/company.team${i % 1000}/flow_${i}.yml`,
      action: actions[i % 4] as DeployResult['action'],
    }));
    const body = deployCommentBody(report({ dryRun: true, results: many }), DEPLOY);
    expect(body.length).toBeLessThan(COMMENT_LIMIT);
    expect(body).toContain('2500 to create · 2500 to update · 2500 unchanged · 2500 to delete');
    expect(body).toContain('<details><summary>1000 namespaces</summary>');
    expect(body).toContain('<details><summary>7500 planned changes</summary>');
    const nsRows = tableRows(body).length - 1;
    const changeRows = body.split('\n').filter((l) => l.startsWith('- `')).length;
    expect(nsRows + changeRows).toBeGreaterThan(100);
    expect(more(body)).toEqual([1000 - nsRows, 7500 - changeRows]);
    expect(body.match(/<\/details>/g)).toHaveLength(2);
  });
});

describe('a failed deploy in the comment', () => {
  it('names what a failed namespace left undone', () => {
    const body = deployCommentBody(
      {
        resource: 'flows',
        dryRun: false,
        namespaces: [
          { namespace: 'team.a', status: 'written' },
          {
            namespace: 'team.b',
            status: 'failed',
            error: '500 from POST',
            failed: ['two'],
            notWritten: ['three'],
          },
          { namespace: 'team.c', status: 'skipped' },
        ],
        results: [{ namespace: 'team.a', id: 'one', action: 'created', revision: 1 }],
        plan: {},
      },
      '<!-- m -->',
    );
    expect(body).toMatch(/team\.b[^\n]*500 from POST<br>failed: two<br>not written: three/);
  });
});
