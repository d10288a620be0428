import type { Instance } from '../generated/prisma/client.js';
import type { DriverKind, GuestType } from '../hypervisor/capabilities.js';
import type { BootSpecDto } from './dto/boot-spec.dto.js';
import type { GuestRef } from '../hypervisor/hypervisor-driver.js';
import { fromDbDriverKind, fromDbGroupPolicy, fromDbPowerState } from '../prisma/enum-mapping.js';
import type { InstanceDto } from './dto/instance.dto.js';
import { type BootSpec, toDomainSpec } from './guest-spec.js';
import { placementDtoOf } from './stored-placement.js';
import type { DomainSpec } from '../hypervisor/xml/domain-spec.js';
import type { OverheadCharges } from '../overhead/overhead-charges.js';

export function toInstanceDto(i: Instance, overhead: OverheadCharges): InstanceDto {
  const kind = fromDbDriverKind(i.driverKind) as DriverKind;
  const overheadMiB = overhead.overheadMiB(kind, i);
  return {
    id: i.id,
    name: i.name,
    driverKind: fromDbDriverKind(i.driverKind) as DriverKind,
    guestType: i.guestType as GuestType,
    vcpus: i.vcpus,
    memoryMiB: i.memoryMiB,
    diskGiB: i.diskGiB,
    imageId: i.imageId,
    charged: { vcpus: i.vcpus, memoryMiB: i.memoryMiB + overheadMiB, diskGiB: i.diskGiB, overheadMiB },
    boot: i.bootSpec as unknown as BootSpecDto,
    labels: i.labels as Record<string, string>,
    placementGroup:
      i.placementGroup && i.groupPolicy ? { name: i.placementGroup, policy: fromDbGroupPolicy(i.groupPolicy), hard: i.groupHard } : null,
    placement: placementDtoOf(i),
    pinned: i.pinned,
    desiredState: i.desiredState,
    task: i.task,
    taskDeadline: i.taskDeadline,
    taskOperationId: i.taskOperationId,
    observedState: fromDbPowerState(i.observedState),
    observedReason: i.observedReason,
    observedAt: i.observedAt,
    hostId: i.hostId,
    lastMigratedAt: i.lastMigratedAt,
    version: i.version,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

export const guestRefOf = (i: Pick<Instance, 'id' | 'name'>): GuestRef => ({ instanceId: i.id, name: i.name });

/**
 * The guest `i` describes. Its root disk (once created) comes first: vda, the disk the firmware
 * boots. `rootDiskPath` overrides the stored path (the copy on a migration's target).
 */
export function domainSpecOf(i: Instance, rootDiskPath: string | null = i.rootDiskPath): DomainSpec {
  const boot = i.bootSpec as BootSpec;
  const withRoot =
    rootDiskPath === null ? boot : { ...boot, disks: [rootDiskOf(rootDiskPath), ...((boot.disks as unknown[] | undefined) ?? [])] };
  return toDomainSpec({
    id: i.id,
    name: i.name,
    vcpus: i.vcpus,
    memoryMiB: i.memoryMiB,
    labels: i.labels as Record<string, string>,
    bootSpec: withRoot,
  });
}

/** A root disk volume as a guest disk: always qcow2 (an overlay, or its copy), on virtio. */
export const rootDiskOf = (path: string) => ({ path, format: 'qcow2' as const, bus: 'virtio' as const });
