// Plain vector bin packing, for measuring the planner against textbook instances: every item
// of one capacity vector, bins all alike. `packWithPlanner` runs the real planner on it.

import {
  RESOURCE_DIMENSIONS,
  fitsWithin,
  addResources,
  ZERO_RESOURCES,
  NO_OVERCOMMIT,
  type Resources,
} from '../../src/common/resources.js';
import { ValidationError } from '../../src/common/domain-errors.js';
import { planConsolidation } from '../../src/consolidation/planner.js';
import type { ConsolidationSnapshot } from '../../src/consolidation/planner-types.js';

/** A packing: each bin lists the indices of the items in it. */
export type Packing = number[][];

/**
 * No packing uses fewer bins than the largest of these valid bounds (at least one bin for a
 * non-empty list). Each one holds for any packing, so their maximum does too:
 *   - per dimension, Martello and Toth's L2 for one-dimensional bin packing (projecting a
 *     vector packing on one dimension gives a valid one-dimensional packing); it includes the
 *     volume bound ceil(Σ size / capacity) and the count of items over half a bin;
 *   - cardinality: if the k smallest items, measured by the sum of their shares of the bin
 *     over some set of dimensions, already overfill a bin, no bin holds k of them, so n items
 *     need ceil(n / (k - 1)) bins;
 *   - conflicts: two items that together overfill some dimension never share a bin, so a set
 *     of pairwise conflicting items (found greedily, largest first) needs a bin each.
 */
export function vectorBinPackingLowerBound(items: readonly Resources[], binCapacity: Resources): number {
  if (items.length === 0) return 0;
  const dimensions = RESOURCE_DIMENSIONS.filter((d) => binCapacity[d] > 0);
  let bound = 1;
  for (const d of dimensions)
    bound = Math.max(
      bound,
      martelloTothL2(
        items.map((item) => item[d]),
        binCapacity[d],
      ),
    );
  // Every non-empty subset of the dimensions: a bin holds at most |subset| in summed shares.
  for (let mask = 1; mask < 1 << dimensions.length; mask++) {
    const subset = dimensions.filter((_, i) => mask & (1 << i));
    const shares = items.map((item) => subset.reduce((sum, d) => sum + item[d] / binCapacity[d], 0));
    bound = Math.max(bound, cardinalityBound(shares, subset.length));
  }
  return Math.max(bound, greedyConflictClique(items, binCapacity, dimensions));
}

/**
 * L2 of Martello and Toth (1990) for one-dimensional sizes: for a threshold k <= C/2, items
 * over C - k each need a bin no item of size >= k can join; items in (C/2, C - k] each need a
 * bin of their own too, and the items in [k, C/2] must fit in what those leave free plus new bins.
 */
function martelloTothL2(sizes: number[], capacity: number): number {
  const total = sizes.reduce((sum, s) => sum + s, 0);
  let best = Math.ceil(total / capacity - 1e-9);
  const thresholds = [...new Set(sizes.filter((s) => 2 * s <= capacity)), 0];
  for (const k of thresholds) {
    let alone = 0;
    let overHalf = 0;
    let overHalfRoom = 0;
    let small = 0;
    for (const s of sizes) {
      if (s > capacity - k) alone++;
      else if (2 * s > capacity) {
        overHalf++;
        overHalfRoom += capacity - s;
      } else if (s >= k) small += s;
    }
    best = Math.max(best, alone + overHalf + Math.max(0, Math.ceil((small - overHalfRoom) / capacity - 1e-9)));
  }
  return best;
}

/** ceil(n / most items one bin can hold), where a bin holds at most `limit` in total `weight`. */
function cardinalityBound(weights: number[], limit: number): number {
  const ascending = [...weights].sort((a, b) => a - b);
  let fit = 0;
  let sum = 0;
  // Tolerance in the bound's favour: a sum equal to the limit up to rounding still fits.
  while (fit < ascending.length && sum + ascending[fit]! <= limit + 1e-9) sum += ascending[fit++]!;
  return fit === 0 ? ascending.length : Math.ceil(ascending.length / fit);
}

/** Size of a set of items no two of which fit in one bin together, built greedily. */
function greedyConflictClique(
  items: readonly Resources[],
  bin: Resources,
  dimensions: readonly (typeof RESOURCE_DIMENSIONS)[number][],
): number {
  const conflict = (a: Resources, b: Resources) => dimensions.some((d) => a[d] + b[d] > bin[d]);
  const largestShare = (item: Resources) => Math.max(...dimensions.map((d) => item[d] / bin[d]));
  const orders = [largestShare, ...dimensions.map((d) => (item: Resources) => item[d])];
  let best = 0;
  for (const size of orders) {
    const clique: Resources[] = [];
    for (const item of [...items].sort((a, b) => size(b) - size(a))) {
      if (clique.every((member) => conflict(member, item))) clique.push(item);
    }
    best = Math.max(best, clique.length);
  }
  return best;
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
