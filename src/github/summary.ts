// The job summary: the HTML rendered by src/render/summary.ts, written through @actions/core.
import * as core from '@actions/core';
import { EOL } from 'node:os';
import type { DeployReport, ValidateTotals } from '../model/results.js';
import { deploySummary, validateSummary } from '../render/summary.js';

export async function writeValidateSummary(totals: ValidateTotals, mode: string): Promise<void> {
  await writeSummary(validateSummary(totals, mode, EOL));
}

export async function writeDeploySummary(report: DeployReport): Promise<void> {
  await writeSummary(deploySummary(report, EOL));
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
