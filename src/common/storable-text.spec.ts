import { findUnstorableText, unstorableTextReason } from './storable-text.js';

describe('unstorableTextReason', () => {
  it('accepts any well-formed text: RTL marks, emoji (surrogate pairs), combining marks, U+FFFF', () => {
    for (const text of ['', 'plain', '\u202egnp.exe', '😀 rack', 'e\u0301', '\uffff', '\u0001\u007f', 'x'.repeat(10_000)]) {
      expect(unstorableTextReason(text)).toBeNull();
    }
  });

  it('refuses NUL anywhere', () => {
    expect(unstorableTextReason('\u0000')).toBe('contains a NUL character');
    expect(unstorableTextReason('abc\u0000def')).toBe('contains a NUL character');
  });

  it('refuses a high or low surrogate without its pair, wherever it stands', () => {
    for (const text of ['\ud800', 'a\ud800', '\ud800a', '\udc00', 'a\udfff', '\udc00\ud800', '😀\ud83d', '\ude00😀']) {
      expect(unstorableTextReason(text)).toMatch(/not well-formed/);
    }
  });
});

describe('findUnstorableText', () => {
  it('finds the first bad string in nested values and keys, and says where', () => {
    expect(findUnstorableText({ name: 'ok', labels: { rack: 'r1', zone: '\ud800' } })).toEqual({
      at: 'labels.zone',
      reason: expect.stringMatching(/surrogate/),
    });
    expect(findUnstorableText({ boot: { initArgs: ['a', 'b\u0000'] } })).toEqual({
      at: 'boot.initArgs[1]',
      reason: 'contains a NUL character',
    });
    expect(findUnstorableText({ labels: { ['k\udc00']: 'v' } })).toEqual({
      at: 'labels.k\ufffd',
      reason: expect.stringMatching(/^has a key that/),
    });
    expect(findUnstorableText('\u0000')).toEqual({ at: '', reason: 'contains a NUL character' });
  });

  it('passes clean values of every JSON type', () => {
    expect(findUnstorableText({ a: [1, true, null, { b: '😀' }], c: 1.5 })).toBeNull();
    expect(findUnstorableText(undefined)).toBeNull();
  });
});
