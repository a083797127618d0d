// The rows and the `plan` map a deploy reports, built from plans (dry-run) or from what was done.
import type { AnyPlan, Plan } from '../../model/plan.js';
import type { DeployResult, PlanNotice } from '../../model/results.js';

type Action = DeployResult['action'];

/**
 * A plan as result rows, in the future tense of a dry-run (`created` means "will be created"): a flow goes
 * by its id, with its revision on the server, a file by its remote path.
 */
export function plannedResults(plan: AnyPlan): DeployResult[] {
  const { namespace } = plan;
  return plan.resource === 'flows'
    ? rows(
        plan,
        (f) => f.id as string,
        (id, action) => ({ namespace, id, action, revision: plan.revisions.get(id) }),
      )
    : rows(
        plan,
        (f) => plan.to + f.relative,
        (path, action) => ({ namespace, path, action }),
      );
}

/** Every class of a plan in turn, a written item as its `file` and then the row of its name. */
function rows<Item extends { file: string }>(
  plan: Plan<Item>,
  name: (item: Item) => string,
  row: (name: string, action: Action) => DeployResult,
): DeployResult[] {
  const written = (action: Action) => (item: Item) => ({ file: item.file, ...row(name(item), action) });
  return [
    ...plan.create.map(written('created')),
    ...plan.update.map(written('updated')),
    ...plan.unchanged.map(written('unchanged')),
    ...plan.delete.map((n) => row(n, 'deleted')),
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
