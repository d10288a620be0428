import type { FleetIndex } from '../fleet-index.js';
import type { PlacementRequest } from '../placement-types.js';
import type { PlacementWeigher } from './placement-weigher.js';

// Scores are normalised without a fleet-wide maximum: m/(m+1) and 1/(m+1) lie in [0, 1], are
// monotone in the member count m, and step by 0.5 between 0 and 1 members — the step that
// matters most.

const affinityScore = (members: number) => members / (members + 1);
const antiAffinityScore = (members: number) => 1 / (members + 1);

/** Per-host member counts of the request's group (all zero when it has none). */
function presence(fleet: FleetIndex, request: PlacementRequest): Int32Array {
  return fleet.groupPresence(request.group?.name ?? '').perHost;
}

/** Soft affinity: prefer hosts already running members of the group; more is better. */
export const softAffinityWeigher: PlacementWeigher<Int32Array> = {
  name: 'soft-affinity',
  prepare: (fleet, request) => presence(fleet, request),
  score: (_fleet, h, members) => affinityScore(members[h]!),
  addScores(_fleet, members, multiplier, pool, scores) {
    for (let s = 0, count = pool.count, survivors = pool.indexes; s < count; s++)
      scores[s]! += multiplier * affinityScore(members[survivors[s]!]!);
  },
};

/** Soft anti-affinity: prefer hosts with no members of the group; fewer is better. */
export const softAntiAffinityWeigher: PlacementWeigher<Int32Array> = {
  name: 'soft-anti-affinity',
  prepare: (fleet, request) => presence(fleet, request),
  score: (_fleet, h, members) => antiAffinityScore(members[h]!),
  addScores(_fleet, members, multiplier, pool, scores) {
    for (let s = 0, count = pool.count, survivors = pool.indexes; s < count; s++)
      scores[s]! += multiplier * antiAffinityScore(members[survivors[s]!]!);
  },
};
