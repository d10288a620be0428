// What both ways of deciding share (README.md, "Placement"): rankHosts (the explained path) and
// chooseHosts (the fast path) set a decision up here — the snapshot filters' survivors for the
// request's shape (memoized in the FleetIndex), the per-decision filters and weighers that
// apply, the placement group's part — and end it here: a host's score, the ranked candidates,
// the tie set and the pick among it. Pure.

import { FleetIndex, type Prefiltered } from './fleet-index.js';
import { PER_DECISION_FILTERS, SNAPSHOT_FILTERS, affinityFilter, antiAffinityFilter, capacityFilter } from './filters/index.js';
import type { PlacementFilter } from './filters/placement-filter.js';
import type { GroupTerm, HardGroupRule } from './group-rules.js';
import { HostPool } from './host-pool.js';
import type { FilterRejection, PlacementOptions, PlacementRequest, RankedCandidate, WeigherName } from './placement-types.js';
import { TIE_EPSILON, TIE_SET_LIMIT } from './placement-types.js';
import { packWeigher } from './weighers/pack.weigher.js';
import type { PlacementWeigher } from './weighers/placement-weigher.js';
import { softAffinityWeigher, softAntiAffinityWeigher } from './weighers/soft-group.weighers.js';
import { spreadWeigher } from './weighers/spread.weigher.js';
import { utilisationLineOf, type UtilisationLine } from './weighers/utilisation.js';

const DEFAULT_SOFT_GROUP_WEIGHT = 2;

/** A weigher that takes part in a decision, with its multiplier and what it prepared. */
export interface ActiveWeigher {
  weigher: PlacementWeigher<unknown>;
  prepared: unknown;
  multiplier: number;
}

/** A filter that applies to a decision, with what it prepared. */
export interface PreparedFilter {
  filter: PlacementFilter<unknown>;
  prepared: unknown;
}

/** The utilisation weigher when it is the only one and capacity the last filter: fit, score and rank in one pass. */
export interface OnePass {
  line: UtilisationLine;
  multiplier: number;
}

/** One decision, set up: the same for rankHosts and chooseHosts. */
export interface DecisionSetup {
  fleet: FleetIndex;
  /** How many ranked candidates the decision lists (options.listTop, at least 1). */
  listTop: number;
  /** Everything the snapshot filters read from the request (see `requestShapeKey`). */
  shapeKey: string;
  /** What the snapshot filters leave of the fleet for this shape. */
  prefiltered: Prefiltered;
  /** The per-decision filters that apply, cheap first. */
  filters: PreparedFilter[];
  /** The weighers that apply, in scoring order. */
  weighers: ActiveWeigher[];
  /**
   * Set when capacity is the last active filter and pack or spread the only weigher: then a
   * host's score is that weigher's alone; otherwise the weighers' scores summed from 0.
   */
  onePass: OnePass | undefined;
  /** The placement group's part: its hard rule if one applies, else its soft weigher if any. */
  group: GroupTerm | undefined;
}

export function setUpDecision(fleet: FleetIndex, request: PlacementRequest, options: PlacementOptions): DecisionSetup {
  const shapeKey = requestShapeKey(request);
  const filters = activeFilters(PER_DECISION_FILTERS, fleet, request);
  const weighers = activeWeighers(fleet, request, options);
  return {
    fleet,
    listTop: Math.max(1, Math.floor(options.listTop ?? 1)),
    shapeKey,
    prefiltered: prefilteredFor(fleet, request, shapeKey),
    filters,
    weighers,
    onePass: onePassOf(filters, weighers),
    group: groupTermOf(request, filters, weighers),
  };
}

/** The weighers a decision uses, in scoring order (switched-off ones left out). */
function activeWeighers(fleet: FleetIndex, request: PlacementRequest, options: PlacementOptions): ActiveWeigher[] {
  const wanted: Array<{ weigher: PlacementWeigher<unknown>; defaultMultiplier: number }> = [
    { weigher: options.weigher === 'pack' ? packWeigher : spreadWeigher, defaultMultiplier: 1 },
  ];
  const group = request.group;
  if (group?.strength === 'soft') {
    wanted.push({
      weigher: group.policy === 'affinity' ? softAffinityWeigher : softAntiAffinityWeigher,
      defaultMultiplier: options.softGroupWeight ?? DEFAULT_SOFT_GROUP_WEIGHT,
    });
  }
  return wanted
    .map(({ weigher, defaultMultiplier }) => ({ weigher, multiplier: options.multipliers?.[weigher.name] ?? defaultMultiplier }))
    .filter(({ multiplier }) => multiplier !== 0) // switched off: no point scoring it per host
    .map(({ weigher, multiplier }) => ({ weigher, multiplier, prepared: weigher.prepare(fleet, request) }));
}

/** The filters that apply to `request`, each with what it prepared (inactive ones left out). */
function activeFilters(filters: readonly PlacementFilter<unknown>[], fleet: FleetIndex, request: PlacementRequest): PreparedFilter[] {
  const active: PreparedFilter[] = [];
  for (const filter of filters) {
    const prepared = filter.prepare(fleet, request);
    if (prepared !== null) active.push({ filter, prepared });
  }
  return active;
}

function onePassOf(filters: readonly PreparedFilter[], weighers: readonly ActiveWeigher[]): OnePass | undefined {
  if (weighers.length !== 1 || filters.at(-1)?.filter !== capacityFilter) return undefined;
  const line = utilisationLineOf(weighers[0]!.weigher);
  return line && { line, multiplier: weighers[0]!.multiplier };
}

function groupTermOf(
  request: PlacementRequest,
  filters: readonly PreparedFilter[],
  weighers: readonly ActiveWeigher[],
): GroupTerm | undefined {
  const group = request.group?.name;
  if (group === undefined) return undefined;
  const hard = filters.find(({ filter }) => filter === affinityFilter || filter === antiAffinityFilter);
  if (hard) return { rule: (hard.prepared as HardGroupRule).keep, group };
  for (const { weigher, multiplier } of weighers) {
    const soft =
      weigher === softAffinityWeigher ? softAffinityWeigher : weigher === softAntiAffinityWeigher ? softAntiAffinityWeigher : undefined;
    if (soft) return { rule: 'weighed', group, weigher: soft, multiplier };
  }
  return undefined;
}

/** Everything the snapshot filters read from a request; JSON keeps distinct lists distinct. */
export function requestShapeKey(request: PlacementRequest): string {
  return JSON.stringify([
    request.driverKind,
    request.guestType,
    request.requireCapabilities ?? [],
    request.requiredTraits ?? [],
    request.forbiddenTraits ?? [],
    request.requiredLabels ?? {},
    request.hostId !== undefined,
  ]);
}

/** What the snapshot filters leave of `fleet` for `request`'s shape (memoized in the index). */
export function prefilteredFor(fleet: FleetIndex, request: PlacementRequest, shapeKey = requestShapeKey(request)): Prefiltered {
  return fleet.prefiltered(shapeKey, () => {
    const pool = new HostPool(new Int32Array(fleet.size), fleet.size);
    for (let h = 0; h < fleet.size; h++) pool.indexes[h] = h;
    const rejections: FilterRejection[] = [];
    runFilters(activeFilters(SNAPSHOT_FILTERS, fleet, request), fleet, pool, rejections);
    return { survivors: pool.indexes.slice(0, pool.count), rejections };
  });
}

/** Runs `filters` in order over `pool`, appending a rejection entry for each that removed hosts. */
export function runFilters(filters: readonly PreparedFilter[], fleet: FleetIndex, pool: HostPool, rejections: FilterRejection[]): void {
  for (const { filter, prepared } of filters) {
    if (pool.count === 0) return;
    pool.beginFilter();
    filter.sieve(fleet, prepared, pool);
    if (pool.rejectedCount > 0) rejections.push(rejectionOf(filter, prepared, pool, fleet));
  }
}

/** The rejection entry of the filter that just sieved `pool`: its count, examples and causes. */
export function rejectionOf(filter: PlacementFilter<unknown>, prepared: unknown, pool: HostPool, fleet: FleetIndex): FilterRejection {
  const examples: string[] = [];
  const causes: string[] = [];
  for (let e = 0; e < Math.min(pool.rejectedCount, pool.rejectedExamples.length); e++) {
    const host = fleet.hosts[pool.rejectedExamples[e]!]!;
    const cause = filter.reason(host, prepared) ?? 'rejected';
    examples.push(`${host.name} (${cause})`);
    if (!causes.includes(cause)) causes.push(cause);
  }
  return { filter: filter.name, count: pool.rejectedCount, examples, causes };
}

/**
 * Host `h`'s score in this decision: the one-pass weigher's score alone, or the weighers'
 * scores summed from 0 in order. rankHosts computes the same in bulk, so the two agree to the bit.
 */
export function scoreOf(setup: DecisionSetup, h: number): number {
  const { fleet, weighers } = setup;
  if (setup.onePass) {
    const { weigher, prepared, multiplier } = weighers[0]!;
    return multiplier * weigher.score(fleet, h, prepared);
  }
  let score = 0;
  for (const { weigher, prepared, multiplier } of weighers) score += multiplier * weigher.score(fleet, h, prepared);
  return score;
}

/** Host `h` as a ranked candidate with `score`, and each weigher's part in it. */
export function rankedCandidate(setup: DecisionSetup, h: number, score: number): RankedCandidate {
  const { fleet, weighers } = setup;
  const host = fleet.hosts[h]!;
  // Built from entries: a breakdown object grown key by key takes a new shape per weigher set.
  const breakdown: Partial<Record<WeigherName, number>> = Object.fromEntries(
    weighers.map(({ weigher, prepared, multiplier }) => [weigher.name, multiplier * weigher.score(fleet, h, prepared)]),
  );
  return { hostId: host.id, hostName: host.name, score, breakdown };
}

/**
 * How many of `size` scores, best first, are tied with the best: within TIE_EPSILON of it, at
 * most TIE_SET_LIMIT. The tie set is always a prefix of the ranking.
 */
export function tieCount(scores: ArrayLike<number>, size: number): number {
  const limit = Math.min(size, TIE_SET_LIMIT);
  let tied = Math.min(1, limit);
  while (tied < limit && scores[tied]! >= scores[0]! - TIE_EPSILON) tied++;
  return tied;
}

/** The chosen host among the tied ones (best first): the first, or uniformly at random. */
export function pickAmongTied(tiedHostIds: readonly string[], options: PlacementOptions): string {
  const count = tiedHostIds.length;
  if (count === 1 || options.tieBreak !== 'random') return tiedHostIds[0]!;
  const random = options.random ?? Math.random;
  // min() guards an RNG that returns exactly 1.
  return tiedHostIds[Math.min(count - 1, Math.floor(random() * count))]!;
}
