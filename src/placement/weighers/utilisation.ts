import type { Resources } from '../../common/resources.js';
import type { FleetIndex } from '../fleet-index.js';
import type { HostPool } from '../host-pool.js';
import type { PlacementWeigher } from './placement-weigher.js';

// How full a host would be after taking the request, by its most constrained dimension: the one
// that runs out first decides how much more the host can take (the dominant-resource view). In
// [0, 1] for any host that passed the capacity filter, up to float rounding (hence the clamp).
// A dimension the host does not offer has an inverse of 0 and so counts as empty.

/** Pack scores `u`, spread scores `1 - u`: the same line with opposite slopes. */
export interface UtilisationLine {
  atEmpty: number;
  slope: number;
}

export const UTILISATION_LINES = {
  pack: { atEmpty: 0, slope: 1 },
  spread: { atEmpty: 1, slope: -1 },
} as const satisfies Record<string, UtilisationLine>;

/** The line of a utilisation weigher (pack or spread); undefined for any other weigher. */
export function utilisationLineOf(weigher: { name: string }): UtilisationLine | undefined {
  return weigher.name === 'pack' || weigher.name === 'spread' ? UTILISATION_LINES[weigher.name] : undefined;
}

/**
 * The score on `line` of a host whose shares of each dimension after placement are `cpu`,
 * `memory` and `disk` (see `utilisationAfter`). Conditionals rather than Math.max/min measured
 * 2-3x faster in the hot loops.
 */
export function lineScore(line: UtilisationLine, cpu: number, memory: number, disk: number): number {
  const cpuOrMemory = cpu > memory ? cpu : memory;
  const score = line.atEmpty + line.slope * (cpuOrMemory > disk ? cpuOrMemory : disk);
  return score < 0 ? 0 : score > 1 ? 1 : score;
}

/**
 * Host `h`'s score on `line` once it also holds `need`: the one utilisation score, read by the
 * pack and spread weighers, rankHosts' one pass and the flavour rankings of chooseHosts alike
 * (which is what keeps their scores equal to the bit).
 */
export function utilisationAfter(fleet: FleetIndex, h: number, need: Resources, line: UtilisationLine): number {
  return lineScore(
    line,
    (fleet.usedVcpus[h]! + need.vcpus) * fleet.inverseUsableVcpus[h]!,
    (fleet.usedMemoryMiB[h]! + need.memoryMiB) * fleet.inverseUsableMemoryMiB[h]!,
    (fleet.usedDiskGiB[h]! + need.diskGiB) * fleet.inverseUsableDiskGiB[h]!,
  );
}

/** `utilisationAfter` for every pool host, times `multiplier`, added to `scores`. */
export function addUtilisationScores(
  fleet: FleetIndex,
  need: Resources,
  line: UtilisationLine,
  multiplier: number,
  pool: HostPool,
  scores: Float64Array,
): void {
  const survivors = pool.indexes;
  for (let s = 0, count = pool.count; s < count; s++) scores[s]! += multiplier * utilisationAfter(fleet, survivors[s]!, need, line);
}

/** The weigher that scores hosts on `line`: pack or spread. */
export function utilisationWeigher(name: 'pack' | 'spread', line: UtilisationLine): PlacementWeigher<Resources> {
  return {
    name,
    prepare: (_fleet, request) => request.resources,
    score: (fleet, h, need) => utilisationAfter(fleet, h, need, line),
    addScores: (fleet, need, multiplier, pool, scores) => addUtilisationScores(fleet, need, line, multiplier, pool, scores),
  };
}
