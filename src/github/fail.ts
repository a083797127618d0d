// How a run ends in failure on the runner.
import * as core from '@actions/core';

/** The one place a failure becomes the step's result: one line, no stack trace unless debugging. */
export function fail(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.stack && core.isDebug()) core.debug(error.stack);
  core.setFailed(message);
}
