// How much work a search step may do: a deterministic bound (not a clock), so that a plan
// never depends on the machine it was computed on.

/** Effort units: each host, resident or fit examined costs about one. */
export class SearchEffort {
  constructor(private remaining: number) {}
  spend(units: number): void {
    this.remaining -= units;
  }
  get exhausted(): boolean {
    return this.remaining <= 0;
  }
  /** Whether `units` more would still be within the effort. */
  canAfford(units: number): boolean {
    return units <= this.remaining;
  }
}
