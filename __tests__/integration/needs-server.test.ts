// "Needs a server": offline, a flow that passes the structural rules but uses plugin types outside Kestra's
// core is not a silent pass. The action's results output, job summary and PR comment, and the CLI's report
// and JSON say so for it, with the reason; the status stays valid; a server run says nothing of it.
import { describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../emulator/index.js';
import { runCli } from '../../scripts/cli-runner.js';
import { validate } from '../../src/core/pipeline.js';
import type { Logger } from '../../src/kestra/api.js';
import { connect } from '../../src/kestra/connect.js';
import type { FlowResult } from '../../src/model/results.js';
import { validateCommentBody } from '../../src/render/comment.js';
import { run } from '../../validate/main.js';
import { runMain } from '../helpers/run-main.js';
import { makeWorkspace } from '../helpers/workspace.js';

const PLUGIN = [
  'id: py',
  'namespace: team',
  'tasks:',
  '  - id: seq',
  '    type: io.kestra.plugin.core.flow.Sequential',
  '    tasks:',
  '      - id: script',
  '        type: io.kestra.plugin.scripts.python.Script',
  '        script: print(1)',
  'triggers:',
  '  - id: hook',
  '    type: io.kestra.plugin.aws.sqs.Trigger',
  '',
].join('\n');
const CORE =
  'id: core\nnamespace: team\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';
const BROKEN =
  'id: broken\nnamespace: team\ntasks:\n  - id: s\n    type: io.kestra.plugin.scripts.shell.Commands\n  - id: s\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';
const FILES = { 'flows/py.yml': PLUGIN, 'flows/core.yml': CORE, 'flows/broken.yml': BROKEN };
const REASON =
  "uses plugin types outside Kestra's core (io.kestra.plugin.scripts.python.Script, io.kestra.plugin.aws.sqs.Trigger): " +
  'only a server with the plugin can check their properties';
const log: Logger = { info: () => undefined, warning: () => undefined, debug: () => undefined };
const settings = (workspace: string) => ({
  workspace,
  directory: 'flows',
  include: [],
  exclude: [],
  failOnWarnings: false,
});

describe('needs a server', () => {
  it('offline: only the passing flow with plugin types, with the reason; the totals count both kinds', async () => {
    const v = await validate(settings(makeWorkspace(FILES)), undefined, log);
    const byId = Object.fromEntries(v.totals.results.map((r) => [r.id, r]));
    expect(byId.py).toMatchObject({ status: 'valid', needsServer: true, needsServerReason: REASON });
    expect(byId.core?.needsServer).toBeUndefined();
    // An invalid flow is invalid whatever a server says.
    expect(byId.broken).toMatchObject({ status: 'invalid' });
    expect(byId.broken?.needsServer).toBeUndefined();
    expect(v.totals).toMatchObject({ valid: false, flows: 3, needsServer: 1 });
    const comment = validateCommentBody(v.totals, v.mode, '<!-- m -->');
    expect(comment).toContain('· 2 checked fully offline, 1 needs a server');
    expect(comment).toContain('**1 flow needs a server**');
    expect(comment).toContain(
      "| <code>flows/py.yml:1</code> | <code>team.py</code> | uses plugin types outside Kestra's core (io.kestra.plugin.scripts.python.Script",
    );
  });

  it('with a server: nothing needs one', async () => {
    const kestra = await startEmulator({ version: '1.3.19' });
    const client = await connect({ server: kestra.url });
    try {
      const v = await validate(
        { ...settings(makeWorkspace(FILES)), connection: { server: kestra.url } },
        client,
        log,
      );
      expect(v.totals.needsServer).toBeUndefined();
      expect(v.totals.results.some((r) => r.needsServer)).toBe(false);
    } finally {
      await client.close();
      await kestra.close();
    }
  });

  it('the action: the results output carries it, the summary says it per flow and in its totals', async () => {
    const workspace = makeWorkspace({ 'flows/py.yml': PLUGIN, 'flows/core.yml': CORE });
    const r = await runMain(run, { directory: 'flows' }, { workspace });
    expect(r.failed).toBe(false);
    const results = JSON.parse(r.outputs.results as string) as FlowResult[];
    expect(results.find((x) => x.id === 'py')).toMatchObject({
      status: 'valid',
      needsServer: true,
      needsServerReason: REASON,
    });
    expect(r.summary).toContain('1 checked fully offline, 1 needs a server</p>');
    expect(r.summary).toContain('✅ valid · 🔌 needs a server');
    expect(r.summary).toContain("needs a server: uses plugin types outside Kestra's core");
    expect(r.stdout).toContain('2 flows checked (offline');
  });

  it('the CLI: its report lists the flow with the reason, and the JSON document counts it', async () => {
    const cwd = makeWorkspace({ 'flows/py.yml': PLUGIN, 'flows/core.yml': CORE });
    const text = await runCli(['validate', 'flows'], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('✅ valid · 🔌 needs a server');
    expect(text.stdout).toContain('1 flow needs a server for a sure verdict (give --server to check them):');
    expect(text.stdout).toContain(`  flows/py.yml:1 team.py: ${REASON}`);
    expect(text.stdout).toMatch(/1 checked fully offline, 1 needs a server$/m);
    const json = await runCli(['validate', 'flows', '--format', 'json'], { cwd });
    const doc = JSON.parse(json.stdout) as { counts: unknown; results: FlowResult[] };
    expect(doc.counts).toEqual({ flows: 2, errors: 0, warnings: 0, needsServer: 1 });
    expect(doc.results.find((x) => x.id === 'py')).toMatchObject({
      needsServer: true,
      needsServerReason: REASON,
    });
  });
});
