// The CLI's one way to write (eslint.config.js forbids the console and process streams anywhere else in
// src/): every line is made inert and scrubbed of secrets, coloured only on a terminal, and folded the way the
// CI at hand folds a log (GitLab sections, GitHub and Azure groups). File names and server messages are not
// ours: a line break, an escape sequence, `::` or `##[` in one must not forge a CI command or repaint a terminal.
import { inertLine } from '../render/inert.js';

/** Where text goes: a process stream, or a buffer in tests. */
export interface Sink {
  write(text: string): void;
  isTTY?: boolean;
}

export type Ci = 'gitlab' | 'github' | 'azure';

/** The CI the process runs in, from the variables each one sets. */
export function detectCi(env: NodeJS.ProcessEnv): Ci | undefined {
  if (env.GITLAB_CI === 'true') return 'gitlab';
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if (env.TF_BUILD?.toLowerCase() === 'true') return 'azure';
  return undefined;
}

/**
 * Colours on a terminal only: never with `--no-color` or a non-empty NO_COLOR (no-color.org); FORCE_COLOR
 * (other than 0) turns them on where the output is not a terminal (a CI log that renders them).
 */
export function useColor(sink: Sink, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  if (noColorFlag || env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR);
  return sink.isTTY === true && env.TERM !== 'dumb';
}

/** `text` as an inert piece of one line (see the header and src/render/inert.ts). */
export const inert = inertLine;

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';
const SGR: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

/** A piece of a line: plain text, or text with a style. */
export type Part = string | readonly [Style, string];

/** One stream's lines. `before` runs ahead of every write (it clears a transient progress line). */
export class Channel {
  private indent = '';
  constructor(
    private readonly sink: Sink,
    readonly color: boolean,
    private readonly scrub: (text: string) => string,
    private readonly before: () => void = () => {},
  ) {}

  /** One line from its parts, each made inert and scrubbed before it is styled. */
  line(...parts: Part[]): void {
    const text = parts
      .map((p) => {
        if (typeof p === 'string') return inert(this.scrub(p));
        const [style, s] = p;
        const safe = inert(this.scrub(s));
        if (!this.color || !safe) return safe;
        const [on, off] = SGR[style];
        return `\x1b[${on}m${safe}\x1b[${off}m`;
      })
      .join('');
    this.raw(text ? `${this.indent}${text}` : '');
  }

  /** A line already escaped by whoever made it (a CI command, a section marker); still scrubbed. */
  raw(text: string): void {
    this.before();
    this.sink.write(`${this.scrub(text)}\n`);
  }

  /** Lines written while `body` runs are indented (a group on a plain terminal). */
  indented(body: () => void): void {
    const saved = this.indent;
    this.indent += '  ';
    try {
      body();
    } finally {
      this.indent = saved;
    }
  }
}

let sections = 0;

/**
 * Opens a folded block of lines titled `title` in the CI's own way; returns what closes it. GitLab: a
 * collapsed section; GitHub Actions and Azure Pipelines: a group; elsewhere the title in bold.
 */
export function openFold(channel: Channel, ci: Ci | undefined, title: string): () => void {
  const now = (): number => Math.floor(Date.now() / 1000);
  switch (ci) {
    case 'gitlab': {
      const name = `kestra_${++sections}`;
      channel.raw(`\x1b[0Ksection_start:${now()}:${name}[collapsed=true]\r\x1b[0K${inert(title)}`);
      return () => channel.raw(`\x1b[0Ksection_end:${now()}:${name}\r\x1b[0K`);
    }
    case 'github':
      channel.raw(`::group::${inert(title)}`);
      return () => channel.raw('::endgroup::');
    case 'azure':
      channel.raw(`##[group]${inert(title)}`);
      return () => channel.raw('##[endgroup]');
    default:
      channel.line(['bold', title]);
      return () => {};
  }
}

/** `lines` folded under `title` (indented on a plain terminal). */
export function fold(channel: Channel, ci: Ci | undefined, title: string, lines: () => void): void {
  const close = openFold(channel, ci, title);
  try {
    if (ci) lines();
    else channel.indented(lines);
  } finally {
    close();
  }
}

/**
 * The real stdout, claimed for the CLI's own output. A bundled library that writes there itself (as
 * @actions/glob's `::debug::` workflow commands did while discovery used it) is sent to stderr instead, its
 * debug commands dropped: stdout holds the report, or `--format json`'s document only.
 */
export function claimStdout(): { stdout: Sink; stderr: Sink } {
  const stdout = process.stdout;
  const stderr = process.stderr;
  const write = stdout.write.bind(stdout);
  // A reader that stops early (`| head`) is not an error of the run.
  for (const stream of [stdout, stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  stdout.write = ((chunk: string | Uint8Array): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const kept = text
      .split(/(?<=\n)/)
      .filter((line) => !line.startsWith('::debug::'))
      .join('');
    if (kept) stderr.write(kept);
    return true;
  }) as typeof stdout.write;
  return {
    stdout: { write: (text) => void write(text), isTTY: stdout.isTTY === true },
    stderr: { write: (text) => void stderr.write(text), isTTY: stderr.isTTY === true },
  };
}
