// The command line's flags, for tests that check a command written outside the code (the GitLab
// templates, the example flow, the README): the CLI's own table (src/cli/options.ts) when this tree has it,
// and until the CLI lands the action inputs, by the same kebab-case names, plus the report flags.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { repoRoot } from '../../scripts/action-runner.js';

export type Command = 'validate' | 'deploy';

/** Flags the CLI has that no action input stands for: the report files. */
const REPORT_FLAGS = ['codequality', 'junit', 'sarif'];

/** The flags of `command`: name → a boolean, or a flag that takes a value. */
export async function cliFlags(command: Command): Promise<Map<string, 'boolean' | 'value'>> {
  const options = path.join(repoRoot, 'src', 'cli', 'options.ts');
  if (existsSync(options)) {
    const { FLAGS } = (await import(pathToFileURL(options).href)) as {
      FLAGS: { name: string; kind: string; commands: readonly string[] }[];
    };
    return new Map(
      FLAGS.filter((f) => f.commands.includes(command)).map((f) => [
        f.name,
        f.kind === 'boolean' ? 'boolean' : 'value',
      ]),
    );
  }
  const action = parse(readFileSync(path.join(repoRoot, command, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const flags = new Map<string, 'boolean' | 'value'>(REPORT_FLAGS.map((f) => [f, 'value']));
  for (const [name, input] of Object.entries(action.inputs))
    if (name !== 'directory')
      flags.set(name, ['true', 'false'].includes(String(input.default)) ? 'boolean' : 'value');
  return flags;
}

/**
 * `COMMAND DIRECTORY --flag value --bool[=true|false] …` read against the CLI's flags: throws on a flag the
 * command does not have; gives the directory and each flag's value. Once the CLI is here, its own parser
 * (src/cli/args.ts) must take the line too.
 */
export async function readCliArgs(
  command: Command,
  argv: readonly string[],
): Promise<{ directory: string | undefined; values: Map<string, string> }> {
  const [given, ...rest] = argv;
  if (given !== command) throw new Error(`expected '${command}', got '${given}'`);
  const directory = rest[0] !== undefined && !rest[0].startsWith('-') ? rest.shift() : undefined;
  const flags = await cliFlags(command);
  const values = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/s.exec(rest[i]!);
    if (!m) throw new Error(`not a flag: ${rest[i]}`);
    const kind = flags.get(m[1]!);
    if (!kind) throw new Error(`--${m[1]} is not a flag of '${command}'`);
    if (kind === 'boolean' && m[2] !== undefined && !['true', 'false'].includes(m[2]))
      throw new Error(`--${m[1]} takes true or false, not '${m[2]}'`);
    const value = m[2] ?? (kind === 'boolean' ? 'true' : rest[++i]);
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    values.set(m[1]!, value);
  }
  const args = path.join(repoRoot, 'src', 'cli', 'args.ts');
  if (existsSync(args)) {
    const { parseArgs } = (await import(pathToFileURL(args).href)) as {
      parseArgs: (a: readonly string[]) => { kind: string; command?: string };
    };
    const parsed = parseArgs(argv);
    if (parsed.kind !== 'run' || parsed.command !== command)
      throw new Error(`the CLI reads this line as ${JSON.stringify(parsed)}`);
  }
  return { directory, values };
}
