// Verdicts → per-file or per-flow results and the run's totals.
import type { CheckedFlow, FlowResult, ValidateTotals } from '../../model/results.js';

/** Verdicts → per-flow results and totals. Warnings fail only with `fail-on-warnings`. */
export function tally(checked: CheckedFlow[], failOnWarnings: boolean): ValidateTotals {
  const results = checked.map((c): FlowResult => {
    const errors = c.violations.filter((v) => v.severity === 'error');
    const warnings = c.violations.filter((v) => v.severity === 'warning');
    return {
      file: c.file,
      line: c.line,
      namespace: c.flow?.namespace,
      id: c.flow?.id,
      status: errors.length ? 'invalid' : warnings.length ? 'warning' : 'valid',
      messages: c.violations.map((v) => `${v.severity}: line ${v.line}: ${v.message}`),
    };
  });
  const errors = results.filter((r) => r.status === 'invalid').length;
  const warnings = checked.reduce(
    (n, c) => n + c.violations.filter((v) => v.severity === 'warning').length,
    0,
  );
  return {
    valid: errors === 0 && !(failOnWarnings && warnings > 0),
    flows: checked.filter((c) => c.flow).length,
    errors,
    warnings,
    results,
  };
}
