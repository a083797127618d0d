// Which flows a query selects, shared by the flow search and the flow export (docs/kestra-api.md#listing-and-search):
// legacy `namespace` (a prefix) and `q` where the version reads them, `filters[field][OP]` where it reads
// those. A query value the version does not know is ignored, as Micronaut ignores unbound query values: the
// selection is then wider, never narrower.
import type { ApiContext } from './flow-service.js';
import type { RequestContext } from './router.js';
import type { FlowRecord } from './store.js';

const underPrefix = (ns: string, prefix: string): boolean => ns === prefix || ns.startsWith(prefix + '.');
// The full-text `q` looks at the namespace and the id.
const text = (r: FlowRecord): string => `${r.namespace}.${r.id}`.toLowerCase();

/** The tests a flow must pass to be selected by the request's query. */
export function flowFilters(api: ApiContext, ctx: RequestContext): ((r: FlowRecord) => boolean)[] {
  const tests: ((r: FlowRecord) => boolean)[] = [];
  if (api.features.legacyFlowSearch) {
    const legacyNamespace = ctx.query.get('namespace');
    if (legacyNamespace) tests.push((r) => underPrefix(r.namespace, legacyNamespace));
    const q = ctx.query.get('q');
    if (q) tests.push((r) => text(r).includes(q.toLowerCase()));
  }
  for (const [key, value] of api.features.flowSearchFilters ? ctx.query : []) {
    const m = /^filters\[(\w+)\]\[(\w+)\]$/.exec(key);
    if (!m) continue;
    const [, field, op] = m as unknown as [string, string, string];
    const read = (r: FlowRecord): string =>
      field === 'namespace' ? r.namespace : field === 'q' ? text(r) : r.id;
    const wanted = field === 'q' ? value.toLowerCase() : value;
    if (op === 'EQUALS') tests.push((r) => (field === 'q' ? read(r).includes(wanted) : read(r) === wanted));
    else if (op === 'NOT_EQUALS') tests.push((r) => read(r) !== wanted);
    else if (op === 'PREFIX') tests.push((r) => underPrefix(read(r), wanted));
    else if (op === 'STARTS_WITH') tests.push((r) => read(r).startsWith(wanted));
    else if (op === 'CONTAINS') tests.push((r) => read(r).includes(wanted));
    else if (op === 'IN') tests.push((r) => wanted.split(',').includes(read(r)));
  }
  return tests;
}

/** The latest live flows of the request's tenant that the query selects. */
export function selectFlows(api: ApiContext, ctx: RequestContext): FlowRecord[] {
  const tests = flowFilters(api, ctx);
  return api.store.listFlows(ctx.tenant).filter((r) => tests.every((t) => t(r)));
}
