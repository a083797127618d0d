// The product's one way to write a plain log line (eslint.config.js forbids core.info anywhere else).
// The runner reads every line of stdout as a possible workflow command: a file name or a server message
// that starts a line with `::` (after blanks), or holds `##[` anywhere, could forge an annotation, set an
// output or `stop-commands` every annotation after it. File names come from the pull request's author.
import * as core from '@actions/core';
import type { Logger } from '../kestra/api.js';
import { inertLine } from '../render/inert.js';

/**
 * `text` as one inert log line (src/render/inert.ts): line breaks and other control characters shown as
 * escapes, a leading `::` as `\::`, and `##[`, which the runner finds anywhere in a line, as `##\[`.
 */
export const safeLogLine = inertLine;

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
