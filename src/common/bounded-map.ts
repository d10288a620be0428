/**
 * `work` applied to every item with at most `limit` calls in flight, results in input order.
 * Probing hosts goes through libuv's thread pool and each probe may wait for its timeout: an
 * unbounded `Promise.all` over thousands of hosts queues them all behind a handful of threads,
 * so the last ones time out while waiting, not because their host is slow.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
