// Deploying flows: check (with the rewrites applied) → plan per namespace → apply, or report the plan.
import type { KestraClient, Logger } from '../kestra/api.js';
import type { FlowPlan } from '../model/plan.js';
import type { DeployOutcome, PlanNotice } from '../model/results.js';
import type { DeploySettings } from '../model/settings.js';
import type { FlowDoc } from '../model/types.js';
import { applyPlans } from './apply/apply.js';
import { needsFlowByFlow } from './apply/apply-flows.js';
import { flagNamespaceMismatch } from './check/check.js';
import { checkFlows } from './check-flows.js';
import { DEFAULT_CONCURRENCY, mapLimit } from './concurrency.js';
import { beforeWriting, DeployError } from './deploy-error.js';
import { excludedFlowIds } from './discover/excluded-flows.js';
import { flowsElsewhere } from './plan/flows-elsewhere.js';
import type { ParsedSource } from './parse/parse.js';
import { reparseFlow, withNamespace, withReadOnlyLabel } from './parse/rewrite.js';
import { groupByNamespace, keptNotices, planNamespace, type WritePath } from './plan/plan.js';
import { compareWithServer } from './plan/remote-sources.js';
import { plannedResults, planOutput } from './plan/plan-output.js';
import { planChanges, tooManyDeletes } from './plan/changes.js';
import { tally } from './check/tally.js';

export async function deployFlows(
  settings: DeploySettings,
  client: KestraClient,
  log: Logger,
): Promise<DeployOutcome> {
  const { flows, checked, mode, kestraVersion } = await beforeWriting(() =>
    checkFlows(settings, client, log, rewrites(settings)),
  );
  if (settings.namespace && !settings.overrideNamespace) flagNamespaceMismatch(checked, settings.namespace);
  const validation = {
    checked,
    mode,
    totals: tally(checked, settings.failOnWarnings),
    ...(kestraVersion ? { kestraVersion } : {}),
  };
  if (!validation.totals.valid) return { status: 'invalid', validation };
  if (flows.length === 0) {
    throw new DeployError(
      `no Kestra flows found under '${settings.directory}': nothing was written or deleted`,
    );
  }

  const groups = [...groupByNamespace(flows)];
  // Flows in excluded files are not this step's: with `delete`, their copies on the server stay.
  const override = settings.overrideNamespace ? settings.namespace : undefined;
  const excluded = settings.delete
    ? await beforeWriting(() => excludedFlowIds(settings, override))
    : new Map<string, Set<string>>();
  // Every namespace is read before the first write: a failed listing leaves the server untouched.
  const remote = await beforeWriting(() =>
    mapLimit(groups, DEFAULT_CONCURRENCY, ([ns]) => client.listFlows(ns)),
  );
  let plans = groups.map(([ns, local], i) =>
    planNamespace(ns, local, remote[i] ?? [], { delete: settings.delete, excluded: excluded.get(ns) }),
  );
  const notices: PlanNotice[] = [
    ...plans.flatMap(keptNotices),
    // With override-namespace, copies in the flows' own namespaces are there by design (one per environment).
    ...(override ? [] : await flowsElsewhere(client, plans, log.info)),
  ];

  // The server's sources, read before any write too: a flow it would keep as it is is not sent.
  const via = (plan: FlowPlan): WritePath =>
    needsFlowByFlow(client, [...plan.create, ...plan.update]) ? 'put' : 'bulk';
  plans = await beforeWriting(() => compareWithServer(client, plans, log, via));
  const tooMany = tooManyDeletes(plans, settings.maxDeletes);
  if (tooMany) throw new DeployError(tooMany);

  if (settings.dryRun) {
    const results = plans.flatMap(plannedResults);
    const namespaces = plans.map((p) => ({ namespace: p.namespace, status: 'planned' as const }));
    const changes = (await Promise.all(plans.map((p) => planChanges(p)))).flat();
    const report = { resource: 'flows' as const, dryRun: true, namespaces, results, notices, changes };
    return { status: 'reported', validation, report: { ...report, plan: planOutput(results, notices) } };
  }
  const { namespaces, results } = await applyPlans(client, plans, { delete: settings.delete });
  const report = { resource: 'flows' as const, dryRun: false, namespaces, results, notices };
  return { status: 'reported', validation, report: { ...report, plan: planOutput(results, notices) } };
}

/** The namespace override and the read-only label, applied before validation so the server checks what is sent. */
function rewrites(settings: DeploySettings): (flow: FlowDoc) => FlowDoc {
  return (flow) => {
    // Each rewrite hands the parse that checked it to the next one, and the last to reparseFlow.
    let next: ParsedSource = flow;
    const target = settings.overrideNamespace ? settings.namespace : undefined;
    if (target && flow.namespace && flow.namespace !== target) next = withNamespace(next, target);
    if (settings.readOnly) next = withReadOnlyLabel(next);
    return next.source === flow.source ? flow : reparseFlow(flow, next);
  };
}
