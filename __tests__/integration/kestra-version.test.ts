// The `kestra-version` input and `--kestra-version` flag, as a user sets them: the validate action and the
// CLI process, offline.
import { describe, expect, it } from '@jest/globals';
import { runCli } from '../../scripts/cli-runner.js';
import { run } from '../../validate/main.js';
import { runMain } from '../helpers/run-main.js';
import { makeWorkspace } from '../helpers/workspace.js';

const FLOW = [
  'id: a',
  'namespace: team',
  'pluginDefaults:', // 3
  '  - type: io.kestra.plugin.core.log.Log',
  '    values: { level: INFO }',
  'tasks:',
  '  - id: hello',
  '    type: io.kestra.plugin.core.log.Log',
  '    message: hi',
  'triggers:',
  '  - id: daily',
  '    type: io.kestra.plugin.core.trigger.Schedule',
  '    cron: "0 9 * * *"',
  '    when: "{{ isWeekend() }}"', // 14
  '',
].join('\n');

describe('the kestra-version input', () => {
  it('checks against the version given: 1.3 refuses 2.0 syntax and warns about what 2.0 removed', async () => {
    const workspace = makeWorkspace({ 'flows/a.yml': FLOW });
    const r = await runMain(run, { directory: 'flows', 'kestra-version': '1.3' }, { workspace });
    expect(r.failed).toBe(true);
    const at = r.annotations.map((a) => [a.level, a.line]);
    expect(at).toEqual(
      expect.arrayContaining([
        ['warning', 3],
        ['error', 14],
      ]),
    );
    const when = r.annotations.find((a) => a.line === 14)!;
    expect(when.message).toMatch(/'when' is Kestra 2\.0 syntax: Kestra 1\.3 rejects it/);
    // The summary ends with what to change before moving to 2.0.
    expect(r.summary).toMatch(
      /<h3>Ready for Kestra 2\.0\?<\/h3>\s*<p>Not yet: 1 flow uses what Kestra 2\.0 removed/,
    );
    expect(r.summary.trimEnd()).toMatch(
      /'pluginDefaults' → inline values in each task .* \(line 3\)<\/td><\/tr><\/table>$/,
    );
  });

  it('without it, offline: the rules of every version, 2.0 removals as warnings', async () => {
    const workspace = makeWorkspace({ 'flows/a.yml': FLOW });
    const r = await runMain(run, { directory: 'flows' }, { workspace });
    expect(r.failed).toBe(false);
    expect(r.annotations.map((a) => [a.level, a.line])).toEqual([['warning', 3]]);
    expect(r.summary).not.toContain('Ready for Kestra 2.0?');
  });

  it('refuses a value that is not major.minor', async () => {
    const r = await runMain(run, { directory: 'examples/flows', 'kestra-version': 'latest' });
    expect(r.failed).toBe(true);
    expect(r.stdout + r.annotations.map((a) => a.message).join('\n')).toContain(
      '\'kestra-version\' must be a Kestra version as major.minor (e.g. 1.3 or 2.0), got "latest"',
    );
  });
});

describe('kestra-actions validate --kestra-version', () => {
  it('reports each finding at its line for the version given', async () => {
    const cwd = makeWorkspace({ 'flows/a.yml': FLOW });
    const r = await runCli(['validate', 'flows', '--kestra-version', '2.0'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^flows\/a\.yml:3:1: error: team\.a: 'pluginDefaults' was removed in Kestra 2\.0/m,
    );
    expect(r.stdout).not.toMatch(/flows\/a\.yml:14/);
    expect(r.stdout).not.toContain('Ready for Kestra 2.0?');
  });

  it('with a 1.x target, ends the report with "Ready for Kestra 2.0?" just above the verdict', async () => {
    const cwd = makeWorkspace({ 'flows/a.yml': FLOW.replace('    when: "{{ isWeekend() }}"\n', '') });
    const r = await runCli(['validate', 'flows', '--kestra-version', '1.3'], { cwd });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(-6)).toEqual([
      'Ready for Kestra 2.0?',
      'Not yet: 1 flow uses what Kestra 2.0 removed (1 change to make).',
      'team.a (flows/a.yml)',
      "  'pluginDefaults' → inline values in each task (OSS), or a Policy and the flow's `policyRefs` (EE) (line 3)",
      '',
      expect.stringMatching(/^✔ Kestra validation passed: 1 flows checked \(offline/),
    ]);
  });

  it('--format json carries the same table as a readiness list, one item per change and line', async () => {
    const cwd = makeWorkspace({ 'flows/a.yml': FLOW.replace('    when: "{{ isWeekend() }}"\n', '') });
    const r = await runCli(['validate', 'flows', '--kestra-version', '1.3', '--format', 'json'], { cwd });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { readiness: unknown[] };
    expect(doc.readiness).toEqual([
      {
        file: 'flows/a.yml',
        line: 3,
        flow: 'team.a',
        change:
          "'pluginDefaults' → inline values in each task (OSS), or a Policy and the flow's `policyRefs` (EE)",
      },
    ]);
    const none = await runCli(['validate', 'flows', '--kestra-version', '2.0', '--format', 'json'], { cwd });
    expect((JSON.parse(none.stdout) as { readiness: unknown[] }).readiness).toEqual([]);
  });
});
