// The words for the model's states exist once (src/render/words.ts), and the log, the job summary and the
// pull-request comment all say them the same way.
import { describe, expect, it } from '@jest/globals';
import type { DeployReport, FlowResult, ValidateTotals } from '../../src/model/results.js';
import { deployCommentBody, validateCommentBody } from '../../src/render/comment.js';
import { deployLogBlocks } from '../../src/render/log-lines.js';
import { deploySummary, validateSummary } from '../../src/render/summary.js';
import {
  ACTION_SIGN,
  ACTIONS,
  actionWord,
  countActions,
  countsLine,
  deployHeading,
  FLOW_STATUS,
  LOG_STATUS,
  NAMESPACE_STATUS,
  nothingChanged,
} from '../../src/render/words.js';

describe('the words', () => {
  it('give every action a sign, a verb after a deploy and a verb in a plan (dry-run)', () => {
    expect(ACTIONS.map((a) => [a, ACTION_SIGN[a], actionWord(a, false), actionWord(a, true)])).toEqual([
      ['created', '+', 'created', 'will create'],
      ['updated', '~', 'updated', 'will update'],
      ['unchanged', '=', 'unchanged', 'unchanged'],
      ['deleted', '-', 'deleted', 'will delete'],
    ]);
  });

  it('give every status its text', () => {
    expect(FLOW_STATUS).toEqual({ valid: '✅ valid', warning: '⚠️ warning', invalid: '❌ invalid' });
    expect(NAMESPACE_STATUS).toEqual({
      planned: '📝 planned',
      written: '✅ written',
      unchanged: '✅ unchanged, nothing sent',
      failed: '❌ failed (may be partly written)',
      skipped: '⏭️ not written',
    });
    expect(LOG_STATUS).toEqual({
      planned: 'planned',
      written: 'written',
      unchanged: 'unchanged',
      failed: 'FAILED',
      skipped: 'not written',
    });
  });

  it('count in the tense of the run', () => {
    const c = countActions([
      { namespace: 'a', id: 'x', action: 'created' },
      { namespace: 'a', id: 'y', action: 'created' },
      { namespace: 'a', id: 'z', action: 'deleted' },
    ]);
    expect(c).toEqual({ created: 2, updated: 0, unchanged: 0, deleted: 1 });
    expect(countsLine(c, false)).toBe('2 created · 0 updated · 0 unchanged · 1 deleted');
    expect(countsLine(c, true)).toBe('2 to create · 0 to update · 0 unchanged · 1 to delete');
    expect([nothingChanged(false), nothingChanged(true)]).toEqual(['Nothing changed.', 'Nothing to change.']);
  });
});

describe('every front-end says them the same way', () => {
  const report = (dryRun: boolean, failed = false): DeployReport => ({
    resource: 'flows',
    dryRun,
    namespaces: [
      { namespace: 'a', status: dryRun ? 'planned' : 'written' },
      ...(failed ? [{ namespace: 'b', status: 'failed' as const, error: 'down' }] : []),
      ...(failed ? [{ namespace: 'c', status: 'skipped' as const }] : []),
    ],
    results: ACTIONS.map((action, i) => ({ namespace: 'a', id: `f${i}`, action })),
    plan: {},
  });

  it.each([
    ['a plan', report(true)],
    ['a deploy', report(false)],
    ['a stopped deploy', report(false, true)],
  ])('deploy: %s', (_, r) => {
    const summary = deploySummary(r);
    const comment = deployCommentBody(r, '<!-- m -->');
    const log = deployLogBlocks(r)
      .flatMap((b) => [b.group ?? '', ...b.lines])
      .join('\n');
    const counts = countsLine(countActions(r.results), r.dryRun);
    for (const text of [summary, comment]) {
      expect(text).toContain(deployHeading(r));
      expect(text).toContain(counts);
      for (const ns of r.namespaces) expect(text).toContain(NAMESPACE_STATUS[ns.status]);
      for (const a of ACTIONS) expect(text).toContain(actionWord(a, r.dryRun));
      for (const res of r.results.filter((x) => x.action !== 'unchanged'))
        expect(text).toContain(`${ACTION_SIGN[res.action]} ${actionWord(res.action, r.dryRun)}`);
    }
    expect(log).toContain(counts);
    for (const ns of r.namespaces) expect(log).toContain(`(${LOG_STATUS[ns.status]})`);
    for (const res of r.results)
      expect(log).toContain(`${ACTION_SIGN[res.action]} ${actionWord(res.action, r.dryRun)}`);
  });

  it('validate: the summary and the comment show a status the same way', () => {
    const results: FlowResult[] = (['invalid', 'warning'] as const).map((status, i) => ({
      file: `f${i}.yml`,
      line: 1,
      namespace: 'a',
      id: `f${i}`,
      status,
      messages: ['m'],
    }));
    const totals: ValidateTotals = { valid: false, flows: 2, errors: 1, warnings: 1, results };
    const summary = validateSummary(totals, 'offline');
    const comment = validateCommentBody(totals, 'offline', '<!-- m -->');
    for (const r of results) {
      expect(summary).toContain(`<td>${FLOW_STATUS[r.status]}</td>`);
      expect(comment).toContain(` | ${FLOW_STATUS[r.status]} | `);
    }
  });
});

describe('the job summary says what failed the run and counts every change', () => {
  it('names the warnings when they alone fail the run (fail-on-warnings), not "0 … invalid"', () => {
    const totals = { valid: false, flows: 2, errors: 0, warnings: 3, results: [] };
    const html = validateSummary(totals, 'offline');
    expect(html).toContain('<h2>❌ 3 warnings (warnings fail this run)</h2>');
    expect(html).not.toContain('0 of');
  });

  it('counts all the changes of a big plan, in the words the comment uses', () => {
    const results = Array.from({ length: 600 }, (_, i) => ({
      namespace: 'team',
      id: `f${i}`,
      action: 'created' as const,
    }));
    const report = {
      resource: 'flows' as const,
      dryRun: true,
      namespaces: [{ namespace: 'team', status: 'planned' as const }],
      results,
      plan: {},
    };
    expect(deploySummary(report)).toContain('<summary>600 planned changes</summary>');
    expect(deploySummary({ ...report, dryRun: false })).toContain('<summary>600 changes</summary>');
  });
});
