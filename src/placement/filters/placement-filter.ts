// The contract every hard constraint keeps (one file per filter beside this one).
import type { FleetIndex } from '../fleet-index.js';
import type { HostPool } from '../host-pool.js';
import type { FilterName, HostCandidate, PlacementRequest } from '../placement-types.js';

/**
 * A hard constraint. `prepare` runs once per decision and returns what the per-host checks
 * need (request-derived constants, fleet-wide facts) — or null when the request asks nothing
 * of this filter, which then costs nothing. `sieve` is the hot path: one tight loop over the
 * surviving hosts that keeps those that pass and `pool.reject`s the others, allocating nothing.
 */
export interface PlacementFilter<Prepared> {
  readonly name: FilterName;
  prepare(fleet: FleetIndex, request: PlacementRequest): Prepared | null;
  sieve(fleet: FleetIndex, prepared: Prepared, pool: HostPool): void;
  /**
   * null when the host passes, otherwise a short, categorical cause ("memoryMiB short",
   * "maintenance") so that the causes of many hosts group well. Off the hot path.
   */
  reason(host: HostCandidate, prepared: Prepared): string | null;
}
