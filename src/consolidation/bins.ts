// The one bin model of the planner: a host's capacity with a load in it. The working fleet
// holds one bin per host (its live state); the steps that pack apart from it (fresh packing,
// bin elimination, repacks, the execution order) work on scratch bins of the same type, each a
// copy of a fleet bin's capacity and rules with a load of its own.

import type { Resources } from '../common/resources.js';
import type { PlannerHost } from './planner-types.js';
import type { InstanceSlot } from './working-fleet.js';

export interface Bin {
  readonly host: PlannerHost;
  /** Position in `WorkingFleet.hosts` (hosts sorted by id); placement rules are kept by it. */
  readonly index: number;
  /** Usable capacity × maxUtilisation: what the plan may fill, per dimension. */
  readonly limit: Resources;
  /** offersLiveMigration(host), decided once: the searches ask it for every candidate move. */
  readonly live: boolean;
  /** The working fleet's bin of this host: itself, or the fleet bin a scratch bin copies. */
  readonly origin: Bin;
  used: Resources;
  /** Anti-affinity group -> members in the bin. */
  groups: Map<string, number>;
  /**
   * A fleet bin: every instance on the host. A scratch bin: the instances placed in it; the
   * load of what cannot move is in `used` only.
   */
  residents: Set<InstanceSlot>;
  /** Being emptied in the current attempt: receives nothing. */
  closing: boolean;
  /** A scratch bin holding instances that cannot move: open from the start, never given up. */
  pinnedOpen: boolean;
}

/** A fleet bin: its own origin, empty until the fleet settles its instances. */
export function hostBin(host: PlannerHost, index: number, limit: Resources, live: boolean): Bin {
  const bin = {
    host,
    index,
    limit,
    live,
    used: zero(),
    groups: new Map(),
    residents: new Set(),
    closing: false,
    pinnedOpen: false,
  } as Omit<Bin, 'origin'> & { origin?: Bin };
  bin.origin = bin as Bin;
  return bin as Bin;
}

/** An empty scratch bin with the capacity and rules of fleet bin `of`. */
export function scratchBin(of: Bin, pinnedOpen = false): Bin {
  return {
    host: of.host,
    index: of.index,
    limit: of.limit,
    live: of.live,
    origin: of.origin,
    used: zero(),
    groups: new Map(),
    residents: new Set(),
    closing: false,
    pinnedOpen,
  };
}

/**
 * May `slot` end in `bin` by its placement rules and the way it moves (driver kind aside)? A
 * live move needs a host that receives live migrations. Its own original host is always
 * allowed: staying put (or coming back) is never a move that breaks a rule.
 */
export function allows(bin: Bin, slot: InstanceSlot): boolean {
  if (bin.origin === slot.originalHost) return true;
  if (slot.movability === 'live' && !bin.live) return false;
  return slot.allowedHosts === null || slot.allowedHosts[bin.index] === 1;
}

/** Room for `slot` in every dimension and no member of its anti-affinity group in the bin. */
export function roomFor(bin: Bin, slot: InstanceSlot): boolean {
  // Written out (not `fitsWithin`): this is the planner's innermost check.
  const { used, limit } = bin;
  const request = slot.instance.resources;
  const group = slot.instance.antiAffinityGroup;
  return (
    used.vcpus + request.vcpus <= limit.vcpus &&
    used.memoryMiB + request.memoryMiB <= limit.memoryMiB &&
    used.diskGiB + request.diskGiB <= limit.diskGiB &&
    (group === undefined || !bin.groups.get(group))
  );
}

/** Allowed by the instance's placement rules, with room and no member of its group: it fits. */
export function fits(bin: Bin, slot: InstanceSlot): boolean {
  return allows(bin, slot) && roomFor(bin, slot);
}

/**
 * Would `incoming` all fit in the bin once `outgoing` (residents of it) have left, within
 * capacity and with groups kept apart? Placement rules are the caller's to check.
 */
export function roomForSwap(bin: Bin, incoming: readonly InstanceSlot[], outgoing: readonly InstanceSlot[]): boolean {
  const { used, limit } = bin;
  let vcpus = used.vcpus;
  let memoryMiB = used.memoryMiB;
  let diskGiB = used.diskGiB;
  for (const slot of incoming) {
    vcpus += slot.instance.resources.vcpus;
    memoryMiB += slot.instance.resources.memoryMiB;
    diskGiB += slot.instance.resources.diskGiB;
  }
  for (const slot of outgoing) {
    vcpus -= slot.instance.resources.vcpus;
    memoryMiB -= slot.instance.resources.memoryMiB;
    diskGiB -= slot.instance.resources.diskGiB;
  }
  if (vcpus > limit.vcpus || memoryMiB > limit.memoryMiB || diskGiB > limit.diskGiB) return false;
  for (const slot of incoming) {
    const group = slot.instance.antiAffinityGroup;
    if (group === undefined) continue;
    if ((bin.groups.get(group) ?? 0) - membersOf(outgoing, group) + membersOf(incoming, group) > 1) return false;
  }
  return true;
}

function membersOf(slots: readonly InstanceSlot[], group: string): number {
  let count = 0;
  for (const slot of slots) if (slot.instance.antiAffinityGroup === group) count++;
  return count;
}

/** Whether every instance placed in the bin may end on `host` by its placement rules. */
export function allowsAll(host: Bin, bin: Bin): boolean {
  for (const slot of bin.residents) if (!allows(host, slot)) return false;
  return true;
}

/** Adds `slot` to the bin's residents, load and groups. */
export function place(bin: Bin, slot: InstanceSlot): void {
  addLoad(bin, slot, 1);
  bin.residents.add(slot);
}

/** Takes `slot` out of the bin's residents, load and groups. */
export function take(bin: Bin, slot: InstanceSlot): void {
  addLoad(bin, slot, -1);
  bin.residents.delete(slot);
}

/** Adds (1) or removes (-1) `slot`'s load and group membership, residents untouched. */
export function addLoad(bin: Bin, slot: InstanceSlot, sign: 1 | -1): void {
  const request = slot.instance.resources;
  bin.used.vcpus += sign * request.vcpus;
  bin.used.memoryMiB += sign * request.memoryMiB;
  bin.used.diskGiB += sign * request.diskGiB;
  const group = slot.instance.antiAffinityGroup;
  if (group !== undefined) bin.groups.set(group, (bin.groups.get(group) ?? 0) + sign);
}

function zero(): Resources {
  return { vcpus: 0, memoryMiB: 0, diskGiB: 0 };
}
