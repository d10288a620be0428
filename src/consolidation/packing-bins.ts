// A host as a bin in a packing built apart from the WorkingFleet (fresh-packing.ts,
// bin-elimination.ts): its load, its anti-affinity groups and the movable instances put in it.

import { fitsWithin, type Resources } from '../common/resources.js';
import { allows, type HostSlot, type InstanceSlot } from './working-fleet.js';

export interface Bin {
  host: HostSlot;
  /** Load including the instances that cannot move, which are not in `contents`. */
  used: Resources;
  groups: Map<string, number>;
  /** Holds instances that cannot move: open from the start, never given up. */
  pinnedOpen: boolean;
  contents: InstanceSlot[];
}

export function emptyBin(host: HostSlot, pinnedOpen: boolean): Bin {
  return { host, used: { vcpus: 0, memoryMiB: 0, diskGiB: 0 }, groups: new Map(), pinnedOpen, contents: [] };
}

// The searches' innermost check; a local reference, as in working-fleet.ts (under tsx each call
// through an imported binding costs a getter call).
const fitsWithinLimit = fitsWithin;

/** Allowed by the instance's placement rules, room in every dimension and no member of the instance's group. */
export function fits(bin: Bin, slot: InstanceSlot): boolean {
  const group = slot.instance.antiAffinityGroup;
  return (
    fitsWithinLimit(slot.instance.resources, bin.used, bin.host.limit) &&
    (group === undefined || !bin.groups.get(group)) &&
    allows(bin.host, slot)
  );
}

/** Whether every instance in the bin may end on `host` by its placement rules. */
export function allowsAll(host: HostSlot, bin: Bin): boolean {
  return bin.contents.every((slot) => allows(host, slot));
}

/** Adds `slot` to the bin's load and groups, and to its contents unless `fixed`. */
export function place(bin: Bin, slot: InstanceSlot, fixed = false): void {
  addLoad(bin, slot, 1);
  if (!fixed) bin.contents.push(slot);
}

/** Takes `slot` out of the bin's contents and load. */
export function take(bin: Bin, slot: InstanceSlot): void {
  addLoad(bin, slot, -1);
  bin.contents.splice(bin.contents.indexOf(slot), 1);
}

function addLoad(bin: Bin, slot: InstanceSlot, sign: 1 | -1): void {
  const request = slot.instance.resources;
  bin.used.vcpus += sign * request.vcpus;
  bin.used.memoryMiB += sign * request.memoryMiB;
  bin.used.diskGiB += sign * request.diskGiB;
  const group = slot.instance.antiAffinityGroup;
  if (group !== undefined) bin.groups.set(group, (bin.groups.get(group) ?? 0) + sign);
}
