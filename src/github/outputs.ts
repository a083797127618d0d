// The step's outputs: counts, the deploy's plan, and the results (cut to fit an expression) with their file.
import * as core from '@actions/core';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DeployReport, ValidateTotals } from '../model/results.js';
import { planFileJson } from '../render/changes.js';
import { ACTIONS, countActions } from '../render/words.js';

export function setValidateOutputs(totals: ValidateTotals): void {
  core.setOutput('valid', String(totals.valid));
  core.setOutput('flows', String(totals.flows));
  core.setOutput('errors', String(totals.errors));
  core.setOutput('warnings', String(totals.warnings));
  setResults('validate', totals.results);
}

/**
 * `scrub`: hides the connection's secrets in the plan file (a server may echo one in a flow's source). Returns
 * the plan file's path, on a dry-run.
 */
export function setDeployOutputs(report: DeployReport, scrub?: (text: string) => string): string | undefined {
  const c = countActions(report.results);
  for (const a of ACTIONS) core.setOutput(a, String(c[a]));
  core.setOutput('plan', JSON.stringify(report.plan));
  setResults('deploy', report.results);
  if (!report.changes) return undefined;
  const planFile = writePlanFile(report, scrub);
  core.setOutput('plan-file', planFile);
  return planFile;
}

/** The whole plan for review, every diff included, in a file under RUNNER_TEMP: its path. */
function writePlanFile(report: DeployReport, scrub?: (text: string) => string): string {
  const file = path.join(process.env.RUNNER_TEMP || tmpdir(), `kestra-deploy-plan-${randomUUID()}.json`);
  writeFileSync(file, planFileJson(report, scrub));
  return file;
}

/**
 * GitHub evaluates an expression in at most 1 MB counted as UTF-16 and fails the step that reads a larger
 * output ("The maximum allowed memory size was exceeded"); a job's outputs share 1 MB too. 10,000 flows make
 * ~1.5 MB of results, so the output keeps whole entries up to half that limit, and the file has them all.
 */
export const RESULTS_OUTPUT_CHARS = 256 * 1024;

/** The `results` output, cut to fit with a warning when needed, and `results-file`, always whole. */
function setResults(action: 'validate' | 'deploy', results: readonly unknown[]): void {
  const json = JSON.stringify(results);
  const file = path.join(
    process.env.RUNNER_TEMP || tmpdir(),
    `kestra-${action}-results-${randomUUID()}.json`,
  );
  writeFileSync(file, json);
  core.setOutput('results-file', file);
  if (json.length <= RESULTS_OUTPUT_CHARS) {
    core.setOutput('results', json);
    return;
  }
  const kept: string[] = [];
  let length = 2; // the brackets
  for (const result of results) {
    const entry = JSON.stringify(result);
    const grown = length + entry.length + (kept.length > 0 ? 1 : 0); // and a comma after the first
    if (grown > RESULTS_OUTPUT_CHARS) break;
    kept.push(entry);
    length = grown;
  }
  core.setOutput('results', `[${kept.join(',')}]`);
  core.warning(
    `The 'results' output holds the first ${kept.length} of ${results.length} entries: all of them take ` +
      `${Math.round(json.length / 1024)} K characters, more than a workflow expression can read. ` +
      `Read the whole list from the file named by the 'results-file' output.`,
  );
}
