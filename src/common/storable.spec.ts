import { storableJson, storableText } from './storable.js';

describe('storable text for PostgreSQL', () => {
  it('escapes NUL and replaces lone surrogates, leaving other text alone', () => {
    expect(storableText('a\u0000b')).toBe('a\\u0000b');
    expect(storableText('x\ud800y')).toBe('x\ufffdy');
    expect(storableText('héllo 👋')).toBe('héllo 👋');
  });

  it('cleans every string of a JSON value, keys included', () => {
    expect(storableJson({ 'k\u0000': ['\u0000', 1, null, { t: 'a\u0000' }], n: 2 })).toEqual({
      'k\\u0000': ['\\u0000', 1, null, { t: 'a\\u0000' }],
      n: 2,
    });
  });
});
