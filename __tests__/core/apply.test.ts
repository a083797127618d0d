// The apply stage on its own, over real HTTP against the emulator: flows and namespace files carried out
// alike. Writes first, deletions last; a failed write deletes nothing; the one ApplyError says what was done,
// what failed, and what was not written or not deleted; applyPlans returns the model's statuses and rows.
// (__tests__/faults/ proves the same at length through the whole action, concurrency and retries included.)
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { ApplyError, applyPlans } from '../../src/core/apply/apply.js';
import { applyFilePlan } from '../../src/core/apply/apply-files.js';
import { applyFlowPlan } from '../../src/core/apply/apply-flows.js';
import { discoverNamespaceFiles } from '../../src/core/discover/discover-files.js';
import { planNamespace } from '../../src/core/plan/plan.js';
import { planNamespaceFiles } from '../../src/core/plan/plan-files.js';
import type { KestraClient } from '../../src/kestra/api.js';
import { connect } from '../../src/kestra/connect.js';
import type { AnyPlan } from '../../src/model/plan.js';
import type { DeployResult } from '../../src/model/results.js';
import { flow, makeWorkspace } from '../helpers/workspace.js';
import { flowOf } from './helpers.js';

/**
 * One scenario, told to either kind: locally `a` (new) and `b` (changed); on the server `b`, and `gone1` and
 * `gone2`, which the plan deletes.
 */
interface Kind {
  kind: string;
  version: string;
  seed(kestra: Emulator): void;
  plan(client: KestraClient): Promise<AnyPlan>;
  /** How a name shows in rows and in the ApplyError: a flow's id, a file's remote path. */
  shown(name: string): string;
  exists(kestra: Emulator, name: string): boolean;
  /** Request paths of a write (a POST) and of a deletion. */
  write: RegExp;
  deletion: RegExp;
}

// Below 1.3 a flow holding `---` cannot go in a YAML bulk request: flow by flow, each request on its own.
const flowSource = (id: string, extra = ''): string => flow('team', id, `description: one --- two\n${extra}`);

const flows: Kind = {
  kind: 'flows',
  version: '1.2.0',
  seed(kestra) {
    for (const id of ['b', 'gone1', 'gone2']) kestra.seedFlow(flowSource(id, 'disabled: true\n'));
  },
  async plan(client) {
    const local = ['a', 'b'].map((id) => flowOf(flowSource(id), `flows/${id}.yml`));
    return planNamespace('team', local, await client.listFlows('team'), { delete: true });
  },
  shown: (name) => name,
  exists: (kestra, name) => kestra.getFlow('team', name) !== undefined,
  write: /^\/api\/v1\/main\/flows$/,
  deletion: /^\/api\/v1\/main\/flows\/team\/gone\d$/,
};

const files: Kind = {
  kind: 'namespace files',
  version: '1.3.19',
  seed(kestra) {
    for (const name of ['b', 'gone1', 'gone2']) kestra.seedFile('team', `/${name}`, 'old');
  },
  async plan(client) {
    const ws = makeWorkspace({ 'files/a': 'new', 'files/b': 'changed' });
    const { files: local, rules } = await discoverNamespaceFiles(ws, 'files', () => undefined);
    return planNamespaceFiles(client, 'team', '/', local, { delete: true, spacesAsPlus: false, rules });
  },
  shown: (name) => `/${name}`,
  exists: (kestra, name) => kestra.getFile('team', `/${name}`) !== undefined,
  write: /^\/api\/v1\/main\/namespaces\/team\/files$/,
  deletion: /^\/api\/v1\/main\/namespaces\/team\/files$/,
};

/** The stage of the plan's kind on its own, which throws the ApplyError (applyPlans turns it into a status). */
const applyOne = (client: KestraClient, plan: AnyPlan): Promise<DeployResult[]> =>
  plan.resource === 'flows' ? applyFlowPlan(client, plan, { delete: true }) : applyFilePlan(client, plan);

describe.each([flows, files])('apply: $kind', (kind) => {
  let kestra: Emulator;
  let client: KestraClient;
  let plan: AnyPlan;
  beforeEach(async () => {
    kestra = await startEmulator({ version: kind.version });
    kind.seed(kestra);
    client = await connect({ server: kestra.url, retry: { attempts: 1 } });
    plan = await kind.plan(client);
    expect(plan.delete).toEqual(['gone1', 'gone2'].map(kind.shown));
    kestra.clearRequests();
  });
  afterEach(async () => {
    await client.close();
    await kestra.close();
  });

  const methods = (): string[] => kestra.writes().map((w) => w.method);

  it("writes first, deletions last, and returns the model's statuses and rows", async () => {
    const applied = await applyPlans(client, [plan], { delete: true });
    expect(applied.namespaces).toEqual([{ namespace: 'team', status: 'written' }]);
    expect(applied.results.map((r) => [r.action, r.id ?? r.path])).toEqual([
      ['created', kind.shown('a')],
      ['updated', kind.shown('b')],
      ['deleted', kind.shown('gone1')],
      ['deleted', kind.shown('gone2')],
    ]);
    expect(methods().slice(-2)).toEqual(['DELETE', 'DELETE']);
    expect(methods().slice(0, -2)).not.toContain('DELETE');
    for (const name of ['gone1', 'gone2']) expect(kind.exists(kestra, name)).toBe(false);
  });

  it('a failed write deletes nothing, and the ApplyError says what failed and what was not done', async () => {
    kestra.fault({ method: 'POST', path: kind.write, status: 500, count: 2 });
    const error = await applyOne(client, plan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplyError);
    const { done, failed, notWritten, notDeleted } = error as ApplyError;
    expect(methods()).not.toContain('DELETE');
    for (const name of ['b', 'gone1', 'gone2']) expect(kind.exists(kestra, name)).toBe(true);
    expect(notDeleted).toEqual(['gone1', 'gone2'].map(kind.shown));
    // Flows go one by one and stop at the failure; files go several at once and all of them failed here.
    if (kind.kind === 'flows') {
      expect({ done, failed, notWritten }).toEqual({ done: [], failed: ['a'], notWritten: ['b'] });
    } else {
      expect({ done, failed: [...failed].sort(), notWritten }).toEqual({
        done: [],
        failed: ['/a', '/b'],
        notWritten: [],
      });
    }
  });

  it('a failed deletion stops the rest; the status names it and what stays, the results what was done', async () => {
    kestra.fault({ method: 'DELETE', path: kind.deletion, status: 500 });
    const applied = await applyPlans(client, [plan], { delete: true });
    expect(applied.namespaces).toEqual([
      {
        namespace: 'team',
        status: 'failed',
        error: expect.stringMatching(/500/),
        failed: [kind.shown('gone1')],
        notWritten: [],
        notDeleted: [kind.shown('gone2')],
      },
    ]);
    expect(applied.results.map((r) => r.action)).toEqual(['created', 'updated']);
    expect(methods().filter((m) => m === 'DELETE')).toHaveLength(1);
    expect(kind.exists(kestra, 'gone2')).toBe(true);
  });

  it('a failed namespace skips the ones after it, whatever their kind', async () => {
    kestra.fault({ method: 'POST', path: kind.write, status: 500, count: 2 });
    const other = planNamespace('other', [flowOf(flow('other', 'x'), 'flows/x.yml')], [], { delete: false });
    const applied = await applyPlans(client, [plan, other], { delete: true });
    expect(applied.namespaces.map((n) => [n.namespace, n.status])).toEqual([
      ['team', 'failed'],
      ['other', 'skipped'],
    ]);
    expect(kestra.getFlow('other', 'x')).toBeUndefined();
    expect(methods()).not.toContain('DELETE');
  });
});

describe('apply: flows, only what changes', () => {
  let kestra: Emulator;
  let client: KestraClient;
  beforeEach(async () => {
    kestra = await startEmulator({ version: '1.3.19' });
    kestra.seedFlow(flow('team', 'same').trim());
    kestra.seedFlow(flow('team', 'gone').trim());
    client = await connect({ server: kestra.url, retry: { attempts: 1 } });
    kestra.clearRequests();
  });
  afterEach(async () => {
    await client.close();
    await kestra.close();
  });

  const unchangedPlan = async (del: boolean) => {
    const local = [flowOf(flow('team', 'same'), 'flows/same.yml')];
    const plan = planNamespace('team', local, await client.listFlows('team'), { delete: del });
    return { ...plan, update: [], unchanged: local };
  };

  it('sends nothing for a namespace with nothing to create, update or delete, and says so', async () => {
    const plan = await unchangedPlan(false);
    kestra.clearRequests();
    const applied = await applyPlans(client, [plan], { delete: false });
    expect(kestra.requests).toEqual([]);
    expect(applied.namespaces).toEqual([{ namespace: 'team', status: 'unchanged' }]);
    expect(applied.results).toEqual([
      { file: 'flows/same.yml', namespace: 'team', id: 'same', action: 'unchanged', revision: 1 },
    ]);
  });

  it('refuses a plan that deletes when the run does not delete, sending nothing', async () => {
    const plan = await unchangedPlan(true);
    kestra.clearRequests();
    await expect(applyFlowPlan(client, plan, { delete: false })).rejects.toThrow(
      "the plan of team deletes flows, but 'delete' is not set: nothing sent",
    );
    expect(kestra.requests).toEqual([]);
    expect(kestra.getFlow('team', 'gone')).toBeDefined();
  });
});
