// Step 4 of the planner: local search that empties a host by exchanges. The greedy steps
// give up on a host as soon as one of its instances fits nowhere; here such an instance may
// instead take the place of a smaller one on a fuller host, and the displaced instance gets
// its own turn to be placed (the "pool" scheme of local search for bin packing), or a
// resident may make room by moving on to a third host. Exchanges make hosts both lose and
// gain instances, so every kept attempt must still have a safe execution order.

import { subtractResources } from '../common/resources.js';
import { executionOrder } from './execution-order.js';
import { activeHosts, bestFitTarget, cheapestFirst, residualNormAfter, shares } from './host-fit.js';
import { allows, roomForSwap, type Bin } from './bins.js';
import { isMovable, type InstanceSlot, type WorkingFleet } from './working-fleet.js';

/**
 * Passes over the active hosts, cheapest first, trying to empty each with `tryEmpty` (all or
 * nothing); repeats while a pass empties something. Returns how many hosts it emptied. Shared
 * by the exchange and repack steps.
 */
export function emptyHostsInPasses(fleet: WorkingFleet, tryEmpty: (victim: Bin) => boolean): number {
  const effort = fleet.effort;
  let emptied = 0;
  let emptiedInPass = 1;
  while (emptiedInPass > 0 && !effort.exhausted) {
    emptiedInPass = 0;
    for (const victim of cheapestFirst(activeHosts(fleet))) {
      if (effort.exhausted) break;
      if (victim.residents.size === 0 || ![...victim.residents].every(isMovable)) continue;
      if (tryEmpty(victim)) emptiedInPass++;
    }
    emptied += emptiedInPass;
  }
  return emptied;
}

/** The exchange step over the whole fleet (see `tryEmptyByExchanges`). */
export function emptyHostsByExchanges(fleet: WorkingFleet): number {
  return emptyHostsInPasses(fleet, (victim) => tryEmptyByExchanges(fleet, victim));
}

/**
 * All or nothing, like `tryEmptyHosts`: the instances of `victim` form a pool, parked on the
 * victim, and each step places one pool instance, trying the largest first and, in this order:
 *   1. best fit into a host with room;
 *   2. exchange: it takes the place of a smaller movable resident (tightest such host), which
 *      joins the pool;
 *   3. relay: a resident of any size moves straight on to a third host to make room for it.
 * Every step shrinks the pool's total size (measured against the victim's capacity), so the
 * search ends. It succeeds when the pool is empty, the plan is within budget and its moves can
 * still be ordered safely (`executionOrder`); otherwise it is undone.
 */
export function tryEmptyByExchanges(fleet: WorkingFleet, victim: Bin): boolean {
  if (fleet.cannotEmptyWithinBudget(victim)) return false;
  const effort = fleet.effort;
  const checkpoint = fleet.checkpoint();
  const size = new Map<InstanceSlot, number>();
  const sizeOf = (slot: InstanceSlot) => {
    let known = size.get(slot);
    if (known === undefined) size.set(slot, (known = shares(slot.instance.resources, victim.limit).total));
    return known;
  };
  const pool = new Set(victim.residents);
  victim.closing = true;
  while (pool.size > 0 && !effort.exhausted && placeOneFromPool(fleet, victim, pool, sizeOf)) {
    // Each step changed the pool; the next one looks at it afresh.
  }
  victim.closing = false;
  const keep = pool.size === 0 && fleet.withinBudget && executionOrder(fleet) !== undefined;
  if (!keep) fleet.rollbackTo(checkpoint);
  return keep;
}

/** One step of `tryEmptyByExchanges`; false when no pool instance can be placed any way. */
function placeOneFromPool(fleet: WorkingFleet, victim: Bin, pool: Set<InstanceSlot>, sizeOf: (slot: InstanceSlot) => number): boolean {
  const effort = fleet.effort;
  const largestPoolFirst = [...pool].sort((a, b) => sizeOf(b) - sizeOf(a) || (a.instance.id < b.instance.id ? -1 : 1));
  for (const incoming of largestPoolFirst) {
    effort.spend(fleet.hosts.length);
    const target = bestFitTarget(fleet, incoming);
    if (target) {
      fleet.move(incoming, target);
      pool.delete(incoming);
      return true;
    }
  }
  for (const incoming of largestPoolFirst) {
    const exchange = bestExchange(fleet, incoming, sizeOf);
    if (exchange) {
      fleet.move(exchange.outgoing, victim);
      pool.add(exchange.outgoing);
      fleet.move(incoming, exchange.host);
      pool.delete(incoming);
      return true;
    }
  }
  for (const incoming of largestPoolFirst) {
    const relay = bestRelay(fleet, incoming);
    if (relay) {
      fleet.move(relay.outgoing, relay.onward);
      fleet.move(incoming, relay.host);
      pool.delete(incoming);
      return true;
    }
  }
  return false;
}

interface Exchange {
  host: Bin;
  /** Resident of `host` that makes room for the incoming instance. */
  outgoing: InstanceSlot;
}

/**
 * The tightest host that can take `incoming` once one smaller movable resident leaves it,
 * with the same rules as `canReceive` (enabled, same driver kind, allowed by the instance's
 * placement rules, runs guests, not being emptied, no other member of the anti-affinity group
 * once the resident has left).
 */
function bestExchange(fleet: WorkingFleet, incoming: InstanceSlot, sizeOf: (slot: InstanceSlot) => number): Exchange | undefined {
  const effort = fleet.effort;
  const request = incoming.instance.resources;
  const incomingSize = sizeOf(incoming);
  const group = incoming.instance.antiAffinityGroup;
  // One list each, reused for every candidate: this loop runs over every resident of the fleet.
  const incomingList = [incoming];
  const outgoingList = [incoming];
  let best: Exchange | undefined;
  let bestResidual = Infinity;
  for (const host of fleet.hosts) {
    if (!mayHost(host, incoming)) continue;
    effort.spend(host.residents.size);
    // Two members of its group there: no single swap makes room for a third.
    if (group !== undefined && (host.groups.get(group) ?? 0) > 1) continue;
    for (const outgoing of host.residents) {
      if (!isMovable(outgoing) || sizeOf(outgoing) >= incomingSize) continue;
      outgoingList[0] = outgoing;
      if (!roomForSwap(host, incomingList, outgoingList)) continue;
      const residual = residualNormAfter(host, subtractResources(request, outgoing.instance.resources));
      if (residual < bestResidual) {
        best = { host, outgoing };
        bestResidual = residual;
      }
    }
  }
  return best;
}

interface Relay extends Exchange {
  /** Where the outgoing resident goes. */
  onward: Bin;
}

/**
 * Room for `incoming` made by moving one movable resident of any size straight on to a third
 * host: among the hosts that would fit `incoming` once that resident left, tightest first, the
 * first whose resident has somewhere to go.
 */
function bestRelay(fleet: WorkingFleet, incoming: InstanceSlot): Relay | undefined {
  const effort = fleet.effort;
  const request = incoming.instance.resources;
  const group = incoming.instance.antiAffinityGroup;
  const incomingList = [incoming];
  const outgoingList = [incoming];
  const candidates: { host: Bin; outgoing: InstanceSlot; residual: number }[] = [];
  for (const host of fleet.hosts) {
    if (!mayHost(host, incoming)) continue;
    effort.spend(host.residents.size);
    if (group !== undefined && (host.groups.get(group) ?? 0) > 1) continue;
    for (const outgoing of host.residents) {
      if (!isMovable(outgoing)) continue;
      outgoingList[0] = outgoing;
      if (!roomForSwap(host, incomingList, outgoingList)) continue;
      candidates.push({ host, outgoing, residual: residualNormAfter(host, subtractResources(request, outgoing.instance.resources)) });
    }
  }
  candidates.sort((a, b) => a.residual - b.residual);
  for (const { host, outgoing } of candidates) {
    if (effort.exhausted) return undefined;
    effort.spend(fleet.hosts.length);
    const onward = bestFitTarget(fleet, outgoing);
    if (onward) return { host, outgoing, onward };
  }
  return undefined;
}

/** `canReceive` minus the capacity and anti-affinity checks, which depend on who leaves. */
function mayHost(host: Bin, incoming: InstanceSlot): boolean {
  return (
    host !== incoming.currentHost &&
    !host.closing &&
    host.host.state === 'enabled' &&
    host.host.driverKind === incoming.instance.driverKind &&
    host.residents.size > 0 &&
    allows(host, incoming)
  );
}
