// What PostgreSQL cannot store, made storable in one place. Text and jsonb columns refuse NUL
// (jsonb answers 22P05 for "\u0000", text 22021), and UTF-8 has no lone UTF-16 surrogate
// halves. Anything that writes request-derived strings (audit rows, events) passes them
// through here, so a hostile path or header costs a replaced character, never a lost row.

const NUL = /\u0000/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `s` with NUL written as the visible escape `\u0000` and lone surrogates replaced by U+FFFD. */
export function storableText(s: string): string {
  return s.replace(LONE_SURROGATE, '\ufffd').replace(NUL, '\\u0000');
}

/** A deep copy of `value` whose strings (keys too) are storable. */
export function storableJson<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storableJson) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableJson(v)])) as T;
  }
  return value;
}
