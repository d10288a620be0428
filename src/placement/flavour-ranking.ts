// One "flavour" of claim — a request shape's snapshot-filter survivors, the resources asked
// for, the utilisation line and its multiplier, and the placement group's part if any — ranked
// once in a ScoreTree and then kept current claim by claim, so that a claim decision reads the
// best hosts instead of scoring every host. Lives inside the FleetIndex whose claims it
// follows. Pure.

import type { Resources } from '../common/resources.js';
import type { FleetIndex } from './fleet-index.js';
import { fitsAfter } from './filters/capacity.filter.js';
import type { PlacementWeigher } from './placement-types.js';
import { ScoreTree } from './score-tree.js';
import { lineScore, type UtilisationLine } from './weighers/utilisation.js';

/**
 * How a placement group shapes a ranking:
 * `without-members` — hard anti-affinity: hosts running a member are out;
 * `with-members` — hard affinity once the group has members: only hosts running one are in;
 * `weighed` — a soft group weigher's multiplier × score is added to every host's score.
 */
export type GroupTerm =
  | { rule: 'without-members' | 'with-members'; group: string }
  | { rule: 'weighed'; group: string; weigher: PlacementWeigher<Int32Array>; multiplier: number };

export interface Flavour {
  need: Resources;
  line: UtilisationLine;
  /** The utilisation weigher's multiplier; 0 when it is switched off (then only fit and group count). */
  multiplier: number;
  group?: GroupTerm;
}

export class FlavourRanking {
  /** Position p of the tree is host `survivors[p]`; -Infinity where the host may not be chosen. */
  readonly tree: ScoreTree;
  /** The group's live member counts per host, which a claim updates before it re-scores the host. */
  private readonly members: Int32Array | undefined;

  constructor(
    private readonly fleet: FleetIndex,
    /** The shape's snapshot-filter survivors, ascending. */
    readonly survivors: Int32Array,
    /** Host index -> position in `survivors`, or -1. */
    readonly positionOf: Int32Array,
    readonly flavour: Flavour,
  ) {
    this.members = flavour.group && fleet.liveMemberCounts(flavour.group.group);
    const values = new Float64Array(survivors.length);
    for (let p = 0; p < survivors.length; p++) values[p] = this.valueOf(survivors[p]!);
    this.tree = new ScoreTree(values);
  }

  /**
   * Host `h`'s score for this flavour, or -Infinity when the request does not fit or the group
   * rule keeps it out. The same terms rankHosts adds, in the same order, so the two order hosts
   * alike: summing a group score afterwards could merge two scores by rounding and change a tie.
   */
  valueOf(h: number): number {
    const fleet = this.fleet;
    const { need, line, multiplier, group } = this.flavour;
    const cpu = fleet.usedVcpus[h]! + need.vcpus;
    const memory = fleet.usedMemoryMiB[h]! + need.memoryMiB;
    const disk = fleet.usedDiskGiB[h]! + need.diskGiB;
    if (!fitsAfter(fleet, h, cpu, memory, disk)) return -Infinity;
    const score =
      multiplier *
      lineScore(line, cpu * fleet.inverseUsableVcpus[h]!, memory * fleet.inverseUsableMemoryMiB[h]!, disk * fleet.inverseUsableDiskGiB[h]!);
    const members = this.members;
    if (group === undefined || members === undefined) return score;
    switch (group.rule) {
      case 'without-members':
        return members[h] === 0 ? score : -Infinity;
      case 'with-members':
        return members[h]! > 0 ? score : -Infinity;
      case 'weighed':
        return score + group.multiplier * group.weigher.score(fleet, h, members);
    }
  }

  /** Re-scores host `h` after a claim on it (a no-op for a host outside the shape). */
  hostChanged(h: number): void {
    const position = this.positionOf[h]!;
    if (position >= 0) this.tree.set(position, this.valueOf(h));
  }
}
