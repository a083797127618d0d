// The validate action: read its inputs, validate, then annotations, job summary, outputs and comment.
import * as core from '@actions/core';
import { validate } from '../core/pipeline.js';
import { connect } from '../kestra/connect.js';
import type { ValidateSettings } from '../model/settings.js';
import { getBoolean } from './inputs.js';
import { log } from './log.js';
import { validateCommentBody } from '../render/comment.js';
import { readinessRows } from '../render/readiness.js';
import { validationFailure, validationLine } from '../render/words.js';
import { annotateViolations } from './annotations.js';
import { fail } from './fail.js';
import { setValidateOutputs } from './outputs.js';
import { writeValidateSummary } from './summary.js';
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
      fix: getBoolean('fix'),
    };
    if (!settings.connection) {
      log.info("No 'server' given: validating offline with Kestra's structural rules.");
    }
    const client = settings.connection ? await connect(settings.connection, log) : undefined;
    const validation = await validate(settings, client, log).finally(() =>
      client?.close().catch(() => undefined),
    );
    const { checked, totals, mode } = validation;
    annotateViolations(checked.flatMap((c) => c.violations));
    await writeValidateSummary(validation);
    setValidateOutputs(totals);
    await commentOnPullRequest('validate', { ...settings, comment }, (marker) =>
      validateCommentBody(totals, mode, marker, readinessRows(validation)),
    );
    log.info(validationLine(totals, mode, settings.failOnWarnings));
    if (!totals.valid) core.setFailed(validationFailure(totals));
  } catch (error) {
    fail(error);
  }
}
