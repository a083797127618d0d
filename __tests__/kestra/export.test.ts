// The client's flow export (docs/kestra-api.md#flow-export) against the emulator over real HTTP: the query
// per version, the sources read by the central directory, and the answers that mean "read flow by flow".
import { afterEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { connect, type KestraClient } from '../../src/kestra/index.js';
import { fastRetry } from './helpers.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function setup(version: string): Promise<{ emu: Emulator; client: KestraClient }> {
  const emu = await startEmulator({ version });
  open.push(emu);
  emu.seedFlow(flow('one', 'team'));
  emu.seedFlow(flow('kid', 'team.sub'));
  emu.seedFlow(flow('other', 'else'));
  const client = await connect({ server: emu.url, retry: fastRetry });
  open.push(client);
  emu.clearRequests();
  return { emu, client };
}

const flow = (id: string, ns: string) =>
  `id: ${id}\nnamespace: ${ns}\ntasks:\n  - id: hello\n    type: io.kestra.plugin.core.log.Log\n    message: hi ${id}\n`;
const ids = (r: { sources: string[] } | { unusable: string }): string[] =>
  'sources' in r ? r.sources.map((s) => /^id: (\S+)/m.exec(s)?.[1] ?? '?') : [r.unusable];

describe('exportFlows', () => {
  it.each([
    ['2.0.8', '/api/v1/main', 'filters%5Bnamespace%5D%5BEQUALS%5D=team', ['one']],
    ['1.3.19', '/api/v1/main', 'filters%5Bnamespace%5D%5BEQUALS%5D=team', ['one']],
    // Before 1.3 only the legacy prefix filter exists: the child namespace comes too.
    ['1.2.0', '/api/v1/main', 'namespace=team', ['one', 'kid']],
    ['0.22.0', '/api/v1', 'namespace=team', ['one', 'kid']],
  ])('Kestra %s: one GET %s/flows/export/by-query?%s', async (version, base, query, expected) => {
    const { emu, client } = await setup(version);
    const answer = await client.exportFlows('team');
    expect(ids(answer).sort()).toEqual([...expected].sort());
    expect(emu.requests.map((r) => `${r.method} ${r.path}?${r.query.toString()}`)).toEqual([
      `GET ${base}/flows/export/by-query?${query}`,
    ]);
  });

  it.each([400, 403, 404, 405])('reads %i as an unusable export, without retrying', async (status) => {
    const { emu, client } = await setup('1.3.19');
    emu.fault({ method: 'GET', path: '/api/v1/main/flows/export/by-query', status });
    const answer = await client.exportFlows('team');
    expect(answer).toEqual({ unusable: expect.stringContaining(`answered ${status}`) });
    expect(emu.requests).toHaveLength(1);
  });

  it('reads an answer that is not a zip archive as an unusable export', async () => {
    const { emu, client } = await setup('1.3.19');
    emu.fault({ method: 'GET', path: '/api/v1/main/flows/export/by-query', status: 200, body: '<html>' });
    expect(await client.exportFlows('team')).toEqual({
      unusable: expect.stringMatching(/^the flow export of team does not read: not a zip archive/),
    });
  });

  it('throws on a server error that outlasts the retries', async () => {
    const { emu, client } = await setup('1.3.19');
    emu.fault({ method: 'GET', path: '/api/v1/main/flows/export/by-query', status: 500, count: 10 });
    await expect(client.exportFlows('team')).rejects.toThrow(/500/);
  });
});
