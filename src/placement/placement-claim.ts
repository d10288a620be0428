// A claim's pure parts: which path decides it, and the hosts it may take. The steps themselves —
// candidates, the database's pick under the row locks, recording the outcome — are run by
// PlacementService.claimHost, one call for the services (README.md, "Placement").
import type { Resources } from '../common/resources.js';
import type { FleetIndex } from './fleet-index.js';
import type { PlacementRequest } from './placement-types.js';

/**
 * Which of the two paths decides a claim. `choose-hosts` (fast): on the shared snapshot, whose
 * per-flavour rankings serve claim after claim. `rank-hosts` (explained): on a snapshot read for
 * this request alone — a placement group's, whose rules are decided on data read under the
 * group's lock, or a pinned host's — where one scan costs less than building rankings for one
 * use. Either way rankHosts says why when no host is found.
 */
export type ClaimPath = 'choose-hosts' | 'rank-hosts';

export function claimPathOf(request: PlacementRequest): ClaimPath {
  return request.group || request.hostId ? 'rank-hosts' : 'choose-hosts';
}

/** A claim's candidates: the hosts its statement may take, best first, and what it claims. */
export class PlacementClaim {
  constructor(
    /** At most CLAIM_ATTEMPTS hosts, best first; the database takes the first that still has room. */
    readonly hostIds: readonly string[],
    /** The fleet snapshot they were ranked on, which records the claim when it is the shared one. */
    readonly rankedOn: FleetIndex,
    readonly path: ClaimPath,
    /** The charged size the claim allocates. */
    readonly resources: Resources,
    /** The placement group the claim joins, recorded with it on `rankedOn`. */
    readonly group?: string,
  ) {}

  /** The same claim with only `hostIds` (a subset, in the same order) left as candidates. */
  narrowedTo(hostIds: readonly string[]): PlacementClaim {
    return new PlacementClaim(hostIds, this.rankedOn, this.path, this.resources, this.group);
  }
}
