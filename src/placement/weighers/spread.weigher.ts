import { UTILISATION_LINES, utilisationWeigher } from './utilisation.js';

/** Worst fit: the host that would be emptiest after placement scores highest (less contention). */
export const spreadWeigher = utilisationWeigher('spread', UTILISATION_LINES.spread);
