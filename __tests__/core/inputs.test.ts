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
} from '../../src/github/inputs.js';

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
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
  ])('%s → %s', (value, expected) => {
    set('delete', value);
    expect(getBoolean('delete')).toBe(expected);
  });

  // Before: `yes`/`1`/`no`/`0` were read too, and an empty value silently as the caller's default (false).
  it.each(['yes', 'Yes', '1', 'no', '0', 'on', 'tRUE', 'maybe'])(
    'refuses %s, naming the input and the accepted spellings',
    (value) => {
      set('delete', value);
      expect(String(thrown(() => getBoolean('delete')))).toBe(
        `InputError: 'delete' must be true or false (accepted: true, True, TRUE, false, False, FALSE), got ${JSON.stringify(value)}`,
      );
    },
  );

  it('refuses an empty value rather than read it as false: the runner fills in the default, so empty was written', () => {
    set('dry-run', '');
    expect(thrown(() => getBoolean('dry-run')).message).toBe(
      "Input 'dry-run' is empty (an unset variable or secret?): write true or false, or remove the line to use its default",
    );
    set('dry-run', '   ');
    expect(thrown(() => getBoolean('dry-run')).message).toMatch(/^Input 'dry-run' is empty/);
    delete process.env['INPUT_DRY-RUN'];
    expect(thrown(() => getBoolean('dry-run')).message).toMatch(/^Input 'dry-run' is empty/);
  });
});

describe('getString with notEmpty', () => {
  it('refuses an empty value with the hint, and returns a given one', () => {
    set('tenant', '');
    expect(thrown(() => getString('tenant', { notEmpty: "or remove the line to use 'main'" })).message).toBe(
      "Input 'tenant' is empty (an unset variable or secret?): or remove the line to use 'main'",
    );
    set('tenant', ' acme ');
    expect(getString('tenant', { notEmpty: 'x' })).toBe('acme');
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
    set('resource', 'flows');
    expect(getEnum('resource', values)).toBe('flows');
    set('resource', 'Namespace-Files');
    expect(getEnum('resource', values)).toBe('namespace-files');
    set('resource', 'namespace_files');
    expect(getEnum('resource', values, { aliases: { namespace_files: 'namespace-files' } })).toBe(
      'namespace-files',
    );
  });

  it('lists the allowed values', () => {
    set('resource', 'template');
    expect(thrown(() => getEnum('resource', values)).message).toBe(
      `'resource' must be one of flows, namespace-files, got "template"`,
    );
  });

  // Before: an empty value read as the default ('flows').
  it('refuses an empty value, listing the allowed ones', () => {
    set('resource', '');
    expect(thrown(() => getEnum('resource', values)).message).toBe(
      "Input 'resource' is empty (an unset variable or secret?): write one of flows, namespace-files, or remove the line to use its default",
    );
  });
});

describe('getList', () => {
  it('splits on newlines and commas, trims, drops empties, keeps braces whole', () => {
    set('include', 'flows/**/*.yml, other/*.yaml\n\n  **/*.{yml,yaml}  \r\nlast,');
    expect(getList('include')).toEqual(['flows/**/*.yml', 'other/*.yaml', '**/*.{yml,yaml}', 'last']);
    expect(getList('exclude')).toEqual([]);
  });

  it('with notEmpty, refuses a list without items (empty, or only separators)', () => {
    for (const value of ['', ' , ', '\n,\n']) {
      set('include', value);
      expect(thrown(() => getList('include', { notEmpty: 'write globs' })).message).toBe(
        "Input 'include' is empty (an unset variable or secret?): write globs",
      );
    }
    set('include', 'a.yml');
    expect(getList('include', { notEmpty: 'write globs' })).toEqual(['a.yml']);
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

  it('refuses a header the caller sets itself, naming the line and header but never the value', () => {
    const reserved = { 'content-length': 'the client sets it from each request body' };
    set('headers', 'X-Team: data\ncontent-LENGTH: 12345');
    const e = thrown(() => getHeaders('headers', { reserved }));
    expect(e.message).toBe(
      "'headers' line 2 sets 'content-LENGTH': the client sets it from each request body; remove that line",
    );
    expect(e.message).not.toContain('12345');
  });

  it('refuses a value HTTP cannot carry (control character, beyond Latin-1), never echoing it', () => {
    for (const bad of ['s3cr\u0001et', 's3cr\ret', 'sécr€t']) {
      set('headers', `X-Team: data\nX-Key: ${bad}`);
      let e = new InputError('');
      stdoutOf(() => (e = thrown(() => getHeaders('headers'))));
      expect(e.message).toBe(
        "'headers' line 2: the value of 'X-Key' holds a control character or a character beyond Latin-1, which HTTP headers cannot carry",
      );
      expect(e.message).not.toContain('cr');
    }
    set('headers', 'X-Name: café\tau lait');
    expect(getHeaders('headers')).toEqual({ 'X-Name': 'café\tau lait' });
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
    set('dryRun', 'true');
    let value = false;
    const out = stdoutOf(() => (value = getBoolean('dry-run', { legacy: 'dryRun' })));
    expect(value).toBe(true);
    expect(out).toMatch(/'dryRun' is deprecated/);
    set('apiToken', 'tok');
    stdoutOf(() => expect(getString('api-token', { required: true, legacy: 'apiToken' })).toBe('tok'));
  });
});
