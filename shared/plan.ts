// Plan stage: what Git has against what the server has → create / update / unchanged / delete, per namespace.
import type { FlowInfo } from './kestra/api.js';
import type { FlowDoc } from './types.js';

export interface FlowPlan {
  namespace: string;
  create: FlowDoc[];
  /** Present on the server; split from `unchanged` only when the server's sources were compared (dry-run). */
  update: FlowDoc[];
  unchanged: FlowDoc[];
  /** Ids on the server that Git no longer has (only when `delete` is true). */
  delete: string[];
  /** Revision of each flow on the server before the deploy. */
  revisions: Map<string, number>;
}

/** Flows grouped by namespace, in a stable order (namespaces sorted, flows as discovered). */
export function groupByNamespace(flows: FlowDoc[]): Map<string, FlowDoc[]> {
  const groups = new Map<string, FlowDoc[]>();
  for (const flow of flows) {
    const ns = flow.namespace as string;
    groups.set(ns, [...(groups.get(ns) ?? []), flow]);
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function planNamespace(
  namespace: string,
  local: FlowDoc[],
  remote: FlowInfo[],
  options: { delete: boolean },
): FlowPlan {
  const revisions = new Map(remote.map((f) => [f.id, f.revision]));
  const localIds = new Set(local.map((f) => f.id));
  return {
    namespace,
    create: local.filter((f) => !revisions.has(f.id as string)),
    update: local.filter((f) => revisions.has(f.id as string)),
    unchanged: [],
    // Only exact-namespace flows are listed, so child namespaces are never pruned from here.
    delete: options.delete
      ? remote
          .filter((f) => f.namespace === namespace && !localIds.has(f.id))
          .map((f) => f.id)
          .sort()
      : [],
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

/** Moves the flows whose server source equals ours from `update` to `unchanged`. */
export function splitUnchanged(plan: FlowPlan, remoteSources: Map<string, string | undefined>): FlowPlan {
  const update: FlowDoc[] = [];
  const unchanged: FlowDoc[] = [];
  for (const flow of plan.update) {
    const remote = remoteSources.get(flow.id as string);
    (remote !== undefined && sameSource(remote, flow.source) ? unchanged : update).push(flow);
  }
  return { ...plan, update, unchanged };
}
