// The pipeline, top to bottom: discover → parse → check, then for a deploy plan → apply. It takes settings
// and a Kestra client and returns data; the front-ends (src/github/, the CLI) read inputs and render results.
import type { KestraClient, Logger } from '../kestra/api.js';
import type { DeployOutcome, Validation } from '../model/results.js';
import type { DeploySettings, ValidateSettings } from '../model/settings.js';
import { checkFlows } from './check-flows.js';
import { DeployError } from './deploy-error.js';
import { deployFiles } from './deploy-files.js';
import { deployFlows } from './deploy-flows.js';
import { tally } from './check/tally.js';

/** Validate: every flow checked offline, and by the server when a client is given. */
export async function validate(
  settings: ValidateSettings,
  client: KestraClient | undefined,
  log: Logger,
): Promise<Validation> {
  const { checked, mode, kestraVersion, fixed, unfixed } = await checkFlows(
    settings,
    client,
    log,
    undefined,
    settings.fix,
  );
  const totals = tally(checked, settings.failOnWarnings, !client);
  return {
    checked,
    mode,
    totals,
    ...(kestraVersion ? { kestraVersion } : {}),
    ...(fixed ? { fixed } : {}),
    ...(unfixed?.length ? { unfixed } : {}),
  };
}

/**
 * Deploy: validate everything, plan against the server, then apply unless it is a dry-run. Nothing is
 * written when anything before `apply` fails: a refusal throws a DeployError that says so.
 */
export async function deploy(
  settings: DeploySettings,
  client: KestraClient,
  log: Logger,
): Promise<DeployOutcome> {
  if (settings.overrideNamespace && !settings.namespace) {
    throw new DeployError("'override-namespace' needs a 'namespace': nothing was written or deleted");
  }
  return settings.resource === 'flows'
    ? deployFlows(settings, client, log)
    : { status: 'reported', report: await deployFiles(settings, client, log) };
}
