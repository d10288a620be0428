import type { BitMask } from '../fleet-index.js';
import type { PlacementFilter } from './placement-filter.js';
import { firstMissing, keepHavingAll } from './trait-sieves.js';

interface NeededTraits {
  traits: readonly string[];
  mask: BitMask;
}

/**
 * The host must run the requested driver and be able to build the guest type, read from its
 * capability traits (`driver:xen`, `guest:xen-pv`) rather than its driverKind field, so that an
 * operator can withhold a guest type from a host by trait.
 */
export const driverGuestFilter: PlacementFilter<NeededTraits> = {
  name: 'driver-guest',
  prepare: (fleet, request) => {
    const traits = [`driver:${request.driverKind}`, `guest:${request.guestType}`];
    return { traits, mask: fleet.traitMask(traits) };
  },
  sieve: (fleet, needed, pool) => keepHavingAll(fleet, needed.mask, pool),
  reason: (host, needed) => {
    const missing = firstMissing(host.traits, needed.traits);
    return missing === null ? null : `no ${missing}`;
  },
};
