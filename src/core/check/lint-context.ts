// What every offline check is given: where an offset of the flow is, and where to record a finding.
import type { Position, Rule, Severity } from '../../model/types.js';

/** The position of an offset in the flow's source; the flow's first content line when there is none. */
export type At = (offset: number | undefined) => Position;

/**
 * Records a finding at a position, about the node at a Kestra property path (`tasks[1].type`). `upgrade`:
 * on a construct Kestra 2.0 removed, what to change (see Violation.upgrade).
 */
export type Add = (
  pos: Position,
  path: string,
  rule: Rule,
  message: string,
  severity?: Severity,
  upgrade?: string,
) => void;
