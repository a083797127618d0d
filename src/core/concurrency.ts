// Bounded concurrency: enough requests in flight to hide latency, few enough not to flood the server.
export const DEFAULT_CONCURRENCY = 8;

/**
 * Runs `fn` over `items` with at most `limit` calls in flight and returns the results in input order.
 * The first failure stops new calls from starting and is rethrown once the running ones have settled.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
