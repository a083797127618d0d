// Verdicts → per-file or per-flow results and the run's totals.
import type { CheckedFlow, FlowResult, ValidateTotals } from '../../model/results.js';

/**
 * Verdicts → per-flow results and totals. Warnings fail only with `fail-on-warnings`. `offline`: the totals
 * count the flows that need a server (an invalid flow does not: no server would make it valid).
 */
export function tally(checked: CheckedFlow[], failOnWarnings: boolean, offline = false): ValidateTotals {
  const results = checked.map((c): FlowResult => {
    const errors = c.violations.filter((v) => v.severity === 'error');
    const warnings = c.violations.filter((v) => v.severity === 'warning');
    const needsServer = offline && !errors.length && c.needsServer !== undefined;
    return {
      file: c.file,
      line: c.line,
      namespace: c.flow?.namespace,
      id: c.flow?.id,
      status: errors.length ? 'invalid' : warnings.length ? 'warning' : 'valid',
      messages: c.violations.map((v) => `${v.severity}: line ${v.line}: ${v.message}`),
      ...(needsServer ? { needsServer: true as const, needsServerReason: c.needsServer } : {}),
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
    ...(offline ? { needsServer: results.filter((r) => r.needsServer).length } : {}),
  };
}
