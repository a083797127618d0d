// The one error a deploy raises on purpose: refused before any write, or stopped, with what to do.

/** A deploy that was refused or stopped: the message says what was written and what to do. */
export class DeployError extends Error {
  override name = 'DeployError';
}

/**
 * Runs a stage before the first write: a failure there (the server unreachable, a listing refused) stops
 * the deploy with nothing written, and the message says so.
 */
export async function beforeWriting<T>(stage: () => Promise<T>): Promise<T> {
  try {
    return await stage();
  } catch (error) {
    if (error instanceof DeployError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new DeployError(`${message} (nothing was written or deleted)`);
  }
}
