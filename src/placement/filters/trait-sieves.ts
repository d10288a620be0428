// Sieve loops over trait/label bits, shared by the filters that read them. Each is a direct
// (monomorphic) call from its filter, so V8 can inline it.

import type { BitMask, FleetIndex } from '../fleet-index.js';
import type { HostPool } from '../host-pool.js';

/** Keeps the hosts that have every bit of `required`. */
export function keepHavingAll(fleet: FleetIndex, required: BitMask, pool: HostPool): void {
  if (required.impossible) return pool.rejectAll();
  const survivors = pool.indexes;
  const mask = required.words;
  let kept = 0;
  for (let s = 0, count = pool.count; s < count; s++) {
    const h = survivors[s]!;
    if (fleet.hasAll(h, mask)) survivors[kept++] = h;
    else pool.reject(h);
  }
  pool.count = kept;
}

/** Keeps the hosts that have every bit of `required` and none of `forbidden`. */
export function keepHavingAllAndNone(fleet: FleetIndex, required: BitMask, forbidden: BitMask, pool: HostPool): void {
  if (required.impossible) return pool.rejectAll();
  const survivors = pool.indexes;
  let kept = 0;
  for (let s = 0, count = pool.count; s < count; s++) {
    const h = survivors[s]!;
    if (fleet.hasAll(h, required.words) && !fleet.hasAny(h, forbidden.words)) survivors[kept++] = h;
    else pool.reject(h);
  }
  pool.count = kept;
}

/** The first of `wanted` that `traits` lacks, or null when it has them all. */
export function firstMissing(traits: readonly string[], wanted: readonly string[]): string | null {
  return wanted.find((t) => !traits.includes(t)) ?? null;
}
