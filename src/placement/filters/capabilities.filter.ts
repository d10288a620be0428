import type { BitMask } from '../fleet-index.js';
import type { PlacementFilter } from './placement-filter.js';
import { firstMissing, keepHavingAll } from './trait-sieves.js';

interface NeededTraits {
  traits: readonly string[];
  mask: BitMask;
}

/**
 * Required driver capabilities, read as `cap:<capability>` traits: a host whose driver cannot
 * live-migrate is never a live-migration target.
 */
export const capabilitiesFilter: PlacementFilter<NeededTraits> = {
  name: 'capabilities',
  prepare: (fleet, request) => {
    if (!request.requireCapabilities?.length) return null;
    const traits = request.requireCapabilities.map((c) => `cap:${c}`);
    return { traits, mask: fleet.traitMask(traits) };
  },
  sieve: (fleet, needed, pool) => keepHavingAll(fleet, needed.mask, pool),
  reason: (host, needed) => {
    const missing = firstMissing(host.traits, needed.traits);
    return missing === null ? null : `no ${missing}`;
  },
};
