// `--format json`: the results document, one JSON object on stdout. `ok` is the exit code's verdict; the rest
// is the model's data as the action's outputs carry it (results, plan), so a script reads the same fields.
import type { DeployOutcome, Validation } from '../model/results.js';
import { readinessItems } from '../render/readiness.js';
import { countActions } from '../render/words.js';

/**
 * What a validation holds: the verdict, its counts, a row per flow or file, every finding, and with a 1.x
 * target what each flow must change for Kestra 2.0 (one item per change and line; empty otherwise).
 */
function validationPart(validation: Validation) {
  const { totals, mode, checked } = validation;
  return {
    valid: totals.valid,
    mode,
    counts: {
      flows: totals.flows,
      errors: totals.errors,
      warnings: totals.warnings,
      // Offline only: how many flows need a server for a sure verdict.
      ...(totals.needsServer === undefined ? {} : { needsServer: totals.needsServer }),
    },
    results: totals.results,
    findings: checked.flatMap((c) => c.violations),
    readiness: readinessItems(validation),
  };
}

export function validateDocument(version: string, validation: Validation) {
  return { command: 'validate', version, ok: validation.totals.valid, ...validationPart(validation) };
}

/**
 * A deploy: `valid` and `validation` (when it ran), the counts, `results` and `plan` as the action's outputs
 * hold them, and `report` (resource, dry-run, each namespace's status, the plan's notices, a dry-run's changes). `error` says why
 * it was refused or stopped.
 */
export function deployDocument(version: string, outcome: DeployOutcome | undefined, error?: string) {
  const validation = outcome?.validation ? validationPart(outcome.validation) : undefined;
  const report = outcome?.status === 'reported' ? outcome.report : undefined;
  return {
    command: 'deploy',
    version,
    ok: error === undefined,
    valid: validation?.valid ?? null,
    ...(report
      ? {
          counts: countActions(report.results),
          results: report.results,
          plan: report.plan,
          report: {
            resource: report.resource,
            dryRun: report.dryRun,
            namespaces: report.namespaces,
            notices: report.notices ?? [],
            // A dry-run's changes, each update with its whole diff (as --plan-file writes them).
            ...(report.changes ? { changes: report.changes } : {}),
          },
        }
      : { counts: null, results: [], plan: null, report: null }),
    validation: validation ?? null,
    ...(error === undefined ? {} : { error }),
  };
}

/** A run that ended before any result (the server unreachable, a refusal before validation). */
export function errorDocument(version: string, command: 'validate' | 'deploy', error: string) {
  return command === 'deploy'
    ? deployDocument(version, undefined, error)
    : { command, version, ok: false, valid: null, error };
}
