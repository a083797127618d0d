// The one error the apply stage raises, for flows and namespace files alike: a namespace stopped part-way.
import type { DeployResult } from '../../model/results.js';

/** A namespace stopped part-way: what was done before the failure, what failed and what was not attempted. */
export class ApplyError extends Error {
  override name = 'ApplyError';
  constructor(
    message: string,
    /** Confirmed done before the failure (writes, unchanged resources, deletions), as result rows. */
    readonly done: DeployResult[],
    /** Flow ids or file paths whose own request failed. */
    readonly failed: string[],
    /** Planned writes (flows) or uploads (files) never sent: the namespace stopped first. */
    readonly notWritten: string[],
    /** Planned deletions not done: none is attempted before every write succeeded. */
    readonly notDeleted: string[],
  ) {
    super(message);
  }
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
