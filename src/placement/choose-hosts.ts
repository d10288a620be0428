// The claim path's decision. It answers with the same chosen host and the same ranked
// candidates as rankHosts — the same hosts, scores equal to the bit, the same order, ties to the
// lower host index — but does not count why the other hosts were rejected, and so need not look
// at them: it reads the best hosts of a FlavourRanking that the FleetIndex keeps current claim by
// claim, instead of scoring every host (which alone costs about 100 µs at 10,000 hosts). When it
// finds no host, the caller asks rankHosts why. Pure.
//
// Per-decision filters without a scan: excluded hosts and (hard anti-affinity) hosts with group
// members are passed over during the best-first walk; hard affinity reads only the hosts with
// members. A soft group weigher adds a constant on every non-member (folded into the flavour's
// tree) and something else on members, which are scored one by one and merged in. What stays
// linear: passing over many skipped hosts that all rank above the answer (a huge hard
// anti-affinity group on the best hosts), and scoring a large soft group's members.

import { FleetIndex } from './fleet-index.js';
import { PER_DECISION_FILTERS, affinityFilter, antiAffinityFilter, excludedHostFilter } from './filters/index.js';
import { fitsAfter } from './filters/capacity.filter.js';
import { FlavourRanking, type Flavour } from './flavour-ranking.js';
import {
  activeFilters,
  activeWeighers,
  onePassLine,
  pickAmongBest,
  prefilteredFor,
  rankedCandidate,
  requestShapeKey,
  type ActiveWeigher,
  type PreparedFilter,
} from './place.js';
import type { HostCandidate, PlacementOptions, PlacementRequest, RankedCandidate } from './placement-types.js';
import { affinityScore, antiAffinityScore } from './weighers/soft-group.weighers.js';
import { UTILISATION_LINES, utilisationLineOf } from './weighers/utilisation.js';

export interface HostChoice {
  chosen: string;
  /** The best `listTop` valid hosts, best first, exactly as rankHosts lists them. */
  candidates: RankedCandidate[];
}

/**
 * The best `capacity` (score, host) pairs offered, best first, offered in any order: a tie goes
 * to the lower host index, which is what rankHosts' BestHosts gets by offering in host order.
 */
class TopHosts {
  readonly scores: Float64Array;
  readonly hosts: Int32Array;
  size = 0;

  constructor(readonly capacity: number) {
    this.scores = new Float64Array(capacity);
    this.hosts = new Int32Array(capacity);
  }

  get full(): boolean {
    return this.size === this.capacity;
  }

  offer(score: number, h: number): void {
    if (this.full && !this.ranksBefore(score, h, this.size - 1)) return;
    let slot = this.full ? this.size - 1 : this.size++;
    while (slot > 0 && this.ranksBefore(score, h, slot - 1)) {
      this.scores[slot] = this.scores[slot - 1]!;
      this.hosts[slot] = this.hosts[slot - 1]!;
      slot--;
    }
    this.scores[slot] = score;
    this.hosts[slot] = h;
  }

  private ranksBefore(score: number, h: number, slot: number): boolean {
    return score > this.scores[slot]! || (score === this.scores[slot]! && h < this.hosts[slot]!);
  }
}

/** What one decision's per-decision filters ask, read from their prepared rules. */
interface PerDecisionRules {
  /** Indexes of the hosts the request excludes (a few). */
  excluded: Int32Array;
  /** Hard anti-affinity: member counts per host (hosts with any are out). */
  antiAffinityMembers: Int32Array | undefined;
  /** Hard affinity, once the group has members: only hosts with members may be chosen. */
  affinityActive: boolean;
}

function perDecisionRules(filters: readonly PreparedFilter[]): PerDecisionRules {
  const rules: PerDecisionRules = { excluded: new Int32Array(0), antiAffinityMembers: undefined, affinityActive: false };
  for (const { filter, prepared } of filters) {
    if (filter === excludedHostFilter) rules.excluded = (prepared as { indexes: Int32Array }).indexes;
    else if (filter === antiAffinityFilter) rules.antiAffinityMembers = (prepared as { perHost: Int32Array }).perHost;
    else if (filter === affinityFilter) rules.affinityActive = true;
  }
  return rules;
}

/**
 * Host `h`'s score computed as rankHosts computes it, so that the two agree to the bit: the
 * one-pass weigher's score alone, or the weighers' scores summed from 0 in order.
 */
function scorer(fleet: FleetIndex, filters: readonly PreparedFilter[], weighers: readonly ActiveWeigher[]): (h: number) => number {
  if (onePassLine(filters, weighers)) {
    const { weigher, prepared, multiplier } = weighers[0]!;
    return (h) => multiplier * weigher.score(fleet, h, prepared);
  }
  return (h) => {
    let score = 0;
    for (const { weigher, prepared, multiplier } of weighers) score += multiplier * weigher.score(fleet, h, prepared);
    return score;
  };
}

const isSoftGroupWeigher = ({ weigher }: ActiveWeigher) => weigher.name === 'soft-affinity' || weigher.name === 'soft-anti-affinity';

/** The flavour a decision's tree must rank by, and its key in the FleetIndex. */
function flavourOf(request: PlacementRequest, weighers: readonly ActiveWeigher[], shapeKey: string): { key: string; flavour: Flavour } {
  const utilisation = weighers.find(({ weigher }) => utilisationLineOf(weigher) !== undefined);
  const soft = weighers.find(isSoftGroupWeigher);
  const flavour: Flavour = {
    need: request.resources,
    line: (utilisation && utilisationLineOf(utilisation.weigher)) ?? UTILISATION_LINES.pack,
    multiplier: utilisation?.multiplier ?? 0,
    nonMemberBonus: soft ? soft.multiplier * (soft.weigher.name === 'soft-affinity' ? affinityScore(0) : antiAffinityScore(0)) : 0,
  };
  const { need, line, multiplier, nonMemberBonus } = flavour;
  // Numbers print to the shortest string that reads back as the same double: distinct stays distinct.
  const key = `${shapeKey}|${need.vcpus},${need.memoryMiB},${need.diskGiB}|${line.atEmpty},${line.slope}|${multiplier}|${nonMemberBonus}`;
  return { key, flavour };
}

/** The live ranking `chooseHosts` would read for this request, built now (for benchmarks: its build cost). */
export function buildFlavourRanking(hosts: readonly HostCandidate[] | FleetIndex, request: PlacementRequest, options: PlacementOptions): FlavourRanking {
  const fleet = FleetIndex.of(hosts);
  const prefiltered = prefilteredFor(fleet, request);
  const { flavour } = flavourOf(request, activeWeighers(fleet, request, options), requestShapeKey(request));
  return new FlavourRanking(fleet, prefiltered.survivors, fleet.survivorPositions(prefiltered), flavour);
}

/**
 * An upper bound on a soft group member's score: its utilisation part is at most the multiplier
 * (scores are in [0, 1]) and its group part at most the score at one member (anti-affinity) or
 * the multiplier. Rounding is monotone, so summing the bounds the same way bounds the sum.
 */
function memberScoreBound(weighers: readonly ActiveWeigher[], soft: ActiveWeigher): number {
  const utilisation = weighers.find(({ weigher }) => utilisationLineOf(weigher) !== undefined);
  const utilisationBound = Math.max(utilisation?.multiplier ?? 0, 0);
  const groupBound =
    soft.weigher.name === 'soft-anti-affinity' && soft.multiplier >= 0 ? soft.multiplier * antiAffinityScore(1) : Math.abs(soft.multiplier);
  return 0 + utilisationBound + groupBound;
}

/**
 * The claim path's ranking: `chosen` and `candidates` equal to `rankHosts(hosts, request,
 * options)`'s, or null when no host is valid (then ask rankHosts why). Pass the same FleetIndex
 * every time and record placements with its `claim`: the rankings it keeps are what make this
 * fast.
 */
export function chooseHosts(hosts: readonly HostCandidate[] | FleetIndex, request: PlacementRequest, options: PlacementOptions): HostChoice | null {
  const fleet = FleetIndex.of(hosts);
  if (fleet.size === 0) return null;
  const topK = Math.max(1, Math.floor(options.topK ?? 1));
  const top = new TopHosts(Math.max(topK, Math.floor(options.listTop ?? topK)));

  const shapeKey = requestShapeKey(request);
  const prefiltered = prefilteredFor(fleet, request, shapeKey);
  const positions = fleet.survivorPositions(prefiltered);
  const filters = activeFilters(PER_DECISION_FILTERS, fleet, request);
  const weighers = activeWeighers(fleet, request, options);
  const { excluded, antiAffinityMembers, affinityActive } = perDecisionRules(filters);
  const scoreOf = scorer(fleet, filters, weighers);
  const need = request.resources;

  /** Offers each of `members` that survived the snapshot filters, is not excluded and fits. */
  const offerMembers = (members: readonly number[]) => {
    for (const h of members) {
      if (positions[h]! < 0 || excluded.includes(h)) continue;
      if (!fitsAfter(fleet, h, fleet.usedVcpus[h]! + need.vcpus, fleet.usedMemoryMiB[h]! + need.memoryMiB, fleet.usedDiskGiB[h]! + need.diskGiB)) continue;
      top.offer(scoreOf(h), h);
    }
  };

  const group = request.group?.name ?? '';
  if (affinityActive) {
    offerMembers(fleet.groupPresence(group).memberHosts);
  } else {
    const soft = weighers.find(isSoftGroupWeigher);
    const softPresence = soft ? fleet.groupPresence(group) : undefined;
    // Hosts the walk passes over: hard anti-affinity's members are out; a soft group's members
    // score differently from the tree's non-member bonus and are offered on their own below.
    const passOver = antiAffinityMembers ?? softPresence?.perHost;
    const { key, flavour } = flavourOf(request, weighers, shapeKey);
    const ranking = fleet.flavourRanking(key, () => new FlavourRanking(fleet, prefiltered.survivors, positions, flavour));
    const walk = ranking.tree.bestFirst();
    while (!top.full) {
      const position = walk.next();
      if (position < 0) break;
      const h = ranking.survivors[position]!;
      if ((passOver !== undefined && passOver[h]! > 0) || excluded.includes(h)) continue;
      top.offer(scoreOf(h), h);
    }
    // Members can only enter if they may beat the worst host kept (for anti-affinity they rarely can).
    if (soft && softPresence!.hostsWithMembers > 0 && !(top.full && top.scores[top.size - 1]! > memberScoreBound(weighers, soft))) {
      offerMembers(softPresence!.memberHosts);
    }
  }

  if (top.size === 0) return null;
  const candidates: RankedCandidate[] = [];
  for (let c = 0; c < top.size; c++) candidates.push(rankedCandidate(fleet, top.hosts[c]!, top.scores[c]!, weighers));
  return { chosen: pickAmongBest(candidates, topK, options), candidates };
}
