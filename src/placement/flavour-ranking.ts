// One "flavour" of claim — a request shape's snapshot-filter survivors, the resources asked
// for, the utilisation line and its multiplier — ranked once in a ScoreTree and then kept
// current claim by claim, so that a claim decision reads the best hosts instead of scoring
// every host. Lives inside the FleetIndex whose claims it follows. Pure.

import type { Resources } from '../common/resources.js';
import type { FleetIndex } from './fleet-index.js';
import { fitsAfter } from './filters/capacity.filter.js';
import { ScoreTree } from './score-tree.js';
import { lineScore, type UtilisationLine } from './weighers/utilisation.js';

export interface Flavour {
  need: Resources;
  line: UtilisationLine;
  /** The utilisation weigher's multiplier; 0 when it is switched off (every host then scores alike). */
  multiplier: number;
  /**
   * What a soft group weigher adds on a host running no member of the group (0 without one).
   * Added here so that the tree orders non-members by exactly the sum the full ranking
   * compares: adding it afterwards could merge two scores by rounding and change a tie.
   */
  nonMemberBonus: number;
}

export class FlavourRanking {
  /** Position p of the tree is host `survivors[p]`; -Infinity where the request does not fit. */
  readonly tree: ScoreTree;

  constructor(
    private readonly fleet: FleetIndex,
    /** The shape's snapshot-filter survivors, ascending. */
    readonly survivors: Int32Array,
    /** Host index -> position in `survivors`, or -1. */
    readonly positionOf: Int32Array,
    readonly flavour: Flavour,
  ) {
    const values = new Float64Array(survivors.length);
    for (let p = 0; p < survivors.length; p++) values[p] = this.valueOf(survivors[p]!);
    this.tree = new ScoreTree(values);
  }

  /** Host `h`'s score for this flavour (its utilisation score plus the non-member bonus), or -Infinity when the request does not fit. */
  valueOf(h: number): number {
    const fleet = this.fleet;
    const { need, line, multiplier, nonMemberBonus } = this.flavour;
    const cpu = fleet.usedVcpus[h]! + need.vcpus;
    const memory = fleet.usedMemoryMiB[h]! + need.memoryMiB;
    const disk = fleet.usedDiskGiB[h]! + need.diskGiB;
    if (!fitsAfter(fleet, h, cpu, memory, disk)) return -Infinity;
    const score = multiplier * lineScore(line, cpu * fleet.inverseUsableVcpus[h]!, memory * fleet.inverseUsableMemoryMiB[h]!, disk * fleet.inverseUsableDiskGiB[h]!);
    return score + nonMemberBonus;
  }

  /** Re-scores host `h` after its used capacity changed (a no-op for a host outside the shape). */
  hostChanged(h: number): void {
    const position = this.positionOf[h]!;
    if (position >= 0) this.tree.set(position, this.valueOf(h));
  }
}
