// The core pipeline called directly, as any front-end calls it: settings and a client in, data out, and
// nothing printed. Over real HTTP against the emulator.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { DeployError } from '../../src/core/deploy-error.js';
import { deploy, validate } from '../../src/core/pipeline.js';
import type { KestraClient, Logger } from '../../src/kestra/api.js';
import { connect } from '../../src/kestra/connect.js';
import type { DeploySettings } from '../../src/model/settings.js';
import { deploySettings } from '../helpers/settings.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

describe('the core pipeline, called without a front-end', () => {
  let kestra: Emulator;
  let client: KestraClient;
  const said: string[] = [];
  const log: Logger = {
    info: (m) => said.push(`info ${m}`),
    warning: (m) => said.push(`warning ${m}`),
    debug: () => undefined,
  };
  beforeEach(async () => {
    said.length = 0;
    kestra = await startEmulator({
      version: '1.3.19',
      basicAuth: { username: 'u@k.io', password: 'pass-word1' },
    });
    client = await connect({ server: kestra.url, user: 'u@k.io', password: 'pass-word1' });
  });
  afterEach(async () => {
    await client.close();
    await kestra.close();
  });

  const settings = (workspace: string, more: Partial<DeploySettings> = {}): DeploySettings =>
    deploySettings(workspace, { server: kestra.url }, more);

  it('validate returns the verdicts and totals, and logs only through the logger it is given', async () => {
    const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a'), 'flows/b.yml': 'id: b\ntasks: []\n' });
    const v = await validate({ ...settings(ws), connection: undefined }, client, log);
    expect(v.totals).toMatchObject({ valid: false, flows: 2, errors: 1 });
    expect(v.checked.map((c) => c.file)).toEqual(['flows/a.yml', 'flows/b.yml']);
    expect(said).toEqual(['info Found 2 YAML files under flows']);
  });

  it('deploy returns an invalid outcome, with nothing written, when a flow fails validation', async () => {
    const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a'), 'flows/b.yml': 'id: b\ntasks: []\n' });
    const outcome = await deploy(settings(ws), client, log);
    expect(outcome.status).toBe('invalid');
    expect(kestra.writes()).toEqual([]);
  });

  it('deploy returns the report of what it did', async () => {
    const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a') });
    const outcome = await deploy(settings(ws), client, log);
    expect(outcome.status).toBe('reported');
    if (outcome.status !== 'reported') return;
    expect(outcome.report.results).toEqual([
      { file: 'flows/a.yml', namespace: 'team', id: 'a', action: 'created', revision: 1 },
    ]);
    expect(kestra.getFlow('team', 'a')).toBeDefined();
  });

  it('refuses override-namespace without a namespace, whatever front-end forgot to check it', async () => {
    const ws = makeWorkspace({ 'flows/a.yml': flow('prod', 'a') });
    kestra.seedFlow(flow('prod', 'old'));
    const refused = deploy(settings(ws, { overrideNamespace: true, delete: true }), client, log);
    await expect(refused).rejects.toBeInstanceOf(DeployError);
    await expect(refused).rejects.toThrow(/'override-namespace' needs a 'namespace': nothing was written/);
    expect(kestra.writes()).toEqual([]);
  });
});
