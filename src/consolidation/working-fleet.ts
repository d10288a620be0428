// The planner's scratch copy of the fleet: who sits where, what each host has left, and a
// journal so that a tentative attempt to empty a host can be undone in one call.

import {
  RESOURCE_DIMENSIONS,
  ZERO_RESOURCES,
  addResources,
  fitsWithin,
  subtractResources,
  usableCapacity,
  type Resources,
} from '../common/resources.js';
import { Capability, driverSupports } from '../hypervisor/capabilities.js';
import { ValidationError } from '../common/domain-errors.js';
import type {
  ConsolidationPolicy,
  ConsolidationSnapshot,
  MigrationMode,
  PlannerHost,
  PlannerInstance,
  SkipReason,
} from './planner-types.js';

// canReceive runs for every host on every placement; under tsx (the bench's runner) each call
// through an imported binding costs a getter call, so the hot path keeps a local reference.
const fitsWithinLimit = fitsWithin;

export interface HostSlot {
  readonly host: PlannerHost;
  /** Usable capacity × maxUtilisation: what the plan may fill, per dimension. */
  readonly limit: Resources;
  used: Resources;
  readonly residents: Set<InstanceSlot>;
  /** Anti-affinity group -> members on this host. */
  readonly groupMembers: Map<string, number>;
  /** Being emptied in the current attempt: receives nothing. */
  closing: boolean;
}

export interface InstanceSlot {
  readonly instance: PlannerInstance;
  readonly originalHost: HostSlot;
  currentHost: HostSlot;
  /** How it would move, or why it cannot. Depends on the instance only, never on the route. */
  readonly movability: MigrationMode | SkipReason;
  /** Order of the move that first took it off its original host (planning order; see `executionOrder`). */
  moveSequence: number;
}

interface JournalEntry {
  slot: InstanceSlot;
  from: HostSlot;
  previousSequence: number;
}

export class WorkingFleet {
  readonly hosts: HostSlot[];
  readonly instances: InstanceSlot[];
  /** Instances away from their original host: the length of the collapsed move list. */
  movedCount = 0;
  private readonly journal: JournalEntry[] = [];
  private nextSequence = 0;

  constructor(snapshot: ConsolidationSnapshot, policy: ConsolidationPolicy) {
    const headroom = policy.maxUtilisation ?? 1;
    // Sorted by id so that every scan, and so every tie, is deterministic.
    this.hosts = [...snapshot.hosts].sort(byId((h) => h.id)).map((host) => ({
      host,
      limit: scaleDown(usableCapacity(host.physical, host.ratios), headroom),
      used: { ...ZERO_RESOURCES },
      residents: new Set<InstanceSlot>(),
      groupMembers: new Map<string, number>(),
      closing: false,
    }));
    const hostById = new Map(this.hosts.map((slot) => [slot.host.id, slot]));
    this.instances = [...snapshot.instances].sort(byId((i) => i.id)).map((instance) => {
      const home = hostById.get(instance.hostId);
      if (!home) throw new ValidationError(`instance ${instance.id} is on unknown host ${instance.hostId}`);
      if (home.host.driverKind !== instance.driverKind) {
        throw new ValidationError(`instance ${instance.id} (${instance.driverKind}) is on ${home.host.driverKind} host ${home.host.id}`);
      }
      const slot: InstanceSlot = {
        instance,
        originalHost: home,
        currentHost: home,
        movability: movability(instance, policy, snapshot.now),
        moveSequence: -1,
      };
      this.settle(slot, home);
      return slot;
    });
  }

  /**
   * May `slot` move onto `target` now? Only onto enabled hosts of its own driver kind that
   * already run something (the plan consolidates; it never wakes an empty host), with room in
   * every dimension and no other member of its anti-affinity group.
   */
  canReceive(target: HostSlot, slot: InstanceSlot): boolean {
    const group = slot.instance.antiAffinityGroup;
    // Cheapest checks first: this runs for every host on every placement.
    return (
      target.residents.size > 0 &&
      !target.closing &&
      target !== slot.currentHost &&
      target.host.state === 'enabled' &&
      target.host.driverKind === slot.instance.driverKind &&
      fitsWithinLimit(slot.instance.resources, target.used, target.limit) &&
      (group === undefined || !target.groupMembers.get(group))
    );
  }

  move(slot: InstanceSlot, target: HostSlot): void {
    this.journal.push({ slot, from: slot.currentHost, previousSequence: slot.moveSequence });
    this.place(slot, target);
    if (slot.moveSequence < 0) slot.moveSequence = this.nextSequence++;
    if (target === slot.originalHost) slot.moveSequence = -1;
  }

  /** A point to roll back to. */
  checkpoint(): number {
    return this.journal.length;
  }

  rollbackTo(checkpoint: number): void {
    while (this.journal.length > checkpoint) {
      const entry = this.journal.pop()!;
      this.place(entry.slot, entry.from);
      entry.slot.moveSequence = entry.previousSequence;
    }
  }

  private place(slot: InstanceSlot, target: HostSlot): void {
    const wasAway = slot.currentHost !== slot.originalHost;
    this.unsettle(slot, slot.currentHost);
    this.settle(slot, target);
    slot.currentHost = target;
    this.movedCount += Number(target !== slot.originalHost) - Number(wasAway);
  }

  private settle(slot: InstanceSlot, host: HostSlot): void {
    host.residents.add(slot);
    host.used = addResources(host.used, slot.instance.resources);
    const group = slot.instance.antiAffinityGroup;
    if (group !== undefined) host.groupMembers.set(group, (host.groupMembers.get(group) ?? 0) + 1);
  }

  private unsettle(slot: InstanceSlot, host: HostSlot): void {
    host.residents.delete(slot);
    host.used = subtractResources(host.used, slot.instance.resources);
    const group = slot.instance.antiAffinityGroup;
    if (group !== undefined) host.groupMembers.set(group, host.groupMembers.get(group)! - 1);
  }
}

/**
 * Live only for running guests on drivers that can; stopped guests move cold (no downtime to
 * speak of); running guests that cannot go live move cold only when the policy accepts downtime.
 */
export function movability(instance: PlannerInstance, policy: ConsolidationPolicy, now: Date): MigrationMode | SkipReason {
  if (instance.pinned) return 'pinned';
  if (instance.lastMigratedAt && now.getTime() - instance.lastMigratedAt.getTime() < policy.cooldownMs) return 'cooldown';
  const canCold = driverSupports(instance.driverKind, Capability.ColdMigrate);
  if (!instance.running) return canCold ? 'cold' : 'migration-unsupported';
  if (driverSupports(instance.driverKind, Capability.LiveMigrate)) return 'live';
  if (!canCold) return 'migration-unsupported';
  return policy.allowColdMigration ? 'cold' : 'needs-downtime';
}

export function isMovable(slot: InstanceSlot): boolean {
  return slot.movability === 'live' || slot.movability === 'cold';
}

/** Floors, like `usableCapacity`: headroom never grants a fraction of a unit. */
function scaleDown(capacity: Resources, fraction: number): Resources {
  const scaled = { ...capacity };
  for (const d of RESOURCE_DIMENSIONS) scaled[d] = Math.floor(capacity[d] * fraction + 1e-9);
  return scaled;
}

export function byId<T>(idOf: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0);
}
