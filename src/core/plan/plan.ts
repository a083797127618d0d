// Plan stage for flows: what Git has against what the server has → create / update / unchanged / delete, per
// namespace (plan-files.ts plans namespace files into the same shape); and the notices of either kind of plan.
import type { FlowInfo } from '../../kestra/api.js';
import type { AnyPlan, FlowPlan, LeftOutBy } from '../../model/plan.js';
import type { PlanNotice } from '../../model/results.js';
import type { FlowDoc } from '../../model/types.js';

/** Flows grouped by namespace, in a stable order (namespaces sorted, flows as discovered). */
export function groupByNamespace(flows: FlowDoc[]): Map<string, FlowDoc[]> {
  const groups = new Map<string, FlowDoc[]>();
  for (const flow of flows) {
    const ns = flow.namespace as string;
    groups.set(ns, [...(groups.get(ns) ?? []), flow]);
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * `excluded`: ids of this namespace defined in files that `exclude` takes out. Such a flow is not managed by
 * this step, so it is neither deployed nor deleted: the plan lists it as kept.
 */
export function planNamespace(
  namespace: string,
  local: FlowDoc[],
  remote: FlowInfo[],
  options: { delete: boolean; excluded?: ReadonlySet<string> },
): FlowPlan {
  const revisions = new Map(remote.map((f) => [f.id, f.revision]));
  const localIds = new Set(local.map((f) => f.id));
  // Only exact-namespace flows are listed, so child namespaces are never pruned from here.
  const gone = options.delete
    ? remote
        .filter((f) => f.namespace === namespace && !localIds.has(f.id))
        .map((f) => f.id)
        .sort()
    : [];
  const excluded = options.excluded ?? new Set<string>();
  return {
    resource: 'flows',
    namespace,
    create: local.filter((f) => !revisions.has(f.id as string)),
    update: local.filter((f) => revisions.has(f.id as string)),
    unchanged: [],
    delete: gone.filter((id) => !excluded.has(id)),
    kept: gone.filter((id) => excluded.has(id)).map((name) => ({ name, by: 'exclude' as const })),
    revisions,
  };
}

/**
 * Kestra keeps a revision when only the source's `revision:` line changed (docs/kestra-api.md#bulk-update),
 * so compare the same way to tell an update from a no-op.
 */
export function sameSource(a: string, b: string): boolean {
  const norm = (s: string): string =>
    s
      .replace(/\r\n/g, '\n')
      .replace(/^revision:.*$/m, '')
      .trim();
  return norm(a) === norm(b);
}

/**
 * Moves the flows whose server source equals ours from `update` to `unchanged`; the server's sources of the
 * rest go to `before`, for their diffs.
 */
export function splitUnchanged(plan: FlowPlan, remoteSources: Map<string, string | undefined>): FlowPlan {
  const update: FlowDoc[] = [];
  const unchanged: FlowDoc[] = [];
  const before = new Map(plan.before);
  for (const flow of plan.update) {
    const remote = remoteSources.get(flow.id as string);
    if (remote !== undefined && sameSource(remote, flow.source)) unchanged.push(flow);
    else {
      update.push(flow);
      if (remote !== undefined) before.set(flow.id as string, remote);
    }
  }
  return { ...plan, update, unchanged, before };
}

/** A list for one line: the first `max` names, then how many more (the notice's data keeps them all). */
export function nameList(names: readonly string[], max = 20): string {
  return names.length > max
    ? `${names.slice(0, max).join(', ')} and ${names.length - max} more`
    : names.join(', ');
}

const LEFT_OUT_BY: Record<LeftOutBy, string> = {
  exclude: "excluded by 'exclude'",
  '.kestraignore': 'excluded by .kestraignore',
  include: "not matched by 'include'",
};

/** `kept` notices, one per rule that kept names from deletion: what `delete` would have removed otherwise. */
export function keptNotices(plan: AnyPlan): PlanNotice[] {
  return (Object.keys(LEFT_OUT_BY) as LeftOutBy[])
    .map((by) => [by, plan.kept.filter((k) => k.by === by).map((k) => k.name)] as const)
    .filter(([, names]) => names.length > 0)
    .map(([by, names]) => ({
      kind: 'kept',
      namespace: plan.namespace,
      names,
      message: `${plan.namespace}: kept, ${LEFT_OUT_BY[by]}, so not deleted: ${nameList(names)}`,
    }));
}
