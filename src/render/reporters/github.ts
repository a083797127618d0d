// GitHub Actions workflow commands (`::error file=…,line=…::message`) for findings, so the command line run
// in a `run:` step annotates the pull request like the action does. Escaped as @actions/core escapes them:
// a message cannot end its line and start a command of its own, a value cannot end its property.
import type { Severity, Violation } from '../../model/types.js';

/** GitHub shows at most 10 annotations of each level per step and drops the rest. */
export const ANNOTATIONS_PER_LEVEL = 10;

export interface AnnotationBatch {
  level: Severity;
  shown: Violation[];
  /** How many of this level are not shown: one last annotation says so, so nothing is silently hidden. */
  rest: number;
}

/** Per level, the findings to annotate within GitHub's cap (the last place goes to the count of the rest). */
export function annotationBatches(findings: readonly Violation[]): AnnotationBatch[] {
  return (['error', 'warning', 'notice'] as const).map((level) => {
    const all = findings.filter((v) => v.severity === level);
    const shown = all.length > ANNOTATIONS_PER_LEVEL ? all.slice(0, ANNOTATIONS_PER_LEVEL - 1) : all;
    return { level, shown, rest: all.length - shown.length };
  });
}

/** The annotation that stands for the findings past the cap. */
export const restAnnotation = (level: Severity, rest: number): { title: string; message: string } => ({
  title: `${rest} more ${level}s`,
  message: `${rest} more ${level}s are not shown as annotations: see the job summary and the log`,
});

const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One workflow command, properties in @actions/core's order (title, file, line, col), empty ones left out. */
function command(level: Severity, message: string, props: [string, string | number | undefined][]): string {
  const list = props
    .filter(([, value]) => value !== undefined && value !== '' && value !== 0)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
  return `::${level}${list.length ? ` ${list.join(',')}` : ''}::${escapeData(message)}`;
}

/** One line per annotation, ready to print on its own line of the step's output. */
export function githubAnnotations(findings: Violation[]): string[] {
  return annotationBatches(findings).flatMap(({ level, shown, rest }) => {
    const lines = shown.map((v) =>
      command(level, v.message, [
        ['title', v.flow ?? v.file],
        ['file', v.file],
        ['line', v.line],
        ['col', v.column],
      ]),
    );
    if (rest > 0) {
      const { title, message } = restAnnotation(level, rest);
      lines.push(command(level, message, [['title', title]]));
    }
    return lines;
  });
}
