// The plan stage on its own, pure: what the run has against what the server has → one Plan shape, for flows
// (planNamespace, then splitUnchanged when sources were compared) and namespace files (planFiles) alike.
import { describe, expect, it } from '@jest/globals';
import type { FlowInfo, RemoteFile } from '../../src/kestra/api.js';
import { FileRules } from '../../src/core/discover/file-rules.js';
import { keptNotices, planNamespace, splitUnchanged } from '../../src/core/plan/plan.js';
import { planFiles } from '../../src/core/plan/plan-files.js';
import { plannedResults } from '../../src/core/plan/plan-output.js';
import type { AnyPlan } from '../../src/model/plan.js';
import type { LocalFile } from '../../src/model/types.js';
import { flow } from '../helpers/workspace.js';
import { flowOf } from './helpers.js';

/**
 * One scenario, told to either kind: local names, the server's names (`same`: its content equals ours), and
 * names only files the run's `exclude` takes out define. A child namespace (flows) and a folder beside `to`
 * (files) hold a name the run lacks too: neither is the run's to delete.
 */
interface Scenario {
  local: string[];
  remote: { name: string; same?: boolean }[];
  excluded?: string[];
  delete: boolean;
}

interface Kind {
  kind: string;
  plan(s: Scenario): AnyPlan;
  /** How a name shows in rows and notices: a flow's id, a file's remote path. */
  shown(name: string): string;
  /** The workspace file of a local name. */
  file(name: string): string;
}

const flows: Kind = {
  kind: 'flows',
  shown: (name) => name,
  file: (name) => `flows/${name}.yml`,
  plan(s) {
    const local = s.local.map((id) => flowOf(flow('team', id), flows.file(id)));
    const remote: FlowInfo[] = [
      ...s.remote.map((r, i) => ({ id: r.name, namespace: 'team', revision: i + 2 })),
      { id: 'other', namespace: 'team.child', revision: 1 },
    ];
    const plan = planNamespace('team', local, remote, {
      delete: s.delete,
      excluded: new Set(s.excluded ?? []),
    });
    // The server's sources as a bulk write stores them (trimmed): `same` is what our file would store.
    const sources = new Map(
      s.remote.map((r) => [
        r.name,
        (r.same ? flow('team', r.name) : flow('team', r.name, 'disabled: true\n')).trim(),
      ]),
    );
    return splitUnchanged(plan, sources);
  },
};

const files: Kind = {
  kind: 'namespace files',
  shown: (name) => `/app/${name}`,
  file: (name) => `files/${name}`,
  plan(s) {
    const local = s.local.map((name): LocalFile => ({
      relative: name,
      file: files.file(name),
      absolutePath: `/ws/files/${name}`,
      size: 10,
    }));
    const remote: RemoteFile[] = [
      ...s.remote.map((r) => ({ path: `/app/${r.name}`, size: 10 })),
      { path: '/beside/other', size: 1 },
    ];
    const identical = new Set(s.remote.filter((r) => r.same).map((r) => `/app/${r.name}`));
    return planFiles('team', 'app', local, remote, {
      delete: s.delete,
      spacesAsPlus: false,
      rules: new FileRules([], s.excluded ?? []),
      identical,
    });
  },
};

/** The plan as names, the same for either kind: flow ids, file paths relative to `to`. */
function names(plan: AnyPlan): Record<string, unknown> {
  const local = (items: (typeof plan.create)[number][]): string[] =>
    items.map((i) => ('relative' in i ? i.relative : (i.id as string)));
  const remote = (name: string): string => (plan.resource === 'flows' ? name : name.slice(plan.to.length));
  return {
    namespace: plan.namespace,
    create: local(plan.create),
    update: local(plan.update),
    unchanged: local(plan.unchanged),
    delete: plan.delete.map(remote),
    kept: plan.kept.map((k) => ({ ...k, name: remote(k.name) })),
  };
}

const SCENARIO: Scenario = {
  local: ['a', 'b', 'c'],
  remote: [{ name: 'b' }, { name: 'c', same: true }, { name: 'gone' }, { name: 'wip' }],
  excluded: ['wip'],
  delete: true,
};

describe.each([flows, files])('plan: $kind', ({ plan: planOf, shown, file }) => {
  it('sorts local items into create, update and unchanged, and remote-only names into delete or kept', () => {
    expect(names(planOf(SCENARIO))).toEqual({
      namespace: 'team',
      create: ['a'],
      update: ['b'],
      unchanged: ['c'],
      delete: ['gone'],
      kept: [{ name: 'wip', by: 'exclude' }],
    });
  });

  it('deletes nothing, and keeps nothing, unless delete is asked', () => {
    expect(names(planOf({ ...SCENARIO, delete: false }))).toMatchObject({ delete: [], kept: [] });
  });

  it('deletes only in the exact namespace (flows) or under `to` (files), in sorted order', () => {
    const plan = planOf({ local: [], remote: [{ name: 'z' }, { name: 'm' }], delete: true });
    expect(names(plan)).toMatchObject({ create: [], delete: ['m', 'z'], kept: [] });
  });

  it('says why each kept name was kept, in one notice per rule', () => {
    expect(keptNotices(planOf(SCENARIO))).toEqual([
      {
        kind: 'kept',
        namespace: 'team',
        names: [shown('wip')],
        message: `team: kept, excluded by 'exclude', so not deleted: ${shown('wip')}`,
      },
    ]);
    expect(keptNotices(planOf({ ...SCENARIO, excluded: [] }))).toEqual([]);
  });

  it('reads as result rows in the order create, update, unchanged, delete', () => {
    const rows = plannedResults(planOf(SCENARIO));
    expect(rows.map((r) => [r.action, r.id ?? r.path, r.file])).toEqual([
      ['created', shown('a'), file('a')],
      ['updated', shown('b'), file('b')],
      ['unchanged', shown('c'), file('c')],
      ['deleted', shown('gone'), undefined],
    ]);
  });
});

describe('plan: what only one kind has', () => {
  it('flows carry the revisions on the server, which the result rows show', () => {
    const plan = flows.plan(SCENARIO);
    expect(plan.resource === 'flows' && [...plan.revisions]).toEqual([
      ['b', 2],
      ['c', 3],
      ['gone', 4],
      ['wip', 5],
      ['other', 1],
    ]);
    expect(plannedResults(plan).map((r) => r.revision)).toEqual([undefined, 2, 3, 4]);
  });

  it('files: `to` is normalised, and the rules say why a remote path is kept', () => {
    const local: LocalFile[] = [{ relative: 'a.py', file: 'files/a.py', absolutePath: '/ws/a.py', size: 1 }];
    const remote: RemoteFile[] = ['/app/a.py', '/app/x.md', '/app/cache/y.py', '/app/z.py'].map((path) => ({
      path,
      size: 1,
    }));
    const plan = planFiles('team', './app//', local, remote, {
      delete: true,
      spacesAsPlus: false,
      rules: new FileRules(['**/*.py'], [], 'cache/\n'),
    });
    expect(plan.to).toBe('/app/');
    expect(plan.update.map((f) => f.relative)).toEqual(['a.py']);
    expect(plan.delete).toEqual(['/app/z.py']);
    expect(plan.kept).toEqual([
      { name: '/app/cache/y.py', by: '.kestraignore' },
      { name: '/app/x.md', by: 'include' },
    ]);
    expect(keptNotices(plan).map((n) => n.message)).toEqual([
      'team: kept, excluded by .kestraignore, so not deleted: /app/cache/y.py',
      "team: kept, not matched by 'include', so not deleted: /app/x.md",
    ]);
  });

  it('files on a server that stores a space as +: compared and kept under the stored name', () => {
    const local: LocalFile[] = [{ relative: 'a b.py', file: 'files/a b.py', absolutePath: '/ws/x', size: 1 }];
    const remote: RemoteFile[] = [
      { path: '/a+b.py', size: 1 },
      { path: '/c+d.md', size: 1 },
    ];
    const plan = planFiles('team', '/', local, remote, {
      delete: true,
      spacesAsPlus: true,
      rules: new FileRules([], ['c d.md']),
      identical: new Set(['/a+b.py']),
    });
    expect(plan.unchanged.map((f) => f.relative)).toEqual(['a b.py']);
    expect(plan.delete).toEqual([]);
    expect(plan.kept).toEqual([{ name: '/c+d.md', by: 'exclude' }]);
  });
});
