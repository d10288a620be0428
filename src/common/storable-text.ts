// Text that PostgreSQL cannot store: NUL (refused in text columns and, as \u0000, in jsonb) and
// UTF-16 surrogates without their pair (jsonb refuses the escape; a text column would silently
// get U+FFFD instead). Input is checked once, by a global pipe (storable-text.pipe.ts) on every
// body, query and path parameter, so no field's validator has to remember it.

// Without the u flag a regex sees UTF-16 code units, which is what finds lone surrogates.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/** Why `text` cannot be stored, or null when it can. */
export function unstorableTextReason(text: string): string | null {
  const match = UNSTORABLE.exec(text);
  if (!match) return null;
  return match[0] === '\u0000' ? 'contains a NUL character' : 'is not well-formed Unicode (a UTF-16 surrogate without its pair)';
}

/**
 * The first string (object keys included) inside `value` that cannot be stored, with where it
 * is (`labels.rack`, `[2]`), or null. Depth is bounded by the JSON shape limit before parsing.
 */
export function findUnstorableText(value: unknown, at = ''): { at: string; reason: string } | null {
  if (typeof value === 'string') {
    const reason = unstorableTextReason(value);
    return reason ? { at, reason } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, member] of Object.entries(value)) {
      const keyReason = unstorableTextReason(key);
      // The location goes back in a problem body, so it must be storable text itself.
      const where = `${at ? `${at}.` : ''}${key.replace(UNSTORABLE_ALL, '\ufffd')}`;
      if (keyReason) return { at: where, reason: `has a key that ${keyReason}` };
      const found = findUnstorableText(member, where);
      if (found) return found;
    }
  }
  return null;
}
