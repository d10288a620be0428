import type { PlacementFilter } from './placement-filter.js';
import { affinityFilter, antiAffinityFilter } from './group.filters.js';
import { capabilitiesFilter } from './capabilities.filter.js';
import { capacityFilter } from './capacity.filter.js';
import { driverGuestFilter } from './driver-guest.filter.js';
import { excludedHostFilter } from './excluded-host.filter.js';
import { hostStateFilter } from './host-state.filter.js';
import { labelsFilter } from './labels.filter.js';
import { simulatedFilter } from './simulated.filter.js';
import { traitsFilter } from './traits.filter.js';

export {
  affinityFilter,
  antiAffinityFilter,
  capabilitiesFilter,
  capacityFilter,
  driverGuestFilter,
  excludedHostFilter,
  hostStateFilter,
  labelsFilter,
  simulatedFilter,
  traitsFilter,
};

/**
 * Filters that read only a host's fixed facts (identity, state, traits, labels). Their outcome
 * for a request shape cannot change while the FleetIndex lives, so it is memoized per shape.
 * Cheap first: a host is counted against the first filter that rejects it.
 */
export const SNAPSHOT_FILTERS: readonly PlacementFilter<unknown>[] = [
  hostStateFilter,
  driverGuestFilter,
  capabilitiesFilter,
  traitsFilter,
  labelsFilter,
  simulatedFilter,
];

/**
 * Filters run on every decision: their inputs differ per decision (the excluded ids) or change
 * with every `claim` (used capacity, group members). Cheap first.
 */
export const PER_DECISION_FILTERS: readonly PlacementFilter<unknown>[] = [
  excludedHostFilter,
  capacityFilter,
  antiAffinityFilter,
  affinityFilter,
];
