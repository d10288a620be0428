import { CoalescingBatcher } from './coalescing-batcher.js';

/** A batch writer whose writes finish only when the test says so. */
function controlledWriter(fail: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const write = (items: number[]) => {
    batches.push(items);
    return new Promise<string[]>((resolve, reject) => {
      releases.push(() =>
        items.some(fail) ? reject(new Error(`bad item in ${items.join(',')}`)) : resolve(items.map((i) => `wrote ${i}`)),
      );
    });
  };
  const releaseNext = async () => {
    releases.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { batches, write, releaseNext };
}

describe('CoalescingBatcher', () => {
  it('writes the first item at once and the items that arrive meanwhile together, each getting its own outcome', async () => {
    const writer = controlledWriter();
    const batcher = new CoalescingBatcher(writer.write);
    const first = batcher.submit(1);
    expect(writer.batches).toEqual([[1]]); // no waiting for company when idle
    const later = [batcher.submit(2), batcher.submit(3), batcher.submit(4)];
    expect(writer.batches).toEqual([[1]]);
    await writer.releaseNext();
    await expect(first).resolves.toBe('wrote 1');
    expect(writer.batches).toEqual([[1], [2, 3, 4]]);
    await writer.releaseNext();
    await expect(Promise.all(later)).resolves.toEqual(['wrote 2', 'wrote 3', 'wrote 4']);
  });

  it('splits a long queue into batches of at most maxBatch', async () => {
    const writer = controlledWriter();
    const batcher = new CoalescingBatcher(writer.write, { maxBatch: 2 });
    const all = [1, 2, 3, 4, 5, 6].map((i) => batcher.submit(i));
    for (let i = 0; i < 4; i++) await writer.releaseNext();
    await Promise.all(all);
    expect(writer.batches).toEqual([[1], [2, 3], [4, 5], [6]]);
  });

  it('retries a batch that failed on an item item by item, so only the bad item fails', async () => {
    const writer = controlledWriter((item) => item === 3);
    const batcher = new CoalescingBatcher(writer.write, { isItemError: (e) => /bad item/.test(String(e)) });
    const first = batcher.submit(1);
    const outcomes = Promise.allSettled([2, 3, 4].map((i) => batcher.submit(i)));
    await writer.releaseNext(); // [1]
    await first;
    await writer.releaseNext(); // [2, 3, 4] fails
    for (let i = 0; i < 3; i++) await writer.releaseNext(); // [2], [3], [4]
    expect((await outcomes).map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(writer.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it("fails the whole batch at once on an error that is not an item's", async () => {
    const writer = controlledWriter((item) => item === 3);
    const batcher = new CoalescingBatcher(writer.write, { isItemError: () => false });
    void batcher.submit(1);
    const outcomes = Promise.allSettled([2, 3, 4].map((i) => batcher.submit(i)));
    await writer.releaseNext(); // [1]
    await writer.releaseNext(); // [2, 3, 4] fails: no retries
    expect((await outcomes).map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(writer.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('does not write again a batch whose outcomes do not match its items', async () => {
    const batches: number[][] = [];
    const batcher = new CoalescingBatcher(
      async (items: number[]) => {
        batches.push(items);
        return [];
      },
      { isItemError: () => true },
    );
    await expect(batcher.submit(1)).rejects.toThrow(/0 outcomes for 1 items/);
    expect(batches).toEqual([[1]]);
  });

  it('flush waits for everything submitted so far', async () => {
    const writer = controlledWriter();
    const batcher = new CoalescingBatcher(writer.write);
    void batcher.submit(1);
    void batcher.submit(2);
    let flushed = false;
    const flushing = batcher.flush().then(() => (flushed = true));
    await writer.releaseNext();
    expect(flushed).toBe(false); // item 2 is still being written
    await writer.releaseNext();
    await flushing;
    expect(flushed).toBe(true);
  });
});
