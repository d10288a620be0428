// Local search on a fresh packing (fresh-packing.ts): try to do with one host fewer, again and
// again. The lightest bin is emptied into a pool; a tabu search then puts pool instances into
// the other bins, directly where they fit, else by swapping one or two of a bin's instances
// out for one pool instance. Instances that linger in the pool weigh more and more, so the
// search keeps changing which ones it fights for (a simplified "consistent neighbourhood
// search", Buljubašić and Vasquez 2016, which does well on the Caprara-Toth vector packing
// classes). A bin is given up only when the pool empties; otherwise the packing is restored.

import { RESOURCE_DIMENSIONS } from '../common/resources.js';
import type { SearchEffort } from './search-effort.js';
import { shares } from './host-fit.js';
import type { InstanceSlot, WorkingFleet } from './working-fleet.js';
import { allows, fits, place, roomForSwap, take, type Bin } from './bins.js';

/** Iterations an instance stays where a swap put it, and away from the bin it was swapped out of. */
const TABU_TENURE = 7;
/** Swap iterations spent on one bin before giving it up. */
const ITERATIONS_PER_BIN = 2_000;
/** Lightest bins tried, one after the other, before the search stops. */
const BINS_TRIED = 2;

/**
 * The scratch bins that remain after eliminating as many as the fleet's current effort allows
 * (the others are left empty).
 */
export function eliminateBins(fleet: WorkingFleet, bins: Bin[]): Bin[] {
  const effort = fleet.effort;
  let current = bins;
  let failures = 0;
  while (!effort.exhausted && failures < BINS_TRIED) {
    const victim = current.filter((bin) => !bin.pinnedOpen).sort((a, b) => load(a) - load(b) || (a.host.id < b.host.id ? -1 : 1))[failures];
    if (!victim) break;
    const saved = current.map((bin) => ({ bin, used: { ...bin.used }, groups: new Map(bin.groups), residents: new Set(bin.residents) }));
    const pool = [...victim.residents];
    for (const slot of pool) take(victim, slot);
    const others = current.filter((bin) => bin !== victim);
    if (emptyPool(others, pool, effort)) {
      current = others;
      failures = 0;
    } else {
      for (const { bin, used, groups, residents } of saved) Object.assign(bin, { used, groups, residents });
      failures++;
    }
  }
  return current;
}

const load = (bin: Bin) => {
  let sum = 0;
  for (const slot of bin.residents) sum += sizeOf(slot);
  return sum;
};

/** Summed shares of the instance's original host: one scale for every comparison of instances. */
function sizeOf(slot: InstanceSlot): number {
  return shares(slot.instance.resources, slot.originalHost.limit).total;
}

interface Swap {
  incoming: InstanceSlot[];
  bin: Bin;
  outgoing: InstanceSlot[];
}

/** Tabu search that places every pool instance in `bins`; true on success (else `bins` is left mid-search). */
function emptyPool(bins: Bin[], pool: InstanceSlot[], effort: SearchEffort): boolean {
  // Weight × size per instance; an instance's weight grows by one each iteration it spends in the pool.
  const weighted = new Map<InstanceSlot, number>();
  const weightOf = (slot: InstanceSlot) => weighted.get(slot) ?? sizeOf(slot);
  // Until which iteration an instance may not leave its bin / may not re-enter a bin.
  const lockedUntil = new Map<InstanceSlot, number>();
  const bannedUntil = new Map<string, number>();
  const banKey = (slot: InstanceSlot, bin: Bin) => `${slot.instance.id}\u0000${bin.host.id}`;

  for (let iteration = 0; iteration < ITERATIONS_PER_BIN; iteration++) {
    pool.sort((a, b) => weightOf(b) - weightOf(a));
    for (let i = 0; i < pool.length;) {
      const target = tightestFit(bins, pool[i]!);
      if (target) place(target, pool.splice(i, 1)[0]!);
      else i++;
    }
    effort.spend(pool.length * bins.length);
    if (pool.length === 0) return true;
    if (effort.exhausted) return false;

    const isLocked = (slot: InstanceSlot) => (lockedUntil.get(slot) ?? -1) >= iteration;
    const isBanned = (slot: InstanceSlot, bin: Bin) => (bannedUntil.get(banKey(slot, bin)) ?? -1) >= iteration;
    const swap = bestSwap(bins, pool, weightOf, isLocked, isBanned, effort);
    if (!swap) return false;
    for (const slot of swap.outgoing) {
      take(swap.bin, slot);
      pool.push(slot);
      bannedUntil.set(banKey(slot, swap.bin), iteration + TABU_TENURE);
    }
    for (const slot of swap.incoming) {
      place(swap.bin, slot);
      pool.splice(pool.indexOf(slot), 1);
      lockedUntil.set(slot, iteration + TABU_TENURE);
    }
    for (const slot of pool) weighted.set(slot, weightOf(slot) + sizeOf(slot));
  }
  return false;
}

/** The bin the instance leaves tightest (smallest summed headroom after it), if any has room. */
function tightestFit(bins: Bin[], slot: InstanceSlot): Bin | undefined {
  let best: Bin | undefined;
  let bestRoom = Infinity;
  for (const bin of bins) {
    if (!fits(bin, slot)) continue;
    const room = headroomAfter(bin, [slot], []);
    if (room < bestRoom) {
      best = bin;
      bestRoom = room;
    }
  }
  return best;
}

/**
 * The non-tabu swap of one or two pool instances for one or two of a bin's instances that
 * lowers the pool's weight the most (or raises it the least), ties to the tighter bin. The
 * weight change is known before the fit, so most candidates are dismissed without checking it.
 */
function bestSwap(
  bins: Bin[],
  pool: InstanceSlot[],
  weightOf: (slot: InstanceSlot) => number,
  locked: (slot: InstanceSlot) => boolean,
  banned: (slot: InstanceSlot, bin: Bin) => boolean,
  effort: SearchEffort,
): Swap | undefined {
  let best: Swap | undefined;
  let bestDelta = Infinity;
  let bestRoom = Infinity;
  const consider = (incoming: InstanceSlot[], bin: Bin, outgoing: InstanceSlot[], delta: number) => {
    if (delta > bestDelta || !fitsInstead(bin, incoming, outgoing)) return;
    const room = headroomAfter(bin, incoming, outgoing);
    if (delta < bestDelta || room < bestRoom) {
      best = { incoming, bin, outgoing };
      bestDelta = delta;
      bestRoom = room;
    }
  };
  const incomingSets: InstanceSlot[][] = [];
  for (let i = 0; i < pool.length; i++) {
    incomingSets.push([pool[i]!]);
    for (let j = i + 1; j < pool.length; j++) incomingSets.push([pool[i]!, pool[j]!]);
  }
  for (const bin of bins) {
    const movable = [...bin.residents].filter((slot) => !locked(slot));
    const weights = movable.map(weightOf);
    for (const incoming of incomingSets) {
      if (incoming.some((slot) => banned(slot, bin))) continue;
      const incomingWeight = incoming.reduce((sum, slot) => sum + weightOf(slot), 0);
      effort.spend((movable.length * (movable.length + 1)) / 2);
      for (let i = 0; i < movable.length; i++) {
        consider(incoming, bin, [movable[i]!], weights[i]! - incomingWeight);
        for (let j = i + 1; j < movable.length; j++) {
          const delta = weights[i]! + weights[j]! - incomingWeight;
          if (delta <= bestDelta) consider(incoming, bin, [movable[i]!, movable[j]!], delta);
        }
      }
    }
  }
  return best;
}

/** Would `incoming` all fit in the bin once `outgoing` has left it, placement rules kept? */
function fitsInstead(bin: Bin, incoming: InstanceSlot[], outgoing: InstanceSlot[]): boolean {
  return incoming.every((slot) => allows(bin, slot)) && roomForSwap(bin, incoming, outgoing);
}

/** Summed normalised headroom of the bin after the swap (smaller is tighter). */
function headroomAfter(bin: Bin, incoming: InstanceSlot[], outgoing: InstanceSlot[]): number {
  const { used, limit } = bin;
  let room = 0;
  for (const d of RESOURCE_DIMENSIONS) {
    if (limit[d] === 0) continue;
    const after =
      used[d] +
      incoming.reduce((sum, slot) => sum + slot.instance.resources[d], 0) -
      outgoing.reduce((sum, slot) => sum + slot.instance.resources[d], 0);
    room += (limit[d] - after) / limit[d];
  }
  return room;
}
