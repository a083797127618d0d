// Typed readers over the action's inputs: this file knows how to read and check one input; which inputs
// exist is settings.ts's and the action.yml files' business.
import * as core from '@actions/core';
import { isSendableHeaderValue } from '../kestra/auth.js';
import {
  emptyInput,
  InputError,
  parseBoolean,
  parseEnum,
  parseHeaderLines,
  parseInteger,
  splitList,
  type IntegerOptions as IntegerRange,
} from '../model/settings-checks.js';

// The checks are the model's (src/model/settings-checks.ts), shared with the CLI; these read the inputs.
export { emptyInput, InputError };

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
 * true or false, in the spellings getBooleanInput accepts. Empty is refused: the runner fills in the
 * action.yml default when the workflow leaves the input out, so an empty value was written
 * (`dry-run: ${{ vars.UNSET }}`), and reading it as false would turn a dry run into a real deploy.
 */
export function getBoolean(name: string, options: Legacy = {}): boolean {
  return parseBoolean(name, raw(name, options.legacy));
}

export interface IntegerOptions extends Legacy, IntegerRange {}

export function getInteger(name: string, options: IntegerOptions): number {
  return parseInteger(name, raw(name, options.legacy), options);
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
  return parseEnum(name, raw(name, options.legacy), values, options.aliases);
}

/**
 * A list: one item per line or comma, trimmed, empties dropped. Commas inside `{…}` stay (so a glob like
 * `**\/*.{yml,yaml}` is one item).
 */
export function getList(name: string, options: Legacy & { notEmpty?: string } = {}): string[] {
  const list = splitList(raw(name, options.legacy));
  // `notEmpty`: the hint for a list that must hold an item (see emptyInput); `include: ','` is empty too.
  if (list.length === 0 && options.notEmpty !== undefined) throw emptyInput(name, options.notEmpty);
  return list;
}

export interface HeaderOptions extends Legacy {
  /** Lower-case header names the caller sets itself, each with why: a line naming one is refused. */
  reserved?: Record<string, string>;
}

/**
 * Extra HTTP headers, one `Name: value` per line (blank lines and `#` comments skipped). The error for a bad
 * line names its number (and the header) but never echoes a value: it may hold a credential.
 */
export function getHeaders(name: string, options: HeaderOptions = {}): Record<string, string> {
  return parseHeaderLines(name, raw(name, options.legacy).split(/\r?\n/), {
    reserved: options.reserved,
    sendable: isSendableHeaderValue,
    // Masked as soon as read.
    onSecret: (value) => core.setSecret(value),
  });
}
