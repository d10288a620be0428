// Plain vector bin packing, for measuring the planner against textbook instances: every item
// of one capacity vector, bins all alike. `packWithPlanner` runs the real planner on it.

import { RESOURCE_DIMENSIONS, fitsWithin, addResources, ZERO_RESOURCES, NO_OVERCOMMIT, type Resources } from '../common/resources.js';
import { ValidationError } from '../common/domain-errors.js';
import { planConsolidation } from './planner.js';
import type { ConsolidationSnapshot } from './planner-types.js';

/** A packing: each bin lists the indices of the items in it. */
export type Packing = number[][];

/**
 * No packing uses fewer bins than the largest of these valid bounds (at least one bin for a
 * non-empty list):
 *   - per dimension, ceil(Σ size / capacity): the bins together must hold the total;
 *   - per dimension, the number of items larger than half the capacity: two such items add up
 *     to more than a bin in that dimension, so each needs a bin of its own.
 */
export function vectorBinPackingLowerBound(items: readonly Resources[], binCapacity: Resources): number {
  if (items.length === 0) return 0;
  let bound = 1;
  for (const d of RESOURCE_DIMENSIONS) {
    if (binCapacity[d] <= 0) continue;
    const total = items.reduce((sum, item) => sum + item[d], 0);
    const overHalf = items.filter((item) => 2 * item[d] > binCapacity[d]).length;
    bound = Math.max(bound, Math.ceil(total / binCapacity[d]), overHalf);
  }
  return bound;
}

/**
 * Baseline: first-fit decreasing, items sorted by the sum of their normalised dimensions
 * ("FFDSum"), each into the first open bin with room, else a new bin.
 */
export function firstFitDecreasing(items: readonly Resources[], binCapacity: Resources): Packing {
  assertEachFits(items, binCapacity);
  const size = items.map((item) => RESOURCE_DIMENSIONS.reduce((sum, d) => sum + (binCapacity[d] > 0 ? item[d] / binCapacity[d] : 0), 0));
  const order = items.map((_, index) => index).sort((a, b) => size[b]! - size[a]! || a - b);
  const bins: Packing = [];
  const loads: Resources[] = [];
  for (const index of order) {
    let bin = loads.findIndex((load) => fitsWithin(items[index]!, load, binCapacity));
    if (bin < 0) {
      bin = bins.push([]) - 1;
      loads.push({ ...ZERO_RESOURCES });
    }
    bins[bin]!.push(index);
    loads[bin] = addResources(loads[bin]!, items[index]!);
  }
  return bins;
}

/**
 * The planner's packing on a bare instance: each item starts alone on its own "virtual host"
 * of `binCapacity`, nothing pinned, no budget limit; the hosts still holding items are the bins.
 */
export function packWithPlanner(items: readonly Resources[], binCapacity: Resources): Packing {
  assertEachFits(items, binCapacity);
  const snapshot = virtualFleet(items, binCapacity);
  const plan = planConsolidation(snapshot, { allowColdMigration: true, migrationBudget: items.length, cooldownMs: 0 });
  const hostOf = items.map((_, index) => hostId(index));
  for (const move of plan.moves) hostOf[Number(move.instanceId.slice(1))] = move.toHostId;
  const bins = new Map<string, number[]>();
  hostOf.forEach((host, index) => bins.set(host, [...(bins.get(host) ?? []), index]));
  return [...bins.values()];
}

/** One qemu-kvm host per item, each item running on its own host. */
export function virtualFleet(items: readonly Resources[], binCapacity: Resources): ConsolidationSnapshot {
  return {
    hosts: items.map((_, index) => ({
      id: hostId(index),
      name: hostId(index),
      state: 'enabled',
      driverKind: 'qemu-kvm',
      physical: binCapacity,
      ratios: NO_OVERCOMMIT,
    })),
    instances: items.map((resources, index) => ({
      id: `i${index}`,
      name: `i${index}`,
      hostId: hostId(index),
      driverKind: 'qemu-kvm',
      resources,
      running: true,
      pinned: false,
    })),
    now: new Date(0),
  };
}

// Zero-padded so that id order is index order.
const hostId = (index: number) => `h${String(index).padStart(7, '0')}`;

function assertEachFits(items: readonly Resources[], binCapacity: Resources): void {
  const oversized = items.findIndex((item) => !fitsWithin(item, ZERO_RESOURCES, binCapacity));
  if (oversized >= 0) throw new ValidationError(`item ${oversized} is larger than a bin`);
}
