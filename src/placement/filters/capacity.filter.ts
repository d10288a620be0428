import { shortDimensions, type Resources } from '../../common/resources.js';
import type { FleetIndex } from '../fleet-index.js';
import type { PlacementFilter } from '../placement-types.js';

interface CapacityNeed {
  need: Resources;
  /** Explanations read the index too: it includes claims the host objects do not show. */
  fleet: FleetIndex;
}

/**
 * Whether host `h` can hold `cpu` vCPUs, `memory` MiB and `disk` GiB in all (what it uses plus
 * the request): an exact fit fits. The one statement of the rule, for the sieve below and for
 * the one-pass ranking in place.ts.
 */
export function fitsAfter(fleet: FleetIndex, h: number, cpu: number, memory: number, disk: number): boolean {
  return cpu <= fleet.usableVcpus[h]! && memory <= fleet.usableMemoryMiB[h]! && disk <= fleet.usableDiskGiB[h]!;
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
    const { usedVcpus, usedMemoryMiB, usedDiskGiB } = fleet;
    const { vcpus, memoryMiB, diskGiB } = need;
    const survivors = pool.indexes;
    let kept = 0;
    for (let s = 0, count = pool.count; s < count; s++) {
      const h = survivors[s]!;
      if (fitsAfter(fleet, h, usedVcpus[h]! + vcpus, usedMemoryMiB[h]! + memoryMiB, usedDiskGiB[h]! + diskGiB)) {
        survivors[kept++] = h;
      } else {
        pool.reject(h);
      }
    }
    pool.count = kept;
  },
  reason: (host, { need, fleet }) => {
    const h = fleet.indexOf(host.id);
    const short = shortDimensions(need, fleet.usedOf(h), fleet.usableOf(h));
    return short.length === 0 ? null : `${short.join(', ')} short`;
  },
};
