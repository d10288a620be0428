// Ranks hosts for one request: hard filters, then weighers, then a pick among the hosts tied for
// best (see PlacementOptions.tieBreak). Pure. Works
// on a FleetIndex (typed arrays, built once per snapshot); each filter is one tight loop over
// the hosts that survived the filters before it, nothing is allocated per host, and only the
// best `listTop` hosts are kept (no sort of all candidates).

import { FleetIndex, type Prefiltered } from './fleet-index.js';
import { PER_DECISION_FILTERS, SNAPSHOT_FILTERS, capacityFilter } from './filters/index.js';
import { fitsAfter } from './filters/capacity.filter.js';
import { HostPool } from './host-pool.js';
import type {
  FilterRejection,
  HostCandidate,
  NoHostReason,
  PlacementDecision,
  PlacementFilter,
  PlacementOptions,
  PlacementRequest,
  PlacementWeigher,
  RankedCandidate,
  WeigherName,
} from './placement-types.js';
import { TIE_EPSILON, TIE_SET_LIMIT } from './placement-types.js';
import { packWeigher } from './weighers/pack.weigher.js';
import { softAffinityWeigher, softAntiAffinityWeigher } from './weighers/soft-group.weighers.js';
import { spreadWeigher } from './weighers/spread.weigher.js';
import { lineScore, utilisationLineOf, type UtilisationLine } from './weighers/utilisation.js';
import type { Resources } from '../common/resources.js';

const DEFAULT_SOFT_GROUP_WEIGHT = 2;

/** A weigher that takes part in a decision, with its multiplier and what it prepared. */
export interface ActiveWeigher {
  weigher: PlacementWeigher<unknown>;
  prepared: unknown;
  multiplier: number;
}

/** The weighers a decision uses, in scoring order (switched-off ones left out). Shared with chooseHosts. */
export function activeWeighers(fleet: FleetIndex, request: PlacementRequest, options: PlacementOptions): ActiveWeigher[] {
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

/**
 * The best `capacity` (score, host index) pairs seen so far, best first. Insertion into a short
 * sorted array: k is small, so this beats a heap and never sorts the whole fleet. Ties keep the
 * host seen first, which makes the ranking deterministic for a given host order.
 */
class BestHosts {
  readonly scores: Float64Array;
  readonly indexes: Int32Array;
  size = 0;

  constructor(readonly capacity: number) {
    this.scores = new Float64Array(capacity);
    this.indexes = new Int32Array(capacity);
  }

  offer(score: number, index: number): void {
    if (this.size === this.capacity && score <= this.scores[this.size - 1]!) return;
    let slot = this.size < this.capacity ? this.size++ : this.size - 1;
    while (slot > 0 && this.scores[slot - 1]! < score) {
      this.scores[slot] = this.scores[slot - 1]!;
      this.indexes[slot] = this.indexes[slot - 1]!;
      slot--;
    }
    this.scores[slot] = score;
    this.indexes[slot] = index;
  }

  /** Offers every pool host, `scores` being parallel to the pool. */
  offerAll(scores: Float64Array, pool: HostPool): void {
    const survivors = pool.indexes;
    // Most hosts score no better than the worst kept one: test that inline, and call `offer`
    // only for the few that may enter.
    let worstKept = this.size === this.capacity ? this.scores[this.size - 1]! : -Infinity;
    for (let s = 0, count = pool.count; s < count; s++) {
      const score = scores[s]!;
      if (score <= worstKept) continue;
      this.offer(score, survivors[s]!);
      if (this.size === this.capacity) worstKept = this.scores[this.size - 1]!;
    }
  }
}

function rejectionOf(filter: PlacementFilter<unknown>, prepared: unknown, pool: HostPool, fleet: FleetIndex): FilterRejection {
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

export function rankedCandidate(fleet: FleetIndex, h: number, score: number, weighers: readonly ActiveWeigher[]): RankedCandidate {
  const host = fleet.hosts[h]!;
  // Built from entries: a breakdown object grown key by key takes a new shape per weigher set.
  const breakdown: Partial<Record<WeigherName, number>> = Object.fromEntries(
    weighers.map(({ weigher, prepared, multiplier }) => [weigher.name, multiplier * weigher.score(fleet, h, prepared)]),
  );
  return { hostId: host.id, hostName: host.name, score, breakdown };
}

export interface PreparedFilter {
  filter: PlacementFilter<unknown>;
  prepared: unknown;
}

/** The filters that apply to `request`, each with what it prepared (inactive ones left out). */
export function activeFilters(
  filters: readonly PlacementFilter<unknown>[],
  fleet: FleetIndex,
  request: PlacementRequest,
): PreparedFilter[] {
  const active: PreparedFilter[] = [];
  for (const filter of filters) {
    const prepared = filter.prepare(fleet, request);
    if (prepared !== null) active.push({ filter, prepared });
  }
  return active;
}

/** Runs `filters` in order over `pool`, appending a rejection entry for each that removed hosts. */
function runFilters(filters: readonly PreparedFilter[], fleet: FleetIndex, pool: HostPool, rejections: FilterRejection[]): void {
  for (const { filter, prepared } of filters) {
    if (pool.count === 0) return;
    pool.beginFilter();
    filter.sieve(fleet, prepared, pool);
    if (pool.rejectedCount > 0) rejections.push(rejectionOf(filter, prepared, pool, fleet));
  }
}

/**
 * The capacity filter and a utilisation weigher (pack or spread) in one pass: test the fit,
 * score it, offer it to `best`. The same hosts, counts and scores as the capacity sieve
 * followed by `addUtilisationScores` and `offerAll` (place.spec.ts checks they agree), in about
 * a third of the time on a 10,000-host fleet: one read of each host instead of three passes.
 */
function fitScoreAndOffer(
  fleet: FleetIndex,
  need: Resources,
  line: UtilisationLine,
  multiplier: number,
  pool: HostPool,
  best: BestHosts,
): void {
  const { usedVcpus, usedMemoryMiB, usedDiskGiB, inverseUsableVcpus, inverseUsableMemoryMiB, inverseUsableDiskGiB } = fleet;
  const survivors = pool.indexes;
  let worstKept = -Infinity;
  let kept = 0;
  for (let s = 0, count = pool.count; s < count; s++) {
    const h = survivors[s]!;
    const cpu = usedVcpus[h]! + need.vcpus;
    const memory = usedMemoryMiB[h]! + need.memoryMiB;
    const disk = usedDiskGiB[h]! + need.diskGiB;
    if (!fitsAfter(fleet, h, cpu, memory, disk)) {
      pool.reject(h);
      continue;
    }
    survivors[kept++] = h;
    const score =
      multiplier * lineScore(line, cpu * inverseUsableVcpus[h]!, memory * inverseUsableMemoryMiB[h]!, disk * inverseUsableDiskGiB[h]!);
    if (score <= worstKept) continue;
    best.offer(score, h);
    if (best.size === best.capacity) worstKept = best.scores[best.size - 1]!;
  }
  pool.count = kept;
}

/**
 * The utilisation line when a decision fits, scores and ranks in one pass — capacity is the last
 * active filter and pack or spread the only weigher — else undefined. A one-pass score is that
 * weigher's alone; the other passes sum the weighers' scores starting from 0.
 */
export function onePassLine(filters: readonly PreparedFilter[], weighers: readonly ActiveWeigher[]): UtilisationLine | undefined {
  if (weighers.length !== 1 || filters.at(-1)?.filter !== capacityFilter) return undefined;
  return utilisationLineOf(weighers[0]!.weigher);
}

function runSnapshotFilters(fleet: FleetIndex, request: PlacementRequest): Prefiltered {
  const pool = new HostPool(new Int32Array(fleet.size), fleet.size);
  for (let h = 0; h < fleet.size; h++) pool.indexes[h] = h;
  const rejections: FilterRejection[] = [];
  runFilters(activeFilters(SNAPSHOT_FILTERS, fleet, request), fleet, pool, rejections);
  return { survivors: pool.indexes.slice(0, pool.count), rejections };
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
  return fleet.prefiltered(shapeKey, () => runSnapshotFilters(fleet, request));
}

/**
 * Filters and ranks the hosts for `request`. Pass a FleetIndex to reuse one snapshot across
 * decisions; a plain array is indexed for this call only. A host is counted against the first
 * filter (cheap first) that rejects it. `chosen` is one of `tiedHostIds` (see PlacementOptions.tieBreak).
 */
export function rankHosts(
  hosts: readonly HostCandidate[] | FleetIndex,
  request: PlacementRequest,
  options: PlacementOptions,
): PlacementDecision {
  const fleet = FleetIndex.of(hosts);
  if (fleet.size === 0) {
    return { candidates: [], validHostCount: 0, rejections: [], tiedHostIds: [], chosen: null, reason: 'no-hosts' };
  }
  const listTop = Math.max(1, Math.floor(options.listTop ?? 1));

  const prefiltered = prefilteredFor(fleet, request);
  const pool = new HostPool(fleet.survivorScratch, prefiltered.survivors.length);
  pool.indexes.set(prefiltered.survivors);
  // Copies: the memo is shared by every decision of this shape and callers may edit theirs.
  const rejections = prefiltered.rejections.map((r) => ({ ...r, examples: [...r.examples], causes: [...r.causes] }));
  const filters = activeFilters(PER_DECISION_FILTERS, fleet, request);
  const weighers = activeWeighers(fleet, request, options);
  // The tie set may reach past the listed candidates: what is chosen must not depend on listTop.
  const best = new BestHosts(Math.max(listTop, TIE_SET_LIMIT));
  const line = onePassLine(filters, weighers);
  if (line) {
    // The common case (capacity last, pack or spread alone): one pass instead of three.
    runFilters(filters.slice(0, -1), fleet, pool, rejections);
    if (pool.count > 0) {
      pool.beginFilter();
      fitScoreAndOffer(fleet, request.resources, line, weighers[0]!.multiplier, pool, best);
      if (pool.rejectedCount > 0) rejections.push(rejectionOf(capacityFilter, filters.at(-1)!.prepared, pool, fleet));
    }
  } else {
    runFilters(filters, fleet, pool, rejections);
    const scores = fleet.scoreScratch;
    scores.fill(0, 0, pool.count);
    for (const { weigher, prepared, multiplier } of weighers) weigher.addScores(fleet, prepared, multiplier, pool, scores);
    best.offerAll(scores, pool);
  }

  const candidates: RankedCandidate[] = [];
  for (let c = 0; c < Math.min(best.size, listTop); c++)
    candidates.push(rankedCandidate(fleet, best.indexes[c]!, best.scores[c]!, weighers));

  const validHostCount = pool.count;
  if (candidates.length === 0) {
    return { candidates, validHostCount, rejections, tiedHostIds: [], chosen: null, reason: 'all-rejected' };
  }
  const tiedHostIds: string[] = [];
  for (let c = 0, tied = tieCount(best.scores, best.size); c < tied; c++) tiedHostIds.push(fleet.hosts[best.indexes[c]!]!.id);
  return { candidates, validHostCount, rejections, tiedHostIds, chosen: pickAmongTied(tiedHostIds, options), reason: null };
}

/**
 * How many of `size` scores, best first, are tied with the best: within TIE_EPSILON of it, at
 * most TIE_SET_LIMIT. The tie set is always a prefix of the ranking. Shared with chooseHosts.
 */
export function tieCount(scores: ArrayLike<number>, size: number): number {
  const limit = Math.min(size, TIE_SET_LIMIT);
  let tied = Math.min(1, limit);
  while (tied < limit && scores[tied]! >= scores[0]! - TIE_EPSILON) tied++;
  return tied;
}

/** The chosen host among the tied ones (best first): the first, or uniformly at random. Shared with chooseHosts. */
export function pickAmongTied(tiedHostIds: readonly string[], options: PlacementOptions): string {
  const count = tiedHostIds.length;
  if (count === 1 || options.tieBreak !== 'random') return tiedHostIds[0]!;
  const random = options.random ?? Math.random;
  // min() guards an RNG that returns exactly 1.
  return tiedHostIds[Math.min(count - 1, Math.floor(random() * count))]!;
}

/**
 * Why a decision chose no host, as one sentence for an API error:
 * "no valid host: 3 hosts rejected by capacity (memoryMiB short), 1 by host-state (maintenance)".
 * Filters are listed by how many hosts they rejected, most first.
 */
export class NoValidHostExplanation {
  readonly sentence: string;

  constructor(
    readonly reason: NoHostReason,
    readonly rejections: readonly FilterRejection[],
  ) {
    this.sentence = reason === 'no-hosts' ? 'no valid host: the fleet has no hosts' : describeRejections(rejections);
  }

  /** null when the decision chose a host. */
  static of(decision: PlacementDecision): NoValidHostExplanation | null {
    return decision.reason === null ? null : new NoValidHostExplanation(decision.reason, decision.rejections);
  }

  toString(): string {
    return this.sentence;
  }
}

function describeRejections(rejections: readonly FilterRejection[]): string {
  const mostFirst = [...rejections].sort((a, b) => b.count - a.count);
  const parts = mostFirst.map((r, i) => {
    const subject = i > 0 ? `${r.count}` : `${r.count} ${r.count === 1 ? 'host' : 'hosts'} rejected`;
    return `${subject} by ${r.filter} (${r.causes.join('; ')})`;
  });
  return `no valid host: ${parts.join(', ')}`;
}
