// An alternative to the planner's greedy steps: pack every movable instance afresh, as if the
// active hosts were empty but for what cannot move, with the constructive heuristics that do
// best on vector bin packing (Panigrahy et al. 2011, "Heuristics for Vector Bin Packing"):
// bin-centric (fill one host at a time with the instance that suits its remaining room best,
// by dot product or by the norm of what is left) and norm-based best fit decreasing. The
// greedy steps only ever empty hosts into the others, which keeps moves few but can lock in a
// poor packing; the planner keeps a fresh packing only when it needs fewer hosts.
//
// Each host that is opened first receives its own largest instance, and bins are then matched
// to hosts of the same capacity so that as many instances as possible stay where they are.

import { RESOURCE_DIMENSIONS, type Resources } from '../common/resources.js';
import { SearchEffort } from './search-effort.js';
import { activeHosts, shares } from './host-fit.js';
import { isMovable, type InstanceSlot, type WorkingFleet } from './working-fleet.js';
import { addLoad, allowsAll, fits, place, scratchBin, type Bin } from './bins.js';
import { eliminateBins } from './bin-elimination.js';

/** Where each movable instance would go; instances not listed stay. */
export type FreshAssignment = Map<InstanceSlot, Bin>;

type Construction = (items: InstanceSlot[], bins: BinPool, effort: SearchEffort) => boolean;

/** Effort units for each construction and for the elimination that improves the best one. */
export interface FreshPackingEffort {
  construction: number;
  elimination: number;
}

/**
 * The best fresh packing of the fleet's movable instances on enabled hosts: the construction
 * with the fewest hosts (the first on ties), then improved by `eliminateBins`. Undefined when
 * no construction finishes within its effort or none places everything. The elimination's
 * effort is shared by the driver kinds, each construction has its own.
 */
export function freshPacking(fleet: WorkingFleet, effort: FreshPackingEffort): FreshAssignment | undefined {
  return fleet.withEffort(effort.elimination, () => {
    const assignment: FreshAssignment = new Map();
    const kinds = new Set(activeHosts(fleet).map((host) => host.host.driverKind));
    for (const kind of kinds) {
      const hosts = activeHosts(fleet).filter((host) => host.host.driverKind === kind);
      const items = hosts.flatMap((host) => [...host.residents].filter(isMovable));
      if (items.length === 0) continue;
      let best: Bin[] | undefined;
      for (const construct of CONSTRUCTIONS) {
        const pool = new BinPool(hosts);
        if (!construct(items, pool, new SearchEffort(effort.construction))) continue;
        const bins = pool.usedBins();
        if (!best || bins.length < best.length) best = bins;
      }
      if (!best) return undefined;
      best = eliminateBins(fleet, best);
      const matched = matchBinsToHosts(best, hosts);
      if (!matched) return undefined;
      for (const [bin, host] of matched) for (const slot of bin.residents) assignment.set(slot, host);
    }
    return assignment;
  });
}

/** The hosts of one driver kind, opened as bins on demand. */
class BinPool {
  readonly open: Bin[] = [];
  private readonly unopened: Bin[];

  constructor(hosts: Bin[]) {
    this.unopened = [];
    for (const host of hosts) {
      const fixed = [...host.residents].filter((slot) => !isMovable(slot));
      if (fixed.length === 0) {
        this.unopened.push(host);
        continue;
      }
      const bin = scratchBin(host, true);
      for (const slot of fixed) addLoad(bin, slot, 1);
      this.open.push(bin);
    }
  }

  /**
   * Opens a host for `first`: its own original host if still closed (so it stays put), else the
   * closed host with the most capacity. Undefined when every host is open or `first` fits none.
   */
  openFor(first: InstanceSlot): Bin | undefined {
    const room = (host: Bin) => shares(host.limit, first.currentHost.limit).total;
    const order = [...this.unopened].sort(
      (a, b) => Number(b === first.originalHost) - Number(a === first.originalHost) || room(b) - room(a),
    );
    for (const host of order) {
      const bin = scratchBin(host);
      if (!fits(bin, first)) continue;
      this.unopened.splice(this.unopened.indexOf(host), 1);
      this.open.push(bin);
      place(bin, first);
      return bin;
    }
    return undefined;
  }

  get closedCount(): number {
    return this.unopened.length;
  }

  /** Bins holding something: pinned-open ones always, since their hosts stay active anyway. */
  usedBins(): Bin[] {
    return this.open.filter((bin) => bin.pinnedOpen || bin.residents.size > 0);
  }
}

/**
 * Decreasing by summed shares of the instance's current host, then id: one order for all
 * constructions. (Not host-fit's `largestFirst`, which orders by the largest single share.)
 */
function bySummedShareDecreasing(items: InstanceSlot[]): InstanceSlot[] {
  const size = new Map(items.map((slot) => [slot, shares(slot.instance.resources, slot.currentHost.limit).total]));
  return [...items].sort((a, b) => size.get(b)! - size.get(a)! || (a.instance.id < b.instance.id ? -1 : 1));
}

/**
 * Bin-centric: fill one bin at a time, each time with the remaining instance that scores best
 * against the bin's room (higher is better); when none fits, open the next bin for the largest
 * remaining instance. Hosts holding instances that cannot move are filled first.
 */
function binCentric(score: (item: Resources, bin: Bin, weights: Resources) => number, weighting: 'unit' | 'demand'): Construction {
  return (items, pool, effort) => {
    // About n²/2 units in all; a fleet too big for that is left to the other constructions.
    if (!effort.canAfford(items.length ** 2 / 2)) return false;
    const weights = weighting === 'unit' ? UNIT_WEIGHTS : demandWeights(items);
    const remaining = bySummedShareDecreasing(items);
    const fill = (bin: Bin) => {
      while (remaining.length > 0) {
        effort.spend(remaining.length);
        if (effort.exhausted) return;
        let bestIndex = -1;
        let bestScore = -Infinity;
        for (let i = 0; i < remaining.length; i++) {
          const slot = remaining[i]!;
          if (!fits(bin, slot)) continue;
          const s = score(slot.instance.resources, bin, weights);
          if (s > bestScore) {
            bestScore = s;
            bestIndex = i;
          }
        }
        if (bestIndex < 0) return;
        place(bin, remaining.splice(bestIndex, 1)[0]!);
      }
    };
    for (const bin of [...pool.open]) fill(bin);
    while (remaining.length > 0 && !effort.exhausted) {
      const bin = pool.openFor(remaining[0]!);
      if (!bin) return false;
      remaining.shift();
      fill(bin);
    }
    return remaining.length === 0;
  };
}

/** Item-centric: largest first, each into the open bin it leaves tightest (norm), else a new bin. */
const normBestFitDecreasing: Construction = (items, pool, effort) => {
  // About n × hosts / 2 units in all.
  if (!effort.canAfford((items.length * (pool.open.length + pool.closedCount)) / 2)) return false;
  for (const slot of bySummedShareDecreasing(items)) {
    effort.spend(pool.open.length);
    if (effort.exhausted) return false;
    let best: Bin | undefined;
    let bestScore = -Infinity;
    for (const bin of pool.open) {
      if (!fits(bin, slot)) continue;
      const s = tightness(slot.instance.resources, bin, UNIT_WEIGHTS);
      if (s > bestScore) {
        bestScore = s;
        best = bin;
      }
    }
    if (best) place(best, slot);
    else if (!pool.openFor(slot)) return false;
  }
  return true;
};

const UNIT_WEIGHTS: Resources = { vcpus: 1, memoryMiB: 1, diskGiB: 1 };

/**
 * Weights that make the scarcer dimensions count more: each dimension's total demand as a
 * share of the instances' own hosts (Panigrahy et al.'s weighting by average demand).
 */
function demandWeights(items: InstanceSlot[]): Resources {
  const weights = { vcpus: 0, memoryMiB: 0, diskGiB: 0 };
  for (const slot of items) {
    for (const d of RESOURCE_DIMENSIONS) {
      const limit = slot.originalHost.limit[d];
      if (limit > 0) weights[d] += slot.instance.resources[d] / limit;
    }
  }
  return weights;
}

/** Weighted dot product of the instance's and the bin's remaining room, both as shares of the bin. */
function dotProduct(item: Resources, bin: Bin, weights: Resources): number {
  let sum = 0;
  for (const d of RESOURCE_DIMENSIONS) {
    const limit = bin.limit[d];
    if (limit > 0) sum += weights[d] * (item[d] / limit) * ((limit - bin.used[d]) / limit);
  }
  return sum;
}

/** Minus the weighted squared norm of the room left after adding the instance: a tight, balanced fit scores highest. */
function tightness(item: Resources, bin: Bin, weights: Resources): number {
  let norm = 0;
  for (const d of RESOURCE_DIMENSIONS) {
    const limit = bin.limit[d];
    if (limit > 0) norm += weights[d] * ((limit - bin.used[d] - item[d]) / limit) ** 2;
  }
  return -norm;
}

const CONSTRUCTIONS: Construction[] = [
  binCentric(dotProduct, 'unit'),
  binCentric(tightness, 'unit'),
  binCentric(dotProduct, 'demand'),
  binCentric(tightness, 'demand'),
  normBestFitDecreasing,
];

/**
 * Which host each bin ends on. A bin that holds instances that cannot move stays on its host;
 * the others may swap hosts with any bin-less host or bin of the same capacity, and are matched
 * greedily to the host where most of their instances already are (fewest moves).
 */
function matchBinsToHosts(bins: Bin[], hosts: Bin[]): Map<Bin, Bin> | undefined {
  const matched = new Map<Bin, Bin>();
  const free = new Set(hosts.filter((host) => ![...host.residents].some((slot) => !isMovable(slot))));
  const limitKey = (host: Bin) => RESOURCE_DIMENSIONS.map((d) => host.limit[d]).join('/');
  const candidates: { bin: Bin; host: Bin; staying: number }[] = [];
  for (const bin of bins) {
    if (bin.pinnedOpen) {
      matched.set(bin, bin.origin);
      continue;
    }
    const staying = new Map<Bin, number>();
    for (const slot of bin.residents) staying.set(slot.originalHost, (staying.get(slot.originalHost) ?? 0) + 1);
    for (const [host, count] of staying) {
      if (free.has(host) && limitKey(host) === limitKey(bin) && allowsAll(host, bin)) candidates.push({ bin, host, staying: count });
    }
  }
  candidates.sort((a, b) => b.staying - a.staying || (a.host.host.id < b.host.host.id ? -1 : 1));
  for (const { bin, host } of candidates) {
    if (matched.has(bin) || !free.has(host)) continue;
    matched.set(bin, host);
    free.delete(host);
  }
  // Bins left over keep the host they were built on if it is still free, else take any free
  // host of the same capacity that their instances' placement rules allow (without rules there
  // is always one: the bin's own host was of that capacity). None: this packing is given up.
  for (const bin of bins) {
    if (matched.has(bin)) continue;
    const host = free.has(bin.origin) ? bin.origin : [...free].find((h) => limitKey(h) === limitKey(bin) && allowsAll(h, bin));
    if (!host) return undefined;
    matched.set(bin, host);
    free.delete(host);
  }
  return matched;
}
