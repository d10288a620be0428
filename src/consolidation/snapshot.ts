// The planner's snapshot built from stored rows (pure: the reads are the store's).
import type { Host, Instance } from '../generated/prisma/client.js';
import { hostCapacityOf, type Resources } from '../common/resources.js';
import type { DriverKind } from '../hypervisor/capabilities.js';
import { Capability } from '../hypervisor/capabilities.js';
import { fromDbDriverKind, fromDbPowerState } from '../prisma/enum-mapping.js';
import { isRunningLike } from '../instances/instance-transitions.js';
import { storedPlacementOf } from '../instances/stored-placement.js';
import { bindingForeignGuests } from '../hosts/foreign-guests.js';
import type { ConsolidationSnapshot, PlannerInstance } from './planner-types.js';

/** What an instance holds on its host: its size plus its technique's overhead. */
export type ChargedResources = (kind: DriverKind, size: Resources) => Resources;

export function snapshotOf(hosts: Host[], instances: Instance[], charged: ChargedResources, now: Date): ConsolidationSnapshot {
  // The planner sees each host as its first endpoint's driver. Instances running under another
  // endpoint of their host (an LXC container on a QEMU+LXC host) are not moved by plans: their
  // load stays on their host like foreign guests', so it is counted and the host never empties.
  const kindOf = new Map(hosts.map((h) => [h.id, h.driverKind]));
  const underOtherEndpoint = instances.filter((i) => kindOf.has(i.hostId!) && kindOf.get(i.hostId!) !== i.driverKind);
  const heldBy = (hostId: string) => underOtherEndpoint.filter((i) => i.hostId === hostId);
  return {
    now,
    hosts: hosts.map((h) => {
      const { physical, ratios, foreign } = hostCapacityOf(h);
      return {
        id: h.id,
        name: h.name,
        state: h.state,
        driverKind: fromDbDriverKind(h.driverKind),
        physical,
        ratios,
        labels: h.labels as Record<string, string>,
        traits: h.traits,
        liveMigration: h.traits.includes(`cap:${Capability.LiveMigrate}`),
        foreign: {
          guests: bindingForeignGuests(h).length + heldBy(h.id).length,
          resources: heldBy(h.id).reduce(
            (sum, i) => ({ vcpus: sum.vcpus + i.vcpus, memoryMiB: sum.memoryMiB + i.memoryMiB, diskGiB: sum.diskGiB + i.diskGiB }),
            foreign,
          ),
        },
      };
    }),
    instances: instances.filter((i) => !underOtherEndpoint.includes(i)).map((i) => plannerInstanceOf(i, charged)),
  };
}

function plannerInstanceOf(i: Instance, charged: ChargedResources): PlannerInstance {
  const stored = storedPlacementOf(i);
  return {
    id: i.id,
    name: i.name,
    hostId: i.hostId!,
    driverKind: fromDbDriverKind(i.driverKind),
    resources: charged(fromDbDriverKind(i.driverKind), { vcpus: i.vcpus, memoryMiB: i.memoryMiB, diskGiB: i.diskGiB }),
    running: isRunningLike(fromDbPowerState(i.observedState)),
    pinned: i.pinned,
    // Busy or unobservable instances are not moved by a plan, each for its own reason.
    held: i.task !== null ? 'busy' : i.observedState === 'unknown' || i.observedState === 'missing' ? 'unobservable' : undefined,
    antiAffinityGroup: i.groupPolicy === 'anti_affinity' && i.groupHard ? (i.placementGroup ?? undefined) : undefined,
    affinityGroup: i.groupPolicy === 'affinity' && i.groupHard ? (i.placementGroup ?? undefined) : undefined,
    placement: {
      requiredLabels: stored.requiredHostLabels,
      requiredTraits: stored.requiredHostTraits,
      forbiddenTraits: stored.forbiddenHostTraits,
    },
    lastMigratedAt: i.lastMigratedAt ?? undefined,
  };
}
