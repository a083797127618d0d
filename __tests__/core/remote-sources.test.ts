// The plan's reading of the server's sources (src/core/plan/remote-sources.ts) against the emulator, and the
// comparison Kestra makes (sameSource, docs/kestra-api.md#unchanged-flows): which flow a write would leave as
// it is, what `before` holds, and exports that do not say plainly which flow an entry is.
import { afterEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { planNamespace, sameSource } from '../../src/core/plan/plan.js';
import { compareWithServer, topLevel } from '../../src/core/plan/remote-sources.js';
import type { KestraClient, Logger } from '../../src/kestra/api.js';
import { connect } from '../../src/kestra/connect.js';
import type { FlowPlan } from '../../src/model/plan.js';
import { flowOf } from './helpers.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

const src = (ns: string, id: string, extra = ''): string =>
  `id: ${id}\nnamespace: ${ns}\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: ${id}\n${extra}`;

async function setup(version: string, seeds: string[]): Promise<{ emu: Emulator; client: KestraClient }> {
  const emu = await startEmulator({ version });
  open.push(emu);
  for (const s of seeds) emu.seedFlow(s);
  const client = await connect({ server: emu.url, retry: { attempts: 1 } });
  open.push(client);
  emu.clearRequests();
  return { emu, client };
}

const silent: Logger = { info: () => {}, warning: () => {}, debug: () => {} };

async function compare(client: KestraClient, ns: string, local: string[], log = silent): Promise<FlowPlan> {
  const flows = local.map((s, i) => flowOf(s, `flows/${i}.yml`));
  const plan = planNamespace(ns, flows, await client.listFlows(ns), { delete: false });
  const [compared] = await compareWithServer(client, [plan], log, () => 'bulk');
  return compared as FlowPlan;
}

const ids = (plan: FlowPlan) => ({
  update: plan.update.map((f) => f.id),
  unchanged: plan.unchanged.map((f) => f.id),
});

describe('compareWithServer', () => {
  it('keeps the server text of each update in `before`, and finds no-ops by what a bulk write would store', async () => {
    const stored = src('team', 'a').trim();
    const { emu, client } = await setup('1.3.19', [
      stored,
      src('team', 'b').trim(),
      `revision: 3\n${src('team', 'c').trim()}`,
      src('team', 'd').trim(),
    ]);
    const plan = await compare(client, 'team', [
      src('team', 'a', 'description: new\n'),
      `\n${src('team', 'b')}\n\n`, // surrounding blank lines: trimmed by the bulk write
      src('team', 'c'), // only the stored `revision:` line differs
      src('team', 'd').replace(/\n/g, '\r\n'), // CRLF: the server stores it as sent, so it differs
    ]);
    expect(ids(plan)).toEqual({ update: ['a', 'd'], unchanged: ['b', 'c'] });
    expect(plan.before).toEqual(
      new Map([
        ['a', stored],
        ['d', src('team', 'd').trim()],
      ]),
    );
    expect(emu.requests.map((r) => r.path)).toEqual([
      '/api/v1/main/flows/team',
      '/api/v1/main/flows/export/by-query',
    ]);
  });

  it('knows entries by their own id and namespace: `-` in names, child namespaces of the legacy prefix', async () => {
    // `team-x` + `y` and `team` + `x-y` are both exported as `team-x-y.yml`; before 1.3 the export of
    // `team` holds `team.sub` too, with a flow of the same id.
    const { emu, client } = await setup('1.2.0', [
      src('team', 'x-y', 'description: exact\n').trim(),
      src('team-x', 'y', 'description: other namespace\n').trim(),
      src('team.sub', 'x-y', 'description: child\n').trim(),
    ]);
    const plan = await compare(client, 'team', [src('team', 'x-y', 'description: exact\n')]);
    expect(ids(plan)).toEqual({ update: [], unchanged: ['x-y'] });
    expect(emu.requests.filter((r) => /\/flows\/team\/x-y$/.test(r.path))).toEqual([]);
  });

  it('reads on its own a flow whose exported source does not say its id plainly', async () => {
    const odd = `namespace: team\nid: &anchor odd\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: x`;
    const { emu, client } = await setup('1.3.19', [odd]);
    const plan = await compare(client, 'team', [odd]);
    expect(ids(plan)).toEqual({ update: [], unchanged: ['odd'] });
    expect(emu.requests.map((r) => r.path)).toEqual([
      '/api/v1/main/flows/team',
      '/api/v1/main/flows/export/by-query',
      '/api/v1/main/flows/team/odd',
    ]);
  });

  it('falls back to flow-by-flow reads when the archive does not read, and says so once', async () => {
    const { emu, client } = await setup('1.3.19', [src('team', 'a').trim(), src('team', 'b').trim()]);
    emu.fault({ method: 'GET', path: '/api/v1/main/flows/export/by-query', status: 200, body: 'PK?' });
    const infos: string[] = [];
    const plan = await compare(client, 'team', [src('team', 'a'), src('team', 'b', 'description: new\n')], {
      ...silent,
      info: (m) => infos.push(m),
    });
    expect(ids(plan)).toEqual({ update: ['b'], unchanged: ['a'] });
    expect(infos).toEqual([
      "The server's flow export is not usable (the flow export of team does not read: not a zip archive): " +
        'reading the 2 flows to compare one request each instead.',
    ]);
  });
});

describe('sameSource, as Kestra decides a write changes nothing', () => {
  it.each([
    ['identical', 'a: 1\nb: 2', 'a: 1\nb: 2', 'bulk', true],
    ['the sent text trimmed by a bulk write', 'a: 1', '\n a: 1 \n\n', 'bulk', true],
    ['a PUT stores what it is sent', 'a: 1', 'a: 1\n', 'put', false],
    [
      'the first `revision: N` line ignored on either side',
      'revision: 2\na: 1',
      'revision: 7\na: 1\n',
      'bulk',
      true,
    ],
    ['a last revision line leaves its line feed behind', 'a: 1', 'a: 1\nrevision: 7', 'bulk', false],
    ['only the first revision line', 'revision: 1\nrevision: 2\na: 1', 'a: 1', 'bulk', false],
    ['a revision line spelled otherwise counts', 'revision:  2\na: 1', 'a: 1', 'bulk', false],
    ['line ends count', 'a: 1\nb: 2', 'a: 1\r\nb: 2', 'bulk', false],
    ['trailing spaces inside count', 'a: 1\nb: 2', 'a: 1 \nb: 2', 'bulk', false],
    ['a BOM is not trimmed (Java trims up to U+0020 only)', 'a: 1', '\ufeffa: 1', 'bulk', false],
  ] as const)('%s', (_name, stored, sent, via, same) => {
    expect(sameSource(stored, sent, via)).toBe(same);
  });
});

describe('topLevel', () => {
  it.each([
    ['id: plain', 'plain'],
    ["id: 'quoted'", 'quoted'],
    ['id: "double"  # comment', 'double'],
    ['id : spaced', 'spaced'],
    ['id: a # comment', 'a'],
    ['id:glued', undefined],
    ['id: &anchor a', undefined],
    ['id: "esc\\"aped"', undefined],
    ['id: one\nid: two', undefined],
    ['  id: nested', undefined],
    ['id: crlf\r\nnamespace: x', 'crlf'],
  ])('%j → %j', (source, expected) => {
    expect(topLevel(source, 'id')).toBe(expected);
  });
});
