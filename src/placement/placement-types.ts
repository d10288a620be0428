// The placement core's input and output. Pure data: the core reads a snapshot of hosts and a
// request and ranks the hosts; claiming capacity (in a Postgres transaction) happens elsewhere.

import type { OvercommitRatios, Resources } from '../common/resources.js';
import type { Capability, DriverKind, GuestType } from '../hypervisor/capabilities.js';

/** Only `enabled` hosts receive new guests; the others are skipped by the host-state filter. */
export type HostState = 'enabled' | 'maintenance' | 'draining' | 'offline' | 'standby';

/**
 * One host as placement sees it. Treated as an immutable snapshot for the length of a decision.
 */
export interface HostCandidate {
  id: string;
  name: string;
  state: HostState;
  driverKind: DriverKind;
  /** Capability traits (`capabilityTraits(kind)`) plus operator traits such as `gpu:a100`. */
  traits: readonly string[];
  labels: Readonly<Record<string, string>>;
  physical: Resources;
  ratios: OvercommitRatios;
  /** Allocations already claimed on this host. */
  used: Resources;
  /** What guests virtfleet did not define take here (hosts/foreign-guests.ts): used as much as `used`. */
  foreign?: Resources;
  /** Placement group name -> how many of that group's instances run here. */
  groupMembers: ReadonlyMap<string, number>;
}

export type GroupPolicy = 'affinity' | 'anti-affinity';

/** hard: a filter (never break it). soft: a weigher (prefer, but place anyway). */
export type GroupStrength = 'hard' | 'soft';

export interface PlacementGroup {
  name: string;
  policy: GroupPolicy;
  strength: GroupStrength;
}

export interface PlacementRequest {
  resources: Resources;
  driverKind: DriverKind;
  guestType: GuestType;
  requiredTraits?: readonly string[];
  forbiddenTraits?: readonly string[];
  /** Each key must be present on the host with exactly this value. */
  requiredLabels?: Readonly<Record<string, string>>;
  group?: PlacementGroup;
  /** e.g. live-migrate for a live-migration target. */
  requireCapabilities?: readonly Capability[];
  /** e.g. the source host of a migration. */
  excludeHostIds?: readonly string[];
  /**
   * Pinned placement: the caller reads only this host into the snapshot; filters still apply
   * (and a pinned simulated host counts as asked for, see the `simulated` filter).
   */
  hostId?: string;
}

export type UtilisationWeigherName = 'pack' | 'spread';
export type WeigherName = UtilisationWeigherName | 'soft-affinity' | 'soft-anti-affinity';

export interface PlacementOptions {
  /** pack: fill the fullest host that fits (fewer hosts busy). spread: the emptiest (less contention). */
  weigher: UtilisationWeigherName;
  /** Per-weigher multiplier; wins over `softGroupWeight`. Defaults: 1 for pack/spread. */
  multipliers?: Partial<Record<WeigherName, number>>;
  /**
   * How the chosen host is taken from the tie set — the best-scored hosts whose score is within
   * TIE_EPSILON of the best, at most TIE_SET_LIMIT of them, in fleet order (see `tiedWithBest`).
   * `first` (the default, what a preview reports) takes the first; `random` (what claims do, so
   * that concurrent schedulers on one snapshot rarely pick the same host) draws uniformly. A
   * host scored worse than the best is never chosen, so `spread` spreads and a preview names
   * what a create will do: its host, or the set a create draws from when there is a tie.
   */
  tieBreak?: 'first' | 'random';
  /** Injectable RNG in [0, 1) for the random tie-break; defaults to Math.random. */
  random?: () => number;
  /**
   * Multiplier for the soft affinity/anti-affinity weighers. The default 2 lets the group
   * preference between 0 and 1 members (a 0.5 score step) outweigh any utilisation difference.
   */
  softGroupWeight?: number;
  /** How many ranked candidates the decision lists (at least 1; default 1). */
  listTop?: number;
}

export type FilterName =
  | 'excluded-host'
  | 'host-state'
  | 'capacity'
  | 'driver-guest'
  | 'capabilities'
  | 'traits'
  | 'labels'
  | 'simulated'
  | 'anti-affinity'
  | 'affinity';

export interface RankedCandidate {
  hostId: string;
  hostName: string;
  /** Σ multiplier × score over the weighers. */
  score: number;
  /** Each weigher's contribution (multiplier × score); they add up to `score`. */
  breakdown: Partial<Record<WeigherName, number>>;
}

export interface FilterRejection {
  filter: FilterName;
  /** Hosts this filter was the first to reject. */
  count: number;
  /** Up to 3 examples, "host-name (cause)". */
  examples: string[];
  /** The distinct causes among the examples. */
  causes: string[];
}

/** Why no host was chosen: an empty fleet, or every host filtered out. */
export type NoHostReason = 'no-hosts' | 'all-rejected';

/** Scores this close to the best are equally good (float noise, nothing a weigher means). */
export const TIE_EPSILON = 1e-9;

/** Most hosts a tie set holds: the first ones in fleet order (a claim hands this many to pick_host). */
export const TIE_SET_LIMIT = 5;

export interface PlacementDecision {
  /** The best `listTop` hosts that passed every filter, best first. */
  candidates: RankedCandidate[];
  /**
   * The hosts as good as the best (score within TIE_EPSILON), best first, at most TIE_SET_LIMIT:
   * `chosen` is one of them. More than one means a tie, which a claim breaks at random.
   */
  tiedHostIds: string[];
  /** How many hosts passed every filter (may be more than `candidates` lists). */
  validHostCount: number;
  /** One entry per filter that rejected at least one host, in filter order. */
  rejections: FilterRejection[];
  chosen: string | null;
  /** Set exactly when `chosen` is null. */
  reason: NoHostReason | null;
}
