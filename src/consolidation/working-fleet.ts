// The planner's working copy of the fleet, and the context every step runs in: who sits where,
// what each host has left (one bin per host), a journal so that a tentative attempt to empty a
// host can be undone in one call, the migration budget, the current step's search effort and
// the instances skipped so far.

import { RESOURCE_DIMENSIONS, usableCapacity, type Resources } from '../common/resources.js';
import { Capability, driverSupports } from '../hypervisor/capabilities.js';
import { ValidationError } from '../common/domain-errors.js';
import type {
  ConsolidationPolicy,
  ConsolidationSnapshot,
  MigrationMode,
  PlannerHost,
  PlannerInstance,
  PlannerPlacementRules,
  SkipReason,
} from './planner-types.js';
import { SearchEffort } from './search-effort.js';
import { activeHostsLowerBound } from './lower-bound.js';
import { allows, hostBin, place, roomFor, take, type Bin } from './bins.js';

// canReceive runs for every host on every placement; under tsx (the bench's runner) each call
// through an imported binding costs a getter call, so the hot path keeps local references.
const allowsInBin = allows;
const roomInBin = roomFor;

export interface InstanceSlot {
  readonly instance: PlannerInstance;
  readonly originalHost: Bin;
  currentHost: Bin;
  /** How it would move, or why it cannot. Depends on the instance only, never on the route. */
  readonly movability: MigrationMode | SkipReason;
  /** Order of the move that first took it off its original host (planning order; see `executionOrder`). */
  moveSequence: number;
  /**
   * 1 at the index of every host its placement rules allow (`Bin.index`); null when it has
   * none, so any host of its driver kind will do. Shared by the instances with the same rules.
   */
  readonly allowedHosts: Uint8Array | null;
  /** Stands for the foreign guests of its host: never moves, keeps the host busy and its load counted. */
  readonly foreign: boolean;
}

interface JournalEntry {
  slot: InstanceSlot;
  from: Bin;
  previousSequence: number;
}

export class WorkingFleet {
  readonly hosts: Bin[];
  readonly instances: InstanceSlot[];
  /** Most moves the plan may contain (after chains are collapsed). */
  readonly budget: number;
  /** The running step's effort; a step sets its own (`withEffort`). Unbounded outside one. */
  effort = new SearchEffort(Infinity);
  /** Instances the planner wanted to move and could not, with the first reason found. */
  readonly skipped = new Map<InstanceSlot, SkipReason>();
  /** No plan can end with fewer active hosts than this (see `activeHostsLowerBound`), from the snapshot. */
  readonly lowerBound: number;
  /** Instances away from their original host: the length of the collapsed move list. */
  movedCount = 0;
  /** Every tentative move made while planning, kept or undone: a measure of the search's work. */
  movesTried = 0;
  private readonly journal: JournalEntry[] = [];
  private nextSequence = 0;

  constructor(snapshot: ConsolidationSnapshot, policy: ConsolidationPolicy) {
    const headroom = policy.maxUtilisation ?? 1;
    this.budget = policy.migrationBudget;
    // Sorted by id so that every scan, and so every tie, is deterministic.
    this.hosts = [...snapshot.hosts]
      .sort(byId((h) => h.id))
      .map((host, index) =>
        hostBin(host, index, scaleDown(usableCapacity(host.physical, host.ratios), headroom), offersLiveMigration(host)),
      );
    const hostById = new Map(this.hosts.map((slot) => [slot.host.id, slot]));
    const allowedByRules = new Map<string, Uint8Array | null>();
    const allowedHostsOf = (rules: PlannerPlacementRules | undefined): Uint8Array | null => {
      if (!rules || isEmptyRules(rules)) return null;
      const key = JSON.stringify([rules.requiredLabels ?? {}, rules.requiredTraits ?? [], rules.forbiddenTraits ?? []]);
      let allowed = allowedByRules.get(key);
      if (allowed === undefined) {
        allowed = Uint8Array.from(this.hosts, (slot) => (satisfiesPlacementRules(slot.host, rules) ? 1 : 0));
        allowedByRules.set(key, allowed);
      }
      return allowed;
    };
    const instances = [...snapshot.instances].sort(byId((i) => i.id)).map((instance) => {
      const home = hostById.get(instance.hostId);
      if (!home) throw new ValidationError(`instance ${instance.id} is on unknown host ${instance.hostId}`);
      if (home.host.driverKind !== instance.driverKind) {
        throw new ValidationError(`instance ${instance.id} (${instance.driverKind}) is on ${home.host.driverKind} host ${home.host.id}`);
      }
      const slot: InstanceSlot = {
        instance,
        originalHost: home,
        currentHost: home,
        movability: movability(instance, policy, snapshot.now, home.live),
        moveSequence: -1,
        allowedHosts: allowedHostsOf(instance.placement),
        foreign: false,
      };
      place(home, slot);
      return slot;
    });
    // Foreign guests sit on their host like a pinned instance: their load counts and the host
    // never empties, so no plan frees (and so powers down) a host running guests not ours.
    for (const home of this.hosts) {
      const foreign = home.host.foreign;
      if (!foreign || foreign.guests <= 0) continue;
      const instance: PlannerInstance = {
        id: `foreign:${home.host.id}`,
        name: `foreign guests of ${home.host.name}`,
        hostId: home.host.id,
        driverKind: home.host.driverKind,
        resources: { ...foreign.resources },
        running: true,
        pinned: true,
      };
      const slot: InstanceSlot = {
        instance,
        originalHost: home,
        currentHost: home,
        movability: 'pinned',
        moveSequence: -1,
        allowedHosts: null,
        foreign: true,
      };
      place(home, slot);
      instances.push(slot);
    }
    this.instances = instances;
    this.lowerBound = activeHostsLowerBound(this);
  }

  /**
   * May `slot` move onto `target` now? Only onto enabled hosts of its own driver kind that its
   * placement rules allow and that already run something (the plan consolidates; it never wakes
   * an empty host), with room in every dimension and no other member of its anti-affinity group.
   */
  canReceive(target: Bin, slot: InstanceSlot): boolean {
    // Cheapest checks first: this runs for every host on every placement.
    return (
      target.residents.size > 0 &&
      !target.closing &&
      target !== slot.currentHost &&
      target.host.state === 'enabled' &&
      target.host.driverKind === slot.instance.driverKind &&
      allowsInBin(target, slot) &&
      roomInBin(target, slot)
    );
  }

  /** Runs `work` with a fresh effort of `units`, then puts the previous one back. */
  withEffort<T>(units: number, work: () => T): T {
    const previous = this.effort;
    this.effort = new SearchEffort(units);
    try {
      return work();
    } finally {
      this.effort = previous;
    }
  }

  /** Whether the moves so far fit in the budget. */
  get withinBudget(): boolean {
    return this.movedCount <= this.budget;
  }

  /** Records why `slot` cannot move; the first reason found stands. */
  skip(slot: InstanceSlot, reason: SkipReason): void {
    if (!this.skipped.has(slot)) this.skipped.set(slot, reason);
  }

  move(slot: InstanceSlot, target: Bin): void {
    this.movesTried++;
    this.journal.push({ slot, from: slot.currentHost, previousSequence: slot.moveSequence });
    this.relocate(slot, target);
    if (slot.moveSequence < 0) slot.moveSequence = this.nextSequence++;
    if (target === slot.originalHost) slot.moveSequence = -1;
  }

  /**
   * Whether emptying `victim` cannot end within `budget` moves, whatever the search does: its
   * residents still at home must all leave (+1 each), and the only moves that lower the count
   * bring an instance back to its original host, which can receive only while it is enabled
   * and runs something. Lets searches skip a host once the budget is spent, instead of
   * finding a way to empty it and undoing it at the final budget check.
   */
  cannotEmptyWithinBudget(victim: Bin): boolean {
    const budget = this.budget;
    let leaving = 0;
    for (const slot of victim.residents) if (slot.originalHost === victim) leaving++;
    if (this.movedCount + leaving <= budget) return false;
    let mayReturn = 0;
    for (const slot of this.instances) {
      const home = slot.originalHost;
      if (slot.currentHost !== home && home !== victim && home.residents.size > 0 && home.host.state === 'enabled') mayReturn++;
    }
    return this.movedCount - mayReturn + leaving > budget;
  }

  /** A point to roll back to. */
  checkpoint(): number {
    return this.journal.length;
  }

  rollbackTo(checkpoint: number): void {
    while (this.journal.length > checkpoint) {
      const entry = this.journal.pop()!;
      this.relocate(entry.slot, entry.from);
      entry.slot.moveSequence = entry.previousSequence;
    }
  }

  private relocate(slot: InstanceSlot, target: Bin): void {
    const wasAway = slot.currentHost !== slot.originalHost;
    take(slot.currentHost, slot);
    place(target, slot);
    slot.currentHost = target;
    this.movedCount += Number(target !== slot.originalHost) - Number(wasAway);
  }
}

/**
 * Live only for running guests on drivers that can; stopped guests move cold (no downtime to
 * speak of); running guests that cannot go live move cold only when the policy accepts downtime.
 */
export function movability(
  instance: PlannerInstance,
  policy: ConsolidationPolicy,
  now: Date,
  sourceOffersLive = true,
): MigrationMode | SkipReason {
  if (instance.pinned) return 'pinned';
  if (instance.held !== undefined) return instance.held;
  if (instance.affinityGroup !== undefined) return 'affinity-group';
  if (instance.lastMigratedAt && now.getTime() - instance.lastMigratedAt.getTime() < policy.cooldownMs) return 'cooldown';
  const canCold = driverSupports(instance.driverKind, Capability.ColdMigrate);
  if (!instance.running) return canCold ? 'cold' : 'migration-unsupported';
  if (sourceOffersLive && driverSupports(instance.driverKind, Capability.LiveMigrate)) return 'live';
  if (!canCold) return 'migration-unsupported';
  return policy.allowColdMigration ? 'cold' : 'needs-downtime';
}

/** Whether `host` can take part in a live migration: its driver can, and the host itself does. */
export function offersLiveMigration(host: PlannerHost): boolean {
  return host.liveMigration ?? driverSupports(host.driverKind, Capability.LiveMigrate);
}

/** Whether `host` carries every required label and trait and no forbidden trait. */
export function satisfiesPlacementRules(host: PlannerHost, rules: PlannerPlacementRules): boolean {
  const labels = host.labels ?? {};
  const traits = host.traits ?? [];
  for (const [key, value] of Object.entries(rules.requiredLabels ?? {}))
    if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  for (const trait of rules.requiredTraits ?? []) if (!traits.includes(trait)) return false;
  for (const trait of rules.forbiddenTraits ?? []) if (traits.includes(trait)) return false;
  return true;
}

function isEmptyRules(rules: PlannerPlacementRules): boolean {
  return (
    Object.keys(rules.requiredLabels ?? {}).length === 0 &&
    (rules.requiredTraits ?? []).length === 0 &&
    (rules.forbiddenTraits ?? []).length === 0
  );
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
