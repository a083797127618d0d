// The command line as words: the command, DIRECTORY and each flag's raw values. Which values are good is
// settings.ts's business; this file refuses what is not a command line of ours (exit code 2), naming the
// flag but never echoing a value, which may be a secret.
import { COMMANDS, flagNamed, FLAGS, type Command, type Flag } from './options.js';

/** A command line that is not ours: one line, and a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type Parsed =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; command: Command; directory: string; values: Map<string, string[]> };

/** The flag closest to a misspelt one, when it is close enough to be the one meant. */
function closest(name: string): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0] as number;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j] as number;
        row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length] as number;
  };
  const names = [...FLAGS.map((f) => f.name), 'help', 'version'];
  const best = names.map((n) => [n, distance(name, n)] as const).sort((a, b) => a[1] - b[1])[0];
  return best && best[1] <= Math.max(1, Math.floor(name.length / 4)) ? best[0] : undefined;
}

function unknownFlag(name: string): UsageError {
  const guess = closest(name);
  return new UsageError(`unknown flag '--${name}'${guess ? ` (did you mean '--${guess}'?)` : ''}`);
}

export function parseArgs(argv: readonly string[]): Parsed {
  if (argv.some((a) => a === '--help' || a === '-h')) return { kind: 'help' };
  if (argv.some((a) => a === '--version')) return { kind: 'version' };
  const positional: string[] = [];
  const given: [Flag, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unknown flag '${arg.split('=')[0]}'`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const flag = flagNamed(name);
    if (!flag) throw unknownFlag(name);
    if (eq >= 0) {
      given.push([flag, arg.slice(eq + 1)]);
    } else if (flag.kind === 'boolean') {
      given.push([flag, 'true']);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`'--${name}' needs a value: --${name} ${flag.value ?? 'VALUE'}`);
      }
      given.push([flag, next]);
      i++;
    }
  }

  const [command, directory, ...extra] = positional;
  if (command === undefined) throw new UsageError('a command is needed: validate or deploy');
  if (!COMMANDS.includes(command as Command)) {
    throw new UsageError(`unknown command '${command}': the commands are validate and deploy`);
  }
  if (extra.length > 0) {
    throw new UsageError(`one DIRECTORY at most: '${extra[0]}' is one argument too many`);
  }
  const values = new Map<string, string[]>();
  for (const [flag, value] of given) {
    if (!flag.commands.includes(command as Command)) {
      throw new UsageError(
        `'--${flag.name}' is a flag of '${flag.commands.join("', '")}', not of '${command}'`,
      );
    }
    const seen = values.get(flag.name);
    if (seen && !flag.repeatable) throw new UsageError(`'--${flag.name}' is given twice: keep one`);
    values.set(flag.name, [...(seen ?? []), value]);
  }
  return { kind: 'run', command: command as Command, directory: directory ?? '.', values };
}
