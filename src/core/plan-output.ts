// The rows and the `plan` map a deploy reports, built from plans (dry-run) or from what was done.
import type { DeployResult, PlanNotice } from '../model/results.js';
import type { FilePlan } from './plan-files.js';
import type { FlowPlan } from './plan.js';
import type { FlowDoc } from '../model/types.js';

/** A flow plan as result rows, in the future tense of a dry-run (`created` means "will be created"). */
export function plannedFlows(plan: FlowPlan): DeployResult[] {
  const row = (f: FlowDoc, action: DeployResult['action']): DeployResult => ({
    file: f.file,
    namespace: plan.namespace,
    id: f.id,
    action,
    revision: plan.revisions.get(f.id as string),
  });
  return [
    ...plan.create.map((f) => row(f, 'created')),
    ...plan.update.map((f) => row(f, 'updated')),
    ...plan.unchanged.map((f) => row(f, 'unchanged')),
    ...plan.delete.map((id): DeployResult => ({
      namespace: plan.namespace,
      id,
      action: 'deleted',
      revision: plan.revisions.get(id),
    })),
  ];
}

/** A namespace-files plan as result rows. */
export function plannedFiles(plan: FilePlan): DeployResult[] {
  const row =
    (action: DeployResult['action']) =>
    (f: { file: string; relative: string }): DeployResult => ({
      file: f.file,
      namespace: plan.namespace,
      path: plan.to + f.relative,
      action,
    });
  return [
    ...plan.create.map(row('created')),
    ...plan.update.map(row('updated')),
    ...plan.unchanged.map(row('unchanged')),
    ...plan.delete.map((p): DeployResult => ({ namespace: plan.namespace, path: p, action: 'deleted' })),
  ];
}

/**
 * The `plan` output: per namespace, the ids (or paths) in each class, and, only when there are any, the
 * notices' names under their kind (`kept`, `elsewhere`).
 */
export function planOutput(
  results: DeployResult[],
  notices: PlanNotice[] = [],
): Record<string, Record<string, string[]>> {
  const plan: Record<string, Record<string, string[]>> = {};
  const entry = (namespace: string): Record<string, string[]> =>
    (plan[namespace] ??= { create: [], update: [], unchanged: [], delete: [] });
  const key = { created: 'create', updated: 'update', unchanged: 'unchanged', deleted: 'delete' } as const;
  for (const r of results) entry(r.namespace)[key[r.action]]?.push(r.id ?? r.path ?? '');
  for (const n of notices) {
    const ns = entry(n.namespace);
    ns[n.kind] = [...(ns[n.kind] ?? []), ...n.names];
  }
  return plan;
}
