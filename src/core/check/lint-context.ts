// What every offline check is given: where an offset of the flow is, and where to record a finding.
import { flowStart, positionAt, type Position } from '../parse/positions.js';
import { flowName, type FlowDoc, type Rule, type Severity, type Violation } from '../../model/types.js';

/** The position of an offset in the flow's source; the flow's first content line when there is none. */
export type At = (offset: number | undefined) => Position;

/** Records a finding at a position, about the node at a Kestra property path (`tasks[1].type`). */
export type Add = (pos: Position, path: string, rule: Rule, message: string, severity?: Severity) => void;

/** `at` and `add` for one flow, and the findings recorded so far, in the order of the file. */
export function lintContext(flow: FlowDoc): { at: At; add: Add; findings: () => Violation[] } {
  const out: Violation[] = [];
  const name = flowName(flow);
  const add: Add = (pos, path, rule, message, severity = 'error') => {
    out.push({
      file: flow.file,
      line: pos.line,
      column: pos.column,
      flow: name,
      path,
      rule,
      message,
      severity,
      origin: 'lint',
    });
  };
  const at: At = (offset) => (offset === undefined ? flowStart(flow) : positionAt(flow, offset));
  return { at, add, findings: () => out.sort((a, b) => a.line - b.line || a.column - b.column) };
}
