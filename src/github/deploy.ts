// The deploy action: read and check every input before the first request (a refused run sends nothing),
// deploy, then annotations, plan or results in the log, job summary, outputs and comment.
import { deploy } from '../core/pipeline.js';
import { beforeWriting, DeployError } from '../core/deploy-error.js';
import { connect, connectionSecrets } from '../kestra/connect.js';
import { scrubSecrets } from '../kestra/http.js';
import type { DeployOutcome, PlannedChange } from '../model/results.js';
import type { DeploySettings } from '../model/settings.js';
import { checkDeployTarget, parseMaxDeletes, refuseTemplate } from '../model/settings-checks.js';
import { getBoolean, getEnum, getString, InputError } from './inputs.js';
import { log } from './log.js';
import { deployCommentBody, validateCommentBody, withReadiness } from '../render/comment.js';
import { readinessRows } from '../render/readiness.js';
import { failureMessage, invalidDeployMessage } from '../render/words.js';
import { annotateViolations } from './annotations.js';
import { logDeploy } from './deploy-log.js';
import { fail } from './fail.js';
import { setDeployOutputs } from './outputs.js';
import { writeDeploySummary, writeValidateSummary } from './summary.js';
import {
  readCommentInputs,
  readConnectionInputs,
  readFailOnWarnings,
  readSourceInputs,
  type CommentInputs,
} from './settings.js';
import { commentOnPullRequest } from './step-comment.js';

/** Where the summary and the comment say the whole plan is. */
const PLAN_FILE = "the step's `plan-file` output";

const scrubChange = (c: PlannedChange, scrub: (text: string) => string): PlannedChange =>
  c.diff === undefined ? c : { ...c, diff: scrub(c.diff) };

export async function run(): Promise<void> {
  try {
    const { settings, comment } = readDeployInputs();
    await runDeploy(settings, comment);
  } catch (error) {
    fail(error);
  }
}

/** Connect, deploy and report; throws what the step fails with (the fault tests call it with their settings). */
export async function runDeploy(settings: DeploySettings, comment?: CommentInputs): Promise<void> {
  const client = await beforeWriting(() => connect(settings.connection, log, settings.resource));
  try {
    const outcome = await deploy(settings, client, log).catch((error: unknown) => {
      refused(settings);
      throw error;
    });
    await report(settings, comment, outcome);
  } finally {
    // Nothing is in flight by now; a failing close must not hide the deploy's own result.
    await client.close().catch(() => undefined);
  }
}

/** Refused before any write: the outputs still say so (zero counts), for steps that read them anyway. */
function refused(settings: DeploySettings): void {
  setDeployOutputs({
    resource: settings.resource,
    dryRun: settings.dryRun,
    namespaces: [],
    results: [],
    plan: {},
  });
}

async function report(
  settings: DeploySettings,
  comment: CommentInputs | undefined,
  outcome: DeployOutcome,
): Promise<void> {
  const step = { ...settings, comment };
  if (outcome.validation) annotateViolations(outcome.validation.checked.flatMap((c) => c.violations));
  if (outcome.status === 'invalid') {
    const { totals, mode } = outcome.validation;
    refused(settings);
    await writeValidateSummary(outcome.validation);
    await commentOnPullRequest('deploy', step, (marker) =>
      validateCommentBody(totals, mode, marker, readinessRows(outcome.validation)),
    );
    throw new DeployError(invalidDeployMessage(totals));
  }
  logDeploy(outcome.report);
  // The diffs hold what the server sent: any secret of the connection it echoes is hidden everywhere.
  const secrets = connectionSecrets(settings.connection);
  const scrub = (text: string): string => scrubSecrets(text, secrets);
  const reviewed = { ...outcome.report, changes: outcome.report.changes?.map((c) => scrubChange(c, scrub)) };
  await writeDeploySummary(reviewed, outcome.validation, PLAN_FILE);
  const planFile = setDeployOutputs(reviewed, scrub);
  const diffs = reviewed.changes?.filter((c) => c.diff).length ?? 0;
  if (planFile && diffs) {
    log.info(
      `Diffs of the updates (${diffs}): in the job summary; the whole plan: ${planFile} (the plan-file output)`,
    );
  }
  const readiness = outcome.validation ? readinessRows(outcome.validation) : [];
  await commentOnPullRequest('deploy', step, (marker) =>
    withReadiness(deployCommentBody(reviewed, marker, PLAN_FILE), readiness),
  );
  const failure = failureMessage(outcome.report);
  if (failure) throw new DeployError(failure);
}

function readDeployInputs(): { settings: DeploySettings; comment: CommentInputs | undefined } {
  const connection = readConnectionInputs();
  if (!connection) {
    throw new InputError(
      "Input 'server' is required to deploy: the URL of your Kestra server, like https://kestra.example.com",
    );
  }
  refuseTemplate(getString('resource'));
  const resource = getEnum('resource', ['flows', 'namespace-files'] as const, {
    aliases: { flow: 'flows', namespace_files: 'namespace-files', 'namespace-file': 'namespace-files' },
  });
  const namespace = getString('namespace');
  const overrideNamespace = getBoolean('override-namespace');
  checkDeployTarget({ resource, namespace, overrideNamespace });
  const source = readSourceInputs();
  const comment = readCommentInputs();
  const settings: DeploySettings = {
    ...source,
    connection,
    resource,
    namespace,
    overrideNamespace,
    delete: getBoolean('delete'),
    maxDeletes: parseMaxDeletes('max-deletes', getString('max-deletes') ?? ''),
    dryRun: getBoolean('dry-run'),
    readOnly: getBoolean('read-only'),
    failOnWarnings: readFailOnWarnings(),
    // Only namespace files are written under `to`: there, empty is refused rather than read as '/'.
    to:
      resource === 'namespace-files'
        ? getString('to', {
            notEmpty: "write the namespace folder the files go to, or remove the line to use '/' (its root)",
          })
        : '/',
  };
  return { settings, comment };
}
