// The Kestra version a run targets, as `major.minor` (`1.3`, `2.0`): read from a setting or from the server's
// version, and compared by major. The offline rules differ between 1.x and 2.x only.
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
