// `fix` with a 2.x target (src/core/fix/for-each.ts): a ForEach becomes a Loop only where the rewrite is sure,
// with only those characters changed; every other ForEach stays as written, with the reason. Each rewrite is
// proved twice: the expected text, and the 2.0 offline rules passing it with no finding.
import { describe, expect, it } from '@jest/globals';
import { checkOffline } from '../../src/core/check/check.js';
import { fixForEach } from '../../src/core/fix/for-each.js';
import { sameButLoops } from '../../src/core/fix/verify.js';
import { parseFlows } from '../../src/core/parse/parse.js';
import { source } from './helpers.js';

const FOR_EACH = 'io.kestra.plugin.core.flow.ForEach';
const LOOP = 'io.kestra.plugin.core.flow.Loop';

const lines = (...l: string[]): string => l.join('\n') + '\n';

/** Every finding of the 2.0 offline rules on a text: none for a flow 2.0 accepts. */
function findings2(text: string): string[] {
  const parsed = parseFlows([source('flows/a.yml', text)]);
  return checkOffline(parsed.flows, parsed.violations, '2.0').flatMap((c) =>
    c.violations.map((v) => `${v.line} ${v.severity} ${v.message}`),
  );
}

const BASIC = lines(
  '# the flow',
  'id: a',
  'namespace: team',
  'tasks:',
  '  - id: each # one group per value',
  `    type: ${FOR_EACH}   # old`,
  '    values: ["a", "b"]',
  '    tasks:',
  '      - id: log',
  '        type: io.kestra.plugin.core.log.Log',
  "        message: 'value={{ taskrun.value }} ({{taskrun.value|upper}}) taskrun.value'",
  '      - id: if',
  '        type: io.kestra.plugin.core.flow.If',
  '        condition: "{{ taskrun.value == \'b\' }}"',
  '        then:',
  '          - id: said',
  '            type: io.kestra.plugin.core.log.Log',
  '            message: "{{ task.id }}"',
);

describe('fixForEach', () => {
  it('rewrites the type, adds concurrencyLimit: 1, and taskrun.value in the direct children', () => {
    expect(findings2(BASIC)[0]).toMatch(/^6 error .*ForEach/);
    // taskrun.value as plain text (not an expression) is not the ForEach value: the whole ForEach stays.
    expect(fixForEach(BASIC).refused.map((r) => r.reason)).toEqual([
      'writes taskrun.value outside an expression or with escapes',
    ]);
    const out = fixForEach(BASIC.replace(" taskrun.value'", "'"));
    expect(out.refused).toEqual([]);
    expect(out.fixes).toEqual([
      {
        line: 6,
        from: FOR_EACH,
        to: LOOP,
        note: 'concurrencyLimit: 1 added (ForEach ran one value at a time); taskrun.value → item.value in 2 values',
        addedLine: true,
      },
    ]);
    expect(out.text).toBe(
      lines(
        '# the flow',
        'id: a',
        'namespace: team',
        'tasks:',
        '  - id: each # one group per value',
        `    type: ${LOOP}   # old`,
        '    concurrencyLimit: 1',
        '    values: ["a", "b"]',
        '    tasks:',
        '      - id: log',
        '        type: io.kestra.plugin.core.log.Log',
        "        message: 'value={{ item.value }} ({{item.value|upper}})'",
        '      - id: if',
        '        type: io.kestra.plugin.core.flow.If',
        '        condition: "{{ item.value == \'b\' }}"',
        '        then:',
        '          - id: said',
        '            type: io.kestra.plugin.core.log.Log',
        '            message: "{{ task.id }}"',
      ),
    );
    expect(findings2(out.text)).toEqual([]);
    // Fixed once, nothing left to fix.
    expect(fixForEach(out.text)).toEqual({ text: out.text, fixes: [], refused: [] });
  });

  it('keeps an explicit concurrencyLimit, CRLF line ends, a "- type:" first key, and the other documents', () => {
    const text = lines(
      'id: a',
      'namespace: team',
      'tasks:',
      `  - type: "${FOR_EACH}"`,
      '    id: each',
      '    values: "{{ outputs.list.body }}"',
      '    tasks:',
      '      - id: log',
      '        type: io.kestra.plugin.core.log.Log',
      '        message: |',
      '          one {{ taskrun.value }}',
      '---',
      'id: b',
      'namespace: team',
      'tasks:',
      '  - id: each',
      `    type: ${FOR_EACH}`,
      '    concurrencyLimit: 0',
      '    values: [1, 2]',
      '    tasks:',
      '      - { id: log, type: io.kestra.plugin.core.log.Log, message: "{{ taskrun.value }}" }',
    ).replace(/\n/g, '\r\n');
    const out = fixForEach(text);
    expect(out.fixes.map((f) => [f.line, f.note])).toEqual([
      [
        4,
        'concurrencyLimit: 1 added (ForEach ran one value at a time); taskrun.value → item.value in 1 value',
      ],
      [17, 'taskrun.value → item.value in 1 value'],
    ]);
    expect(out.text).toBe(
      text
        .replace(`  - type: "${FOR_EACH}"`, `  - type: "${LOOP}"\r\n    concurrencyLimit: 1`)
        .replace(`    type: ${FOR_EACH}`, `    type: ${LOOP}`)
        .replaceAll('taskrun.value', 'item.value'),
    );
    expect(findings2(out.text)).toEqual([]);
  });

  const refusal = (text: string): string[] => {
    const out = fixForEach(text);
    expect(out.text).toBe(text);
    expect(out.fixes).toEqual([]);
    return out.refused.map((r) => `${r.line} ${r.reason}`);
  };
  const withChild = (message: string, more: string[] = []): string =>
    lines(
      'id: a',
      'namespace: team',
      'tasks:',
      '  - id: each',
      `    type: ${FOR_EACH}`,
      '    values: [1, 2]',
      ...more,
      '    tasks:',
      '      - id: log',
      '        type: io.kestra.plugin.core.log.Log',
      `        message: "${message}"`,
    );

  it.each([
    ['{{ taskrun.iteration }}', 'uses taskrun.iteration, which has no sure mapping in a Loop iteration'],
    ["{{ taskrun['value'] }}", 'uses taskrun[…], which has no sure mapping in a Loop iteration'],
    ['{{ parent.taskrun.value }}', "uses 'parent' (Loop names the loops around it differently)"],
    ['{{ parents[0].taskrun.value }}', "uses 'parents' (Loop names the loops around it differently)"],
    ['{% for item in [1] %}{{ taskrun.value }}{% endfor %}', "already uses a name 'item'"],
    ['{{ outputs.before.value }}', 'reads task outputs inside the loop, which Loop keeps per iteration'],
    ['{{ execution.id }}', "reads 'execution', which a Loop iteration may not see as a ForEach child did"],
    ['{{ currentEachOutput(1) }}', 'uses currentEachOutput(), a ForEach helper'],
    ['{% for x in inputs.list %}{{ x }}{% endfor %}', "reads 'x', which a Loop iteration may not see"],
  ])('leaves a ForEach whose children use %s', (message, reason) => {
    expect(refusal(withChild(message))).toEqual([expect.stringContaining(`5 ${reason}`)]);
  });

  it('leaves a ForEach with a key Loop reads otherwise, a map of values, or taskrun.value in a nested task', () => {
    expect(
      refusal(withChild('{{ taskrun.value }}', ['    errors:', '      - id: e', '        type: x.Y'])),
    ).toEqual(["5 uses 'errors', which has no sure mapping to Loop"]);
    expect(refusal(withChild('hi').replace('values: [1, 2]', 'values: { a: 1 }'))).toEqual([
      "5 has a mapping as 'values' (Loop iterates over a map's entries; ForEach did not)",
    ]);
    const nested = lines(
      'id: a',
      'namespace: team',
      'tasks:',
      '  - id: each',
      `    type: ${FOR_EACH}`,
      '    values: [1, 2]',
      '    tasks:',
      '      - id: if',
      '        type: io.kestra.plugin.core.flow.If',
      '        condition: "{{ true }}"',
      '        then:',
      '          - id: log',
      '            type: io.kestra.plugin.core.log.Log',
      '            message: "{{ taskrun.value }}"',
    );
    expect(refusal(nested)).toEqual([
      '5 uses taskrun.value in a nested task, where it is not the ForEach value',
    ]);
  });

  it('leaves nested loops, anchors, and a ForEach whose outputs are read after it', () => {
    const nested = lines(
      'id: a',
      'namespace: team',
      'tasks:',
      '  - id: outer',
      `    type: ${FOR_EACH}`,
      '    values: [1, 2]',
      '    tasks:',
      '      - id: inner',
      `        type: ${FOR_EACH}`,
      '        values: [3]',
      '        tasks:',
      '          - id: log',
      '            type: io.kestra.plugin.core.log.Log',
      '            message: hi',
    );
    expect(refusal(nested)).toEqual([`5 holds another loop (${FOR_EACH})`, '9 sits inside another loop']);
    expect(refusal(withChild('hi').replace('values: [1, 2]', 'values: &v [1, 2]'))).toEqual([
      '5 uses a YAML anchor or alias, which could share what the rewrite changes',
    ]);
    const after = (read: string): string =>
      withChild('{{ taskrun.value }}') +
      lines('  - id: after', '    type: io.kestra.plugin.core.log.Log', `    message: "${read}"`);
    expect(refusal(after("{{ outputs['log'] }}"))).toEqual([
      "5 the flow reads the outputs of 'log' after the loop, which Loop keeps per iteration",
    ]);
    expect(refusal(after('{{ outputs | keys }}'))).toEqual([
      '5 the flow reads task outputs by a name it computes, which Loop may hide',
    ]);
    // Outputs of a task outside the loop, read after it, are fine.
    expect(fixForEach(after('{{ outputs.other.value }}')).fixes).toHaveLength(1);
  });

  it('rewrites children that read only their task, the flow, inputs and vars, with filters and tests', () => {
    const reads =
      "{{ inputs.name | default('execution') ~ task.id ~ flow.namespace ~ vars.v }}" +
      '{% if inputs.a is not null %}{{ taskrun.value | upper }}{% endif %}';
    const out = fixForEach(withChild(reads));
    expect(out.refused).toEqual([]);
    expect(out.text).toContain(`message: "${reads.replace('taskrun.value', 'item.value')}"`);
    expect(findings2(out.text)).toEqual([]);
  });

  it('leaves a document with YAML errors alone', () => {
    const broken = withChild('{{ taskrun.value }}') + '  bad: [\n';
    expect(fixForEach(broken)).toEqual({ text: broken, fixes: [], refused: [] });
  });

  it('checks its own output: only the rewrite may differ once parsed', () => {
    const before = BASIC.replace(" taskrun.value'", "'");
    const fixed = fixForEach(before).text;
    expect(fixed).not.toBe(before);
    expect(sameButLoops(before, fixed)).toBe(true);
    expect(sameButLoops(before, fixed.replace('concurrencyLimit: 1', 'concurrencyLimit: 2'))).toBe(false);
    expect(sameButLoops(before, fixed.replace('namespace: team', 'namespace: other'))).toBe(false);
    expect(sameButLoops(before, fixed.replace("'b'", "'c'"))).toBe(false);
    expect(sameButLoops(before, fixed.replace('item.value ==', 'item.index =='))).toBe(false);
    expect(
      sameButLoops(before, fixed.replace('    tasks:\n      - id: log', '    tasks:\n        - id: log')),
    ).toBe(false);
    expect(sameButLoops(before, BASIC.replace('namespace: team', 'namespace: team\nlabels: {}'))).toBe(false);
  });
});
