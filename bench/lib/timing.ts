// Timing helpers for benchmarks: warm up, then time a bounded number of runs with hrtime.

export interface Timing {
  iterations: number;
  totalNs: bigint;
  /** Mean nanoseconds per call. */
  nsPerCall: number;
}

/** Runs `fn` until JIT tiers settle; results are discarded. */
export function warmUp(fn: (iteration: number) => unknown, iterations: number): void {
  for (let i = 0; i < iterations; i++) fn(i);
}

/**
 * Times `iterations` calls of `fn`. The return values are folded into a sink so that the
 * optimiser cannot drop the work.
 */
export function time(fn: (iteration: number) => unknown, iterations: number): Timing {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) if (fn(i) !== undefined) sink++;
  const totalNs = process.hrtime.bigint() - start;
  if (sink < 0) console.log(sink);
  return { iterations, totalNs, nsPerCall: Number(totalNs) / iterations };
}

/** 12345.6 ns -> "12.35 µs" style, fixed width for tables. */
export function formatMicros(ns: number): string {
  return `${(ns / 1000).toFixed(2)} µs`;
}

/**
 * How many calls of `fn` fit in `budgetNs`, from a short probe, clamped to [min, max]; keeps a
 * benchmark's run time bounded whatever the machine.
 */
export function iterationsWithin(fn: (iteration: number) => unknown, budgetNs: number, min: number, max: number): number {
  const probe = time(fn, min);
  return Math.max(min, Math.min(max, Math.floor(budgetNs / Math.max(1, probe.nsPerCall))));
}
