// The command line from argv to exit code: usage errors (2) before anything runs, then one command. Takes
// its environment, working directory and streams as arguments, so that nothing here reads the process.
import { InputError } from '../model/settings-checks.js';
import { parseArgs, UsageError, type Parsed } from './args.js';
import { helpText } from './help.js';
import { Output } from './output.js';
import { runDeploy, runValidate, type RunContext } from './run.js';
import { readSettings, secretsGiven, settingsSecrets, type CliSettings } from './settings.js';
import { inert, type Sink } from './terminal.js';
import { scrubSecrets } from '../kestra/http.js';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A usage error as one line, with where to read more; never a secret (`scrub`). */
function usage(stderr: Sink, message: string, secrets: string[]): number {
  stderr.write(`kestra-actions: ${inert(scrubSecrets(message, secrets))} (see kestra-actions --help)\n`);
  return EXIT.usage;
}

export async function main(
  argv: readonly string[],
  io: { stdout: Sink; stderr: Sink },
  context: RunContext,
): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return usage(io.stderr, error.message, []);
    throw error;
  }
  if (parsed.kind === 'help') {
    io.stdout.write(helpText(context.version));
    return EXIT.ok;
  }
  if (parsed.kind === 'version') {
    io.stdout.write(`${context.version}\n`);
    return EXIT.ok;
  }
  const given = secretsGiven(parsed, context.env);
  let settings: CliSettings;
  try {
    settings = readSettings(parsed, context.env, context.cwd);
  } catch (error) {
    if (error instanceof InputError) return usage(io.stderr, error.message, given);
    throw error;
  }
  const out = new Output(io, { ...settings, env: context.env });
  out.addSecrets([...given, ...settingsSecrets(settings)]);
  const log = out.logger(context.env);
  for (const notice of settings.notices) log.notice?.(notice);
  for (const warning of settings.warnings) log.warning(warning);
  try {
    return settings.command === 'validate'
      ? await runValidate(settings, out, context)
      : await runDeploy(settings, out, context);
  } catch (error) {
    // A bug, not a verdict: still one scrubbed line, and the stack with KESTRA_DEBUG.
    out.error(error instanceof Error ? error.message : String(error));
    if (context.env.KESTRA_DEBUG && error instanceof Error && error.stack) out.diag.line(error.stack);
    return EXIT.failed;
  }
}
