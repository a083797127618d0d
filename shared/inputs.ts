// Typed readers over the action's inputs. The only core module allowed to call @actions/core:
// the actions decide which inputs exist; this file only knows how to read and check one.
import * as core from '@actions/core';

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
}

export function getString(name: string, options: StringOptions & { required: true }): string;
export function getString(name: string, options: StringOptions & { default: string }): string;
export function getString(name: string, options?: StringOptions): string | undefined;
export function getString(name: string, options: StringOptions = {}): string | undefined {
  const value = raw(name, options.legacy);
  if (value) return value;
  if (options.default !== undefined) return options.default;
  if (options.required) {
    const hint = options.hint ?? `add '${name}:' under 'with:' in the step that uses this action`;
    throw new InputError(`Input '${name}' is required: ${hint}`);
  }
  return undefined;
}

const TRUE = ['true', 'yes', '1'];
const FALSE = ['false', 'no', '0'];

/** true/false, yes/no, 1/0 in any case; unset → `fallback`. */
export function getBoolean(name: string, fallback: boolean, options: Legacy = {}): boolean {
  const value = raw(name, options.legacy);
  if (!value) return fallback;
  const lower = value.toLowerCase();
  if (TRUE.includes(lower)) return true;
  if (FALSE.includes(lower)) return false;
  throw new InputError(
    `'${name}' must be one of true, false, yes, no, 1, 0 (any case), got ${JSON.stringify(value)}`,
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
  default: T;
  /** Other spellings accepted for a value, e.g. `{ flows: 'flow' }`. */
  aliases?: Record<string, T>;
}

/** One of `values` (case-insensitive, returned in the canonical spelling), or an alias of one. */
export function getEnum<T extends string>(name: string, values: readonly T[], options: EnumOptions<T>): T {
  const value = raw(name, options.legacy);
  if (!value) return options.default;
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
export function getList(name: string, options: Legacy = {}): string[] {
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
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

// RFC 9110 token: the characters a header name may contain.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Header values that carry credentials are masked in the log as soon as they are read.
const SENSITIVE_HEADER = /auth|token|secret|key|cookie|session|password|credential/i;

/**
 * Extra HTTP headers, one `Name: value` per line (blank lines and `#` comments skipped). The error for a bad
 * line names its number but never echoes its content: it may hold a credential.
 */
export function getHeaders(name: string, options: Legacy = {}): Record<string, string> {
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
    const first = seen.get(lower);
    if (first !== undefined) {
      throw new InputError(`'${name}' line ${lineNo} repeats header '${key}' from line ${first}: keep one`);
    }
    seen.set(lower, lineNo);
    const headerValue = text.slice(colon + 1).trim();
    if (headerValue && SENSITIVE_HEADER.test(key)) core.setSecret(headerValue);
    headers[key] = headerValue;
  });
  return headers;
}
