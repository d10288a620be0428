import type { PlacementFilter } from './placement-filter.js';

interface Exclusion {
  ids: ReadonlySet<string>;
  /** The excluded hosts' indexes in the fleet, ascending (ids it does not know are dropped). */
  indexes: Int32Array;
}

/** Index of `host` in the ascending `sorted[0, count)`, or -1. */
function binarySearch(sorted: Int32Array, count: number, host: number): number {
  let low = 0;
  let high = count - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < host) low = mid + 1;
    else if (sorted[mid]! > host) high = mid - 1;
    else return mid;
  }
  return -1;
}

/**
 * Hosts the caller ruled out, e.g. the source host of a migration. There are only a few, so
 * each is looked up in the pool (kept in fleet order) and cut out, instead of testing every host.
 */
export const excludedHostFilter: PlacementFilter<Exclusion> = {
  name: 'excluded-host',
  prepare: (fleet, request) => {
    if (!request.excludeHostIds?.length) return null;
    const indexes = request.excludeHostIds.map((id) => fleet.indexOf(id)).filter((h) => h >= 0);
    return { ids: new Set(request.excludeHostIds), indexes: Int32Array.from(new Set(indexes)).sort() };
  },
  sieve(_fleet, exclusion, pool) {
    for (const host of exclusion.indexes) {
      const at = binarySearch(pool.indexes, pool.count, host);
      if (at < 0) continue;
      pool.indexes.copyWithin(at, at + 1, pool.count);
      pool.count--;
      pool.reject(host);
    }
  },
  reason: (host, exclusion) => (exclusion.ids.has(host.id) ? 'excluded by the request' : null),
};
