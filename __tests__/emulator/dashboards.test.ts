// Dashboards on OSS 2.0: reads answer an empty page, writes a 405 with `Allow: HEAD, GET` and a problem body.
// The product sends no dashboard: a dashboard's YAML among the flows is refused as not a flow, and a deploy
// on a 2.0 server sends nothing to /dashboards.
import { afterEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { deploy } from '../../src/core/pipeline.js';
import type { Logger } from '../../src/kestra/api.js';
import { connect } from '../../src/kestra/connect.js';
import { deploySettings } from '../helpers/settings.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';
import { call, YAML } from './http.js';

let emulator: Emulator | undefined;
const start = async (version: string, edition: 'OSS' | 'EE' = 'OSS'): Promise<Emulator> =>
  (emulator = await startEmulator({ version, edition }));
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const DASHBOARDS = '/api/v1/main/dashboards';
const DASHBOARD = ['id: overview', 'title: Overview', 'charts:', '  - id: runs', '    type: x', ''].join(
  '\n',
);

describe('dashboards on OSS 2.0', () => {
  it('search answers an empty page', async () => {
    const e = await start('2.0.8');
    const res = await call(e, 'GET', DASHBOARDS);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ results: [], total: 0 });
    expect((await call(e, 'GET', `${DASHBOARDS}/overview`)).status).toBe(404);
  });

  it.each([
    ['POST', DASHBOARDS],
    ['PUT', `${DASHBOARDS}/overview`],
    ['DELETE', `${DASHBOARDS}/overview`],
  ])('refuses %s with 405, Allow: HEAD, GET and a problem body', async (method, path) => {
    const e = await start('2.0.8');
    const res = await call(
      e,
      method,
      path,
      method === 'DELETE' ? {} : { body: DASHBOARD, contentType: YAML },
    );
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('HEAD, GET');
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json()).toMatchObject({
      type: 'https://kestra.io/docs/api-reference/problems/method-not-allowed',
      status: 405,
      instance: path,
    });
  });

  it('is not modelled on 1.3 or on EE (the product never calls it)', async () => {
    expect((await call(await start('1.3.19'), 'POST', DASHBOARDS, { body: DASHBOARD })).status).toBe(404);
    await emulator?.close();
    expect((await call(await start('2.0.8', 'EE'), 'GET', DASHBOARDS)).status).toBe(404);
  });
});

describe('the product and dashboards', () => {
  const log: Logger = { info: () => undefined, warning: () => undefined, debug: () => undefined };

  it('a deploy to a 2.0 server never sends a dashboard: its YAML among the flows is not a flow', async () => {
    const e = await start('2.0.8');
    const ws = makeWorkspace({ 'flows/a.yml': flow('team', 'a'), 'flows/overview.yml': DASHBOARD });
    const client = await connect({ server: e.url });
    try {
      const outcome = await deploy(deploySettings(ws, { server: e.url }), client, log);
      expect(outcome.status).toBe('invalid');
      if (outcome.status !== 'invalid') return;
      const messages = outcome.validation.checked.flatMap((c) => c.violations.map((v) => v.message));
      expect(messages.join('\n')).toMatch(/a Kestra Dashboard/);
    } finally {
      await client.close();
    }
    expect(e.requests.filter((r) => r.path.includes('/dashboards'))).toEqual([]);
    expect(e.writes()).toEqual([]);
  });
});
