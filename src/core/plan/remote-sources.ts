// Plan stage for flows: the server's source of every flow a plan would update, so that a flow Kestra would
// keep as it is goes to `unchanged` (plan.ts, sameSource) and the others carry the server's text in `before`.
// One export per namespace (docs/kestra-api.md#flow-export); flow by flow where the server has no usable one.
import type { KestraClient, Logger } from '../../kestra/api.js';
import type { FlowPlan } from '../../model/plan.js';
import type { FlowDoc } from '../../model/types.js';
import { DEFAULT_CONCURRENCY, mapLimit } from '../concurrency.js';
import { splitUnchanged, type WritePath } from './plan.js';

/**
 * Reads the server's sources for the plans' `update` and splits off the flows a write would not change.
 * `via` says, per plan, how its writes go (the server stores a bulk's sources trimmed, a PUT's as sent).
 * Every read happens here, before any write: a failed read throws, and the caller writes nothing.
 */
export async function compareWithServer(
  client: KestraClient,
  plans: FlowPlan[],
  log: Logger,
  via: (plan: FlowPlan) => WritePath,
): Promise<FlowPlan[]> {
  const wanted = plans.filter((p) => p.update.length > 0);
  const sources = new Map<string, Map<string, string>>();
  // A namespace whose export holds every flow to compare is split at once, so only the sources of its
  // changed flows (its `before`) outlive the answer: 10,000 flows are not all held until the last export.
  const split = new Map<string, FlowPlan>();
  let unusable: string | undefined;
  const readExport = async (plan: FlowPlan): Promise<void> => {
    const answer = await client.exportFlows(plan.namespace);
    if ('unusable' in answer) {
      unusable ??= answer.unusable;
      return;
    }
    const found = pick(answer.sources, plan);
    if (plan.update.every((f) => found.has(f.id as string)))
      split.set(plan.namespace, splitUnchanged(plan, found, via(plan)));
    else sources.set(plan.namespace, found);
  };
  // The first answer tells whether this server has a usable export: the other namespaces ask only if so.
  const [first, ...rest] = wanted;
  if (first) await readExport(first);
  if (first && unusable === undefined) await mapLimit(rest, DEFAULT_CONCURRENCY, readExport);

  const missing = wanted
    .filter((plan) => !split.has(plan.namespace))
    .flatMap((plan) =>
      plan.update
        .filter((f) => !sources.get(plan.namespace)?.has(f.id as string))
        .map((flow) => ({ plan, flow })),
    );
  if (unusable !== undefined) {
    log.info(
      `The server's flow export is not usable (${unusable}): reading the ${missing.length} flows to compare ` +
        'one request each instead.',
    );
  }
  const read = await mapLimit(missing, DEFAULT_CONCURRENCY, ({ plan, flow }) =>
    client.getFlow(plan.namespace, flow.id as string),
  );
  missing.forEach(({ plan, flow }, i) => {
    const source = read[i]?.source;
    if (source === undefined) return; // gone since the listing: the plan writes it
    const known = sources.get(plan.namespace) ?? new Map<string, string>();
    sources.set(plan.namespace, known.set(flow.id as string, source));
  });
  return plans.map(
    (plan) =>
      split.get(plan.namespace) ??
      (plan.update.length === 0
        ? plan
        : splitUnchanged(plan, sources.get(plan.namespace) ?? new Map(), via(plan))),
  );
}

/**
 * The exported sources of the plan's `update`, by id. An entry's name does not say which flow it holds
 * (`<namespace>-<id>.yml`, where both may hold `-`), and before 1.3 the export has child namespaces too: each
 * source is known by its own top-level `id` and `namespace`. One that does not say them plainly is left out,
 * and its flow is read on its own.
 */
function pick(exported: string[], plan: FlowPlan): Map<string, string> {
  const wanted = new Set(plan.update.map((f: FlowDoc) => f.id as string));
  const found = new Map<string, string>();
  const twice = new Set<string>();
  for (const source of exported) {
    const id = topLevel(source, 'id');
    if (id === undefined || topLevel(source, 'namespace') !== plan.namespace || !wanted.has(id)) continue;
    if (found.has(id)) twice.add(id);
    found.set(id, source);
  }
  for (const id of twice) found.delete(id);
  return found;
}

/**
 * The plain value of a top-level `key:` line, or undefined when the key is not on exactly one line at column 0
 * or its value is not a plain or simply quoted scalar. A line at column 0 is top-level: the content of block
 * scalars and nested maps is indented.
 */
export function topLevel(source: string, key: 'id' | 'namespace'): string | undefined {
  const lines = [...source.matchAll(new RegExp(`^${key}[ \\t]*:(?:[ \\t]+(.*))?$`, 'gm'))];
  if (lines.length !== 1) return undefined;
  const value = (lines[0]?.[1] ?? '').replace(/(^|[ \t])#.*$/, '').trim();
  const quoted = /^'([^']*)'$/.exec(value) ?? /^"([^"\\]*)"$/.exec(value);
  if (quoted) return quoted[1] || undefined;
  return /^[^'"{[&*!|>%@`]\S*$/.test(value) ? value : undefined;
}
