// Typed readers over the action's inputs: this file knows how to read and check one input; which inputs
// exist is settings.ts's and the action.yml files' business.
import * as core from '@actions/core';
import { isSendableHeaderValue } from '../kestra/auth.js';

/** A bad input value. `String(err)` reads `InputError: 'timeout' must be …`. */
export class InputError extends Error {
  override name = 'InputError';
}

interface Legacy {
  /** An older name of the same input (e.g. `apiToken` for `api-token`), read with a deprecation warning. */
  legacy?: string;
}

/** Raw value of an input: trimmed, '' when unset. Falls back to a legacy name when one is given. */
function raw(name: string, legacy?: string): string {
  return legacy ? getDeprecated(name, legacy) : core.getInput(name);
}

/**
 * Reads `newName`, falling back to the deprecated `oldName` (with a warning that says what to rename).
 * When both are set the new name wins, and the warning says the old one is ignored.
 */
export function getDeprecated(newName: string, oldName: string): string {
  const value = core.getInput(newName);
  const old = core.getInput(oldName);
  if (old && value) {
    core.warning(
      `Inputs '${newName}' and '${oldName}' are both set; '${oldName}' is deprecated and ignored.`,
    );
    return value;
  }
  if (old) {
    core.warning(`Input '${oldName}' is deprecated: rename it to '${newName}' in your workflow.`);
    return old;
  }
  return value;
}

export interface StringOptions extends Legacy {
  required?: boolean;
  default?: string;
  /** Appended to the "is required" message, e.g. "the URL of your Kestra server, like https://kestra.example.com". */
  hint?: string;
  /**
   * For an input that selects what is written or deleted and has a non-empty default in action.yml: empty
   * is refused (see emptyInput), with this hint saying what to write.
   */
  notEmpty?: string;
}

export function getString(name: string, options: StringOptions & { required: true }): string;
export function getString(name: string, options: StringOptions & { default: string }): string;
export function getString(name: string, options: StringOptions & { notEmpty: string }): string;
export function getString(name: string, options?: StringOptions): string | undefined;
export function getString(name: string, options: StringOptions = {}): string | undefined {
  const value = raw(name, options.legacy);
  if (value) return value;
  if (options.notEmpty !== undefined) throw emptyInput(name, options.notEmpty);
  if (options.default !== undefined) return options.default;
  if (options.required) {
    const hint = options.hint ?? `add '${name}:' under 'with:' in the step that uses this action`;
    throw new InputError(`Input '${name}' is required: ${hint}`);
  }
  return undefined;
}

/**
 * The error for an empty input whose action.yml default is not empty. The runner fills that default in when
 * the workflow leaves the input out, so an empty value was written in the workflow: most often a variable or
 * secret that is not set. `hint` says what to write.
 */
export function emptyInput(name: string, hint: string): InputError {
  return new InputError(`Input '${name}' is empty (an unset variable or secret?): ${hint}`);
}

/**
 * The spellings @actions/core's getBooleanInput accepts (YAML 1.2's core schema), and no others: a value
 * such as `yes` or `1` is a typo to point at, not a guess to make.
 */
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/**
 * true or false. Empty is refused: the runner fills in the action.yml default when the workflow leaves the
 * input out, so an empty value was written (`dry-run: ${{ vars.UNSET }}`), and reading it as false would
 * turn a dry run into a real deploy.
 */
export function getBoolean(name: string, options: Legacy = {}): boolean {
  const value = raw(name, options.legacy);
  if (!value) throw emptyInput(name, 'write true or false, or remove the line to use its default');
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(
    `'${name}' must be true or false (accepted: ${[...TRUE, ...FALSE].join(', ')}), got ${JSON.stringify(value)}`,
  );
}

export interface IntegerOptions extends Legacy {
  default: number;
  min?: number;
  max?: number;
  /** The unit, used in messages: `'timeout' must be a whole number of seconds`. */
  what?: string;
}

export function getInteger(name: string, options: IntegerOptions): number {
  const value = raw(name, options.legacy);
  if (!value) return options.default;
  const unit = options.what ? ` ${options.what}` : '';
  if (!/^[+-]?\d+$/.test(value)) {
    throw new InputError(
      `'${name}' must be a whole number${unit ? ` of${unit}` : ''}, got ${JSON.stringify(value)}`,
    );
  }
  const n = Number(value);
  const { min, max } = options;
  const outOfRange =
    (min !== undefined && n < min) || (max !== undefined && n > max) || !Number.isSafeInteger(n);
  if (outOfRange) {
    const range =
      min !== undefined && max !== undefined
        ? `between ${min} and ${max}`
        : min !== undefined
          ? `at least ${min}`
          : max !== undefined
            ? `at most ${max}`
            : `a safe integer`;
    throw new InputError(`'${name}' must be ${range}${unit}, got ${value}`);
  }
  return n;
}

export interface EnumOptions<T extends string> extends Legacy {
  /** Other spellings accepted for a value, e.g. `{ flows: 'flow' }`. */
  aliases?: Record<string, T>;
}

/**
 * One of `values` (case-insensitive, returned in the canonical spelling), or an alias of one. Empty is
 * refused: every enum input selects what runs or is written, and has a default in action.yml.
 */
export function getEnum<T extends string>(
  name: string,
  values: readonly T[],
  options: EnumOptions<T> = {},
): T {
  const value = raw(name, options.legacy);
  if (!value)
    throw emptyInput(name, `write one of ${values.join(', ')}, or remove the line to use its default`);
  const lower = value.toLowerCase();
  const direct = values.find((v) => v.toLowerCase() === lower);
  if (direct !== undefined) return direct;
  for (const [alias, target] of Object.entries(options.aliases ?? {})) {
    if (alias.toLowerCase() === lower) return target;
  }
  throw new InputError(`'${name}' must be one of ${values.join(', ')}, got ${JSON.stringify(value)}`);
}

/**
 * A list: one item per line or comma, trimmed, empties dropped. Commas inside `{…}` stay (so a glob like
 * `**\/*.{yml,yaml}` is one item).
 */
export function getList(name: string, options: Legacy & { notEmpty?: string } = {}): string[] {
  const value = raw(name, options.legacy);
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '{') depth++;
    else if (ch === '}' && depth > 0) depth--;
    if (ch === '\n' || ch === '\r' || (ch === ',' && depth === 0)) {
      items.push(current);
      current = '';
      if (ch !== ',') depth = 0;
    } else {
      current += ch;
    }
  }
  items.push(current);
  const list = items.map((s) => s.trim()).filter((s) => s !== '');
  // `notEmpty`: the hint for a list that must hold an item (see emptyInput); `include: ','` is empty too.
  if (list.length === 0 && options.notEmpty !== undefined) throw emptyInput(name, options.notEmpty);
  return list;
}

// RFC 9110 token: the characters a header name may contain.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Header values that carry credentials are masked in the log as soon as they are read.
const SENSITIVE_HEADER = /auth|token|secret|key|cookie|session|password|credential/i;

export interface HeaderOptions extends Legacy {
  /** Lower-case header names the caller sets itself, each with why: a line naming one is refused. */
  reserved?: Record<string, string>;
}

/**
 * Extra HTTP headers, one `Name: value` per line (blank lines and `#` comments skipped). The error for a bad
 * line names its number (and the header) but never echoes a value: it may hold a credential.
 */
export function getHeaders(name: string, options: HeaderOptions = {}): Record<string, string> {
  const value = raw(name, options.legacy);
  const headers: Record<string, string> = {};
  const seen = new Map<string, number>();
  const lines = value.split(/\r?\n/);
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    const text = line.trim();
    if (!text || text.startsWith('#')) return;
    const colon = text.indexOf(':');
    const key = colon > 0 ? text.slice(0, colon).trim() : '';
    if (!key || !HEADER_NAME.test(key)) {
      throw new InputError(
        `'${name}' line ${lineNo} is not a header: write one 'Name: value' per line (the name is letters, digits or -)`,
      );
    }
    const lower = key.toLowerCase();
    const reserved = options.reserved?.[lower];
    if (reserved !== undefined) {
      throw new InputError(`'${name}' line ${lineNo} sets '${key}': ${reserved}; remove that line`);
    }
    const first = seen.get(lower);
    if (first !== undefined) {
      throw new InputError(`'${name}' line ${lineNo} repeats header '${key}' from line ${first}: keep one`);
    }
    seen.set(lower, lineNo);
    const headerValue = text.slice(colon + 1).trim();
    if (headerValue && SENSITIVE_HEADER.test(key)) core.setSecret(headerValue);
    if (!isSendableHeaderValue(headerValue)) {
      throw new InputError(
        `'${name}' line ${lineNo}: the value of '${key}' holds a control character or a character beyond Latin-1, which HTTP headers cannot carry`,
      );
    }
    headers[key] = headerValue;
  });
  return headers;
}
