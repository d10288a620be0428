// Hosts and requests for the placement specs: small factories with overridable defaults.

import { NO_OVERCOMMIT, ZERO_RESOURCES } from '../common/resources.js';
import { capabilityTraits, type DriverKind } from '../hypervisor/capabilities.js';
import type { HostCandidate, PlacementRequest } from './placement-types.js';

/** An enabled, empty 16 vCPU / 64 GiB / 1 TiB host without overcommit. */
export function testHost(
  id: string,
  overrides: Partial<Omit<HostCandidate, 'groupMembers'>> & { groupMembers?: Record<string, number> } = {},
): HostCandidate {
  const driverKind: DriverKind = overrides.driverKind ?? 'qemu-kvm';
  const { groupMembers, ...rest } = overrides;
  return {
    id,
    name: `${id}-name`,
    state: 'enabled',
    driverKind,
    traits: capabilityTraits(driverKind),
    labels: {},
    physical: { vcpus: 16, memoryMiB: 65536, diskGiB: 1024 },
    ratios: { ...NO_OVERCOMMIT },
    used: { ...ZERO_RESOURCES },
    ...rest,
    groupMembers: new Map(Object.entries(groupMembers ?? {})),
  };
}

/** A 2 vCPU / 4 GiB / 20 GiB KVM guest. */
export function testRequest(overrides: Partial<PlacementRequest> = {}): PlacementRequest {
  return {
    resources: { vcpus: 2, memoryMiB: 4096, diskGiB: 20 },
    driverKind: 'qemu-kvm',
    guestType: 'hvm',
    ...overrides,
  };
}
