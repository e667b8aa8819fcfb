/**
 * Runs `work` for every item, at most `limit` at once, and waits for all of them before throwing
 * the first failure: a job retried after a failure must not send again a request that was still
 * in flight. Results come back in the items' order.
 */
export async function settleEach<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let failure: { error: unknown } | undefined;
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      try {
        results[i] = await work(items[i] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}
