// One table of options for both front-ends: every input of validate/action.yml and deploy/action.yml has a
// flag with the same default (and is required by the same command), and every flag stands for an input,
// except the few that only one front-end has.
import { describe, expect, it } from '@jest/globals';
import { COMMANDS, FLAGS } from '../../src/cli/options.js';
import { readAction } from '../../scripts/docs.js';

/** Inputs only a GitHub step has: its token and comment switch, the legacy spelling, and DIRECTORY's input. */
const GITHUB_ONLY = ['github-token', 'comment', 'apiToken', 'directory'];
/** Flags only a terminal has. */
const CLI_ONLY = [
  'format',
  'quiet',
  'codequality',
  'junit',
  'sarif',
  'gitlab-token',
  'no-color',
  'plan-file',
];

describe.each(COMMANDS)('the flags of %s', (command) => {
  const inputs = Object.entries(readAction(command).inputs ?? {}).filter(
    ([name]) => !GITHUB_ONLY.includes(name),
  );
  const flags = FLAGS.filter((f) => f.commands.includes(command));

  it('stand for exactly its inputs', () => {
    const mapped = flags.filter((f) => f.input !== undefined).map((f) => f.input);
    expect([...mapped].sort()).toEqual(inputs.map(([name]) => name).sort());
  });

  it.each(inputs)('input %s: same default, required by the same commands', (name, input) => {
    const flag = flags.find((f) => f.input === name);
    expect(flag).toBeDefined();
    if (input.required) expect(flag?.requiredBy).toContain(command);
    else {
      expect(flag?.requiredBy ?? []).not.toContain(command);
      expect(flag?.default).toBe(String(input.default ?? ''));
    }
  });
});

describe('the flag table', () => {
  it('has an input behind every flag but the terminal ones', () => {
    expect(
      FLAGS.filter((f) => f.input === undefined)
        .map((f) => f.name)
        .sort(),
    ).toEqual([...CLI_ONLY].sort());
  });

  it('names flags after their input, but for --header (one header per flag)', () => {
    const renamed = FLAGS.filter((f) => f.input !== undefined && f.input !== f.name);
    expect(renamed.map((f) => [f.name, f.input])).toEqual([['header', 'headers']]);
  });

  it('gives every flag that takes a value a name for it, and every secret a variable', () => {
    for (const f of FLAGS) {
      if (f.kind !== 'boolean') expect([f.name, f.value]).toEqual([f.name, expect.any(String)]);
      if (f.secret) expect([f.name, f.env]).toEqual([f.name, expect.stringMatching(/^[A-Z_]+$/)]);
    }
  });
});
