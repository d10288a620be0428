import { seededRandom } from '../../bench/lib/prng.js';
import { ScoreTree } from './score-tree.js';

/** Every position with a value above -Infinity, best first (ties: lower position), by sorting. */
function sortedPositions(values: readonly number[]): number[] {
  return values
    .map((value, position) => ({ value, position }))
    .filter(({ value }) => value !== -Infinity)
    .sort((a, b) => b.value - a.value || a.position - b.position)
    .map(({ position }) => position);
}

function walkAll(tree: ScoreTree): number[] {
  const walk = tree.bestFirst();
  const positions: number[] = [];
  for (let p = walk.next(); p >= 0; p = walk.next()) positions.push(p);
  return positions;
}

describe('ScoreTree', () => {
  it('walks best first, ties to the lower position, leaving out -Infinity', () => {
    const tree = new ScoreTree(Float64Array.from([0.5, 0.9, -Infinity, 0.5, 0.9, 0.1]));
    expect(walkAll(tree)).toEqual([1, 4, 0, 3, 5]);
  });

  it('has nothing to walk when no position may be chosen, or there are none', () => {
    expect(walkAll(new ScoreTree(Float64Array.from([-Infinity, -Infinity, -Infinity])))).toEqual([]);
    expect(walkAll(new ScoreTree(new Float64Array(0)))).toEqual([]);
  });

  it('handles a single position and a size that is not a power of two', () => {
    expect(walkAll(new ScoreTree(Float64Array.from([3])))).toEqual([0]);
    expect(walkAll(new ScoreTree(Float64Array.from([1, 2, 3, 4, 5, 6, 7])))).toEqual([6, 5, 4, 3, 2, 1, 0]);
  });

  it('settles a changed value: a best position that gets worse, or drops out, gives way', () => {
    const tree = new ScoreTree(Float64Array.from([0.2, 0.8, 0.4]));
    tree.set(1, 0.3);
    expect(walkAll(tree)).toEqual([2, 1, 0]);
    tree.set(2, -Infinity);
    expect(walkAll(tree)).toEqual([1, 0]);
    tree.set(0, 0.3); // ties the new best: the lower position wins
    expect(walkAll(tree)).toEqual([0, 1]);
    expect(tree.valueAt(0)).toBe(0.3);
  });

  it('agrees with a full sort after random updates, walked in full and in part', () => {
    const random = seededRandom(5150);
    for (let round = 0; round < 50; round++) {
      const size = 1 + Math.floor(random() * 70);
      // Few distinct values, so that ties are common.
      const value = () => (random() < 0.15 ? -Infinity : Math.floor(random() * 6) / 4);
      const values = Array.from({ length: size }, value);
      const tree = new ScoreTree(Float64Array.from(values));
      for (let update = 0; update < 40; update++) {
        const position = Math.floor(random() * size);
        values[position] = value();
        tree.set(position, values[position]!);
        const expected = sortedPositions(values);
        expect(walkAll(tree)).toEqual(expected);
        const walk = tree.bestFirst();
        const k = Math.floor(random() * 4);
        expect(Array.from({ length: k }, () => walk.next())).toEqual([...expected, -1, -1, -1, -1].slice(0, k));
      }
    }
  });
});
