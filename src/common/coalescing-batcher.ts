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

export class CoalescingBatcher<In, Out> {
  private queue: Pending<In, Out>[] = [];
  private draining: Promise<void> | null = null;

  /**
   * `writeBatch` writes its items (in order) and answers one outcome per item, in the same
   * order. If it throws, a batch of several is retried item by item, so that one bad item
   * fails alone and not its neighbours.
   */
  constructor(
    private readonly writeBatch: (items: In[]) => Promise<Out[]>,
    private readonly maxBatch = 256,
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
        const batch = this.queue.splice(0, this.maxBatch);
        await this.write(batch);
      }
    } finally {
      this.draining = null;
    }
  }

  private async write(batch: Pending<In, Out>[]): Promise<void> {
    try {
      const outs = await this.writeBatch(batch.map((p) => p.item));
      if (outs.length !== batch.length) throw new Error(`batch write answered ${outs.length} outcomes for ${batch.length} items`);
      batch.forEach((p, i) => p.resolve(outs[i]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const p of batch) await this.write([p]);
    }
  }
}
