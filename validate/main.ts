// The validate action: read its inputs, run the pipeline up to the report, fail when a flow fails.
import * as core from '@actions/core';
import {
  readCommentInputs,
  readConnectionInputs,
  readFailOnWarnings,
  readSourceInputs,
} from '../src/github/settings.js';
import { runValidate } from '../src/core/pipeline.js';
import { fail } from '../src/github/fail.js';

export async function run(): Promise<void> {
  try {
    const totals = await runValidate({
      ...readSourceInputs(),
      comment: readCommentInputs(),
      connection: readConnectionInputs(),
      failOnWarnings: readFailOnWarnings(),
    });
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
