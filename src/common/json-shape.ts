// A byte scan of a raw JSON body that bounds its nesting and its number of values before
// JSON.parse builds anything. Deeply nested input parses into a structure that every later step
// (class-transformer, validation) walks recursively: 125,000 nested `[` in 244 KB blocked the
// event loop for a second and then overflowed the stack. The scan is linear, allocation-free and
// stops at the first byte past a limit.

export interface JsonShapeLimits {
  /** Deepest nesting of arrays and objects, the outermost counting as 1. */
  maxDepth: number;
  /** Most values (array elements and object members, at every level) in the whole document. */
  maxValues: number;
}

/** Generous for every body this API takes (the deepest, an instance's boot spec, nests 5 levels). */
export const REQUEST_JSON_LIMITS: JsonShapeLimits = { maxDepth: 32, maxValues: 20_000 };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;

/**
 * Why `body` exceeds `limits`, or null when it does not. Brackets inside strings do not count.
 * Malformed JSON is not this scan's business: JSON.parse reports it afterwards.
 */
export function jsonShapeViolation(body: Uint8Array, limits: JsonShapeLimits): string | null {
  let depth = 0;
  // Every opening bracket and every comma outside strings starts one more value; counting them
  // over-counts empty containers by one each, which only makes the bound a little stricter.
  let values = 0;
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
        break;
      case CLOSE_ARRAY:
      case CLOSE_OBJECT:
        depth--;
        break;
      case COMMA:
        if (++values > limits.maxValues) return `JSON holds more than ${limits.maxValues} values`;
        break;
    }
  }
  return null;
}
