// The two commands: read the settings, run the core's pipeline through an observed client, print the report,
// leave the report files and the merge request note, and return the exit code (0 done, 1 failed).
import { deploy, validate } from '../core/pipeline.js';
import { connect } from '../kestra/connect.js';
import type { DeployOutcome, Validation } from '../model/results.js';
import type { DeploySettings, ValidateSettings } from '../model/settings.js';
import { deployCommentBody, validateCommentBody, withReadiness } from '../render/comment.js';
import { readinessRows } from '../render/readiness.js';
import { failureMessage, invalidDeployMessage } from '../render/words.js';
import { deployDocument, errorDocument, validateDocument } from './document.js';
import type { Output } from './output.js';
import { observeClient } from './progress.js';
import { noteOnMergeRequest, writeReportFiles } from './publish.js';
import {
  printDeploy,
  printFindings,
  printInvalidDeploy,
  printReadiness,
  printValidateVerdict,
  printValidation,
} from './report.js';
import type { CliSettings } from './settings.js';
import { openFold } from './terminal.js';

export interface RunContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  version: string;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The stage before the report (connect, discover, check, plan, apply), folded in a CI log. */
function stage(out: Output, title: string): () => void {
  return out.quiet ? () => out.progress.clear() : openFold(out.diag, out.ci, title);
}

/** A run that ended before any result: the error, and in JSON the document that says so. */
function failed(out: Output, context: RunContext, command: 'validate' | 'deploy', message: string): number {
  out.error(message);
  if (out.format === 'json') out.json(errorDocument(context.version, command, message));
  return 1;
}

/** The merge request note of a validation (the readiness table included when it has rows). */
const validationNote =
  (v: Validation) =>
  (marker: string): string =>
    validateCommentBody(v.totals, v.mode, marker, readinessRows(v));

const where = (settings: CliSettings): string =>
  settings.connection ? settings.connection.server : 'offline';

export async function runValidate(settings: CliSettings, out: Output, context: RunContext): Promise<number> {
  const log = out.logger(context.env);
  const core: ValidateSettings = {
    ...settings.source,
    connection: settings.connection,
    failOnWarnings: settings.failOnWarnings,
    fix: settings.fix,
  };
  const close = stage(out, `Validating ${settings.source.directory} (${where(settings)})`);
  let validation: Validation;
  try {
    if (!core.connection) out.info("No server given: validating offline with Kestra's structural rules.");
    out.progress.update('discover', `Reading YAML files under ${settings.source.directory}…`);
    const client = core.connection
      ? observeClient(await connect(core.connection, log), out.progress)
      : undefined;
    validation = await validate(core, client, log).finally(() => client?.close().catch(() => undefined));
  } catch (error) {
    close();
    return failed(out, context, 'validate', messageOf(error));
  }
  close();
  const { totals } = validation;
  printFindings(
    out,
    validation.checked.flatMap((c) => c.violations),
  );
  printValidation(out, totals);
  writeReportFiles(settings, out, context.env, context.cwd, context.version, { validation });
  await noteOnMergeRequest(settings, out, context.env, validationNote(validation));
  // The verdict stays the last line: the readiness table ends the report just above it.
  printReadiness(out, validation);
  printValidateVerdict(out, validation, settings.failOnWarnings);
  if (out.format === 'json') out.json(validateDocument(context.version, validation));
  return totals.valid ? 0 : 1;
}

export async function runDeploy(settings: CliSettings, out: Output, context: RunContext): Promise<number> {
  const log = out.logger(context.env);
  if (!settings.connection || !settings.deploy) throw new Error('deploy needs a server'); // settings.ts refuses it
  const core: DeploySettings = {
    ...settings.source,
    ...settings.deploy,
    connection: settings.connection,
    failOnWarnings: settings.failOnWarnings,
  };
  const what = core.resource === 'flows' ? 'flows' : 'namespace files';
  const close = stage(
    out,
    `${core.dryRun ? 'Planning' : 'Deploying'} ${what} from ${core.directory} to ${core.connection.server}`,
  );
  let outcome: DeployOutcome;
  try {
    out.progress.update('discover', `Reading files under ${core.directory}…`);
    const client = await connect(core.connection, log, core.resource).catch((error: unknown) => {
      throw new Error(`${messageOf(error)} (nothing was written or deleted)`);
    });
    try {
      outcome = await deploy(core, observeClient(client, out.progress), log);
    } finally {
      // Nothing is in flight by now; a failing close must not hide the deploy's own result.
      await client.close().catch(() => undefined);
    }
  } catch (error) {
    close();
    return failed(out, context, 'deploy', messageOf(error));
  }
  close();
  const { env, cwd, version } = context;
  if (outcome.validation)
    printFindings(
      out,
      outcome.validation.checked.flatMap((c) => c.violations),
    );
  if (outcome.status === 'invalid') {
    const { totals } = outcome.validation;
    printInvalidDeploy(out, outcome.validation);
    writeReportFiles(settings, out, env, cwd, version, { validation: outcome.validation });
    await noteOnMergeRequest(settings, out, env, validationNote(outcome.validation));
    if (out.format === 'json') out.json(deployDocument(version, outcome, invalidDeployMessage(totals)));
    return 1;
  }
  const { report } = outcome;
  const fullPlan = settings.reports.plan ?? 'a file --plan-file FILE writes';
  printDeploy(out, report, outcome.validation, fullPlan);
  writeReportFiles(settings, out, env, cwd, version, { validation: outcome.validation, report });
  const readiness = outcome.validation ? readinessRows(outcome.validation) : [];
  await noteOnMergeRequest(settings, out, env, (marker) =>
    withReadiness(deployCommentBody(report, marker, fullPlan), readiness),
  );
  const failure = failureMessage(report);
  if (out.format === 'json') out.json(deployDocument(version, outcome, failure));
  return failure ? 1 : 0;
}
