// The validate action: read its inputs, validate, then annotations, job summary, outputs and comment.
import * as core from '@actions/core';
import { validate } from '../core/pipeline.js';
import { connect } from '../kestra/client.js';
import type { ValidateSettings } from '../model/settings.js';
import { log } from './log.js';
import { validateCommentBody } from './pr-comment.js';
import { annotateViolations, fail, setValidateOutputs, writeValidateSummary } from './report.js';
import { readCommentInputs, readConnectionInputs, readFailOnWarnings, readSourceInputs } from './settings.js';
import { commentOnPullRequest } from './step-comment.js';

export async function run(): Promise<void> {
  try {
    const source = readSourceInputs();
    const comment = readCommentInputs();
    const settings: ValidateSettings = {
      ...source,
      connection: readConnectionInputs(),
      failOnWarnings: readFailOnWarnings(),
    };
    if (!settings.connection) {
      log.info("No 'server' given: validating offline with Kestra's structural rules.");
    }
    const client = settings.connection ? await connect(settings.connection, log) : undefined;
    const { checked, totals, mode } = await validate(settings, client, log).finally(() =>
      client?.close().catch(() => undefined),
    );
    annotateViolations(checked.flatMap((c) => c.violations));
    await writeValidateSummary(totals, mode);
    setValidateOutputs(totals);
    await commentOnPullRequest('validate', { ...settings, comment }, (marker) =>
      validateCommentBody(totals, mode, marker),
    );
    log.info(
      `${totals.flows} flows checked (${mode}): ${totals.errors} invalid, ${totals.warnings} warnings` +
        (totals.valid ? '' : settings.failOnWarnings && totals.errors === 0 ? ' (fail-on-warnings)' : ''),
    );
    if (!totals.valid) {
      core.setFailed(
        totals.errors > 0
          ? `${totals.errors === 1 ? '1 Kestra flow or file is' : `${totals.errors} Kestra flows or files are`} invalid: see the annotations and the job summary`
          : `${totals.warnings} warnings and 'fail-on-warnings' is true`,
      );
    }
  } catch (error) {
    fail(error);
  }
}
