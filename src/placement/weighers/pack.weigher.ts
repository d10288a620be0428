import { UTILISATION_LINES, utilisationWeigher } from './utilisation.js';

/** Best fit: the host that would be fullest after placement scores highest (fewer busy hosts). */
export const packWeigher = utilisationWeigher('pack', UTILISATION_LINES.pack);
