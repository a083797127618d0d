// The job summary: the HTML rendered by src/render/summary.ts, written through @actions/core.
import * as core from '@actions/core';
import { EOL } from 'node:os';
import type { DeployReport, Validation } from '../model/results.js';
import { deploySummary, validationSummary } from '../render/summary.js';

/** The verdict and rows, ended by the "Ready for Kestra 2.0?" table when the run targeted 1.x. */
export async function writeValidateSummary(validation: Validation): Promise<void> {
  await writeSummary(validationSummary(validation, EOL));
}

/** `fullPlan`: where the summary says the whole plan is, where it cuts the diffs. */
export async function writeDeploySummary(
  report: DeployReport,
  validation?: Validation,
  fullPlan?: string,
): Promise<void> {
  await writeSummary(deploySummary(report, EOL, validation, fullPlan));
}

/** The summary is a courtesy: a runner without one (act, local runs) must not fail the step. */
async function writeSummary(html: string): Promise<void> {
  try {
    await core.summary.addRaw(html).write();
  } catch (error) {
    core.summary.emptyBuffer();
    core.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
