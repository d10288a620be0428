// The hosts still in the running during one decision, as indexes into a FleetIndex. Filters
// compact it in place, cheap filters first, so later filters only see what survived. The
// indexes stay ascending (fleet order): filters may rely on it, and ties break by it.

export const EXAMPLES_PER_FILTER = 3;

export class HostPool {
  /** Hosts removed by the filter currently sieving. */
  rejectedCount = 0;
  /** The first few of them, for explanations. */
  readonly rejectedExamples = new Int32Array(EXAMPLES_PER_FILTER);

  constructor(
    /** Surviving host indexes in [0, count); the rest is scratch. */
    readonly indexes: Int32Array,
    public count: number,
  ) {}

  /** Starts counting rejections for the next filter. */
  beginFilter(): void {
    this.rejectedCount = 0;
  }

  /** A filter calls this for every host it removes. */
  reject(host: number): void {
    if (this.rejectedCount < EXAMPLES_PER_FILTER) this.rejectedExamples[this.rejectedCount] = host;
    this.rejectedCount++;
  }

  /** For a request no host can satisfy (e.g. a trait no host has). */
  rejectAll(): void {
    for (let s = 0; s < this.count; s++) this.reject(this.indexes[s]!);
    this.count = 0;
  }
}
