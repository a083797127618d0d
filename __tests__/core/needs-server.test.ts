// The "needs a server" rule (src/core/check/needs-server.ts): task and trigger types outside Kestra's core,
// found by the same child-task walk as the rules; core types (current and legacy) and other kinds of types
// do not count.
import { describe, expect, it } from '@jest/globals';
import { needsServerReason, pluginTypes } from '../../src/core/check/needs-server.js';
import { flowOf } from './helpers.js';

describe('needs a server', () => {
  it('names the plugin task and trigger types once each, in file order, and not a plugin’s own data', () => {
    const flow = flowOf(
      [
        'id: a',
        'namespace: team',
        'inputs:',
        '  - id: i',
        '    type: STRING',
        'tasks:',
        '  - id: batch',
        '    type: io.kestra.plugin.azure.batch.job.Create',
        '    tasks:',
        '      - id: spec',
        '        commands: [echo]',
        '  - id: old',
        '    type: io.kestra.core.tasks.log.Log',
        '    message: hi',
        '  - id: again',
        '    type: io.kestra.plugin.azure.batch.job.Create',
        'errors:',
        '  - id: notify',
        '    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook',
        'triggers:',
        '  - id: daily',
        '    type: io.kestra.plugin.core.trigger.Schedule',
        '    cron: "0 9 * * *"',
        '  - id: s3',
        '    type: io.kestra.plugin.aws.s3.Trigger',
        '  - id: more',
        '    type: io.kestra.plugin.gcp.gcs.Trigger',
        '',
      ].join('\n'),
    );
    expect(pluginTypes(flow)).toEqual([
      'io.kestra.plugin.azure.batch.job.Create',
      'io.kestra.plugin.notifications.slack.SlackIncomingWebhook',
      'io.kestra.plugin.aws.s3.Trigger',
      'io.kestra.plugin.gcp.gcs.Trigger',
    ]);
    expect(needsServerReason(flow)).toBe(
      "uses plugin types outside Kestra's core (io.kestra.plugin.azure.batch.job.Create, " +
        'io.kestra.plugin.notifications.slack.SlackIncomingWebhook, io.kestra.plugin.aws.s3.Trigger and 1 more): ' +
        'only a server with the plugin can check their properties',
    );
  });

  it('a flow of core types only needs none', () => {
    const flow = flowOf(
      'id: a\nnamespace: team\ntasks:\n  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n',
    );
    expect(pluginTypes(flow)).toEqual([]);
    expect(needsServerReason(flow)).toBeUndefined();
  });
});
