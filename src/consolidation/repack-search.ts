// Step 5 of the planner: "repack k hosts into k - 1". The earlier steps place instances one
// at a time; a host they cannot empty may still be emptied if the instances of the victim and
// of a few partner hosts with the most room are re-packed together from scratch. With a few
// hosts (two or three partners) there are few enough instances for a small exhaustive search
// (depth first, largest first, pruned by room), bounded by the step's effort.
// All or nothing per victim, like the exchange search: a repack is kept only when the victim
// empties, the plan stays within budget and its moves still have a safe execution order.

import { RESOURCE_DIMENSIONS, type Resources } from '../common/resources.js';
import { executionOrder } from './execution-order.js';
import { activeHosts, cheapestFirst, shares } from './host-fit.js';
import { emptyHostsInPasses } from './exchange-search.js';
import { addLoad, fits, scratchBin, type Bin } from './bins.js';
import { isMovable, type WorkingFleet } from './working-fleet.js';

/** Partners are chosen among this many active hosts with the most room (per victim). */
const PARTNER_CANDIDATES = 8;
/** Largest number of partners tried together. */
const MAX_PARTNERS = 3;
/** Search nodes one (victim, partners) attempt may visit before it gives up. */
const NODES_PER_ATTEMPT = 4_000;
/** Instances one attempt may re-pack; more would make the exhaustive search pointless. */
const MAX_ITEMS = 18;

/** The repack step over the whole fleet (see `tryEmptyByRepacking`). */
export function emptyHostsByRepacking(fleet: WorkingFleet): number {
  return emptyHostsInPasses(fleet, (victim) => tryEmptyByRepacking(fleet, victim));
}

/** Tries partner sets of growing size; keeps the first repack that empties `victim` validly. */
export function tryEmptyByRepacking(fleet: WorkingFleet, victim: Bin): boolean {
  if (fleet.cannotEmptyWithinBudget(victim)) return false;
  const effort = fleet.effort;
  const kind = victim.host.driverKind;
  const pool = [...victim.residents];
  const demand = pool.reduce((sum, slot) => addInto(sum, slot.instance.resources), zero());
  const room = (host: Bin) => {
    const free = zero();
    for (const d of RESOURCE_DIMENSIONS) free[d] = host.limit[d] - host.used[d];
    return free;
  };
  const candidates = activeHosts(fleet)
    .filter((host) => host !== victim && host.host.driverKind === kind)
    .map((host) => ({ host, free: room(host), score: shares(room(host), victim.limit).total }))
    .sort((a, b) => b.score - a.score || (a.host.host.id < b.host.host.id ? -1 : 1))
    .slice(0, PARTNER_CANDIDATES);
  for (let k = 1; k <= Math.min(MAX_PARTNERS, candidates.length); k++) {
    for (const combination of combinations(candidates.length, k)) {
      if (effort.exhausted) return false;
      const partners = combination.map((i) => candidates[i]!);
      // Necessary: the partners' room together holds the victim's load in every dimension.
      if (RESOURCE_DIMENSIONS.some((d) => partners.reduce((sum, p) => sum + p.free[d], 0) < demand[d])) continue;
      if (
        repackInto(
          fleet,
          victim,
          partners.map((p) => p.host),
        )
      )
        return true;
    }
  }
  return false;
}

/**
 * Depth-first search assigning the victim's residents and the partners' movable residents to
 * the partners, largest first, each tried on its current host first (fewest moves). At a leaf,
 * the assignment is applied and checked (budget, execution order); failures are undone and
 * the search goes on, within `NODES_PER_ATTEMPT`.
 */
function repackInto(fleet: WorkingFleet, victim: Bin, partners: Bin[]): boolean {
  const effort = fleet.effort;
  const bins: Bin[] = partners.map((host) => {
    const bin = scratchBin(host);
    for (const slot of host.residents) if (!isMovable(slot)) addLoad(bin, slot, 1);
    return bin;
  });
  const items = [...victim.residents, ...partners.flatMap((host) => [...host.residents].filter(isMovable))];
  if (items.length > MAX_ITEMS) return false;
  const size = new Map(items.map((slot) => [slot, shares(slot.instance.resources, victim.limit).total]));
  items.sort((a, b) => size.get(b)! - size.get(a)! || (a.instance.id < b.instance.id ? -1 : 1));
  // Suffix sums of demand, for pruning by total room.
  const rest: Resources[] = new Array<Resources>(items.length + 1);
  rest[items.length] = zero();
  for (let i = items.length - 1; i >= 0; i--) rest[i] = addInto({ ...rest[i + 1]! }, items[i]!.instance.resources);
  const assignment = new Array<Bin>(items.length);
  let nodes = 0;

  const leaf = (): boolean => {
    const checkpoint = fleet.checkpoint();
    items.forEach((slot, i) => {
      if (slot.currentHost !== assignment[i]!.origin) fleet.move(slot, assignment[i]!.origin);
    });
    if (fleet.withinBudget && executionOrder(fleet) !== undefined) return true;
    fleet.rollbackTo(checkpoint);
    return false;
  };

  const search = (i: number): boolean => {
    if (i === items.length) return leaf();
    if (++nodes > NODES_PER_ATTEMPT) return false;
    effort.spend(bins.length);
    for (const d of RESOURCE_DIMENSIONS) {
      const free = bins.reduce((sum, bin) => sum + bin.limit[d] - bin.used[d], 0);
      if (free < rest[i]![d]) return false;
    }
    const slot = items[i]!;
    const home = bins.findIndex((bin) => bin.origin === slot.currentHost);
    const order = home > 0 ? [bins[home]!, ...bins.filter((_, b) => b !== home)] : bins;
    const tried: Resources[] = [];
    for (const bin of order) {
      if (!fits(bin, slot)) continue;
      // Two bins with the same load, limit and no members of the item's group are alike for
      // the rest of the search; trying the second adds nothing.
      if (bin.origin !== slot.currentHost && tried.some((used) => sameResources(used, bin.used)) && sameLimit(bin, order)) continue;
      tried.push({ ...bin.used });
      assignment[i] = bin;
      addLoad(bin, slot, 1);
      const found = search(i + 1);
      addLoad(bin, slot, -1);
      if (found) return true;
      if (nodes > NODES_PER_ATTEMPT) return false;
    }
    return false;
  };
  return search(0);
}

/** Symmetry breaking is only sound when every bin has the same limit and no group members. */
function sameLimit(bin: Bin, bins: Bin[]): boolean {
  return bins.every((other) => sameResources(other.limit, bin.limit) && ![...other.groups.values()].some((n) => n > 0));
}

function sameResources(a: Resources, b: Resources): boolean {
  return RESOURCE_DIMENSIONS.every((d) => a[d] === b[d]);
}

function zero(): Resources {
  return { vcpus: 0, memoryMiB: 0, diskGiB: 0 };
}

function addInto(sum: Resources, more: Resources): Resources {
  for (const d of RESOURCE_DIMENSIONS) sum[d] += more[d];
  return sum;
}

/** All k-subsets of 0..n-1 in lexicographic order. */
function* combinations(n: number, k: number): Generator<number[]> {
  const pick = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield [...pick];
    let i = k - 1;
    while (i >= 0 && pick[i] === n - k + i) i--;
    if (i < 0) return;
    pick[i]!++;
    for (let j = i + 1; j < k; j++) pick[j] = pick[j - 1]! + 1;
  }
}

/** Instances one concentration step may reshuffle between a victim and one partner. */
const MAX_PAIR_ITEMS = 14;

/**
 * Passes over the active hosts, cheapest first: before trying to empty a host, first
 * concentrate load away from it. For each partner in turn, the victim's and the partner's
 * movable instances are re-split between the two so that the partner ends as full as it can
 * (exhaustive over subsets, small hosts only). Once the victim is lighter, exchanges or a
 * repack may empty it. All or nothing: unless the victim empties (within budget, with a safe
 * execution order), every concentration move is undone, so no move is kept that frees nothing.
 */
export function emptyHostsByConcentrating(fleet: WorkingFleet, tryEmpty: (victim: Bin) => boolean): number {
  const effort = fleet.effort;
  let emptied = 0;
  for (const victim of cheapestFirst(activeHosts(fleet))) {
    if (effort.exhausted) break;
    if (victim.residents.size === 0 || ![...victim.residents].every(isMovable)) continue;
    if (fleet.cannotEmptyWithinBudget(victim)) continue;
    const checkpoint = fleet.checkpoint();
    let shifted = false;
    for (const partner of activeHosts(fleet)) {
      if (effort.exhausted || victim.residents.size === 0) break;
      if (partner === victim || partner.host.driverKind !== victim.host.driverKind) continue;
      if (concentrateInto(fleet, victim, partner)) shifted = true;
    }
    const empty = victim.residents.size === 0 || (shifted && tryEmpty(victim));
    if (empty && fleet.withinBudget && executionOrder(fleet) !== undefined) emptied++;
    else fleet.rollbackTo(checkpoint);
  }
  return emptied;
}

/** Re-split the movable instances of `victim` and `partner` so that `partner` is fuller; true if it changed. */
function concentrateInto(fleet: WorkingFleet, victim: Bin, partner: Bin): boolean {
  const items = [...victim.residents, ...[...partner.residents].filter(isMovable)];
  if (items.length > MAX_PAIR_ITEMS) return false;
  fleet.effort.spend(1 << Math.min(items.length, 12));
  const fixed = scratchBin(partner);
  for (const slot of partner.residents) if (!isMovable(slot)) addLoad(fixed, slot, 1);
  const away = scratchBin(victim);
  const weight = (r: Resources) => shares(r, partner.limit).total;
  const current = weight(partner.used);
  let best = current + 1e-9;
  let bestChoice: boolean[] | undefined;
  const choice = new Array<boolean>(items.length);
  const search = (i: number): void => {
    if (i === items.length) {
      const w = weight(fixed.used);
      if (w > best) {
        best = w;
        bestChoice = [...choice];
      }
      return;
    }
    const slot = items[i]!;
    if (fits(fixed, slot)) {
      choice[i] = true;
      addLoad(fixed, slot, 1);
      search(i + 1);
      addLoad(fixed, slot, -1);
    }
    if (fits(away, slot)) {
      choice[i] = false;
      addLoad(away, slot, 1);
      search(i + 1);
      addLoad(away, slot, -1);
    }
  };
  search(0);
  if (!bestChoice) return false;
  const checkpoint = fleet.checkpoint();
  items.forEach((slot, i) => {
    const target = bestChoice![i] ? partner : victim;
    if (slot.currentHost !== target) fleet.move(slot, target);
  });
  if (executionOrder(fleet) !== undefined) return true;
  fleet.rollbackTo(checkpoint);
  return false;
}
