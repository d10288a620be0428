// The fast path (README.md, "Placement"): the claim path's decision. It answers with the same chosen host and the same ranked
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

import { pickAmongTied, rankedCandidate, scoreOf, setUpDecision, tieCount, type DecisionSetup } from './decision-setup.js';
import { FleetIndex } from './fleet-index.js';
import { excludedHostFilter } from './filters/index.js';
import { FlavourRanking, type Flavour } from './flavour-ranking.js';
import {
  TIE_EPSILON,
  TIE_SET_LIMIT,
  type HostCandidate,
  type PlacementOptions,
  type PlacementRequest,
  type RankedCandidate,
} from './placement-types.js';
import { UTILISATION_LINES, utilisationLineOf } from './weighers/utilisation.js';

export interface HostChoice {
  chosen: string;
  /** The hosts tied for best, exactly as rankHosts gives them; `chosen` is one of them. */
  tiedHostIds: string[];
  /** The best `listTop` valid hosts, best first, exactly as rankHosts lists them. */
  candidates: RankedCandidate[];
}

const NO_HOSTS = new Int32Array(0);

/** The flavour a decision's ranking must order by, and its key in the FleetIndex. */
function flavourOf(setup: DecisionSetup, request: PlacementRequest): { key: string; flavour: Flavour } {
  const utilisation = setup.weighers.find(({ weigher }) => utilisationLineOf(weigher) !== undefined);
  const flavour: Flavour = {
    need: request.resources,
    line: (utilisation && utilisationLineOf(utilisation.weigher)) ?? UTILISATION_LINES.pack,
    multiplier: utilisation?.multiplier ?? 0,
    group: setup.group,
  };
  const { need, line, multiplier, group } = flavour;
  const groupKey =
    group === undefined
      ? ''
      : group.rule === 'weighed'
        ? `${group.rule} ${group.weigher.name} ${group.multiplier} ${group.group}`
        : `${group.rule} ${group.group}`;
  // Numbers print as the shortest string that reads back as the same double: distinct stays distinct.
  const key = `${setup.shapeKey}|${need.vcpus},${need.memoryMiB},${need.diskGiB}|${line.atEmpty},${line.slope}|${multiplier}|${groupKey}`;
  return { key, flavour };
}

/** A builder of the flavour ranking `setup` walks, and its key in the FleetIndex. */
function rankingFor(setup: DecisionSetup, request: PlacementRequest): { key: string; build: () => FlavourRanking } {
  const { fleet, prefiltered } = setup;
  const { key, flavour } = flavourOf(setup, request);
  return { key, build: () => new FlavourRanking(fleet, prefiltered.survivors, fleet.survivorPositions(prefiltered), flavour) };
}

/** The ranking `chooseHosts` would walk for this request, built afresh (for benchmarks: its build cost). */
export function buildFlavourRanking(
  hosts: readonly HostCandidate[] | FleetIndex,
  request: PlacementRequest,
  options: PlacementOptions,
): FlavourRanking {
  return rankingFor(setUpDecision(FleetIndex.of(hosts), request, options), request).build();
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
  const setup = setUpDecision(fleet, request, options);
  const listTop = setup.listTop;
  const { key, build } = rankingFor(setup, request);
  // The excluded-host filter's own preparation: the few excluded hosts' indexes.
  const exclusion = setup.filters.find(({ filter }) => filter === excludedHostFilter)?.prepared as
    ReturnType<typeof excludedHostFilter.prepare> | undefined;
  const excluded = exclusion?.indexes ?? NO_HOSTS;
  const ranking = fleet.flavourRanking(key, build);

  // The walk's order is rankHosts' order: the ranking's values are its scores (up to the sign of a zero).
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
    scores.push(scoreOf(setup, h));
  }
  if (found.length === 0) return null;
  const candidates: RankedCandidate[] = [];
  for (let c = 0; c < Math.min(found.length, listTop); c++) candidates.push(rankedCandidate(setup, found[c]!, scores[c]!));
  const tiedHostIds = found.slice(0, tieCount(scores, found.length)).map((h) => fleet.hosts[h]!.id);
  return { chosen: pickAmongTied(tiedHostIds, options), tiedHostIds, candidates };
}
