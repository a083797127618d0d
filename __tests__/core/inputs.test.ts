import { afterEach, describe, expect, it } from '@jest/globals';
import {
  getBoolean,
  getDeprecated,
  getEnum,
  getHeaders,
  getInteger,
  getList,
  getString,
  InputError,
} from '../../shared/inputs.js';

// The runner passes inputs as INPUT_<NAME>, upper-cased, spaces as `_`, dashes kept.
const set = (name: string, value: string): void => {
  process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
};

afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
});

/** Runs `fn` and returns what it wrote to stdout (where @actions/core writes its workflow commands). */
function stdoutOf(fn: () => void): string {
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    process.stdout.write = write;
  }
  return out;
}

const thrown = (fn: () => unknown): InputError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
};

describe('getString', () => {
  it('reads a trimmed value, with dashes kept in the variable name', () => {
    set('api-token', '  abc  ');
    expect(process.env['INPUT_API-TOKEN']).toBe('  abc  ');
    expect(getString('api-token')).toBe('abc');
  });

  it('falls back to the default, or undefined', () => {
    expect(getString('tenant', { default: 'main' })).toBe('main');
    expect(getString('tenant')).toBeUndefined();
  });

  it('enforces required with a message that says what to do', () => {
    const e = thrown(() => getString('server', { required: true, hint: 'the URL of your Kestra server' }));
    expect(String(e)).toBe("InputError: Input 'server' is required: the URL of your Kestra server");
    expect(thrown(() => getString('directory', { required: true })).message).toBe(
      "Input 'directory' is required: add 'directory:' under 'with:' in the step that uses this action",
    );
  });
});

describe('getBoolean', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['Yes', true],
    ['1', true],
    ['false', false],
    ['No', false],
    ['0', false],
  ])('%s → %s', (value, expected) => {
    set('delete', value);
    expect(getBoolean('delete', !expected)).toBe(expected);
  });

  it('uses the default when unset and lists the allowed values otherwise', () => {
    expect(getBoolean('delete', true)).toBe(true);
    set('delete', 'maybe');
    expect(String(thrown(() => getBoolean('delete', false)))).toBe(
      `InputError: 'delete' must be one of true, false, yes, no, 1, 0 (any case), got "maybe"`,
    );
  });
});

describe('getInteger', () => {
  it('reads whole numbers within range', () => {
    set('timeout', '45');
    expect(getInteger('timeout', { default: 30, min: 1, max: 3600, what: 'seconds' })).toBe(45);
    delete process.env.INPUT_TIMEOUT;
    expect(getInteger('timeout', { default: 30 })).toBe(30);
  });

  it('refuses text, fractions and values out of range', () => {
    const opts = { default: 30, min: 1, max: 3600, what: 'seconds' };
    set('timeout', 'abc');
    expect(String(thrown(() => getInteger('timeout', opts)))).toBe(
      `InputError: 'timeout' must be a whole number of seconds, got "abc"`,
    );
    set('timeout', '1.5');
    expect(thrown(() => getInteger('timeout', opts)).message).toMatch(/whole number/);
    set('timeout', '0');
    expect(thrown(() => getInteger('timeout', opts)).message).toBe(
      "'timeout' must be between 1 and 3600 seconds, got 0",
    );
    set('retries', '-1');
    expect(thrown(() => getInteger('retries', { default: 3, min: 0 })).message).toBe(
      "'retries' must be at least 0, got -1",
    );
    set('retries', '99999999999999999999');
    expect(thrown(() => getInteger('retries', { default: 3 })).message).toMatch(/a safe integer/);
  });
});

describe('getEnum', () => {
  const values = ['flows', 'namespace-files'] as const;
  it('matches case-insensitively, returns the canonical spelling, and knows aliases', () => {
    expect(getEnum('resource', values, { default: 'flows' })).toBe('flows');
    set('resource', 'Namespace-Files');
    expect(getEnum('resource', values, { default: 'flows' })).toBe('namespace-files');
    set('resource', 'namespace_files');
    expect(
      getEnum('resource', values, { default: 'flows', aliases: { namespace_files: 'namespace-files' } }),
    ).toBe('namespace-files');
  });

  it('lists the allowed values', () => {
    set('resource', 'template');
    expect(thrown(() => getEnum('resource', values, { default: 'flows' })).message).toBe(
      `'resource' must be one of flows, namespace-files, got "template"`,
    );
  });
});

describe('getList', () => {
  it('splits on newlines and commas, trims, drops empties, keeps braces whole', () => {
    set('include', 'flows/**/*.yml, other/*.yaml\n\n  **/*.{yml,yaml}  \r\nlast,');
    expect(getList('include')).toEqual(['flows/**/*.yml', 'other/*.yaml', '**/*.{yml,yaml}', 'last']);
    expect(getList('exclude')).toEqual([]);
  });
});

describe('getHeaders', () => {
  it('reads Name: value lines, skipping blanks and comments', () => {
    set('headers', 'X-Team: data\n\n# a comment\nX-Trace-Id:  a:b:c  ');
    expect(getHeaders('headers')).toEqual({ 'X-Team': 'data', 'X-Trace-Id': 'a:b:c' });
  });

  it('names the malformed line without echoing it', () => {
    set('headers', 'X-Team: data\nBearer s3cr3t-value');
    const e = thrown(() => getHeaders('headers'));
    expect(e.message).toBe(
      "'headers' line 2 is not a header: write one 'Name: value' per line (the name is letters, digits or -)",
    );
    expect(e.message).not.toContain('s3cr3t');
    set('headers', 'Bad Name: x');
    expect(thrown(() => getHeaders('headers')).message).toMatch(/line 1 is not a header/);
  });

  it('refuses a header given twice', () => {
    set('headers', 'X-A: 1\nx-a: 2');
    expect(thrown(() => getHeaders('headers')).message).toBe(
      "'headers' line 2 repeats header 'x-a' from line 1: keep one",
    );
  });

  it('masks the values of credential headers as soon as they are read', () => {
    set('headers', 'Authorization: Bearer tok123\nX-Team: data');
    const out = stdoutOf(() => getHeaders('headers'));
    expect(out).toContain('::add-mask::Bearer tok123');
    expect(out).not.toContain('data');
  });
});

describe('getDeprecated and legacy names', () => {
  it('reads the new name without a warning', () => {
    set('api-token', 'new');
    let value = '';
    expect(stdoutOf(() => (value = getDeprecated('api-token', 'apiToken')))).toBe('');
    expect(value).toBe('new');
  });

  it('falls back to the old name with a deprecation warning', () => {
    set('apiToken', 'old');
    let value = '';
    const out = stdoutOf(() => (value = getDeprecated('api-token', 'apiToken')));
    expect(value).toBe('old');
    expect(out).toContain(
      "::warning::Input 'apiToken' is deprecated: rename it to 'api-token' in your workflow.",
    );
  });

  it('prefers the new name when both are set, and says so', () => {
    set('apiToken', 'old');
    set('api-token', 'new');
    let value = '';
    const out = stdoutOf(() => (value = getDeprecated('api-token', 'apiToken')));
    expect(value).toBe('new');
    expect(out).toMatch(/'apiToken' is deprecated and ignored/);
  });

  it('works through every reader via `legacy`', () => {
    set('dryRun', 'yes');
    let value = false;
    const out = stdoutOf(() => (value = getBoolean('dry-run', false, { legacy: 'dryRun' })));
    expect(value).toBe(true);
    expect(out).toMatch(/'dryRun' is deprecated/);
    set('apiToken', 'tok');
    stdoutOf(() => expect(getString('api-token', { required: true, legacy: 'apiToken' })).toBe('tok'));
  });
});
