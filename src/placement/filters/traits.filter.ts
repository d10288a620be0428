import type { BitMask } from '../fleet-index.js';
import type { PlacementFilter } from './placement-filter.js';
import { firstMissing, keepHavingAllAndNone } from './trait-sieves.js';

interface TraitRule {
  required: readonly string[];
  forbidden: readonly string[];
  requiredMask: BitMask;
  /** A forbidden trait no host has simply never matches, so `impossible` is ignored here. */
  forbiddenMask: BitMask;
}

/** Operator traits: every required one present, no forbidden one present. */
export const traitsFilter: PlacementFilter<TraitRule> = {
  name: 'traits',
  prepare: (fleet, request) => {
    const required = request.requiredTraits ?? [];
    const forbidden = request.forbiddenTraits ?? [];
    if (required.length === 0 && forbidden.length === 0) return null;
    return { required, forbidden, requiredMask: fleet.traitMask(required), forbiddenMask: fleet.traitMask(forbidden) };
  },
  sieve: (fleet, rule, pool) => keepHavingAllAndNone(fleet, rule.requiredMask, rule.forbiddenMask, pool),
  reason: (host, rule) => {
    const missing = firstMissing(host.traits, rule.required);
    if (missing !== null) return `lacks trait ${missing}`;
    const present = rule.forbidden.find((t) => host.traits.includes(t));
    return present === undefined ? null : `has forbidden trait ${present}`;
  },
};
