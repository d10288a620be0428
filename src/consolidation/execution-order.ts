// The order in which a plan's moves are executed. Each instance moves at most once (chains
// are collapsed), straight from its original host to its final one, and the executor runs the
// moves one at a time, so every prefix of the list must leave every receiving host within its
// limit and keep anti-affinity groups apart.

import { addResources, fitsWithin, subtractResources, type Resources } from '../common/resources.js';
import type { HostSlot, InstanceSlot, WorkingFleet } from './working-fleet.js';

/**
 * The moves of the fleet's current end state in an order whose every prefix is safe, or
 * undefined if this greedy finds none. Greedy: sweep the moves in planning order, run each one
 * that is safe now, repeat with the rest until none is left (or a sweep runs none). A host only
 * ever gets fuller by moves into it and emptier by moves out of it, so a move that is blocked
 * waits for departures from its target; when a target only gains (the steps without exchanges
 * never make a host both gain and lose) every move is safe in the first sweep, in planning order.
 */
export function executionOrder(fleet: WorkingFleet): InstanceSlot[] | undefined {
  const used = new Map<HostSlot, Resources>(fleet.hosts.map((host) => [host, { vcpus: 0, memoryMiB: 0, diskGiB: 0 }]));
  const groupCount = new Map<HostSlot, Map<string, number>>(fleet.hosts.map((host) => [host, new Map()]));
  const addGroup = (host: HostSlot, group: string | undefined, delta: number) => {
    if (group === undefined) return;
    const counts = groupCount.get(host)!;
    counts.set(group, (counts.get(group) ?? 0) + delta);
  };
  for (const slot of fleet.instances) {
    used.set(slot.originalHost, addResources(used.get(slot.originalHost)!, slot.instance.resources));
    addGroup(slot.originalHost, slot.instance.antiAffinityGroup, 1);
  }

  let pending = fleet.instances.filter((slot) => slot.currentHost !== slot.originalHost).sort((a, b) => a.moveSequence - b.moveSequence);
  const order: InstanceSlot[] = [];
  while (pending.length > 0) {
    const blocked: InstanceSlot[] = [];
    for (const slot of pending) {
      const from = slot.originalHost;
      const to = slot.currentHost;
      const group = slot.instance.antiAffinityGroup;
      const safe = fitsWithin(slot.instance.resources, used.get(to)!, to.limit) && (group === undefined || !groupCount.get(to)!.get(group));
      if (!safe) {
        blocked.push(slot);
        continue;
      }
      used.set(from, subtractResources(used.get(from)!, slot.instance.resources));
      used.set(to, addResources(used.get(to)!, slot.instance.resources));
      addGroup(from, group, -1);
      addGroup(to, group, 1);
      order.push(slot);
    }
    if (blocked.length === pending.length) return undefined;
    pending = blocked;
  }
  return order;
}
