// Apply stage for flows: carries one namespace's plan out in the safest order the server allows.
import type { FlowInfo, FlowSource, KestraClient } from '../../kestra/api.js';
import type { FlowPlan } from '../../model/plan.js';
import type { DeployResult } from '../../model/results.js';
import type { FlowDoc } from '../../model/types.js';
import { ApplyError, errorText } from './apply-error.js';

/** Flows in the order they were discovered (file, then line). */
const inSourceOrder = (plan: FlowPlan): FlowDoc[] =>
  [...plan.create, ...plan.update, ...plan.unchanged].sort((a, b) =>
    a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1,
  );

const toSource = (f: FlowDoc): FlowSource => ({ source: f.source, filename: f.file });

/**
 * Servers before 1.3 split a YAML bulk body on every `---`, even inside a block scalar or a comment
 * (docs/kestra-api.md#bulk-update), so a namespace holding such a flow cannot go as one YAML request.
 */
export function needsFlowByFlow(client: KestraClient, flows: FlowDoc[]): boolean {
  return !client.info.multipart && flows.some((f) => f.source.includes('---'));
}

/**
 * Deploys one namespace. Throws on the first failed request: an ApplyError when what was done before it is
 * known (flow by flow), the request's own error otherwise (a bulk request).
 */
export async function applyFlowPlan(
  client: KestraClient,
  plan: FlowPlan,
  options: { delete: boolean },
): Promise<DeployResult[]> {
  const flows = inSourceOrder(plan);
  // Never a bulk request without flows: with delete it would wipe the namespace (the pipeline refuses earlier too).
  if (flows.length === 0) throw new Error(`no local flows for namespace ${plan.namespace}: nothing sent`);
  if (needsFlowByFlow(client, flows)) return applyFlowByFlow(client, plan, flows);

  if (options.delete && plan.kept.length > 0) {
    // The bulk's own delete would take the kept flows (excluded, not ours) with the rest: write without it,
    // then delete what the plan deletes, one by one.
    const answer = await client.bulkUpdate(plan.namespace, flows.map(toSource), { delete: false });
    return deleteEach(client, plan, classifyBulk({ ...plan, delete: [] }, flows, answer));
  }
  // `delete` is always sent explicitly: the server's default is true.
  const answer = await client.bulkUpdate(plan.namespace, flows.map(toSource), { delete: options.delete });
  return classifyBulk(plan, flows, answer);
}

/**
 * The answer lists the deleted flows first, then ours in request order; revisions tell what changed.
 *
 * The client retries a bulk whose answer was lost (dropped connection, timeout, 502/503/504), and the lost
 * attempt may have been carried out. Compared with the revisions read before the deploy, creates and
 * updates still classify right (a flow the lost attempt created has no earlier revision: created; one it
 * updated has a higher revision: updated). Deletions do not: the retry's answer cannot list flows the lost
 * attempt already deleted. But a successful bulk with `delete` leaves none of the namespace's other flows,
 * so every flow planned for deletion is gone: report the plan's deletions, plus any the answer names that
 * the plan did not know (created on the server since it was read).
 */
export function classifyBulk(plan: FlowPlan, flows: FlowDoc[], answer: FlowInfo[]): DeployResult[] {
  const localIds = new Set(flows.map((f) => f.id as string));
  const revisions = new Map<string, number>();
  const deletedIds = new Set(plan.delete);
  const deleted: DeployResult[] = plan.delete.map((id) => ({
    namespace: plan.namespace,
    id,
    action: 'deleted',
    revision: plan.revisions.get(id),
  }));
  for (const info of answer) {
    if (localIds.has(info.id)) revisions.set(info.id, info.revision);
    else if (!deletedIds.has(info.id)) {
      deletedIds.add(info.id);
      deleted.push({ namespace: plan.namespace, id: info.id, action: 'deleted', revision: info.revision });
    }
  }
  const outcomes = flows.map((f): DeployResult => {
    const id = f.id as string;
    const revision = revisions.get(id);
    return { file: f.file, namespace: plan.namespace, id, action: actionFor(plan, id, revision), revision };
  });
  return [...outcomes, ...deleted];
}

function actionFor(plan: FlowPlan, id: string, revision: number | undefined): DeployResult['action'] {
  const before = plan.revisions.get(id);
  if (before === undefined) return 'created';
  return revision !== undefined && revision > before ? 'updated' : 'unchanged';
}

/**
 * Writes first, deletions last: a failed write leaves every flow of the namespace in place. Stops at the
 * first failed request and says what was done, what failed and what was not attempted.
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
  return deleteEach(client, plan, outcomes);
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
