import { mapBounded } from './bounded-map.js';

describe('mapBounded', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const delays = [30, 5, 20, 1, 15, 2, 10, 3];
    const out = await mapBounded(delays, 3, async (ms, i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return `${i}:${ms}`;
    });
    expect(out).toEqual(delays.map((ms, i) => `${i}:${ms}`));
    expect(peak).toBe(3);
  });

  it('handles no items and a limit above the item count', async () => {
    await expect(mapBounded([], 4, async () => 1)).resolves.toEqual([]);
    await expect(mapBounded([1, 2], 10, async (x) => x * 2)).resolves.toEqual([2, 4]);
  });

  it('rejects with the first failure', async () => {
    await expect(
      mapBounded([1, 2, 3], 2, async (x) => {
        if (x === 2) throw new Error('two');
        return x;
      }),
    ).rejects.toThrow('two');
  });
});
