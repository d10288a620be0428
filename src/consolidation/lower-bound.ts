// The least number of active hosts any plan can end with: how far from the best a plan is.

import { RESOURCE_DIMENSIONS } from '../common/resources.js';
import { DRIVER_KINDS } from '../hypervisor/capabilities.js';
import type { WorkingFleet } from './working-fleet.js';

/**
 * No end state can use fewer active hosts than this. Per driver kind (hosts never mix kinds),
 * the largest of two bounds per dimension. A host's capacity here is its limit, or its current
 * load if it is already above it: every step only adds to a host while it stays within its
 * limit, so no host ever ends higher than that. Demand is what runs on enabled hosts now (it
 * must end on enabled hosts; what sits on maintenance hosts may stay there).
 *   - Volume: the fewest hosts whose capacities could hold the demand if we were free to pick
 *     the biggest hosts in that dimension (the k largest capacities bound any k hosts), so the
 *     bound stays valid with heterogeneous hosts.
 *   - Big instances: two instances each above half the largest capacity cannot share any host,
 *     so each of them ends on a host of its own.
 */
export function activeHostsLowerBound(fleet: WorkingFleet): number {
  let bound = 0;
  for (const kind of DRIVER_KINDS) {
    const hosts = fleet.hosts.filter((slot) => slot.host.state === 'enabled' && slot.host.driverKind === kind);
    const occupied = hosts.filter((slot) => slot.residents.size > 0);
    if (occupied.length === 0) continue;
    const instances = occupied.flatMap((slot) => [...slot.residents]);
    let kindBound = 1;
    for (const d of RESOURCE_DIMENSIONS) {
      const demand = occupied.reduce((sum, slot) => sum + slot.used[d], 0);
      const capacities = hosts.map((slot) => Math.max(slot.limit[d], slot.used[d])).sort((a, b) => b - a);
      let covered = 0;
      let needed = 0;
      while (covered < demand) covered += capacities[needed++]!;
      const big = instances.filter((slot) => 2 * slot.instance.resources[d] > capacities[0]!).length;
      kindBound = Math.max(kindBound, needed, big);
    }
    bound += kindBound;
  }
  return bound;
}
