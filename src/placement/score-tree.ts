// A max tournament tree over positions 0..size-1: every internal node remembers the position
// that wins its subtree, so the best position is read at the root, one changed value is settled
// in O(log n), and the best k are walked in O(k log n) without touching the other positions.
// A position wins over another when its value is higher, or equal and its position lower (the
// tie rule of the full ranking, positions being in fleet order). Pure; no Nest, no I/O.

export class ScoreTree {
  /** Leaves in the bottom row: the least power of two ≥ size. Node 1 is the root, node x has children 2x and 2x+1, position p is node `leaves + p`. */
  readonly leaves: number;
  /** Value per position; the padding positions past `size` hold -Infinity. */
  private readonly values: Float64Array;
  /** Winning position of each internal node 1..leaves-1 (index 0 unused). */
  private readonly winners: Int32Array;

  /** Takes `values` (one per position; -Infinity for a position that must never be chosen). */
  constructor(values: Float64Array) {
    let leaves = 1;
    while (leaves < values.length) leaves *= 2;
    this.leaves = leaves;
    this.values = new Float64Array(leaves).fill(-Infinity);
    this.values.set(values);
    this.winners = new Int32Array(leaves);
    for (let node = leaves - 1; node >= 1; node--) this.settle(node);
  }

  valueAt(position: number): number {
    return this.values[position]!;
  }

  /** Changes one position's value and settles the winners on its path to the root. */
  set(position: number, value: number): void {
    this.values[position] = value;
    for (let node = (this.leaves + position) >>> 1; node >= 1; node >>>= 1) this.settle(node);
  }

  /** The position that wins the subtree under `node`. */
  winnerOf(node: number): number {
    return node >= this.leaves ? node - this.leaves : this.winners[node]!;
  }

  /** True when position `a` ranks before position `b`. */
  beats(a: number, b: number): boolean {
    const va = this.values[a]!;
    const vb = this.values[b]!;
    return va > vb || (va === vb && a < b);
  }

  /** Positions from best to worst, stopping before the first with value -Infinity. */
  bestFirst(): BestFirstWalk {
    return new BestFirstWalk(this);
  }

  private settle(node: number): void {
    const left = this.winnerOf(2 * node);
    const right = this.winnerOf(2 * node + 1);
    this.winners[node] = this.beats(right, left) ? right : left;
  }
}

/**
 * Reads a ScoreTree best first. The frontier is a heap of subtrees whose winners have not been
 * handed out yet; `next` takes the best, follows its winner down to the leaf and leaves the
 * losing sibling subtrees of that path on the frontier: log n heap pushes per position. The
 * tree must not change while a walk is in use (decisions are synchronous).
 */
export class BestFirstWalk {
  /** Binary heap of tree nodes, best winner at 0. */
  private readonly frontier: number[] = [];

  constructor(private readonly tree: ScoreTree) {
    this.push(1);
  }

  /** The next best position, or -1 when every position left has value -Infinity. */
  next(): number {
    const tree = this.tree;
    if (this.frontier.length === 0) return -1;
    let node = this.pop();
    const winner = tree.winnerOf(node);
    while (node < tree.leaves) {
      const left = 2 * node;
      const toWinner = tree.winnerOf(left) === winner ? left : left + 1;
      this.push(toWinner === left ? left + 1 : left);
      node = toWinner;
    }
    return winner;
  }

  private push(node: number): void {
    const tree = this.tree;
    const winner = tree.winnerOf(node);
    if (tree.valueAt(winner) === -Infinity) return; // nothing in that subtree may be chosen
    const heap = this.frontier;
    let slot = heap.length;
    heap.push(node);
    while (slot > 0) {
      const parent = (slot - 1) >>> 1;
      if (!tree.beats(winner, tree.winnerOf(heap[parent]!))) break;
      heap[slot] = heap[parent]!;
      slot = parent;
    }
    heap[slot] = node;
  }

  private pop(): number {
    const tree = this.tree;
    const heap = this.frontier;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    const lastWinner = tree.winnerOf(last);
    let slot = 0;
    for (;;) {
      let child = 2 * slot + 1;
      if (child >= heap.length) break;
      if (child + 1 < heap.length && tree.beats(tree.winnerOf(heap[child + 1]!), tree.winnerOf(heap[child]!))) child++;
      if (!tree.beats(tree.winnerOf(heap[child]!), lastWinner)) break;
      heap[slot] = heap[child]!;
      slot = child;
    }
    heap[slot] = last;
    return top;
  }
}
