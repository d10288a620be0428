import type { Resources } from '../../common/resources.js';
import type { FleetIndex } from '../fleet-index.js';
import type { HostPool } from '../host-pool.js';

// How full a host would be after taking the request, by its most constrained dimension: the one
// that runs out first decides how much more the host can take (the dominant-resource view). In
// [0, 1] for any host that passed the capacity filter, up to float rounding (hence the clamp).
// A dimension the host does not offer has an inverse of 0 and so counts as empty.

/** Pack scores `u`, spread scores `1 - u`: the same line with opposite slopes. */
export interface UtilisationLine {
  atEmpty: number;
  slope: number;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export function dominantUtilisationAfter(fleet: FleetIndex, h: number, need: Resources): number {
  return Math.max(
    (fleet.usedVcpus[h]! + need.vcpus) * fleet.inverseUsableVcpus[h]!,
    (fleet.usedMemoryMiB[h]! + need.memoryMiB) * fleet.inverseUsableMemoryMiB[h]!,
    (fleet.usedDiskGiB[h]! + need.diskGiB) * fleet.inverseUsableDiskGiB[h]!,
  );
}

export function utilisationScore(fleet: FleetIndex, h: number, need: Resources, line: UtilisationLine): number {
  return clamp01(line.atEmpty + line.slope * dominantUtilisationAfter(fleet, h, need));
}

/**
 * `utilisationScore` for every pool host, times `multiplier`, added to `scores`. Written out
 * with the arrays in locals: this loop runs for every valid host of every decision.
 */
export function addUtilisationScores(
  fleet: FleetIndex,
  need: Resources,
  line: UtilisationLine,
  multiplier: number,
  pool: HostPool,
  scores: Float64Array,
): void {
  const { usedVcpus, usedMemoryMiB, usedDiskGiB, inverseUsableVcpus, inverseUsableMemoryMiB, inverseUsableDiskGiB } = fleet;
  const { vcpus, memoryMiB, diskGiB } = need;
  const { atEmpty, slope } = line;
  const survivors = pool.indexes;
  for (let s = 0, count = pool.count; s < count; s++) {
    const h = survivors[s]!;
    const utilisation = Math.max(
      (usedVcpus[h]! + vcpus) * inverseUsableVcpus[h]!,
      (usedMemoryMiB[h]! + memoryMiB) * inverseUsableMemoryMiB[h]!,
      (usedDiskGiB[h]! + diskGiB) * inverseUsableDiskGiB[h]!,
    );
    scores[s]! += multiplier * clamp01(atEmpty + slope * utilisation);
  }
}
