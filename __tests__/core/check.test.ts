// The check stage: offline verdicts grouped per flow, and the server's answers placed on their lines.
import { describe, expect, it } from '@jest/globals';
import { addServerResults, checkOffline, splitConstraint } from '../../src/core/check/check.js';
import { parseFlows } from '../../src/core/parse/parse.js';
import { tally } from '../../src/core/check/tally.js';

const file = (path: string, text: string) => ({
  path,
  absolutePath: `/ws/${path}`,
  bytes: Buffer.from(text),
});

const GOOD =
  'id: good\nnamespace: team.a\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';

describe('checkOffline', () => {
  it("gives a broken document of a multi-document file its own row, not the previous flow's", () => {
    const text = `${GOOD}---\nid: broken\nnamespace: team.a\ntasks:\n  - id: x\n   type: y\n`;
    const parsed = parseFlows([file('flows/two.yml', text)]);
    const checked = checkOffline(parsed.flows, parsed.violations);
    const { results } = tally(checked, false);
    expect(results.find((r) => r.id === 'good')?.status).toBe('valid');
    expect(results.filter((r) => r.status === 'invalid').map((r) => r.line)).toEqual([expect.any(Number)]);
    expect(results.find((r) => r.status === 'invalid')!.line).toBeGreaterThan(7);
  });
});

describe('server answers', () => {
  it('places an unknown type at its `type:` line and a bean violation at its property', () => {
    const parsed = parseFlows([file('flows/a.yml', GOOD)]);
    const checked = checkOffline(parsed.flows, parsed.violations);
    addServerResults(checked, parsed.flows, [
      {
        index: 0,
        constraints:
          'Validation error: Invalid type: io.kestra.plugin.core.log.Log\nlog.message: must not be null\n',
        warnings: ['The subflow x not found'],
      },
    ]);
    const v = checked[0]!.violations.map((x) => [x.severity, x.line, x.message]);
    expect(v).toEqual([
      ['error', 5, 'Invalid type: io.kestra.plugin.core.log.Log'],
      ['error', 6, 'log.message: must not be null'],
      ['warning', 1, 'The subflow x not found'],
    ]);
  });

  it('splits `Invalid Flow:` lists on rule boundaries, keeping commas inside brackets', () => {
    expect(
      splitConstraint(
        ': Invalid Flow: Duplicate task id with name [a, b], Duplicate trigger id with name [t]',
      ),
    ).toEqual([
      'Invalid Flow: Duplicate task id with name [a, b]',
      'Invalid Flow: Duplicate trigger id with name [t]',
    ]);
  });
});
