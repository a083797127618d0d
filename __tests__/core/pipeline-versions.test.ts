// The target version through the pipeline: the one asked for, else the server's (a snapshot is none), and
// with a server each problem reported once (the offline rule and the server's answer folded together).
// Over real HTTP against the emulator.
import { describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../emulator/index.js';
import { validate } from '../../src/core/pipeline.js';
import type { Logger } from '../../src/kestra/api.js';
import { connect } from '../../src/kestra/connect.js';
import type { ValidateSettings } from '../../src/model/settings.js';
import type { Validation } from '../../src/model/results.js';
import { makeWorkspace } from '../helpers/workspace.js';

const log: Logger = { info: () => undefined, warning: () => undefined, debug: () => undefined };

const WHEN = [
  'id: a',
  'namespace: team',
  'tasks:',
  '  - id: hello',
  '    type: io.kestra.plugin.core.log.Log',
  '    message: hi',
  'triggers:',
  '  - id: daily',
  '    type: io.kestra.plugin.core.trigger.Schedule',
  '    cron: "0 9 * * *"',
  '    when: "{{ isWeekend() }}"', // 11
  '',
].join('\n');

async function run(version: string | undefined, kestraVersion?: string, text = WHEN): Promise<Validation> {
  const ws = makeWorkspace({ 'flows/a.yml': text });
  const settings: ValidateSettings = {
    workspace: ws,
    directory: 'flows',
    include: [],
    exclude: [],
    failOnWarnings: false,
    ...(kestraVersion ? { kestraVersion } : {}),
  };
  if (version === undefined) return validate(settings, undefined, log);
  const kestra = await startEmulator({ version });
  const client = await connect({ server: kestra.url });
  try {
    return await validate({ ...settings, connection: { server: kestra.url } }, client, log);
  } finally {
    await client.close();
    await kestra.close();
  }
}

const found = (v: Validation) =>
  v.checked.flatMap((c) => c.violations).map((x) => [x.line, x.severity, x.rule, x.path]);

describe('the target version through the pipeline', () => {
  it("defaults to the server's version: 2.0 syntax on a 1.3 server is one error at its line", async () => {
    const v = await run('1.3.19');
    expect(v.kestraVersion).toBe('1.3');
    expect(found(v)).toEqual([[11, 'error', 'unknown-property', 'triggers[0].when']]);
    expect(v.checked[0]!.violations[0]!.message).toMatch(
      /silently drops it when an existing flow is updated/,
    );
  });

  it('takes the version asked for over the server’s, and none offline or from a snapshot', async () => {
    expect((await run(undefined, '1.3')).kestraVersion).toBe('1.3');
    const offline = await run(undefined);
    expect(offline.kestraVersion).toBeUndefined();
    expect(found(offline)).toEqual([]);
    const ahead = await run(undefined, '2.0');
    expect(found(ahead)).toEqual([]);
  });

  it('a server whose version is not a release gives no target', async () => {
    const v = await run('2.0.0-SNAPSHOT', undefined, WHEN.replace('    when: "{{ isWeekend() }}"\n', ''));
    expect(v.kestraVersion).toBeUndefined();
  });
});

describe('a 2.0 server', () => {
  it("is the target: pluginDefaults and ForEach are errors at their lines (the emulator's checks are 1.3's)", async () => {
    const text = [
      'id: a',
      'namespace: team',
      'pluginDefaults:', // 3
      '  - type: io.kestra.plugin.core.log.Log',
      '    values: { level: INFO }',
      'tasks:',
      '  - id: each',
      '    type: io.kestra.plugin.core.flow.ForEach', // 8
      '    values: [1, 2]',
      '    tasks:',
      '      - id: hello',
      '        type: io.kestra.plugin.core.log.Log',
      '        message: hi',
      '',
    ].join('\n');
    const v = await run('2.0.0', undefined, text);
    expect(v.kestraVersion).toBe('2.0');
    expect(found(v)).toEqual([
      [3, 'error', 'unknown-property', 'pluginDefaults'],
      [8, 'error', 'type', 'tasks[0].type'],
    ]);
    expect(v.checked[0]!.violations.map((x) => x.message)).toEqual([
      expect.stringMatching(
        /^'pluginDefaults' was removed in Kestra 2\.0 and the 2\.0 server rejects the flow/,
      ),
      expect.stringMatching(/^io\.kestra\.plugin\.core\.flow\.ForEach was removed in Kestra 2\.0/),
    ]);
  });
});
