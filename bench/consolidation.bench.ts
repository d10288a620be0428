// Consolidation planner benchmark. Run: npx tsx bench/consolidation.bench.ts [--budget-only]
//
// (1) Packing quality on plain vector bin packing: each item alone on a "virtual host", the
//     planner packs them into as few as it can (`packWithPlanner` runs `planConsolidation`).
//     Reported as bins / lower bound (`vectorBinPackingLowerBound`: the largest of Martello and
//     Toth's L2 per dimension, a cardinality bound and a greedy set of pairwise conflicting
//     items; all valid, none the optimum), for the planner and for first-fit decreasing (FFDSum)
//     on the same instances. 1.00 is often out of reach for anyone: the bound can sit below
//     the optimum. Vectorpack's results_data/Panigrahy_summary_known.csv (repository cited
//     below; 3-D, n = 500, optima where known) puts the optimum 2-4 % above the volume bound
//     for class 6 and 6-11 % above it for class 9; our bound is barely stronger there.
// (2) Plan time for a 1,000-host / 10,000-instance fleet, against FFD on the same demand.
// (3) Plan time with a migration budget (the default 20, and 200) against the unlimited plan on
//     that fleet: a budget must never be slower (issue #18: it was 6-23 times slower, because
//     every host was still searched in full once the budget was spent and undone at the end).
// (4) Ablation: what each named step of the planner (`plannerSteps()`) adds. The full pipeline,
//     then the pipeline with each step left out in turn: hosts used, moves and plan time, on the
//     big fleet and summed over a few textbook instances. `--ablation-only` runs just this.
//
// Instance classes. Issue #6 asks for the classes of Panigrahy, Talwar, Uyeda and Wieder,
// "Heuristics for Vector Bin Packing" (MSR, 2011). We could not read the paper itself; what we
// found and used:
//   - Vectorpack/experiments_vector_paper (GitHub), data/scripts/generate_Panigrahy_multidim.py
//     (https://github.com/Vectorpack/experiments_vector_paper, the data of Mommessin et al.,
//     "Classification and evaluation of the algorithms for vector bin packing", Computers &
//     Operations Research, 2025): "generated randomly in 10 different classes in the same
//     process as described in [Panigrahy et al. 2011]"; the script generates classes 1-9 only.
//     Classes 1-9 below follow it exactly, for d = 2 and 3.
//   - marklee77/vpack (GitHub), vectorpack/caprara2001lba/generators.py (M. Stillwell's
//     generator of the Caprara and Toth 2001 classes, which the Panigrahy classes extend to d
//     dimensions): it agrees on classes 1-8 in 2-D (classes 7 and 8 are 2-D only there). Its
//     class 9 is different (U[100,400] with bin capacities shrunk to the volume bound) and it
//     has a class 10 (triplets of known optimum); neither is used here.
//   Not verified against the paper itself: class 9's definition (the two sources disagree; we
//   use the Vectorpack one, which is the one labelled as Panigrahy's), how classes 7-8 extend
//   to 3-D (Vectorpack: the third dimension is uniform [20,100]), and whether the paper used a
//   class 10. Vectorpack's Python `range(20, 100)` stops at 99 for classes 7-8; ours includes 100.
//   All sizes are uniform integers, independent per dimension unless stated:
//   class 1  [100,400], capacity 1000       class 6  [20,100], capacity 150
//   class 2  [1,1000],  capacity 1000       class 7  a in [20,100], b in [a-10, a+10] (correlated), capacity 150
//   class 3  [200,800], capacity 1000       class 8  a in [20,100], b in [110-a, 130-a] (anti-correlated), capacity 150
//   class 4  [50,200],  capacity 1000       class 9  2d units spread at random over the d dimensions,
//   class 5  [25,100],  capacity 1000                size s × units + {0,1}, s in [10,40], redrawn if over 100; capacity 100
// The headline is the mean of planner bins / lower bound over the rows of these classes. The
// previous bench's own classes (U[10,400], U[200,500], "anti") are gone: they were not the paper's.

import { performance } from 'node:perf_hooks';
import type { Resources } from '../src/common/resources.js';
import { NO_OVERCOMMIT } from '../src/common/resources.js';
import { planConsolidation, plannerSteps, type PlannerStep } from '../src/consolidation/planner.js';
import type { ConsolidationPolicy, ConsolidationSnapshot, PlannerHost, PlannerInstance } from '../src/consolidation/planner-types.js';
import { firstFitDecreasing, packWithPlanner, vectorBinPackingLowerBound, virtualFleet } from './lib/vector-packing.js';
import { randomInt, seededRandom } from './lib/prng.js';

const SIZES = [100, 250, 500, 1000];
const SEEDS_BY_SIZE: Record<number, number> = { 100: 10, 250: 6, 500: 3, 1000: 2 };

type ItemClass = { name: string; capacity: number; draw: (random: () => number, dimensions: number) => number[] };

const uniformClass = (name: string, capacity: number, low: number, high: number): ItemClass => ({
  name,
  capacity,
  draw: (r, dimensions) => Array.from({ length: dimensions }, () => randomInt(r, low, high)),
});

/** Classes 7 and 8: the first two dimensions related, any third one uniform in [20, 100]. */
const pairedClass = (name: string, second: (r: () => number, first: number) => number): ItemClass => ({
  name,
  capacity: 150,
  draw: (r, dimensions) => {
    const first = randomInt(r, 20, 100);
    const sizes = [first, second(r, first)];
    while (sizes.length < dimensions) sizes.push(randomInt(r, 20, 100));
    return sizes;
  },
});

const CLASSES: ItemClass[] = [
  uniformClass('class 1', 1000, 100, 400),
  uniformClass('class 2', 1000, 1, 1000),
  uniformClass('class 3', 1000, 200, 800),
  uniformClass('class 4', 1000, 50, 200),
  uniformClass('class 5', 1000, 25, 100),
  uniformClass('class 6', 150, 20, 100),
  pairedClass('class 7', (r, a) => randomInt(r, a - 10, a + 10)),
  pairedClass('class 8', (r, a) => randomInt(r, 110 - a, 130 - a)),
  {
    name: 'class 9',
    capacity: 100,
    draw: (r, dimensions) => {
      for (;;) {
        const units = new Array<number>(dimensions).fill(0);
        for (let k = 0; k < 2 * dimensions; k++) units[randomInt(r, 0, dimensions - 1)]!++;
        const scale = randomInt(r, 10, 40);
        const sizes = units.map((u) => scale * u + randomInt(r, 0, 1));
        if (Math.max(...sizes) <= 100) return sizes;
      }
    },
  },
];

/** Dimension 1 -> vcpus, 2 -> memory, 3 -> disk; unused dimensions are 0 in item and bin. */
const asResources = (sizes: number[]): Resources => ({ vcpus: sizes[0]!, memoryMiB: sizes[1]!, diskGiB: sizes[2] ?? 0 });

function qualityTable(): void {
  console.log('(1) Bins / lower bound on vector bin packing (mean, max over seeds)');
  console.log('class        dims     n  seeds   planner mean/max    FFD mean/max   planner/FFD   plan ms');
  const overall = { planner: 0, ffd: 0, count: 0 };
  const byClass: string[] = [];
  for (const itemClass of CLASSES) {
    const rows = { planner: 0, ffd: 0, count: 0 };
    for (const dimensions of [2, 3]) {
      const bin = asResources(Array.from({ length: dimensions }, () => itemClass.capacity));
      for (const n of SIZES) {
        const seeds = SEEDS_BY_SIZE[n]!;
        const planner: number[] = [];
        const ffd: number[] = [];
        let planMs = 0;
        for (let seed = 1; seed <= seeds; seed++) {
          const random = seededRandom(seed * 1_000_003 + n * 7 + dimensions);
          const items = Array.from({ length: n }, () => asResources(itemClass.draw(random, dimensions)));
          const bound = vectorBinPackingLowerBound(items, bin);
          const start = performance.now();
          planner.push(packWithPlanner(items, bin).length / bound);
          planMs += performance.now() - start;
          ffd.push(firstFitDecreasing(items, bin).length / bound);
        }
        const p = mean(planner);
        const f = mean(ffd);
        for (const sum of [overall, rows]) {
          sum.planner += p;
          sum.ffd += f;
          sum.count++;
        }
        console.log(
          `${itemClass.name.padEnd(12)} ${dimensions}D ${String(n).padStart(7)} ${String(seeds).padStart(6)}` +
            `   ${p.toFixed(3)} / ${Math.max(...planner).toFixed(3)}     ${f.toFixed(3)} / ${Math.max(...ffd).toFixed(3)}     ${(p / f).toFixed(3)}` +
            `   ${(planMs / seeds).toFixed(0).padStart(7)}`,
        );
      }
    }
    byClass.push(`${itemClass.name}: planner ${(rows.planner / rows.count).toFixed(4)}, FFD ${(rows.ffd / rows.count).toFixed(4)}`);
  }
  console.log(`mean per class over its rows (2-D and 3-D, every n):\n  ${byClass.join('\n  ')}`);
  console.log(
    `headline, mean over all rows of classes 1-9: planner ${(overall.planner / overall.count).toFixed(4)}, ` +
      `FFD ${(overall.ffd / overall.count).toFixed(4)} (target: planner <= 1.03)`,
  );
}

/**
 * A realistic big fleet: 1,000 qemu-kvm hosts (64 vCPUs, 256 GiB, 2 TiB; CPU overcommit 4),
 * 10,000 guests of common flavours placed at random until each host is roughly a third full,
 * some pinned, some stopped, some in anti-affinity groups, some in cooldown.
 */
function bigFleet(seed: number): ConsolidationSnapshot {
  const random = seededRandom(seed);
  const hosts: PlannerHost[] = Array.from({ length: 1000 }, (_, i) => ({
    id: `host-${String(i).padStart(4, '0')}`,
    name: `host-${i}`,
    state: i % 100 === 0 ? 'maintenance' : 'enabled',
    driverKind: 'qemu-kvm',
    physical: { vcpus: 64, memoryMiB: 256 * 1024, diskGiB: 2048 },
    ratios: { ...NO_OVERCOMMIT, cpu: 4 },
  }));
  const flavours: Resources[] = [
    { vcpus: 1, memoryMiB: 2048, diskGiB: 20 },
    { vcpus: 2, memoryMiB: 4096, diskGiB: 40 },
    { vcpus: 4, memoryMiB: 8192, diskGiB: 80 },
    { vcpus: 8, memoryMiB: 16384, diskGiB: 160 },
    { vcpus: 16, memoryMiB: 65536, diskGiB: 320 },
  ];
  const now = new Date('2030-01-01T00:00:00Z');
  const instances: PlannerInstance[] = Array.from({ length: 10_000 }, (_, i) => ({
    id: `vm-${String(i).padStart(5, '0')}`,
    name: `vm-${i}`,
    hostId: hosts[randomInt(random, 0, hosts.length - 1)]!.id,
    driverKind: 'qemu-kvm',
    resources: flavours[randomInt(random, 0, flavours.length - 1)]!,
    running: random() < 0.9,
    pinned: random() < 0.02,
    antiAffinityGroup: random() < 0.1 ? `group-${randomInt(random, 0, 99)}` : undefined,
    lastMigratedAt: random() < 0.05 ? new Date(now.getTime() - 60_000) : undefined,
  }));
  return { hosts, instances, now };
}

function planTime(): void {
  const snapshot = bigFleet(42);
  const policy = { allowColdMigration: false, migrationBudget: 10_000, cooldownMs: 3_600_000 };
  const bin: Resources = { vcpus: 256, memoryMiB: 256 * 1024, diskGiB: 2048 };
  const items = snapshot.instances.map((i) => i.resources);
  planConsolidation(snapshot, policy); // warm-up: JIT tiers
  firstFitDecreasing(items, bin);

  // Wall time is what the target is about; CPU time of the same run is shown too, because
  // other work on this machine (a second core shared with other benchmarks) inflates wall time.
  const runs = 5;
  let planMs = Infinity;
  let planCpuMs = Infinity;
  let plan = planConsolidation(snapshot, policy);
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    plan = planConsolidation(snapshot, policy);
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    if (wall < planMs) {
      planMs = wall;
      planCpuMs = (used.user + used.system) / 1000;
    }
  }
  let ffdMs = Infinity;
  let ffdBins = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    ffdBins = firstFitDecreasing(items, bin).length;
    ffdMs = Math.min(ffdMs, performance.now() - start);
  }
  console.log(`\n(2) Plan time, 1,000 hosts / 10,000 instances (best of ${runs})`);
  console.log(
    `planConsolidation: ${planMs.toFixed(0)} ms wall, ${planCpuMs.toFixed(0)} ms CPU (target < 1000 ms); hosts ${plan.hostsBefore} -> ${plan.hostsAfter}, ` +
      `lower bound ${plan.lowerBound}, ${plan.moves.length} moves, ${plan.skipped.length} skipped`,
  );
  console.log(`first-fit decreasing on the same demand (no constraints, from scratch): ${ffdMs.toFixed(0)} ms, ${ffdBins} bins`);
  console.log(`planner / FFD time: ${(planMs / ffdMs).toFixed(1)}x`);
}

function budgetTime(): void {
  const snapshot = bigFleet(42);
  const timed = (migrationBudget: number) => {
    const policy = { allowColdMigration: false, migrationBudget, cooldownMs: 3_600_000 };
    let best = Infinity;
    let movesTried = 0;
    let moves = 0;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      moves = planConsolidation(snapshot, policy, { onStats: (s) => (movesTried = s.movesTried) }).moves.length;
      best = Math.min(best, performance.now() - start);
    }
    return { ms: best, movesTried, moves };
  };
  const unlimited = timed(10_000);
  console.log('\n(3) Budget vs unlimited, 1,000 hosts / 10,000 instances (best of 3; target: ratio <= 1)');
  console.log(`unlimited: ${unlimited.ms.toFixed(0)} ms, ${unlimited.moves} moves, ${unlimited.movesTried} moves tried`);
  for (const budget of [20, 200]) {
    const limited = timed(budget);
    console.log(
      `budget ${String(budget).padStart(3)}: ${limited.ms.toFixed(0)} ms, ${limited.moves} moves, ${limited.movesTried} moves tried; ` +
        `time ratio budget/unlimited ${(limited.ms / unlimited.ms).toFixed(2)}, work ratio ${(limited.movesTried / unlimited.movesTried).toFixed(2)}`,
    );
  }
}

/** Hosts after, moves and time of the plan made by `steps` (best time of `runs`). */
function timedPlan(snapshot: ConsolidationSnapshot, policy: ConsolidationPolicy, steps: () => PlannerStep[], runs: number) {
  let ms = Infinity;
  let plan: ReturnType<typeof planConsolidation> | undefined;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    plan = planConsolidation(snapshot, policy, {}, steps());
    ms = Math.min(ms, performance.now() - start);
  }
  return { hosts: plan!.hostsAfter, moves: plan!.moves.length, ms };
}

function ablation(): void {
  const names = plannerSteps().map((step) => step.name);
  const variants: { label: string; steps: () => PlannerStep[] }[] = [
    { label: 'full pipeline', steps: plannerSteps },
    ...names.map((name) => ({ label: `without ${name}`, steps: () => plannerSteps().filter((step) => step.name !== name) })),
  ];
  const big = bigFleet(42);
  const bigPolicy = { allowColdMigration: false, migrationBudget: 10_000, cooldownMs: 3_600_000 };
  // A few textbook instances (section 1's classes, 250 items, seed 1), summed.
  const textbook = (
    [
      ['class 1', 3],
      ['class 4', 2],
      ['class 6', 3],
      ['class 9', 2],
    ] as const
  ).map(([name, dimensions]) => {
    const itemClass = CLASSES.find((c) => c.name === name)!;
    const random = seededRandom(1_000_003 + 250 * 7 + dimensions);
    const items = Array.from({ length: 250 }, () => asResources(itemClass.draw(random, dimensions)));
    const bin = asResources(Array.from({ length: dimensions }, () => itemClass.capacity));
    return { snapshot: virtualFleet(items, bin), bound: vectorBinPackingLowerBound(items, bin) };
  });
  const bounds = textbook.reduce((sum, t) => sum + t.bound, 0);
  planConsolidation(big, bigPolicy); // warm-up: JIT tiers
  console.log('\n(4) Ablation: each step left out in turn (big fleet: best of 2; textbook: 4 instances of 250 items, summed)');
  console.log('variant                         big: hosts  moves   ms    textbook: bins (bound ' + bounds + ')  moves    ms');
  for (const { label, steps } of variants) {
    const b = timedPlan(big, bigPolicy, steps, 2);
    let bins = 0;
    let moves = 0;
    let ms = 0;
    for (const t of textbook) {
      const r = timedPlan(t.snapshot, { allowColdMigration: true, migrationBudget: 250, cooldownMs: 0 }, steps, 1);
      bins += r.hosts;
      moves += r.moves;
      ms += r.ms;
    }
    console.log(
      `${label.padEnd(30)} ${String(b.hosts).padStart(10)} ${String(b.moves).padStart(6)} ${b.ms.toFixed(0).padStart(5)}` +
        `    ${String(bins).padStart(20)} ${String(moves).padStart(12)} ${ms.toFixed(0).padStart(5)}`,
    );
  }
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

const started = performance.now();
if (process.argv.includes('--ablation-only')) ablation();
else {
  if (!process.argv.includes('--budget-only')) {
    qualityTable();
    planTime();
  }
  budgetTime();
  if (!process.argv.includes('--budget-only')) ablation();
}
console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
