import type { Resources } from '../../common/resources.js';
import type { PlacementWeigher } from './placement-weigher.js';
import { UTILISATION_LINES, addUtilisationScores, utilisationAfter } from './utilisation.js';

const EMPTIER_IS_BETTER = UTILISATION_LINES.spread;

/** Worst fit: the host that would be emptiest after placement scores highest (less contention). */
export const spreadWeigher: PlacementWeigher<Resources> = {
  name: 'spread',
  prepare: (_fleet, request) => request.resources,
  score: (fleet, h, need) => utilisationAfter(fleet, h, need, EMPTIER_IS_BETTER),
  addScores: (fleet, need, multiplier, pool, scores) => addUtilisationScores(fleet, need, EMPTIER_IS_BETTER, multiplier, pool, scores),
};
