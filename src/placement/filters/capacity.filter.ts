import { shortDimensions, type Resources } from '../../common/resources.js';
import type { FleetIndex } from '../fleet-index.js';
import type { PlacementFilter } from './placement-filter.js';

interface CapacityNeed {
  need: Resources;
  /** Explanations read the index too: it includes claims the host objects do not show. */
  fleet: FleetIndex;
}

/**
 * Whether host `h` can take `need` on top of what it holds (claims and foreign guests): an exact
 * fit fits. The one statement of the rule, for the sieve below, rankHosts' one pass and the
 * flavour rankings of chooseHosts.
 */
export function fits(fleet: FleetIndex, h: number, need: Resources): boolean {
  return (
    fleet.usedVcpus[h]! + need.vcpus <= fleet.usableVcpus[h]! &&
    fleet.usedMemoryMiB[h]! + need.memoryMiB <= fleet.usableMemoryMiB[h]! &&
    fleet.usedDiskGiB[h]! + need.diskGiB <= fleet.usableDiskGiB[h]!
  );
}

/**
 * The request must fit in what is left of the host's usable capacity (physical × overcommit
 * ratio, rounded down: `usableCapacity`, precomputed by the FleetIndex) in every dimension. An
 * exact fit fits — the same rule as `fitsWithin`, written out over the index's arrays.
 */
export const capacityFilter: PlacementFilter<CapacityNeed> = {
  name: 'capacity',
  prepare: (fleet, request) => ({ need: request.resources, fleet }),
  sieve(fleet, { need }, pool) {
    const survivors = pool.indexes;
    let kept = 0;
    for (let s = 0, count = pool.count; s < count; s++) {
      const h = survivors[s]!;
      if (fits(fleet, h, need)) survivors[kept++] = h;
      else pool.reject(h);
    }
    pool.count = kept;
  },
  reason: (host, { need, fleet }) => {
    const h = fleet.indexOf(host.id);
    const short = shortDimensions(need, fleet.usedOf(h), fleet.usableOf(h));
    return short.length === 0 ? null : `${short.join(', ')} short`;
  },
};
