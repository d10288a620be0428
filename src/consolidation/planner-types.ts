// The consolidation planner's input and output. Pure data: the planner reads a snapshot and a
// policy and returns a plan; persisting and executing the plan happen elsewhere (Watcher's
// audit -> action plan -> applier split).

import type { OvercommitRatios, Resources } from '../common/resources.js';
import type { DriverKind } from '../hypervisor/capabilities.js';

/**
 * enabled: runs guests and receives them. maintenance/draining: guests may be moved off, none
 * arrive. offline/standby: untouchable (nothing leaves, nothing arrives).
 */
export type PlannerHostState = 'enabled' | 'maintenance' | 'draining' | 'offline' | 'standby';

export interface PlannerHost {
  id: string;
  name: string;
  state: PlannerHostState;
  driverKind: DriverKind;
  physical: Resources;
  ratios: OvercommitRatios;
  /** What instances' placement rules are matched against. */
  labels?: Readonly<Record<string, string>>;
  traits?: readonly string[];
  /**
   * Whether this host can send and receive live migrations (its `cap:live-migrate` trait; a
   * simulated host has none). Absent: what its driver kind can do.
   */
  liveMigration?: boolean;
  /**
   * Guests virtfleet did not define run here: their resources are taken, and the host is never
   * emptied or freed by a plan (it is not ours to power down). Absent: none.
   */
  foreign?: { guests: number; resources: Resources };
}

/** An instance's stored placement rules: a move may only go to a host satisfying all of them. */
export interface PlannerPlacementRules {
  /** Each key must be on the host with exactly this value. */
  requiredLabels?: Readonly<Record<string, string>>;
  requiredTraits?: readonly string[];
  forbiddenTraits?: readonly string[];
}

export interface PlannerInstance {
  id: string;
  name: string;
  hostId: string;
  driverKind: DriverKind;
  resources: Resources;
  running: boolean;
  /** Pinned instances never move. */
  pinned: boolean;
  /**
   * Held where it is by its state, not by the planner's rules: `busy` (an operation is in
   * flight for it) or `unobservable` (its host cannot tell what it is doing). Never moved.
   */
  held?: 'busy' | 'unobservable';
  /** No two members of one group may share a host. */
  antiAffinityGroup?: string;
  /**
   * Member of a hard affinity group: all members share one host, so one cannot move alone, and
   * a plan moves instances one by one. Never moved (skipped as `affinity-group`).
   */
  affinityGroup?: string;
  /** Where it may go: hosts that satisfy these rules (absent: any host of its driver kind). */
  placement?: PlannerPlacementRules;
  lastMigratedAt?: Date;
}

export interface ConsolidationSnapshot {
  hosts: PlannerHost[];
  instances: PlannerInstance[];
  /** The planner never reads the clock; cooldowns are measured against this. */
  now: Date;
}

export interface ConsolidationPolicy {
  /**
   * Downtime is acceptable for running instances whose driver cannot live-migrate (they move
   * cold: stop, redefine, start). Stopped instances always move cold; that costs no downtime.
   */
  allowColdMigration: boolean;
  /** Most moves the plan may contain (after chains are collapsed). */
  migrationBudget: number;
  /** Instances migrated less than this long ago stay where they are. */
  cooldownMs: number;
  /** Fraction (0..1] of each host's usable capacity the plan may fill, per dimension. Default 1. */
  maxUtilisation?: number;
}

export type MigrationMode = 'live' | 'cold';

export interface PlannedMove {
  instanceId: string;
  instanceName: string;
  fromHostId: string;
  toHostId: string;
  mode: MigrationMode;
  memoryMiB: number;
}

/**
 * Why an instance the planner wanted to move stays:
 *   pinned: pinned by its owner.
 *   busy: an operation is in flight for it.
 *   unobservable: its state is unknown (its host cannot be reached) or its guest is missing.
 *   affinity-group: a member of a hard affinity group; its members only move together.
 *   cooldown: migrated less than the cooldown ago.
 *   needs-downtime: running, its driver cannot live-migrate, and the policy allows no downtime.
 *   migration-unsupported: its driver cannot migrate it at all.
 *   budget-exhausted: the plan's migration budget is spent.
 *   no-capacity: leaving a maintenance/draining host, but no active enabled host has room.
 */
export const SKIP_REASONS = [
  'pinned',
  'busy',
  'unobservable',
  'affinity-group',
  'cooldown',
  'needs-downtime',
  'migration-unsupported',
  'budget-exhausted',
  'no-capacity',
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

export interface SkippedInstance {
  instanceId: string;
  reason: SkipReason;
}

export interface ConsolidationPlan {
  /** In execution order: every prefix leaves every host within capacity. */
  moves: PlannedMove[];
  /** Enabled hosts holding at least one instance (or foreign guests), before and after the plan. */
  hostsBefore: number;
  hostsAfter: number;
  /** No plan can end with fewer active hosts than this (see `activeHostsLowerBound`). */
  lowerBound: number;
  /** Enabled hosts that held instances before and hold none after. */
  freedHostIds: string[];
  memoryToMoveMiB: number;
  /** Instances the planner wanted to move and could not, with the first reason found. */
  skipped: SkippedInstance[];
}
