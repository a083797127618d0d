// Check stage: the offline rules and the server's answers, turned into violations that point at a line.
import type { ValidateResult } from '../../kestra/api.js';
import { lintFlow } from './lint.js';
import { mergeFindings } from './merge-findings.js';
import { flowStart, positionOfPath } from '../parse/positions.js';
import { serverViolations } from './server-findings.js';
import { flowName, type FlowDoc, type Violation } from '../../model/types.js';
import type { CheckedFlow } from '../../model/results.js';

export { serverViolations, splitConstraint } from './server-findings.js';

/**
 * Groups parse violations and flows by file and document, runs the offline rules on each flow, for the
 * Kestra version `target` (`major.minor`) when given.
 */
export function checkOffline(flows: FlowDoc[], parseViolations: Violation[], target?: string): CheckedFlow[] {
  const checked: CheckedFlow[] = flows.map((flow) => ({
    file: flow.file,
    line: flow.line,
    flow,
    violations: lintFlow(flow, target),
  }));
  // A parse violation belongs to the flow whose document holds its line. The others stand for their document
  // (or their file, when the file is not YAML text at all): one failed document is one row, one count, however
  // many syntax errors it holds.
  const unread = new Map<string, CheckedFlow>();
  for (const v of parseViolations) {
    const owner = ownerOf(checked, v);
    if (owner) {
      owner.violations.unshift(v);
      continue;
    }
    const key = `${v.file}\u0000${v.docIndex ?? ''}`;
    const row = unread.get(key);
    if (row) {
      row.violations.push(v);
      row.line = Math.min(row.line, v.line);
    } else {
      const fresh: CheckedFlow = { file: v.file, line: v.line, violations: [v] };
      unread.set(key, fresh);
      checked.push(fresh);
    }
  }
  for (const row of unread.values()) row.violations.sort((a, b) => a.line - b.line || a.column - b.column);
  return sortChecked(checked);
}

/** Two documents with the same namespace and id would overwrite each other on deploy: name both files. */
export function flagDuplicateFlows(checked: CheckedFlow[]): void {
  const seen = new Map<string, FlowDoc>();
  for (const c of checked) {
    const flow = c.flow;
    if (!flow?.id || !flow.namespace) continue;
    const key = flowName(flow);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, flow);
      continue;
    }
    const pos = positionOfPath(flow, 'id') ?? flowStart(flow);
    c.violations.push({
      file: flow.file,
      line: pos.line,
      column: pos.column,
      flow: key,
      path: 'id',
      rule: 'duplicate-flow',
      message: `flow ${key} is also defined in ${first.file}:${first.line}: give one of them another id or namespace`,
      severity: 'error',
      origin: 'lint',
    });
  }
}

/** The flow whose document spans the violation's line (a document that did not parse has no flow). */
function ownerOf(checked: CheckedFlow[], v: Violation): CheckedFlow | undefined {
  return checked.find((c) => {
    if (c.file !== v.file || !c.flow) return false;
    const lines = c.flow.source.split('\n').length;
    return v.line > c.flow.lineOffset && v.line <= c.flow.lineOffset + lines;
  });
}

export function sortChecked(checked: CheckedFlow[]): CheckedFlow[] {
  return checked.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

/**
 * Adds the server's verdicts (`results[i]` is the answer for `flows[i]`), folded into the offline findings
 * about the same problem so that each problem is reported once.
 */
export function addServerResults(checked: CheckedFlow[], flows: FlowDoc[], results: ValidateResult[]): void {
  const byFlow = new Map(checked.filter((c) => c.flow).map((c) => [c.flow as FlowDoc, c]));
  flows.forEach((flow, i) => {
    const result = results[i];
    const target = byFlow.get(flow);
    if (!result || !target) return;
    // Most flows come back clean: placing nothing must not parse a released flow again (and keep its tree).
    const found = serverViolations(flow, result);
    if (found.length === 0) return;
    target.violations = mergeFindings([...target.violations, ...found], flowStart(flow).line);
  });
}

/** With `namespace` and no `override-namespace`, every flow must already declare that namespace. */
export function flagNamespaceMismatch(checked: CheckedFlow[], namespace: string): void {
  for (const c of checked) {
    const flow = c.flow;
    if (!flow?.namespace || flow.namespace === namespace) continue;
    const pos = positionOfPath(flow, 'namespace') ?? flowStart(flow);
    c.violations.push({
      file: flow.file,
      line: pos.line,
      column: pos.column,
      flow: flowName(flow),
      path: 'namespace',
      rule: 'namespace-mismatch',
      message: `flow declares namespace '${flow.namespace}' but the 'namespace' input is '${namespace}': fix the flow, or set 'override-namespace: true' to deploy it to '${namespace}'`,
      severity: 'error',
      origin: 'deploy',
    });
  }
}
