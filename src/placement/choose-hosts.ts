// The claim path's decision. It answers with the same chosen host and the same ranked
// candidates as rankHosts — the same hosts, scores equal to the bit, the same order, ties to the
// lower host index — but does not count why the other hosts were rejected, and so need not look
// at them: it walks the best hosts of a FlavourRanking that the FleetIndex keeps current claim
// by claim, instead of scoring every host (which alone costs tens of µs at 10,000 hosts). When
// it finds no host, the caller asks rankHosts why. Pure.
//
// The per-decision filters cost no scan: capacity and the group rules are in the ranking
// (-Infinity for a host that may not be chosen), and the few excluded hosts are passed over
// during the walk. A decision costs O((listTop + excluded hosts) × log n) once its flavour's
// ranking exists; building one costs a pass over the shape's hosts, once per flavour and index.

import { FleetIndex } from './fleet-index.js';
import { PER_DECISION_FILTERS, affinityFilter, antiAffinityFilter, excludedHostFilter } from './filters/index.js';
import { FlavourRanking, type Flavour, type GroupTerm } from './flavour-ranking.js';
import {
  activeFilters,
  activeWeighers,
  onePassLine,
  pickAmongTied,
  prefilteredFor,
  rankedCandidate,
  requestShapeKey,
  tieCount,
  type ActiveWeigher,
  type PreparedFilter,
} from './place.js';
import {
  TIE_EPSILON,
  TIE_SET_LIMIT,
  type HostCandidate,
  type PlacementOptions,
  type PlacementRequest,
  type RankedCandidate,
} from './placement-types.js';
import { softAffinityWeigher, softAntiAffinityWeigher } from './weighers/soft-group.weighers.js';
import { UTILISATION_LINES, utilisationLineOf } from './weighers/utilisation.js';

export interface HostChoice {
  chosen: string;
  /** The hosts tied for best, exactly as rankHosts gives them; `chosen` is one of them. */
  tiedHostIds: string[];
  /** The best `listTop` valid hosts, best first, exactly as rankHosts lists them. */
  candidates: RankedCandidate[];
}

const NO_HOSTS = new Int32Array(0);

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

/** The flavour a decision's ranking must order by, and its key in the FleetIndex. */
function flavourOf(
  request: PlacementRequest,
  filters: readonly PreparedFilter[],
  weighers: readonly ActiveWeigher[],
  shapeKey: string,
): { key: string; flavour: Flavour } {
  const utilisation = weighers.find(({ weigher }) => utilisationLineOf(weigher) !== undefined);
  const flavour: Flavour = {
    need: request.resources,
    line: (utilisation && utilisationLineOf(utilisation.weigher)) ?? UTILISATION_LINES.pack,
    multiplier: utilisation?.multiplier ?? 0,
    group: groupTermOf(request, filters, weighers),
  };
  const { need, line, multiplier, group } = flavour;
  const groupKey =
    group === undefined
      ? ''
      : group.rule === 'weighed'
        ? `${group.rule} ${group.weigher.name} ${group.multiplier} ${group.group}`
        : `${group.rule} ${group.group}`;
  // Numbers print as the shortest string that reads back as the same double: distinct stays distinct.
  const key = `${shapeKey}|${need.vcpus},${need.memoryMiB},${need.diskGiB}|${line.atEmpty},${line.slope}|${multiplier}|${groupKey}`;
  return { key, flavour };
}

/** The placement group's part in a decision's ranking: its hard rule if active, else its soft weigher if any. */
function groupTermOf(
  request: PlacementRequest,
  filters: readonly PreparedFilter[],
  weighers: readonly ActiveWeigher[],
): GroupTerm | undefined {
  const group = request.group?.name;
  if (group === undefined) return undefined;
  if (filters.some(({ filter }) => filter === antiAffinityFilter)) return { rule: 'without-members', group };
  if (filters.some(({ filter }) => filter === affinityFilter)) return { rule: 'with-members', group };
  for (const { weigher, multiplier } of weighers) {
    const soft =
      weigher === softAffinityWeigher ? softAffinityWeigher : weigher === softAntiAffinityWeigher ? softAntiAffinityWeigher : undefined;
    if (soft) return { rule: 'weighed', group, weigher: soft, multiplier };
  }
  return undefined;
}

/** What a decision for `request` ranks with: its per-decision filters, weighers, flavour key and a builder of that flavour's ranking. */
function decisionSetup(fleet: FleetIndex, request: PlacementRequest, options: PlacementOptions) {
  const shapeKey = requestShapeKey(request);
  const prefiltered = prefilteredFor(fleet, request, shapeKey);
  const filters = activeFilters(PER_DECISION_FILTERS, fleet, request);
  const weighers = activeWeighers(fleet, request, options);
  const { key, flavour } = flavourOf(request, filters, weighers, shapeKey);
  const build = () => new FlavourRanking(fleet, prefiltered.survivors, fleet.survivorPositions(prefiltered), flavour);
  return { filters, weighers, key, build };
}

/** The ranking `chooseHosts` would walk for this request, built afresh (for benchmarks: its build cost). */
export function buildFlavourRanking(
  hosts: readonly HostCandidate[] | FleetIndex,
  request: PlacementRequest,
  options: PlacementOptions,
): FlavourRanking {
  return decisionSetup(FleetIndex.of(hosts), request, options).build();
}

/**
 * The claim path's ranking: `chosen` and `candidates` equal to `rankHosts(hosts, request,
 * options)`'s, or null when no host is valid (then ask rankHosts why). Pass the same FleetIndex
 * every time and record placements with its `claim`: the rankings it keeps are what make this
 * fast.
 */
export function chooseHosts(
  hosts: readonly HostCandidate[] | FleetIndex,
  request: PlacementRequest,
  options: PlacementOptions,
): HostChoice | null {
  const fleet = FleetIndex.of(hosts);
  if (fleet.size === 0) return null;
  const listTop = Math.max(1, Math.floor(options.listTop ?? 1));

  const { filters, weighers, key, build } = decisionSetup(fleet, request, options);
  // The excluded-host filter's own preparation: the few excluded hosts' indexes.
  const exclusion = filters.find(({ filter }) => filter === excludedHostFilter)?.prepared as
    ReturnType<typeof excludedHostFilter.prepare> | undefined;
  const excluded = exclusion?.indexes ?? NO_HOSTS;
  const ranking = fleet.flavourRanking(key, build);

  // The walk's order is rankHosts' order: the ranking's values are its scores (up to the sign of a zero).
  const scoreOf = scorer(fleet, filters, weighers);
  // The best max(listTop, TIE_SET_LIMIT), as rankHosts keeps them; past listTop only while tied.
  const found: number[] = [];
  const scores: number[] = [];
  const walk = ranking.tree.bestFirst();
  while (found.length < Math.max(listTop, TIE_SET_LIMIT)) {
    if (found.length >= listTop && scores.at(-1)! < scores[0]! - TIE_EPSILON) break;
    const position = walk.next();
    if (position < 0) break;
    const h = ranking.survivors[position]!;
    if (excluded.includes(h)) continue;
    found.push(h);
    scores.push(scoreOf(h));
  }
  if (found.length === 0) return null;
  const candidates: RankedCandidate[] = [];
  for (let c = 0; c < Math.min(found.length, listTop); c++) candidates.push(rankedCandidate(fleet, found[c]!, scores[c]!, weighers));
  const tiedHostIds = found.slice(0, tieCount(scores, found.length)).map((h) => fleet.hosts[h]!.id);
  return { chosen: pickAmongTied(tiedHostIds, options), tiedHostIds, candidates };
}
