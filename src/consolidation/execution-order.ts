// The order in which a plan's moves are executed. Each instance moves at most once (chains
// are collapsed), straight from its original host to its final one, and the executor runs the
// moves one at a time, so every prefix of the list must leave every receiving host within its
// limit and keep anti-affinity groups apart.

import { addLoad, roomFor, scratchBin, type Bin } from './bins.js';
import type { InstanceSlot, WorkingFleet } from './working-fleet.js';

/**
 * The moves of the fleet's current end state in an order whose every prefix is safe, or
 * undefined if this greedy finds none. Greedy: sweep the moves in planning order, run each one
 * that is safe now, repeat with the rest until none is left (or a sweep runs none). A host only
 * ever gets fuller by moves into it and emptier by moves out of it, so a move that is blocked
 * waits for departures from its target; when a target only gains (the steps without exchanges
 * never make a host both gain and lose) every move is safe in the first sweep, in planning order.
 */
export function executionOrder(fleet: WorkingFleet): InstanceSlot[] | undefined {
  // Scratch bins replay the moves from the original placement.
  const bins = new Map<Bin, Bin>(fleet.hosts.map((host) => [host, scratchBin(host)]));
  for (const slot of fleet.instances) addLoad(bins.get(slot.originalHost)!, slot, 1);

  let pending = fleet.instances.filter((slot) => slot.currentHost !== slot.originalHost).sort((a, b) => a.moveSequence - b.moveSequence);
  const order: InstanceSlot[] = [];
  while (pending.length > 0) {
    const blocked: InstanceSlot[] = [];
    for (const slot of pending) {
      const to = bins.get(slot.currentHost)!;
      if (!roomFor(to, slot)) {
        blocked.push(slot);
        continue;
      }
      addLoad(bins.get(slot.originalHost)!, slot, -1);
      addLoad(to, slot, 1);
      order.push(slot);
    }
    if (blocked.length === pending.length) return undefined;
    pending = blocked;
  }
  return order;
}
