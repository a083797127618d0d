// Where each kind of output goes. The report (findings, plan, results, verdict) goes to stdout, or with
// `--format json` to stderr, as stdout then holds the results document alone; progress, notices, warnings
// and errors go to stderr. `--quiet` keeps the findings, warnings and the verdict.
import type { Logger } from '../kestra/api.js';
import { scrubSecrets } from '../kestra/http.js';
import { Progress } from './progress.js';
import { Channel, detectCi, useColor, type Ci, type Sink } from './terminal.js';

export interface OutputOptions {
  format: 'text' | 'json';
  quiet: boolean;
  noColor: boolean;
  env: NodeJS.ProcessEnv;
}

export class Output {
  readonly ci: Ci | undefined;
  readonly report: Channel;
  readonly diag: Channel;
  readonly progress: Progress;
  readonly quiet: boolean;
  readonly format: 'text' | 'json';
  /** Scrubbed from everything written; grows as the settings are read. */
  private secrets: string[] = [];

  constructor(
    private readonly io: { stdout: Sink; stderr: Sink },
    options: OutputOptions,
  ) {
    const { env, format, quiet, noColor } = options;
    this.ci = detectCi(env);
    this.quiet = quiet;
    this.format = format;
    const scrub = (text: string): string => scrubSecrets(text, this.secrets);
    this.progress = new Progress(io.stderr, !quiet, scrub);
    const clear = (): void => this.progress.clear();
    const reportSink = format === 'json' ? io.stderr : io.stdout;
    this.report = new Channel(reportSink, useColor(reportSink, env, noColor), scrub, clear);
    this.diag = new Channel(io.stderr, useColor(io.stderr, env, noColor), scrub, clear);
  }

  scrub(text: string): string {
    return scrubSecrets(text, this.secrets);
  }

  addSecrets(values: readonly string[]): void {
    this.secrets = [...new Set([...this.secrets, ...values])].sort((a, b) => b.length - a.length);
  }

  /** The results document, the only thing `--format json` writes to stdout. */
  json(document: unknown): void {
    this.progress.clear();
    // Each string scrubbed before it is escaped: a secret holding `"` or `\\` is found as written.
    const text = JSON.stringify(
      document,
      (_key, value: unknown) => (typeof value === 'string' ? this.scrub(value) : value),
      2,
    );
    this.io.stdout.write(`${text}\n`);
  }

  info(message: string): void {
    if (!this.quiet) this.diag.line(message);
  }

  warning(message: string): void {
    this.diag.line(['yellow', 'warning: '], message);
  }

  error(message: string): void {
    this.diag.line(['red', 'error: '], message);
  }

  /** The Logger the core and the client report through. */
  logger(env: NodeJS.ProcessEnv): Logger {
    const debug = !!env.KESTRA_DEBUG && env.KESTRA_DEBUG !== '0';
    return {
      info: (m) => this.info(m),
      notice: (m) => {
        if (!this.quiet) this.diag.line(['cyan', 'note: '], m);
      },
      warning: (m) => this.warning(m),
      debug: (m) => {
        if (debug) this.diag.line(['dim', m]);
      },
    };
  }
}
