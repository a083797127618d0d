// Deploying namespace files: the local tree → checks that refuse before any write → plan against the
// server's tree → uploads, then deletions (or the plan, on a dry-run).
import type { KestraClient, Logger } from '../kestra/api.js';
import { isFlowsPath } from '../kestra/batch.js';
import type { DeployReport } from '../model/results.js';
import type { DeploySettings } from '../model/settings.js';
import { applyPlans } from './apply/apply.js';
import { beforeWriting, DeployError } from './deploy-error.js';
import { discoverNamespaceFiles } from './discover/discover-files.js';
import { keptNotices } from './plan/plan.js';
import { normaliseRemoteFolder, planNamespaceFiles, spaceProblems } from './plan/plan-files.js';
import { plannedResults, planOutput } from './plan/plan-output.js';
import { planChanges, tooManyDeletes } from './plan/changes.js';

const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

export async function deployFiles(
  settings: DeploySettings,
  client: KestraClient,
  log: Logger,
): Promise<DeployReport> {
  const namespace = settings.namespace;
  if (!namespace)
    throw new DeployError("'namespace' is required to deploy namespace files: name the target namespace");
  if (!NAMESPACE_PATTERN.test(namespace) || namespace.length > 150) {
    throw new DeployError(
      `'namespace' "${namespace}" is not a Kestra namespace: lower-case letters, digits, '.', '_' and '-'`,
    );
  }
  const to = normaliseRemoteFolder(settings.to);
  const { files: local, rules } = await beforeWriting(() =>
    discoverNamespaceFiles(settings.workspace, settings.directory, log.warning, settings),
  );
  if (local.length === 0 && settings.delete) {
    throw new DeployError(
      `no files found under '${settings.directory}' and 'delete' is true: refusing to empty ${namespace}${to}; nothing was written or deleted`,
    );
  }
  const reserved = local.filter((f) => isFlowsPath(`${to}${f.relative}`));
  if (reserved.length) {
    throw new DeployError(
      `${reserved.map((f) => f.file).join(', ')}: /_flows is reserved by Kestra for flows; deploy flows with 'resource: flows' or exclude them in .kestraignore. Nothing was written.`,
    );
  }
  // Kestra ≤ 1.3 stores a space as '+', 2.0 keeps it: without a version, a pruning deploy could delete
  // the very file it just uploaded under the other spelling, so it is refused (docs/kestra-api.md#file-paths).
  const spaced = to.includes(' ') || local.some((f) => f.relative.includes(' '));
  if (!client.info.known && spaced && settings.delete) {
    throw new DeployError(
      `the server does not say its version, so it is unknown whether it stores a space in a file path as '+' ` +
        `(Kestra ≤ 1.3) or keeps it (2.0): with 'delete' a file could be deleted right after its upload. ` +
        `Rename the files with spaces, or deploy them without 'delete'. Nothing was written or deleted.`,
    );
  }
  const spacesAsPlus = client.info.known && Number(client.info.version.split('.')[0]) < 2;
  const spaces = spaceProblems(client.info.version, spacesAsPlus, to, local);
  if (spaces.refusal) throw new DeployError(spaces.refusal);
  if (spaces.warning) log.warning(spaces.warning);
  const plan = await beforeWriting(() =>
    planNamespaceFiles(client, namespace, to, local, { delete: settings.delete, spacesAsPlus, rules }, log),
  );
  const tooMany = tooManyDeletes([plan], settings.maxDeletes);
  if (tooMany) throw new DeployError(tooMany);
  const notices = keptNotices(plan);
  const changes = settings.dryRun ? await beforeWriting(() => planChanges(plan)) : undefined;
  const { namespaces, results } = settings.dryRun
    ? { namespaces: [{ namespace, status: 'planned' as const }], results: plannedResults(plan) }
    : await applyPlans(client, [plan], { delete: settings.delete, log });
  return {
    resource: 'namespace-files',
    dryRun: settings.dryRun,
    namespaces,
    results,
    plan: planOutput(results, notices),
    notices,
    ...(changes ? { changes } : {}),
  };
}
