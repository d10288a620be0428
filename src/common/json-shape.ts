// A byte scan of a raw JSON body that bounds its shape before JSON.parse builds anything.
// Deeply nested input parses into a structure that every later step (class-transformer,
// validation) walks recursively: 125,000 nested `[` in 244 KB blocked the event loop for a second
// and then overflowed the stack. Wide objects cost as much: class-transformer deduplicates an
// object's keys in quadratic time (19,000 keys: ~0.4 s), so members per object are bounded well
// below the total. The scan is linear and stops at the first byte past a limit.

export interface JsonShapeLimits {
  /** Deepest nesting of arrays and objects, the outermost counting as 1. */
  maxDepth: number;
  /** Most values (array elements and object members, at every level) in the whole document. */
  maxValues: number;
  /** Most members of any one object. */
  maxObjectMembers: number;
}

/**
 * Generous for every body this API takes: the deepest (an instance's boot spec) nests 5 levels,
 * the widest object is a label map (64) or a container's environment, the longest array a
 * consolidation plan's hostIds (the body limit holds about 6,500).
 */
export const REQUEST_JSON_LIMITS: JsonShapeLimits = { maxDepth: 32, maxValues: 20_000, maxObjectMembers: 1_000 };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;

/**
 * Why `body` exceeds `limits`, or null when it does not. Brackets and commas inside strings do
 * not count. Malformed JSON is not this scan's business: JSON.parse reports it afterwards.
 */
export function jsonShapeViolation(body: Uint8Array, limits: JsonShapeLimits): string | null {
  let depth = 0;
  // Every opening bracket and every comma outside strings starts one more value; counting them
  // over-counts empty containers by one each, which only makes the bound a little stricter.
  let values = 0;
  // Per open container (index = depth): whether it is an object, and the commas seen in it.
  const isObject = new Uint8Array(limits.maxDepth + 1);
  const commas = new Uint32Array(limits.maxDepth + 1);
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    switch (byte) {
      case QUOTE:
        inString = true;
        break;
      case OPEN_ARRAY:
      case OPEN_OBJECT:
        if (++depth > limits.maxDepth) return `JSON nests deeper than ${limits.maxDepth} levels`;
        if (++values > limits.maxValues) return `JSON holds more than ${limits.maxValues} values`;
        isObject[depth] = byte === OPEN_OBJECT ? 1 : 0;
        commas[depth] = 0;
        break;
      case CLOSE_ARRAY:
      case CLOSE_OBJECT:
        if (depth > 0) depth--;
        break;
      case COMMA:
        if (++values > limits.maxValues) return `JSON holds more than ${limits.maxValues} values`;
        // n commas separate n + 1 members.
        if (isObject[depth] && ++commas[depth] >= limits.maxObjectMembers)
          return `a JSON object has more than ${limits.maxObjectMembers} members`;
        break;
    }
  }
  return null;
}
