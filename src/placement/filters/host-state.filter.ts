import type { PlacementFilter } from './placement-filter.js';

/** Only enabled hosts receive guests; maintenance/draining/offline/standby never do. */
export const hostStateFilter: PlacementFilter<true> = {
  name: 'host-state',
  prepare: () => true,
  sieve(fleet, _prepared, pool) {
    const survivors = pool.indexes;
    const enabled = fleet.enabled;
    let kept = 0;
    for (let s = 0, count = pool.count; s < count; s++) {
      const h = survivors[s]!;
      if (enabled[h] === 1) survivors[kept++] = h;
      else pool.reject(h);
    }
    pool.count = kept;
  },
  reason: (host) => (host.state === 'enabled' ? null : host.state),
};
