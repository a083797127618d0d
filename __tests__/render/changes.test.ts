// The review section of a dry-run (src/render/changes.ts) in the job summary and the comment: each diff in
// a fence no flow line can close, cut per item and per rendering with the cut said and the plan file named,
// deletions with their revision and `delete: true`, and the comment within GitHub's limit however many diffs.
import { describe, expect, it } from '@jest/globals';
import { unifiedDiff } from '../../src/core/plan/diff.js';
import type { DeployReport, PlannedChange } from '../../src/model/results.js';
import {
  changesMarkdown,
  DIFF_LINES_PER_ITEM,
  fenceFor,
  SUMMARY_DIFF_CAPS,
} from '../../src/render/changes.js';
import { COMMENT_LIMIT, deployCommentBody } from '../../src/render/comment.js';
import { deploySummary } from '../../src/render/summary.js';

function update(id: string, before: string, after: string): PlannedChange {
  const d = unifiedDiff(before, after, `server/team.${id}`, `git/team.${id}`);
  return {
    resource: 'flows',
    namespace: 'team',
    name: id,
    action: 'update',
    file: `flows/${id}.yml`,
    revision: 2,
    diff: d.text,
    added: d.added,
    removed: d.removed,
  };
}

const lines = (n: number, tag: string): string =>
  Array.from({ length: n }, (_, i) => `  - line ${i} ${tag}`).join('\n') + '\n';

/** The fenced blocks of a Markdown text: each opening fence with the lines up to the one that closes it. */
function blocks(md: string): { fence: string; body: string[] }[] {
  const out: { fence: string; body: string[] }[] = [];
  let open: { fence: string; body: string[] } | undefined;
  for (const l of md.split('\n')) {
    if (open) {
      // CommonMark: a closing fence is up to 3 spaces, then at least as many backticks, then only spaces.
      const close = /^ {0,3}(`+)\s*$/.exec(l);
      if (close && (close[1] as string).length >= open.fence.length) {
        out.push(open);
        open = undefined;
      } else open.body.push(l);
    } else {
      const start = /^ {0,3}(`{3,})(.*)$/.exec(l);
      if (start) open = { fence: start[1] as string, body: [] };
    }
  }
  expect(open).toBeUndefined();
  return out;
}

const report = (changes: PlannedChange[]): DeployReport => ({
  resource: 'flows',
  dryRun: true,
  namespaces: [{ namespace: 'team', status: 'planned' }],
  results: changes.map((c) => ({
    namespace: c.namespace,
    id: c.name,
    action: c.action === 'create' ? 'created' : c.action === 'update' ? 'updated' : 'deleted',
  })),
  plan: {},
  changes,
});

describe('the review section', () => {
  it('keeps a flow whose text holds fences inside its own diff block', () => {
    const before = 'id: a\ndescription: |\n  ```\n  x\n';
    const after = 'id: a\ndescription: |\n  ```\n   ````\n```\n  y\n';
    const md = changesMarkdown([update('a', before, after)], SUMMARY_DIFF_CAPS, 'the plan file');
    const found = blocks(md);
    expect(found).toHaveLength(1);
    expect(found[0]?.fence).toBe('`````');
    expect(found[0]?.body.join('\n') + '\n').toBe(
      unifiedDiff(before, after, 'server/team.a', 'git/team.a').text,
    );
    expect(fenceFor('no ticks')).toBe('```');
  });

  it('never carries a comment marker a flow quotes, which would make the comment look like another step', () => {
    const marker = '<!-- kestra-actions:deploy:abc -->';
    const md = changesMarkdown([update('a', 'x: 1\n', `x: 1\n# ${marker}\n`)], SUMMARY_DIFF_CAPS, 'x');
    expect(md).toContain('+# <!-\u200B- kestra-actions:deploy:abc -->');
    expect(md).not.toContain('<!--');
  });

  it('names the item, counts its lines, and folds it in <details>', () => {
    const md = changesMarkdown([update('a', 'x: 1\n', 'x: 2\ny: 3\n')], SUMMARY_DIFF_CAPS, 'the plan file');
    expect(md).toContain(
      '<details><summary>~ <code>team.a</code> +2 −1</summary>\n\n```diff\n--- server/team.a\n',
    );
    expect(md).toContain('\n</details>\n');
  });

  it('cuts a long diff at DIFF_LINES_PER_ITEM and says where the rest is', () => {
    const md = changesMarkdown(
      [update('a', '', lines(200, 'new'))],
      SUMMARY_DIFF_CAPS,
      'the `plan-file` output',
    );
    expect(blocks(md)[0]?.body).toHaveLength(DIFF_LINES_PER_ITEM);
    expect(md).toContain(
      `_… ${203 - DIFF_LINES_PER_ITEM} more lines of this diff in the \`plan-file\` output_`,
    );
  });

  it('shows at most the capped number of diffs, and says how many are left out', () => {
    const changes = Array.from({ length: 7 }, (_, i) => update(`f${i}`, 'a: 1\n', 'a: 2\n'));
    const md = changesMarkdown(changes, { items: 5, chars: 1e6 }, 'the plan file');
    expect(blocks(md)).toHaveLength(5);
    expect(md).toContain('_… 2 more of 7 diffs not shown: every diff is in the plan file_');
    const small = changesMarkdown(changes, { items: 50, chars: 600 }, 'the plan file');
    expect(blocks(small).length).toBeLessThan(7);
    expect(small).toMatch(/more of 7 diffs not shown/);
  });

  it('lists deletions with their revision and delete: true, binary files by size, unread content as such', () => {
    const md = changesMarkdown(
      [
        {
          resource: 'flows',
          namespace: 'team',
          name: 'gone',
          action: 'delete',
          revision: 4,
          reason: 'delete: true',
        },
        {
          resource: 'namespace-files',
          namespace: 'team',
          name: '/b.bin',
          action: 'update',
          size: { before: 3, after: 5 },
        },
        { resource: 'namespace-files', namespace: 'team', name: '/c.txt', action: 'update', unread: true },
        { resource: 'flows', namespace: 'team', name: 'new', action: 'create' },
      ],
      SUMMARY_DIFF_CAPS,
      'the plan file',
    );
    expect(md).toContain('- − <code>team.gone</code> (revision 4), from <code>delete: true</code>');
    expect(md).toContain('- ~ <code>team/b.bin</code>: binary, 3 → 5 bytes');
    expect(md).toContain("- ~ <code>team/c.txt</code>: the server's content was not read: no diff");
    const large = changesMarkdown(
      [
        {
          resource: 'namespace-files',
          namespace: 't',
          name: '/l.txt',
          action: 'update',
          large: true,
          size: { before: 1, after: 2 },
        },
      ],
      SUMMARY_DIFF_CAPS,
      'x',
    );
    expect(large).toContain('- ~ <code>t/l.txt</code>: too large to diff, 1 → 2 bytes');
    expect(md).not.toContain('team.new');
    expect(
      changesMarkdown(
        [{ resource: 'flows', namespace: 't', name: 'n', action: 'create' }],
        SUMMARY_DIFF_CAPS,
        'x',
      ),
    ).toBe('');
  });

  it('makes names inert: no HTML, no mention', () => {
    const md = changesMarkdown(
      [{ resource: 'namespace-files', namespace: 'team', name: '/<b>@alice</b>#1.txt', action: 'delete' }],
      SUMMARY_DIFF_CAPS,
      'the plan file',
    );
    expect(md).toContain('&lt;b&gt;@&#8203;alice&lt;/b&gt;#&#8203;1.txt');
  });

  it('ends the job summary, after the change list', () => {
    const html = deploySummary(
      report([update('a', 'x: 1\n', 'x: 2\n')]),
      '\n',
      undefined,
      'the `plan-file` output',
    );
    expect(html.indexOf('What the deploy would change')).toBeGreaterThan(html.indexOf('planned change'));
    expect(blocks(html)).toHaveLength(1);
  });

  it('keeps the job summary under 1 MiB with hundreds of long diffs and thousands of deletions', () => {
    const diff = update('x', lines(200, 'old'), lines(200, 'new'));
    const long = 'y'.repeat(1000);
    const changes: PlannedChange[] = [
      ...Array.from({ length: 500 }, (_, i) => ({
        ...diff,
        name: `f${i}`,
        diff: diff.diff?.replace(/old/g, long),
      })),
      ...Array.from({ length: 10_000 }, (_, i): PlannedChange => ({
        resource: 'flows',
        namespace: 'team',
        name: `gone_${i}_${long.slice(0, 150)}`,
        action: 'delete',
        revision: 1,
        reason: 'delete: true',
      })),
    ];
    const html = deploySummary(report(changes), '\n', undefined, 'the plan file');
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024);
    expect(blocks(html).length).toBeGreaterThan(0);
    expect(html).toMatch(/more of 500 diffs not shown/);
  });

  it('keeps the comment under GitHub limit with a thousand large diffs, and names the plan file', () => {
    const changes = Array.from({ length: 1000 }, (_, i) =>
      update(`flow_${i}`, lines(40, 'old'), lines(40, 'new')),
    );
    const body = deployCommentBody(report(changes), '<!-- m -->', 'the `plan-file` output');
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(blocks(body).length).toBeGreaterThan(0);
    expect(body).toMatch(/more of 1000 diffs not shown: every diff is in the `plan-file` output/);
  });

  it('keeps the comment under the limit with a thousand deletions of long names that escaping lengthens', () => {
    const changes = Array.from({ length: 1000 }, (_, i): PlannedChange => ({
      resource: 'namespace-files',
      namespace: 'team',
      name: `/${i}${'<&>'.repeat(100)}.txt`,
      action: 'delete',
      reason: 'delete: true',
    }));
    const body = deployCommentBody({ ...report(changes), resource: 'namespace-files' }, '<!-- m -->', 'x');
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body).toMatch(/\n- … \d+ more in x\n/);
  });
});
