// Apply stage for flows: carries one namespace's plan out in the safest order the server allows.
import type { FlowInfo, FlowSource, KestraClient } from '../../kestra/api.js';
import type { FlowPlan } from '../../model/plan.js';
import type { DeployResult } from '../../model/results.js';
import type { FlowDoc } from '../../model/types.js';
import { ApplyError, errorText } from './apply-error.js';

/** Flows in the order they were discovered (file, then line). */
const inSourceOrder = (flows: FlowDoc[]): FlowDoc[] =>
  [...flows].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));

const toSource = (f: FlowDoc): FlowSource => ({ source: f.source, filename: f.file });

/**
 * Servers before 1.3 split a YAML bulk body on every `---`, even inside a block scalar or a comment
 * (docs/kestra-api.md#bulk-update), so a namespace holding such a flow cannot go as one YAML request.
 */
export function needsFlowByFlow(client: KestraClient, flows: FlowDoc[]): boolean {
  return !client.info.multipart && flows.some((f) => f.source.includes('---'));
}

/**
 * Deploys one namespace, sending only what changes: the created and updated flows (the plan's `unchanged`
 * are not sent), then the plan's deletions one by one, only after every write succeeded. A namespace with
 * nothing to create, update or delete gets no request. The bulk request never carries `delete=true`: with a
 * subset of the flows it would delete the unchanged ones (docs/kestra-api.md#bulk-update).
 *
 * Throws on the first failed request: an ApplyError when what was done before it is known (flow by flow,
 * deletions), the request's own error otherwise (a bulk request).
 */
export async function applyFlowPlan(
  client: KestraClient,
  plan: FlowPlan,
  options: { delete: boolean },
): Promise<DeployResult[]> {
  const flows = inSourceOrder([...plan.create, ...plan.update, ...plan.unchanged]);
  // A plan without local flows is refused (the pipeline refuses earlier too): deleting every flow of a
  // namespace is never what a deploy means.
  if (flows.length === 0) throw new Error(`no local flows for namespace ${plan.namespace}: nothing sent`);
  if (plan.delete.length > 0 && !options.delete) {
    throw new Error(`the plan of ${plan.namespace} deletes flows, but 'delete' is not set: nothing sent`);
  }
  const writes = inSourceOrder([...plan.create, ...plan.update]);
  let written: DeployResult[] = [];
  if (writes.length > 0 && needsFlowByFlow(client, writes))
    written = await applyFlowByFlow(client, plan, writes);
  else if (writes.length > 0) {
    const answer = await client.bulkUpdate(plan.namespace, writes.map(toSource), { delete: false });
    written = classifyBulk(plan, writes, answer);
  }
  const byId = new Map(written.map((r) => [r.id, r]));
  const rows = flows.map(
    (f): DeployResult =>
      byId.get(f.id) ?? {
        file: f.file,
        namespace: plan.namespace,
        id: f.id as string,
        action: 'unchanged',
        revision: plan.revisions.get(f.id as string),
      },
  );
  return deleteEach(client, plan, rows);
}

/**
 * The rows of a bulk written with `delete=false`: its answer lists the written flows in request order, and
 * revisions tell what changed (a flow whose text Kestra found unchanged keeps its revision).
 *
 * The client retries a bulk whose answer was lost (dropped connection, timeout, 502/503/504), and the lost
 * attempt may have been carried out. Compared with the revisions read before the deploy, the rows are still
 * right: a flow the lost attempt created has no earlier revision (created), one it updated has a higher
 * revision (updated), and without `delete` neither attempt removed anything.
 */
export function classifyBulk(plan: FlowPlan, flows: FlowDoc[], answer: FlowInfo[]): DeployResult[] {
  const revisions = new Map(answer.map((info) => [info.id, info.revision]));
  return flows.map((f): DeployResult => {
    const id = f.id as string;
    const revision = revisions.get(id);
    return { file: f.file, namespace: plan.namespace, id, action: actionFor(plan, id, revision), revision };
  });
}

function actionFor(plan: FlowPlan, id: string, revision: number | undefined): DeployResult['action'] {
  const before = plan.revisions.get(id);
  if (before === undefined) return 'created';
  return revision !== undefined && revision > before ? 'updated' : 'unchanged';
}

/**
 * The writes one flow at a time (deletions follow in applyFlowPlan, so a failed write deletes nothing). Stops
 * at the first failed request and says what was done, what failed and what was not attempted.
 */
async function applyFlowByFlow(
  client: KestraClient,
  plan: FlowPlan,
  flows: FlowDoc[],
): Promise<DeployResult[]> {
  const outcomes: DeployResult[] = [];
  const stop = (error: unknown, failed: string, notWritten: string[], notDeleted: string[]): ApplyError =>
    new ApplyError(errorText(error), outcomes, [failed], notWritten, notDeleted);
  for (const [i, flow] of flows.entries()) {
    const id = flow.id as string;
    let info: FlowInfo;
    try {
      info = plan.revisions.has(id)
        ? await client.updateFlow(plan.namespace, id, flow.source)
        : await client.createFlow(flow.source);
    } catch (error) {
      throw stop(
        error,
        id,
        flows.slice(i + 1).map((f) => f.id as string),
        plan.delete,
      );
    }
    outcomes.push({
      file: flow.file,
      namespace: plan.namespace,
      id,
      action: actionFor(plan, id, info.revision),
      revision: info.revision,
    });
  }
  return outcomes;
}

/** After the writes (`done`), the plan's deletions one at a time, stopping at the first failure. */
async function deleteEach(
  client: KestraClient,
  plan: FlowPlan,
  done: DeployResult[],
): Promise<DeployResult[]> {
  const outcomes = [...done];
  for (const [i, id] of plan.delete.entries()) {
    try {
      await client.deleteFlow(plan.namespace, id);
    } catch (error) {
      throw new ApplyError(errorText(error), outcomes, [id], [], plan.delete.slice(i + 1));
    }
    outcomes.push({ namespace: plan.namespace, id, action: 'deleted', revision: plan.revisions.get(id) });
  }
  return outcomes;
}
