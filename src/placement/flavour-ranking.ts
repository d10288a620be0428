// One "flavour" of claim — a request shape's snapshot-filter survivors, the resources asked
// for, the utilisation line and its multiplier, and the placement group's part if any — ranked
// once in a ScoreTree and then kept current claim by claim, so that a claim decision reads the
// best hosts instead of scoring every host. Lives inside the FleetIndex whose claims it
// follows. Pure.

import type { Resources } from '../common/resources.js';
import type { FleetIndex, KeptRanking } from './fleet-index.js';
import { fits } from './filters/capacity.filter.js';
import { keeps, type GroupTerm } from './group-rules.js';
import { ScoreTree } from './score-tree.js';
import { utilisationAfter, type UtilisationLine } from './weighers/utilisation.js';

export interface Flavour {
  need: Resources;
  line: UtilisationLine;
  /** The utilisation weigher's multiplier; 0 when it is switched off (then only fit and group count). */
  multiplier: number;
  group?: GroupTerm;
}

export class FlavourRanking implements KeptRanking {
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
    if (!fits(fleet, h, need)) return -Infinity;
    const score = multiplier * utilisationAfter(fleet, h, need, line);
    const members = this.members;
    if (group === undefined || members === undefined) return score;
    if (group.rule === 'weighed') return score + group.multiplier * group.weigher.score(fleet, h, members);
    return keeps(group.rule, members[h]!) ? score : -Infinity;
  }

  /** Re-scores host `h` after a claim on it (a no-op for a host outside the shape). */
  hostChanged(h: number): void {
    const position = this.positionOf[h]!;
    if (position >= 0) this.tree.set(position, this.valueOf(h));
  }
}
