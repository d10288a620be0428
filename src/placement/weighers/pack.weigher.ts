import type { Resources } from '../../common/resources.js';
import type { PlacementWeigher } from './placement-weigher.js';
import { UTILISATION_LINES, addUtilisationScores, utilisationAfter } from './utilisation.js';

const FULLER_IS_BETTER = UTILISATION_LINES.pack;

/** Best fit: the host that would be fullest after placement scores highest (fewer busy hosts). */
export const packWeigher: PlacementWeigher<Resources> = {
  name: 'pack',
  prepare: (_fleet, request) => request.resources,
  score: (fleet, h, need) => utilisationAfter(fleet, h, need, FULLER_IS_BETTER),
  addScores: (fleet, need, multiplier, pool, scores) => addUtilisationScores(fleet, need, FULLER_IS_BETTER, multiplier, pool, scores),
};
