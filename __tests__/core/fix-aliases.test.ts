// `fix` (src/core/fix/aliases.ts): the old io.kestra.core.tasks.* names become the canonical ones, and
// nothing else in the text changes.
import { describe, expect, it } from '@jest/globals';
import { fixAliases } from '../../src/core/fix/aliases.js';

describe('fixAliases', () => {
  it('rewrites only the names, keeping comments, quotes, flow style and the other documents', () => {
    const text = [
      '# a comment',
      'id: a # trailing',
      'namespace: team',
      'tasks:',
      '  - id: seq   # aligned comment',
      '    type: io.kestra.core.tasks.flows.Sequential',
      '    tasks:',
      "      - { id: log, type: 'io.kestra.core.tasks.log.Log', message: hi }",
      '      - id: sub',
      '        type: "io.kestra.core.tasks.flows.Flow"',
      '        flowId: b',
      '        namespace: team',
      '  - id: keep',
      '    type: io.kestra.core.tasks.flows.Unknown',
      '  - id: echo',
      '    type: io.kestra.core.tasks.debugs.Echo',
      '---',
      'id: b',
      'namespace: team',
      'tasks:',
      '  - id: w',
      '    type: io.kestra.core.tasks.flows.Worker',
      '',
    ].join('\n');
    const { text: fixed, fixes } = fixAliases(text);
    expect(fixes).toEqual([
      { line: 6, from: 'io.kestra.core.tasks.flows.Sequential', to: 'io.kestra.plugin.core.flow.Sequential' },
      { line: 8, from: 'io.kestra.core.tasks.log.Log', to: 'io.kestra.plugin.core.log.Log' },
      { line: 10, from: 'io.kestra.core.tasks.flows.Flow', to: 'io.kestra.plugin.core.flow.Subflow' },
      {
        line: 22,
        from: 'io.kestra.core.tasks.flows.Worker',
        to: 'io.kestra.plugin.core.flow.WorkingDirectory',
      },
    ]);
    const expected = text
      .replace('io.kestra.core.tasks.flows.Sequential', 'io.kestra.plugin.core.flow.Sequential')
      .replace("'io.kestra.core.tasks.log.Log'", "'io.kestra.plugin.core.log.Log'")
      .replace('"io.kestra.core.tasks.flows.Flow"', '"io.kestra.plugin.core.flow.Subflow"')
      .replace('io.kestra.core.tasks.flows.Worker', 'io.kestra.plugin.core.flow.WorkingDirectory');
    expect(fixed).toBe(expected);
    // Fixed once, nothing left to fix.
    expect(fixAliases(fixed)).toEqual({ text: fixed, fixes: [] });
  });

  it('renames every alias Kestra declares whose class 2.0 keeps, and no other', () => {
    const text = [
      'id: a',
      'namespace: team',
      'tasks:',
      '  - id: split',
      '    type: io.kestra.core.tasks.storages.Split',
      '  - id: echo',
      '    type: io.kestra.core.tasks.debugs.Echo',
      'triggers:',
      '  - id: daily',
      '    type: io.kestra.core.models.triggers.types.Schedule',
      '    cron: "0 9 * * *"',
      '',
    ].join('\n');
    // Not in the hand-written table: the generated list of Kestra's aliases knows them. Echo's class is gone in
    // 2.0, so renaming it would fix nothing there.
    expect(fixAliases(text).fixes).toEqual([
      { line: 5, from: 'io.kestra.core.tasks.storages.Split', to: 'io.kestra.plugin.core.storage.Split' },
      {
        line: 10,
        from: 'io.kestra.core.models.triggers.types.Schedule',
        to: 'io.kestra.plugin.core.trigger.Schedule',
      },
    ]);
  });

  it('keeps CRLF line ends, and leaves alone a document with YAML errors and a name written with escapes', () => {
    const crlf =
      'id: a\r\nnamespace: team\r\ntasks:\r\n  - id: l\r\n    type: io.kestra.core.tasks.log.Log\r\n';
    expect(fixAliases(crlf).text).toBe(
      crlf.replace('io.kestra.core.tasks.log.Log', 'io.kestra.plugin.core.log.Log'),
    );
    const broken = 'id: a\ntasks:\n  - id: l\n    type: io.kestra.core.tasks.log.Log\n  bad: [\n';
    expect(fixAliases(broken)).toEqual({ text: broken, fixes: [] });
    const escaped = 'id: a\ntasks:\n  - id: l\n    type: "io.kestra.core.tasks.log.\\x4Cog"\n';
    expect(fixAliases(escaped)).toEqual({ text: escaped, fixes: [] });
  });
});
