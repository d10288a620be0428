// A host as a bin in a packing built apart from the WorkingFleet (fresh-packing.ts,
// bin-elimination.ts): its load, its anti-affinity groups and the movable instances put in it.

import type { Resources } from '../common/resources.js';
import type { HostSlot, InstanceSlot } from './working-fleet.js';

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

/** Room in every dimension (unrolled: the searches' innermost check) and no member of the instance's group. */
export function fits(bin: Bin, slot: InstanceSlot): boolean {
  const { used, host } = bin;
  const request = slot.instance.resources;
  const group = slot.instance.antiAffinityGroup;
  return (
    used.vcpus + request.vcpus <= host.limit.vcpus &&
    used.memoryMiB + request.memoryMiB <= host.limit.memoryMiB &&
    used.diskGiB + request.diskGiB <= host.limit.diskGiB &&
    (group === undefined || !bin.groups.get(group))
  );
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
