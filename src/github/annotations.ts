// Violations as annotations at file:line, within GitHub's cap, and every one of them in the log.
import * as core from '@actions/core';
import { log } from './log.js';
import type { Severity, Violation } from '../model/types.js';
import { violationLine } from '../render/log-lines.js';
import { annotationBatches, restAnnotation } from '../render/reporters/github.js';

const annotate: Record<Severity, (msg: string, props: core.AnnotationProperties) => void> = {
  error: core.error,
  warning: core.warning,
  notice: core.notice,
};

/**
 * Every violation goes to the log; the first ones of each level also become annotations at file:line.
 * Past GitHub's cap, one last annotation says how many more there are (src/render/reporters/github.ts).
 */
export function annotateViolations(violations: Violation[]): void {
  for (const v of violations) log.info(violationLine(v));
  for (const { level, shown, rest } of annotationBatches(violations)) {
    for (const v of shown) {
      annotate[level](v.message, {
        title: v.flow ?? v.file,
        file: v.file,
        startLine: v.line,
        startColumn: v.column,
      });
    }
    if (rest > 0) {
      const { title, message } = restAnnotation(level, rest);
      annotate[level](message, { title });
    }
  }
}
