// Violations as annotations at file:line, within GitHub's cap, and every one of them in the log.
import * as core from '@actions/core';
import { log } from './log.js';
import type { Severity, Violation } from '../model/types.js';
import { violationLine } from '../render/log-lines.js';

/** GitHub shows at most 10 annotations of each level per step and drops the rest. */
export const ANNOTATIONS_PER_LEVEL = 10;

const annotate: Record<Severity, (msg: string, props: core.AnnotationProperties) => void> = {
  error: core.error,
  warning: core.warning,
  notice: core.notice,
};

/**
 * Every violation goes to the log; the first ones of each level also become annotations at file:line.
 * Past GitHub's cap, one last annotation says how many more there are, so nothing is silently hidden.
 */
export function annotateViolations(violations: Violation[]): void {
  for (const v of violations) log.info(violationLine(v));
  for (const level of ['error', 'warning', 'notice'] as const) {
    const all = violations.filter((v) => v.severity === level);
    const shown = all.length > ANNOTATIONS_PER_LEVEL ? all.slice(0, ANNOTATIONS_PER_LEVEL - 1) : all;
    for (const v of shown) {
      annotate[level](v.message, {
        title: v.flow ?? v.file,
        file: v.file,
        startLine: v.line,
        startColumn: v.column,
      });
    }
    const rest = all.length - shown.length;
    if (rest > 0) {
      annotate[level](
        `${rest} more ${level}s are not shown as annotations: see the job summary and the log`,
        {
          title: `${rest} more ${level}s`,
        },
      );
    }
  }
}
