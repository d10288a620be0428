// Group commit for small writes that many requests make at once (audit rows, operation starts):
// the first item is written at once, on its own; items that arrive while a write is in flight
// wait for it and are then written together, by one statement. An idle system pays no added
// latency (nothing waits on a timer); a busy one pays for one statement per batch instead of
// one per item. Each caller still gets its own outcome.

interface Pending<In, Out> {
  item: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

const DEFAULT_MAX_BATCH = 256;

export class CoalescingBatcher<In, Out> {
  private queue: Pending<In, Out>[] = [];
  private draining: Promise<void> | null = null;

  /**
   * `writeBatch` writes its items atomically (one statement or transaction), in order, and
   * answers one outcome per item in the same order. When it throws an error that
   * `isItemError` blames on an item (bad data, a violated constraint), a batch of several is
   * written again item by item, so that the bad item fails alone; any other error (the
   * database down, a timeout) fails the whole batch at once rather than once per item.
   */
  constructor(
    private readonly writeBatch: (items: In[]) => Promise<Out[]>,
    private readonly options: { maxBatch?: number; isItemError?: (error: unknown) => boolean } = {},
  ) {}

  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves once everything submitted so far has been written (or has failed). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.maxBatch ?? DEFAULT_MAX_BATCH);
        await this.write(batch);
      }
    } finally {
      this.draining = null;
    }
  }

  private async write(batch: Pending<In, Out>[]): Promise<void> {
    let outs: Out[];
    try {
      outs = await this.writeBatch(batch.map((p) => p.item));
    } catch (error) {
      if (batch.length > 1 && this.options.isItemError?.(error)) {
        for (const p of batch) await this.write([p]);
      } else {
        for (const p of batch) p.reject(error);
      }
      return;
    }
    // Written, but answered wrongly: a programming error, and not one to cure by writing again.
    const mismatch =
      outs.length === batch.length ? null : new Error(`batch write answered ${outs.length} outcomes for ${batch.length} items`);
    batch.forEach((p, i) => (mismatch ? p.reject(mismatch) : p.resolve(outs[i]!)));
  }
}
