// The contract every preference keeps (one file per weigher beside this one).
import type { FleetIndex } from '../fleet-index.js';
import type { HostPool } from '../host-pool.js';
import type { PlacementRequest, WeigherName } from '../placement-types.js';

/**
 * A preference. Scores are normalised to [0, 1], higher is better. `addScores` is the hot
 * path: scores[s] += multiplier × score of pool host s, for every survivor.
 */
export interface PlacementWeigher<Prepared> {
  readonly name: WeigherName;
  prepare(fleet: FleetIndex, request: PlacementRequest): Prepared;
  score(fleet: FleetIndex, host: number, prepared: Prepared): number;
  addScores(fleet: FleetIndex, prepared: Prepared, multiplier: number, pool: HostPool, scores: Float64Array): void;
}
