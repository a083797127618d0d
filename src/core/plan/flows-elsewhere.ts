// Flows a deploy creates whose id is already on the server in a namespace the run does not deploy. That is
// what a flow moved to another namespace looks like: the run creates it in its new namespace, and nothing
// ever deletes the old copy, since the old namespace is no longer deployed. The plan says so.
import { DEFAULT_CONCURRENCY, mapLimit } from '../concurrency.js';
import type { KestraClient } from '../../kestra/api.js';
import type { FlowPlan } from '../../model/plan.js';
import type { PlanNotice } from '../../model/results.js';

/** Searches at most this many ids (one request each): a first deploy of a big repository is all creates. */
export const MAX_SEARCHED_IDS = 20;
/** Entries read per search: the server's full-text match may return other flows too. */
export const SEARCH_PAGE_SIZE = 100;

/**
 * One `elsewhere` notice per deployed namespace that creates flows with such copies. Best effort: it never
 * stops a deploy. A failed search, or more new ids than MAX_SEARCHED_IDS, is said in the log instead.
 */
export async function flowsElsewhere(
  client: KestraClient,
  plans: FlowPlan[],
  info: (message: string) => void,
): Promise<PlanNotice[]> {
  const deployed = new Set(plans.map((p) => p.namespace));
  const ids = [...new Set(plans.flatMap((p) => p.create.map((f) => f.id as string)))].sort();
  if (ids.length === 0) return [];
  if (ids.length > MAX_SEARCHED_IDS) {
    info(
      `${ids.length} flow ids are new: not looking for copies of them left in namespaces this run does not ` +
        `deploy (done for up to ${MAX_SEARCHED_IDS} new ids, one search each).`,
    );
    return [];
  }
  let answers;
  try {
    answers = await mapLimit(ids, DEFAULT_CONCURRENCY, (id) => client.searchFlows(id, SEARCH_PAGE_SIZE));
  } catch (error) {
    info(
      `Could not look for copies of the new flows in other namespaces: ${error instanceof Error ? error.message : String(error)}`,
    );
    return [];
  }
  const others = new Map(
    ids.map((id, i) => [
      id,
      [
        ...new Set(
          (answers[i] ?? []).filter((f) => f.id === id && !deployed.has(f.namespace)).map((f) => f.namespace),
        ),
      ].sort(),
    ]),
  );
  const notices: PlanNotice[] = [];
  for (const plan of plans) {
    const moved = plan.create
      .map((f) => ({ id: f.id as string, from: others.get(f.id as string) ?? [] }))
      .filter((m) => m.from.length > 0);
    if (moved.length === 0) continue;
    const names = moved.flatMap((m) => m.from.map((ns) => `${ns}.${m.id}`));
    const list = moved.map((m) => `${m.id} (also in ${m.from.join(', ')})`).join('; ');
    notices.push({
      kind: 'elsewhere',
      namespace: plan.namespace,
      names,
      message:
        `${plan.namespace}: new here, but a flow with the same id is on the server in a namespace this run ` +
        `does not deploy: ${list}. If a flow moved, its old copy stays there: delete it in Kestra when it is ` +
        `no longer wanted.`,
    });
  }
  return notices;
}
