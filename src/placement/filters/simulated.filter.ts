import type { BitMask } from '../fleet-index.js';
import type { PlacementFilter } from './placement-filter.js';
import { keepHavingAllAndNone } from './trait-sieves.js';

/** The trait virtfleet gives hosts on libvirt's test driver (no real guests run there). */
export const SIMULATED_TRAIT = 'sim';

interface SimulatedRule {
  none: BitMask;
  simulated: BitMask;
}

/**
 * Simulated hosts take an instance only when the request asks for hosts explicitly: it pins
 * one (`hostId`), requires host labels (which only hosts labelled so carry), or requires the
 * `sim` trait. A plain request never lands on one, so a demo host cannot win real placements
 * and report a guest as running that does not exist.
 */
export const simulatedFilter: PlacementFilter<SimulatedRule> = {
  name: 'simulated',
  prepare: (fleet, request) => {
    const explicit =
      request.hostId !== undefined ||
      Object.keys(request.requiredLabels ?? {}).length > 0 ||
      (request.requiredTraits ?? []).includes(SIMULATED_TRAIT);
    return explicit ? null : { none: fleet.traitMask([]), simulated: fleet.traitMask([SIMULATED_TRAIT]) };
  },
  sieve: (fleet, rule, pool) => keepHavingAllAndNone(fleet, rule.none, rule.simulated, pool),
  reason: (host) => (host.traits.includes(SIMULATED_TRAIT) ? 'simulated (pin it with hostId or require its labels)' : null),
};
