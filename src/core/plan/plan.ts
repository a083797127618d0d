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

/** How a write reaches the server, which decides what it stores (docs/kestra-api.md#unchanged-flows). */
export type WritePath = 'bulk' | 'put';

/** Java's `String.trim()`: code points up to U+0020 at either end (not Unicode spaces, not a BOM). */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** Kestra's `sourceWithoutRevision`: the first line `revision: <digits>` and its line feed, exactly. */
const withoutRevision = (s: string): string => s.replace(/^revision: \d+\n?/m, '');

/**
 * Whether Kestra keeps the flow's revision when `sent` is written over `stored`
 * (docs/kestra-api.md#unchanged-flows): it compares the text it would store with the text it has, each
 * without its first `revision:` line, character for character (line ends and trailing spaces count). A bulk
 * write stores each source trimmed; a PUT stores the body as sent.
 */
export function sameSource(stored: string, sent: string, via: WritePath = 'bulk'): boolean {
  return withoutRevision(stored) === withoutRevision(via === 'bulk' ? javaTrim(sent) : sent);
}

/**
 * Moves the flows whose server source (`remoteSources`, by id) equals what a write would store from `update`
 * to `unchanged`, and keeps the server's source of the others in `before` (what the deploy would change).
 */
export function splitUnchanged(
  plan: FlowPlan,
  remoteSources: ReadonlyMap<string, string | undefined>,
  via: WritePath = 'bulk',
): FlowPlan {
  const update: FlowDoc[] = [];
  const unchanged: FlowDoc[] = [];
  const before = new Map<string, string>();
  for (const flow of plan.update) {
    const remote = remoteSources.get(flow.id as string);
    if (remote !== undefined && sameSource(remote, flow.source, via)) unchanged.push(flow);
    else {
      update.push(flow);
      if (remote !== undefined) before.set(flow.id as string, remote);
    }
  }
  return { ...plan, update, unchanged: [...plan.unchanged, ...unchanged], before };
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
