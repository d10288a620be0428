// "Which technique?": the same request ranked once per driver it could run on, each charged its
// own measured overhead, with how many such guests the fleet's valid hosts still take. Pure.
import { usableCapacity, type Resources } from '../common/resources.js';
import type { DriverKind, GuestType } from '../hypervisor/capabilities.js';
import type { OverheadCharges } from '../overhead/overhead-charges.js';
import { rankHosts } from './rank-hosts.js';
import type { HostCandidate, PlacementDecision, PlacementOptions, PlacementRequest } from './placement-types.js';

/** The guest type a driver runs a request as when only the driver is named (xen: PVH, the modern PV). */
export const DEFAULT_GUEST_TYPE: Readonly<Record<DriverKind, GuestType>> = { 'qemu-kvm': 'hvm', xen: 'xen-pvh', lxc: 'container' };

export interface TechniqueOption {
  driverKind: DriverKind;
  guestType: GuestType;
  charged: Resources;
  overheadMiB: number;
  decision: PlacementDecision;
  /** Guests of this size and technique the valid hosts take before one of them is full. */
  guestsThatFit: number;
}

/** How many more guests charged `charged` fit in what `host` has left (0 when none). */
export function guestsThatFitOn(host: HostCandidate, charged: Resources): number {
  const usable = usableCapacity(host.physical, host.ratios);
  const taken = (d: keyof Resources) => host.used[d] + (host.foreign?.[d] ?? 0);
  let fit = Infinity;
  for (const d of ['vcpus', 'memoryMiB', 'diskGiB'] as const) {
    if (charged[d] > 0) fit = Math.min(fit, Math.floor((usable[d] - taken(d)) / charged[d]));
  }
  return Number.isFinite(fit) ? Math.max(0, fit) : 0;
}

/** `request` (its asked size in `resources`) ranked as each of `driverKinds`, side by side. */
export function compareTechniques(
  hosts: readonly HostCandidate[],
  request: PlacementRequest,
  driverKinds: readonly DriverKind[],
  overhead: OverheadCharges,
  options: PlacementOptions,
): TechniqueOption[] {
  return driverKinds.map((driverKind) => {
    const guestType = driverKind === request.driverKind ? request.guestType : DEFAULT_GUEST_TYPE[driverKind];
    const charged = overhead.charged(driverKind, request.resources);
    const decision = rankHosts(
      hosts,
      { ...request, driverKind, guestType, resources: charged },
      { ...options, tieBreak: 'first', listTop: hosts.length || 1 },
    );
    const byId = new Map(hosts.map((h) => [h.id, h]));
    const guestsThatFit = decision.candidates.reduce((sum, c) => sum + guestsThatFitOn(byId.get(c.hostId)!, charged), 0);
    return { driverKind, guestType, charged, overheadMiB: charged.memoryMiB - request.resources.memoryMiB, decision, guestsThatFit };
  });
}
