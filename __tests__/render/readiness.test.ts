// "Ready for Kestra 2.0?" (src/render/readiness.ts): shown only with a 1.x target and a flow that uses what
// 2.0 removed; one row per flow, each change with its lines; the same in the summary HTML and in text.
import { describe, expect, it } from '@jest/globals';
import { checkOffline } from '../../src/core/check/check.js';
import { tally } from '../../src/core/check/tally.js';
import { parseFlows } from '../../src/core/parse/parse.js';
import type { Validation } from '../../src/model/results.js';
import { COMMENT_LIMIT, validateCommentBody, withReadiness } from '../../src/render/comment.js';
import {
  readinessHtml,
  readinessItems,
  readinessRows,
  readinessText,
  type ReadinessRow,
} from '../../src/render/readiness.js';
import { deploySummary, validationSummary } from '../../src/render/summary.js';
import { source } from '../core/helpers.js';

const OLD = [
  'id: old',
  'namespace: team',
  'taskDefaults: []', // 3
  'tasks:',
  '  - id: a',
  '    type: io.kestra.core.tasks.log.Log', // 6
  '    message: hi',
  '  - id: b',
  '    type: io.kestra.core.tasks.log.Log', // 9
  '    message: "<b>{{ json(x) }}</b>"', // 10
  '',
].join('\n');
const CLEAN =
  'id: clean\nnamespace: team\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';

function validation(kestraVersion: string | undefined): Validation {
  const parsed = parseFlows([source('flows/old.yml', OLD), source('flows/clean.yml', CLEAN)]);
  const checked = checkOffline(parsed.flows, parsed.violations, kestraVersion);
  return {
    checked,
    totals: tally(checked, false),
    mode: 'offline',
    ...(kestraVersion ? { kestraVersion } : {}),
  };
}

describe('Ready for Kestra 2.0?', () => {
  it('lists, for a 1.x target, each flow with what to change and the lines', () => {
    expect(readinessRows(validation('1.3'))).toEqual([
      {
        file: 'flows/old.yml',
        flow: 'team.old',
        changes: [
          {
            what: "'taskDefaults' → inline values in each task (OSS), or a Policy and the flow's `policyRefs` (EE)",
            lines: [3],
          },
          { what: 'io.kestra.core.tasks.log.Log → io.kestra.plugin.core.log.Log', lines: [6, 9] },
          { what: "Pebble's json() → fromJson(x), and x | toJson for the filter", lines: [10] },
        ],
      },
    ]);
    expect(readinessText(validation('1.3'))).toEqual([
      'Ready for Kestra 2.0?',
      'Not yet: 1 flow uses what Kestra 2.0 removed (3 changes to make).',
      'team.old (flows/old.yml)',
      "  'taskDefaults' → inline values in each task (OSS), or a Policy and the flow's `policyRefs` (EE) (line 3)",
      '  io.kestra.core.tasks.log.Log → io.kestra.plugin.core.log.Log (lines 6, 9)',
      "  Pebble's json() → fromJson(x), and x | toJson for the filter (line 10)",
    ]);
  });

  it('is absent without a target, with a 2.x target, and when nothing was removed', () => {
    for (const v of [validation(undefined), validation('2.0')]) {
      expect(readinessRows(v)).toEqual([]);
      expect(readinessHtml(v)).toBe('');
      expect(readinessText(v)).toEqual([]);
    }
    const clean = validation('1.3');
    clean.checked = clean.checked.filter((c) => c.file === 'flows/clean.yml');
    expect(readinessText(clean)).toEqual([]);
  });

  it('ends the job summary, escaped, after the validation table and after a deploy report', () => {
    const html = validationSummary(validation('1.3'));
    const table = html.indexOf('<h3>Ready for Kestra 2.0?</h3>');
    expect(table).toBeGreaterThan(html.indexOf('<table>'));
    expect(html.slice(table)).toBe(readinessHtml(validation('1.3')));
    expect(html).toContain('team.old<br><code>flows/old.yml</code>');
    expect(html).toContain('io.kestra.core.tasks.log.Log → io.kestra.plugin.core.log.Log (lines 6, 9)');
    expect(html).not.toContain('<b>');
    expect(validationSummary(validation(undefined))).not.toContain('Ready for Kestra 2.0?');
    const report = { dryRun: true, resource: 'flows' as const, namespaces: [], results: [], plan: {} };
    expect(deploySummary(report, '\n', validation('1.3'))).toMatch(
      /<h3>Ready for Kestra 2\.0\?<\/h3>\n<p>Not yet/,
    );
    expect(deploySummary(report, '\n')).not.toContain('Ready for Kestra 2.0?');
  });

  it('is one item per change and line in the JSON document', () => {
    expect(readinessItems(validation('1.3'))).toEqual([
      expect.objectContaining({ file: 'flows/old.yml', line: 3, flow: 'team.old' }),
      {
        file: 'flows/old.yml',
        line: 6,
        flow: 'team.old',
        change: 'io.kestra.core.tasks.log.Log → io.kestra.plugin.core.log.Log',
      },
      expect.objectContaining({
        line: 9,
        change: 'io.kestra.core.tasks.log.Log → io.kestra.plugin.core.log.Log',
      }),
      expect.objectContaining({ line: 10 }),
    ]);
    expect(readinessItems(validation('2.0'))).toEqual([]);
  });

  it('ends the comment after the findings, escaped, and absent without rows', () => {
    const v = validation('1.3');
    const body = validateCommentBody(v.totals, 'offline', '<!-- m -->', readinessRows(v));
    const at = body.indexOf('**Ready for Kestra 2.0?**');
    expect(at).toBeGreaterThan(body.indexOf('flows with warnings'));
    expect(body.slice(at)).toContain(
      '| <code>team.old</code><br><code>flows/old.yml</code> | ' +
        "'taskDefaults' → inline values in each task (OSS), or a Policy and the flow's \\`policyRefs\\` (EE) (line 3)<br>" +
        'io.kestra.core.tasks.log.Log → io.kestra.plugin.core.log.Log (lines 6, 9)<br>',
    );
    expect(body).not.toContain('<b>');
    expect(validateCommentBody(v.totals, 'offline', '<!-- m -->')).not.toContain('Ready for Kestra 2.0?');
  });

  it('stays under the comment limit with thousands of flows: whole rows, then "… N more"', () => {
    const v = validation('1.3');
    const row = (i: number): ReadinessRow => ({
      file: `flows/team/flow_${i}.yml`,
      flow: `team.flow_${i}`,
      changes: Array.from({ length: 12 }, (_, j) => ({ what: `change ${j} `.repeat(40), lines: [j + 1] })),
    });
    const rows = Array.from({ length: 5_000 }, (_, i) => row(i));
    const body = validateCommentBody(v.totals, 'offline', '<!-- m -->', rows);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    const shown = body.split('\n').filter((l) => l.startsWith('| <code>team.flow')).length;
    expect(shown).toBeGreaterThan(10);
    expect(body).toContain(`<details><summary>Ready for Kestra 2.0?</summary>`);
    expect(body).toMatch(new RegExp(`_… ${5_000 - shown} more, see the job summary_\\n\\n</details>\\n$`));
    expect(body).toContain('… 2 more |');
  });

  it("ends a deploy's comment within what the plan left of the limit, and leaves it alone without rows", () => {
    const rows = readinessRows(validation('1.3'));
    const body = `<!-- m -->\n### plan\n\n${'- a change\n'.repeat(5_500)}`;
    expect(withReadiness(body, [])).toBe(body);
    const ended = withReadiness(body, rows);
    expect(ended.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(ended.startsWith(body.trimEnd())).toBe(true);
    expect(ended).toContain('**Ready for Kestra 2.0?**');
    const full = withReadiness(`${'x'.repeat(COMMENT_LIMIT - 500)}\n`, rows);
    expect(full.length).toBeLessThanOrEqual(COMMENT_LIMIT);
  });
});
