// The product's one way to write a plain log line (eslint.config.js forbids core.info anywhere else).
// The runner reads every line of stdout as a possible workflow command: a file name or a server message
// that starts a line with `::` (after blanks), or holds `##[` anywhere, could forge an annotation, set an
// output or `stop-commands` every annotation after it. File names come from the pull request's author.
import * as core from '@actions/core';
import type { Logger } from '../kestra/api.js';

/** Blanks the runner trims before looking for `::` (.NET's white space holds U+0085 and, once, U+180E). */
const LEADING_COMMAND = /^([\s\u0085\u180e]*)::/;
/** Characters a reader of stdout may take as the end of a line. */
const LINE_BREAKS = /[\r\n\u0085\u2028\u2029]/g;
const VISIBLE: Record<string, string> = {
  '\r': '\\r',
  '\n': '\\n',
  '\u0085': '\\u0085',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * `text` as one inert log line: line breaks shown as `\n` (and `\r`), a leading `::` as `\::`, and the
 * legacy `##[` command prefix, which the runner finds anywhere in a line, as `##\[`.
 */
export function safeLogLine(text: string): string {
  return text
    .replace(LINE_BREAKS, (c) => VISIBLE[c] ?? '')
    .replace(/##\[/g, '##\\[')
    .replace(LEADING_COMMAND, '$1\\::');
}

/**
 * Where the product logs. Annotations, groups and debug lines are workflow commands whose text
 * @actions/core already escapes (line breaks in the message; also `:` and `,` in `title` and `file`),
 * so only plain lines need `safeLogLine`.
 */
export const log: Logger & { startGroup(name: string): void; endGroup(): void } = {
  info: (message) => core.info(safeLogLine(message)),
  notice: (message) => core.notice(message),
  warning: (message) => core.warning(message),
  debug: (message) => core.debug(message),
  startGroup: (name) => core.startGroup(name),
  endGroup: () => core.endGroup(),
};
