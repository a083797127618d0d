// The deploy action for flows, end to end over real HTTP against the emulator of three server generations:
// 0.22 (tenant-less, YAML bulk), 1.2 (tenant paths, YAML bulk) and 1.3 (multipart).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { run } from '../../deploy/main.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runMain } from '../helpers/run-main.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';

const credentials = { username: 'ci@kestra.io', password: 'Secret-pass1' };

const TRICKY = `# A comment Kestra must keep
id: tricky
namespace: team.b
description: |
  Emoji 🚀 and a separator line:
  ---
  and an indented one:
      ---
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "strange---string"
`;

describe.each(['0.22.0', '1.2.0', '1.3.19', '2.0.0'])('deploy flows to Kestra %s', (version) => {
  let kestra: Emulator;
  beforeEach(async () => {
    kestra = await startEmulator({ version, basicAuth: credentials });
  });
  afterEach(() => kestra.close());

  const deploy = (workspace: string, inputs: Record<string, string> = {}) =>
    runMain(
      run,
      {
        directory: 'flows',
        server: kestra.url,
        user: credentials.username,
        password: credentials.password,
        ...inputs,
      },
      { workspace },
    );

  it('deploys many namespaces in one run and stores each source byte for byte', async () => {
    const ws = makeWorkspace({
      'flows/a/one.yml': flow('team.a', 'one'),
      'flows/a/two.yaml': flow('team.a', 'two'),
      'flows/b/tricky.YML': TRICKY,
    });
    const r = await deploy(ws);
    expect(r.failed).toBe(false);
    expect(r.outputs).toMatchObject({ created: '3', updated: '0', unchanged: '0', deleted: '0' });
    expect(kestra.getFlow('team.b', 'tricky')?.source.trim()).toBe(TRICKY.trim());
    expect(kestra.getFlow('team.a', 'one')?.source.trim()).toBe(flow('team.a', 'one').trim());
    expect(JSON.parse(r.outputs.plan as string)).toEqual({
      'team.a': { create: ['one', 'two'], update: [], unchanged: [], delete: [] },
      'team.b': { create: ['tricky'], update: [], unchanged: [], delete: [] },
    });
  });

  it('leaves everything unchanged on a second identical deploy: no write request, no new revision', async () => {
    const ws = makeWorkspace({ 'flows/one.yml': flow('team.a', 'one'), 'flows/tricky.yml': TRICKY });
    await deploy(ws);
    kestra.clearRequests();
    const r = await deploy(ws);
    expect(r.failed).toBe(false);
    // Below 1.3 `tricky` (which holds `---`) was written by a create, which stores it as sent: still equal.
    expect(kestra.writes()).toEqual([]);
    expect(r.outputs).toMatchObject({ created: '0', updated: '0', unchanged: '2', deleted: '0' });
    expect(kestra.getFlow('team.a', 'one')?.revision).toBe(1);
    expect(kestra.getFlow('team.b', 'tricky')?.revision).toBe(1);
  });

  it('updates a changed flow and reports its new revision', async () => {
    await deploy(makeWorkspace({ 'flows/one.yml': flow('team.a', 'one') }));
    const r = await deploy(
      makeWorkspace({ 'flows/one.yml': flow('team.a', 'one', 'description: changed\n') }),
    );
    expect(r.outputs).toMatchObject({ created: '0', updated: '1' });
    const [result] = JSON.parse(r.outputs.results as string) as { action: string; revision: number }[];
    expect(result).toMatchObject({ action: 'updated', revision: 2 });
    expect(readFileSync(r.outputs['results-file'] as string, 'utf8')).toBe(r.outputs.results);
  });

  it('keeps flows missing from Git unless delete is true, and prunes only the namespaces deployed', async () => {
    kestra.seedFlow(flow('team.a', 'old'));
    kestra.seedFlow(flow('team.a.child', 'kid'));
    kestra.seedFlow(flow('team.z', 'other'));
    const ws = makeWorkspace({ 'flows/one.yml': flow('team.a', 'one') });

    const keep = await deploy(ws);
    expect(keep.outputs.deleted).toBe('0');
    expect(kestra.getFlow('team.a', 'old')).toBeDefined();

    const prune = await deploy(ws, { delete: 'true' });
    expect(prune.failed).toBe(false);
    expect(prune.outputs).toMatchObject({ deleted: '1', unchanged: '1' });
    expect(kestra.getFlow('team.a', 'old')).toBeUndefined();
    expect(kestra.getFlow('team.a.child', 'kid')).toBeDefined();
    expect(kestra.getFlow('team.z', 'other')).toBeDefined();
  });

  it('with delete, keeps flows defined in excluded files: neither deployed nor deleted, and says so', async () => {
    kestra.seedFlow(flow('team.a', 'old'));
    kestra.seedFlow(flow('team.a', 'draft'));
    kestra.seedFlow(flow('prod.team', 'wip'));
    kestra.seedFlow(flow('prod.team', 'stale'));
    kestra.clearRequests();
    const ws = makeWorkspace({
      'flows/one.yml': flow('team.a', 'one'),
      'flows/drafts/draft.yml': flow('team.a', 'draft', 'description: not ready\n'),
      'flows/wip.yml': '# broken on purpose\n' + flow('dev.team', 'wip', 'tasks: [\n'),
    });
    const inputs = { delete: 'true', exclude: 'drafts\nwip.yml' };
    const plan = await deploy(ws, { ...inputs, 'dry-run': 'true' });
    expect(plan.failed).toBe(false);
    expect(JSON.parse(plan.outputs.plan as string)).toEqual({
      'team.a': { create: ['one'], update: [], unchanged: [], delete: ['old'], kept: ['draft'] },
    });

    const r = await deploy(ws, inputs);
    expect(r.failed).toBe(false);
    expect(kestra.getFlow('team.a', 'old')).toBeUndefined();
    expect(kestra.getFlow('team.a', 'draft')?.source).not.toContain('not ready');
    expect(r.outputs).toMatchObject({ created: '1', deleted: '1' });
    const note = "team.a: kept, excluded by 'exclude', so not deleted: draft";
    expect(r.stdout).toContain(`Note: ${note}`);
    expect(r.summary).toContain(note);

    // With override-namespace, an excluded flow counts in the namespace it would have been deployed to.
    const prod = await deploy(
      makeWorkspace({
        'flows/one.yml': flow('dev.team', 'one'),
        'flows/wip.yml': flow('dev.team', 'wip'),
      }),
      { ...inputs, namespace: 'prod.team', 'override-namespace': 'true' },
    );
    expect(prod.failed).toBe(false);
    expect(kestra.getFlow('prod.team', 'wip')).toBeDefined();
    expect(kestra.getFlow('prod.team', 'stale')).toBeUndefined();
    expect(JSON.parse(prod.outputs.plan as string)['prod.team'].kept).toEqual(['wip']);
  });

  it('says when a flow it creates also exists in a namespace it does not deploy (a moved flow)', async () => {
    kestra.seedFlow(flow('team.old', 'mover'));
    kestra.seedFlow(flow('team.old', 'unrelated'));
    kestra.seedFlow(flow('team.a', 'mover-two'));
    kestra.seedFlow(flow('team.b', 'stay'));
    kestra.clearRequests();
    const ws = makeWorkspace({
      'flows/a/mover.yml': flow('team.a', 'mover'),
      'flows/b/stay.yml': flow('team.b', 'stay'),
      'flows/b/mover-two.yml': flow('team.b', 'mover-two'),
    });
    const r = await deploy(ws, { 'dry-run': 'true' });
    expect(r.failed).toBe(false);
    const plan = JSON.parse(r.outputs.plan as string);
    // team.a is deployed: its copy of mover-two is not "elsewhere".
    expect(plan['team.a'].elsewhere).toEqual(['team.old.mover']);
    expect(plan['team.b'].elsewhere).toBeUndefined();
    const note =
      'team.a: new here, but a flow with the same id is on the server in a namespace this run does not ' +
      'deploy: mover (also in team.old). If a flow moved, its old copy stays there: delete it in Kestra ' +
      'when it is no longer wanted.';
    expect(r.stdout).toContain(`Note: ${note}`);
    expect(r.summary).toContain(note);
    // One search per new id, nothing else beyond the listings.
    const searches = kestra.requests.filter((q) => q.path.endsWith('/flows/search'));
    expect(searches).toHaveLength(2);
    expect(kestra.writes()).toEqual([]);
  });

  it.each([
    [
      'an invalid flow (duplicate task ids)',
      flow('team.a', 'bad', '  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: x\n'),
    ],
    ['an unknown plugin type', flow('team.a', 'bad').replace('core.log.Log', 'core.log.Nope')],
    ['a YAML syntax error', 'id: bad\nnamespace: team.a\ntasks:\n  - id: x\n   type: y\n'],
  ])('writes nothing at all when one file has %s', async (_what, bad) => {
    kestra.seedFlow(flow('team.a', 'old'));
    kestra.clearRequests();
    const ws = makeWorkspace({ 'flows/good.yml': flow('team.a', 'good'), 'flows/bad.yml': bad });
    const r = await deploy(ws, { delete: 'true' });
    expect(r.failed).toBe(true);
    expect(r.stdout).toMatch(/nothing was written/);
    expect(r.outputs).toMatchObject({ created: '0', updated: '0', unchanged: '0', deleted: '0', plan: '{}' });
    expect(kestra.writes()).toEqual([]);
    expect(r.annotations.some((a) => a.level === 'error' && a.file === 'flows/bad.yml')).toBe(true);
  });

  it('refuses a namespace mismatch without override, and rewrites it with override-namespace', async () => {
    const ws = makeWorkspace({ 'flows/one.yml': `# keep me\n${flow('dev.team', 'one')}` });
    const refused = await deploy(ws, { namespace: 'prod.team' });
    expect(refused.failed).toBe(true);
    expect(kestra.writes()).toEqual([]);
    expect(refused.annotations).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: 'flows/one.yml', line: 3, level: 'error' })]),
    );

    const r = await deploy(ws, { namespace: 'prod.team', 'override-namespace': 'true' });
    expect(r.failed).toBe(false);
    const stored = kestra.getFlow('prod.team', 'one');
    expect(stored?.source).toContain('# keep me');
    expect(stored?.source).toContain('namespace: prod.team');
    expect(kestra.getFlow('dev.team', 'one')).toBeUndefined();
  });

  it('refuses delete with no flows found, writing nothing', async () => {
    kestra.seedFlow(flow('team.a', 'old'));
    kestra.clearRequests();
    const ws = makeWorkspace({ 'flows/README.md': 'no flows here' });
    const r = await deploy(ws, { delete: 'true' });
    expect(r.failed).toBe(true);
    expect(kestra.writes()).toEqual([]);
    expect(kestra.getFlow('team.a', 'old')).toBeDefined();
  });

  it('dry-run reports the exact plan and writes nothing', async () => {
    // Seeded trimmed, as a bulk write stores it: the same file again is then a no-op.
    kestra.seedFlow(flow('team.a', 'same').trim());
    kestra.seedFlow(flow('team.a', 'changed'));
    kestra.seedFlow(flow('team.a', 'gone'));
    kestra.clearRequests();
    const ws = makeWorkspace({
      'flows/same.yml': flow('team.a', 'same'),
      'flows/changed.yml': flow('team.a', 'changed', 'description: new\n'),
      'flows/new.yml': flow('team.a', 'new'),
    });
    const r = await deploy(ws, { delete: 'true', 'dry-run': 'true' });
    expect(r.failed).toBe(false);
    expect(kestra.writes()).toEqual([]);
    expect(JSON.parse(r.outputs.plan as string)).toEqual({
      'team.a': { create: ['new'], update: ['changed'], unchanged: ['same'], delete: ['gone'] },
    });
    expect(r.outputs).toMatchObject({ created: '1', updated: '1', unchanged: '1', deleted: '1' });
    expect(r.summary).toMatch(/dry-run/);
  });

  it('adds system.readOnly to map labels, list labels and flows without labels, keeping comments', async () => {
    const ws = makeWorkspace({
      'flows/map.yml': flow('team.a', 'map', 'labels:\n  # owners\n  team: data\n'),
      'flows/list.yml': flow('team.a', 'list', 'labels:\n  - key: team\n    value: data\n'),
      'flows/none.yml': `# no labels yet\n${flow('team.a', 'none')}`,
    });
    const r = await deploy(ws, { 'read-only': 'true' });
    expect(r.failed).toBe(false);
    const labels = (id: string): unknown =>
      (parse(kestra.getFlow('team.a', id)?.source ?? '') as { labels: unknown }).labels;
    // Label values are strings in Kestra: the label is written `"true"` in both styles.
    expect(labels('map')).toEqual({ team: 'data', 'system.readOnly': 'true' });
    expect(labels('list')).toEqual([
      { key: 'team', value: 'data' },
      { key: 'system.readOnly', value: 'true' },
    ]);
    expect(labels('none')).toEqual({ 'system.readOnly': 'true' });
    expect(kestra.getFlow('team.a', 'map')?.source).toContain('# owners');
    expect(kestra.getFlow('team.a', 'none')?.source).toContain('# no labels yet');
  });
});

describe('deploy flows: copies left in namespaces not deployed', () => {
  it.each([
    ['0.22.0', 'GET /api/v1/flows/search?q=mover&page=1&size=100'],
    ['1.2.0', 'GET /api/v1/main/flows/search?q=mover&page=1&size=100'],
    ['1.3.19', 'GET /api/v1/main/flows/search?filters%5Bq%5D%5BEQUALS%5D=mover&page=1&size=100'],
    ['2.0.0', 'GET /api/v1/main/flows/search?filters%5Bq%5D%5BEQUALS%5D=mover&page=1&size=100'],
  ])('Kestra %s: searches the way the version reads, and finds the old copy', async (version, line) => {
    const kestra = await startEmulator({ version });
    try {
      kestra.seedFlow(flow('team.old', 'mover'));
      kestra.clearRequests();
      const ws = makeWorkspace({ 'flows/mover.yml': flow('team.new', 'mover') });
      const r = await runMain(run, { directory: 'flows', server: kestra.url }, { workspace: ws });
      expect(r.failed).toBe(false);
      const searches = kestra.requests.filter((q) => q.path.endsWith('/flows/search'));
      expect(searches.map((q) => `${q.method} ${q.path}?${q.query.toString()}`)).toEqual([line]);
      expect(JSON.parse(r.outputs.plan as string)['team.new'].elsewhere).toEqual(['team.old.mover']);
    } finally {
      await kestra.close();
    }
  });

  it('does not search when more ids are new than it searches for, and says so', async () => {
    const kestra = await startEmulator({ version: '1.3.19' });
    try {
      const files = Object.fromEntries(
        Array.from({ length: 21 }, (_, i) => [`flows/f${i}.yml`, flow('team.a', `f${i}`)]),
      );
      const r = await runMain(
        run,
        { directory: 'flows', server: kestra.url },
        { workspace: makeWorkspace(files) },
      );
      expect(r.failed).toBe(false);
      expect(kestra.requests.filter((q) => q.path.endsWith('/flows/search'))).toEqual([]);
      expect(r.stdout).toContain(
        '21 flow ids are new: not looking for copies of them left in namespaces this run does not deploy ' +
          '(done for up to 20 new ids, one search each).',
      );
    } finally {
      await kestra.close();
    }
  });

  it("does not search with override-namespace: a copy in the flow's own namespace is there by design", async () => {
    const kestra = await startEmulator({ version: '1.3.19' });
    try {
      kestra.seedFlow(flow('dev.team', 'a'));
      const ws = makeWorkspace({ 'flows/a.yml': flow('dev.team', 'a') });
      const r = await runMain(
        run,
        { directory: 'flows', server: kestra.url, namespace: 'prod.team', 'override-namespace': 'true' },
        { workspace: ws },
      );
      expect(r.failed).toBe(false);
      expect(kestra.getFlow('prod.team', 'a')).toBeDefined();
      expect(kestra.requests.filter((q) => q.path.endsWith('/flows/search'))).toEqual([]);
      expect(JSON.parse(r.outputs.plan as string)['prod.team']).toEqual({
        create: ['a'],
        update: [],
        unchanged: [],
        delete: [],
      });
    } finally {
      await kestra.close();
    }
  });

  it('names the flow format on a flow run', async () => {
    const kestra = await startEmulator({ version: '1.3.19' });
    try {
      const ws = makeWorkspace({ 'flows/a.yml': flow('team.a', 'a') });
      const r = await runMain(run, { directory: 'flows', server: kestra.url }, { workspace: ws });
      expect(r.stdout).toMatch(/^Kestra 1\.3\.19 \(OSS\) at .*, flows sent as multipart files$/m);
    } finally {
      await kestra.close();
    }
  });
});

describe('deploy flows: request shapes', () => {
  it('sends one multipart bulk request per namespace to 1.3, with delete explicit', async () => {
    const kestra = await startEmulator({ version: '1.3.19' });
    try {
      const ws = makeWorkspace({
        'flows/a.yml': flow('team.a', 'a'),
        'flows/b.yml': flow('team.b', 'b'),
        'flows/tricky.yml': TRICKY,
      });
      const r = await runMain(run, { directory: 'flows', server: kestra.url }, { workspace: ws });
      expect(r.failed).toBe(false);
      const writes = kestra.writes();
      expect(writes.map((w) => `${w.method} ${w.path}?${w.query.toString()}`)).toEqual([
        'POST /api/v1/main/flows/team.a?delete=false',
        'POST /api/v1/main/flows/team.b?delete=false',
      ]);
      expect(writes.every((w) => w.contentType.startsWith('multipart/form-data'))).toBe(true);
    } finally {
      await kestra.close();
    }
  });

  it('goes flow by flow on 1.2 for a namespace whose flows hold `---`, and in one YAML bulk otherwise', async () => {
    const kestra = await startEmulator({ version: '1.2.0' });
    try {
      kestra.seedFlow(flow('team.b', 'stale'));
      const ws = makeWorkspace({ 'flows/a.yml': flow('team.a', 'a'), 'flows/tricky.yml': TRICKY });
      const r = await runMain(
        run,
        { directory: 'flows', server: kestra.url, delete: 'true' },
        { workspace: ws },
      );
      expect(r.failed).toBe(false);
      expect(kestra.writes().map((w) => `${w.method} ${w.path}`)).toEqual([
        'POST /api/v1/main/flows/team.a',
        'POST /api/v1/main/flows',
        'DELETE /api/v1/main/flows/team.b/stale',
      ]);
      expect(kestra.getFlow('team.b', 'tricky')?.source.trim()).toBe(TRICKY.trim());
    } finally {
      await kestra.close();
    }
  });
});
