import { BoundedLru } from './bounded-lru.js';

describe('BoundedLru', () => {
  it('never holds more than its capacity, forgetting the least recently used first', () => {
    const lru = new BoundedLru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3);
    expect(lru.size).toBe(2);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
  });

  it('replaces a value without growing', () => {
    const lru = new BoundedLru<string, number>(2);
    lru.set('a', 1);
    lru.set('a', 2);
    expect(lru.size).toBe(1);
    expect(lru.get('a')).toBe(2);
  });

  it('refuses a capacity below one', () => {
    expect(() => new BoundedLru(0)).toThrow(RangeError);
  });
});
