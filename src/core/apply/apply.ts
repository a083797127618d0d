// Apply stage: carries plans out, namespace after namespace, flows (apply-flows.ts) and namespace files
// (apply-files.ts) alike, and says per namespace what was written, what failed and what was not attempted.
import type { KestraClient, Logger } from '../../kestra/api.js';
import type { AnyPlan } from '../../model/plan.js';
import type { DeployResult, NamespaceStatus } from '../../model/results.js';
import { ApplyError, errorText } from './apply-error.js';
import { applyFilePlan } from './apply-files.js';
import { applyFlowPlan } from './apply-flows.js';

export { ApplyError };

/** What apply did: the report's `namespaces` and `results`. */
export interface Applied {
  namespaces: NamespaceStatus[];
  results: DeployResult[];
}

/**
 * Applies plan after plan and stops at the first failure: the namespaces after it are skipped. A failed
 * namespace's results are what was confirmed done before the failure. `delete` is the run's: a flow plan
 * deletes only with it. A namespace with nothing to create, update or delete is `unchanged` (no request sent).
 */
export async function applyPlans(
  client: KestraClient,
  plans: AnyPlan[],
  options: { delete: boolean; log?: Logger },
): Promise<Applied> {
  const namespaces: NamespaceStatus[] = [];
  let results: DeployResult[] = [];
  let failed = false;
  for (const plan of plans) {
    const { namespace } = plan;
    if (failed) {
      namespaces.push({ namespace, status: 'skipped' });
      continue;
    }
    try {
      const done =
        plan.resource === 'flows'
          ? await applyFlowPlan(client, plan, options)
          : await applyFilePlan(client, plan, options.log);
      results = results.concat(done);
      const idle = plan.create.length + plan.update.length + plan.delete.length === 0;
      namespaces.push({ namespace, status: idle ? 'unchanged' : 'written' });
    } catch (error) {
      failed = true;
      if (!(error instanceof ApplyError)) {
        namespaces.push({ namespace, status: 'failed', error: errorText(error) });
        continue;
      }
      const { done, failed: failing, notWritten, notDeleted } = error;
      results = results.concat(done);
      namespaces.push({
        namespace,
        status: 'failed',
        error: error.message,
        failed: failing,
        notWritten,
        notDeleted,
      });
    }
  }
  return { namespaces, results };
}
