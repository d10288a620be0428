import type { BitMask } from '../fleet-index.js';
import type { PlacementFilter } from './placement-filter.js';
import { keepHavingAll } from './trait-sieves.js';

interface LabelRule {
  labels: Readonly<Record<string, string>>;
  /** Each key=value pair is one bit in the FleetIndex. */
  mask: BitMask;
}

/** Every required label key must be present on the host with exactly the required value. */
export const labelsFilter: PlacementFilter<LabelRule> = {
  name: 'labels',
  prepare: (fleet, request) => {
    const labels = request.requiredLabels ?? {};
    return Object.keys(labels).length === 0 ? null : { labels, mask: fleet.labelMask(labels) };
  },
  sieve: (fleet, rule, pool) => keepHavingAll(fleet, rule.mask, pool),
  reason: (host, rule) => {
    const key = Object.keys(rule.labels).find((k) => host.labels[k] !== rule.labels[k]);
    return key === undefined ? null : `needs label ${key}=${rule.labels[key]}`;
  },
};
