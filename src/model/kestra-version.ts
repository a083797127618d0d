// The Kestra version a run targets, as `major.minor` (`1.3`, `2.0`): read from a setting or from the server's
// version, and compared by major. The offline rules differ between 1.x and 2.x only.
import { InputError } from './settings-checks.js';

const MAJOR_MINOR = /^(\d{1,4})\.(\d{1,4})$/;

/** The `kestra-version` setting: `major.minor`; empty reads as not given. */
export function parseKestraVersion(name: string, value: string): string | undefined {
  const text = value.trim();
  if (!text) return undefined;
  const match = MAJOR_MINOR.exec(text.replace(/^v/i, ''));
  if (!match) {
    throw new InputError(
      `'${name}' must be a Kestra version as major.minor (e.g. 1.3 or 2.0), got ${JSON.stringify(value)}`,
    );
  }
  return `${Number(match[1])}.${Number(match[2])}`;
}

/**
 * `major.minor` of a server's version (`1.3.19` → `1.3`). A snapshot or any other non-release version
 * (`2.0.0-SNAPSHOT`) is unknown, not the newest: the run then checks against no version.
 */
export function releaseOf(serverVersion: string | undefined): string | undefined {
  const match = /^v?(\d+)\.(\d+)\.\d+$/.exec(serverVersion?.trim() ?? '');
  return match ? `${Number(match[1])}.${Number(match[2])}` : undefined;
}

/** The major of a `major.minor` version (`2.0` → 2). */
export function majorOf(version: string): number {
  return Number(version.split('.')[0]);
}
