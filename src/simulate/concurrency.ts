/**
 * Runs an async function over a list with at most `limit` calls in flight, so a fleet of a
 * thousand devices neither opens a thousand TLS handshakes at once nor waits for each in turn.
 * The first rejection is thrown after the calls in flight finish; no new call starts after it.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  action: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        await action(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
}
