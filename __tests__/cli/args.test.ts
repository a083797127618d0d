// The command line as words: what is a command line of ours, and what is refused as a usage error (exit 2)
// without echoing a value.
import { describe, expect, it } from '@jest/globals';
import { parseArgs, UsageError } from '../../src/cli/args.js';

const refused = (argv: string[]): string => {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
};

const run = (argv: string[]) => {
  const parsed = parseArgs(argv);
  if (parsed.kind !== 'run') throw new Error(`not a run: ${parsed.kind}`);
  return parsed;
};

describe('parseArgs', () => {
  it('reads the command, DIRECTORY (default .) and flags before or after them', () => {
    expect(run(['validate'])).toMatchObject({ command: 'validate', directory: '.' });
    const p = run(['--server', 'http://k', 'deploy', 'flows', '--dry-run', '--namespace=team']);
    expect(p).toMatchObject({ command: 'deploy', directory: 'flows' });
    expect(Object.fromEntries(p.values)).toEqual({
      server: ['http://k'],
      'dry-run': ['true'],
      namespace: ['team'],
    });
  });

  it('takes booleans as presence flags or =value, and leaves the word after one to DIRECTORY', () => {
    expect(run(['deploy', '--dry-run=false']).values.get('dry-run')).toEqual(['false']);
    expect(run(['deploy', '--dry-run', 'false'])).toMatchObject({ directory: 'false' });
  });

  it('collects repeatable flags in order', () => {
    const p = run([
      'validate',
      '--include',
      'a/**',
      '--include=b/*.yml',
      '--header',
      'X-A: 1',
      '--header',
      'X-B: 2',
    ]);
    expect(p.values.get('include')).toEqual(['a/**', 'b/*.yml']);
    expect(p.values.get('header')).toEqual(['X-A: 1', 'X-B: 2']);
  });

  it('reads everything after -- as arguments', () => {
    expect(run(['validate', '--', '--odd-folder'])).toMatchObject({ directory: '--odd-folder' });
  });

  it('answers --help and --version wherever they stand', () => {
    expect(parseArgs(['deploy', '--bogus', '--help'])).toEqual({ kind: 'help' });
    expect(parseArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
  });

  it.each([
    [[], 'a command is needed: validate or deploy'],
    [['publish'], "unknown command 'publish': the commands are validate and deploy"],
    [['validate', 'a', 'b'], "one DIRECTORY at most: 'b' is one argument too many"],
    [['validate', '--sever', 'x'], "unknown flag '--sever' (did you mean '--server'?)"],
    [['validate', '--frobnicate'], "unknown flag '--frobnicate'"],
    [['validate', '-x'], "unknown flag '-x'"],
    [['validate', '--server'], "'--server' needs a value: --server URL"],
    [['validate', '--server', '--quiet'], "'--server' needs a value: --server URL"],
    [['validate', '--dry-run'], "'--dry-run' is a flag of 'deploy', not of 'validate'"],
    [['validate', '--tenant', 'a', '--tenant', 'b'], "'--tenant' is given twice: keep one"],
  ])('refuses %j', (argv, message) => {
    expect(refused(argv)).toBe(message);
  });

  it('never echoes the value of an unknown flag', () => {
    expect(refused(['validate', '--pasword=Hunter2-secret'])).not.toContain('Hunter2');
  });
});
