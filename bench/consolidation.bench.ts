// Consolidation planner benchmark. Run: npx tsx bench/consolidation.bench.ts
//
// (1) Packing quality on plain vector bin packing: each item alone on a "virtual host", the
//     planner packs them into as few as it can (`packWithPlanner` runs `planConsolidation`).
//     Reported as bins / lower bound (`vectorBinPackingLowerBound`: per dimension, the volume
//     bound ceil(Σ size / capacity) and the count of items over half a bin; none of the classes
//     below has such items, so here it is the volume bound), for the planner and for first-fit
//     decreasing on the same instances. The bound is not the optimum, so 1.00 is usually out of
//     reach for anyone; where the items are large (U[200,500], 3-D) the gap is mostly the
//     bound's. On 30-item instances an exact MILP solver (scipy/HiGHS, run by hand, not part of
//     this bench) found the optimum equal to the bound for U[100,400], and 1-2 bins above it
//     for U[200,500].
// (2) Plan time for a 1,000-host / 10,000-instance fleet, against FFD on the same demand.
//
// Instance classes. Random uniform item sizes, independent per dimension, bin capacity 1000 in
// every dimension. Class U[100,400] is the one our brief attributes to Panigrahy, Talwar,
// Uyeda and Wieder, "Heuristics for Vector Bin Packing" (MSR, 2011); we have still NOT checked
// the paper's exact class table (it was not available to us), so every class here is our own
// definition, named by its sizes, not a reproduction of the paper's:
//   U[100,400]  items uniform integer in [100, 400] per dimension (about 4 per bin)
//   U[10,400]   wider spread: many small fillers and some large items
//   U[200,500]  large items: at most 2-4 per bin, so packing is combinatorially hard
//   anti        anti-correlated: one dimension uniform in [100, 400], the others 500 minus it
//               ± 50 (guests that are heavy in CPU are light in memory and vice versa)

import { performance } from 'node:perf_hooks';
import type { Resources } from '../src/common/resources.js';
import { NO_OVERCOMMIT } from '../src/common/resources.js';
import { planConsolidation } from '../src/consolidation/planner.js';
import type { ConsolidationSnapshot, PlannerHost, PlannerInstance } from '../src/consolidation/planner-types.js';
import { firstFitDecreasing, packWithPlanner, vectorBinPackingLowerBound } from '../src/consolidation/vector-packing.js';
import { randomInt, seededRandom } from './lib/prng.js';

const CAPACITY = 1000;
const SIZES = [100, 250, 500, 1000];
const SEEDS_BY_SIZE: Record<number, number> = { 100: 20, 250: 10, 500: 5, 1000: 3 };

type ItemClass = { name: string; draw: (random: () => number, dimensions: number) => number[] };

const CLASSES: ItemClass[] = [
  { name: 'U[100,400]', draw: (r, n) => Array.from({ length: n }, () => randomInt(r, 100, 400)) },
  { name: 'U[10,400]', draw: (r, n) => Array.from({ length: n }, () => randomInt(r, 10, 400)) },
  { name: 'U[200,500]', draw: (r, n) => Array.from({ length: n }, () => randomInt(r, 200, 500)) },
  {
    name: 'anti',
    draw: (r, n) => {
      const first = randomInt(r, 100, 400);
      return [first, ...Array.from({ length: n - 1 }, () => 500 - first + randomInt(r, -50, 50))];
    },
  },
];

/** Dimension 1 -> vcpus, 2 -> memory, 3 -> disk; unused dimensions are 0 in item and bin. */
const asResources = (sizes: number[]): Resources => ({ vcpus: sizes[0]!, memoryMiB: sizes[1]!, diskGiB: sizes[2] ?? 0 });

function qualityTable(): void {
  console.log('(1) Bins / lower bound on vector bin packing (mean, max over seeds)');
  console.log('class        dims     n  seeds   planner mean/max    FFD mean/max   planner/FFD');
  const overall = { planner: 0, ffd: 0, count: 0 };
  for (const itemClass of CLASSES) {
    for (const dimensions of [2, 3]) {
      const bin = asResources(Array.from({ length: dimensions }, () => CAPACITY));
      for (const n of SIZES) {
        const seeds = SEEDS_BY_SIZE[n]!;
        const planner: number[] = [];
        const ffd: number[] = [];
        for (let seed = 1; seed <= seeds; seed++) {
          const random = seededRandom(seed * 1_000_003 + n * 7 + dimensions);
          const items = Array.from({ length: n }, () => asResources(itemClass.draw(random, dimensions)));
          const bound = vectorBinPackingLowerBound(items, bin);
          planner.push(packWithPlanner(items, bin).length / bound);
          ffd.push(firstFitDecreasing(items, bin).length / bound);
        }
        const p = mean(planner);
        const f = mean(ffd);
        overall.planner += p;
        overall.ffd += f;
        overall.count++;
        console.log(
          `${itemClass.name.padEnd(12)} ${dimensions}D ${String(n).padStart(7)} ${String(seeds).padStart(6)}` +
            `   ${p.toFixed(3)} / ${Math.max(...planner).toFixed(3)}     ${f.toFixed(3)} / ${Math.max(...ffd).toFixed(3)}     ${(p / f).toFixed(3)}`,
        );
      }
    }
  }
  console.log(
    `mean over all rows: planner ${(overall.planner / overall.count).toFixed(3)}, FFD ${(overall.ffd / overall.count).toFixed(3)} ` +
      `(target: planner <= 1.03)`,
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

  const runs = 3;
  let planMs = Infinity;
  let plan = planConsolidation(snapshot, policy);
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    plan = planConsolidation(snapshot, policy);
    planMs = Math.min(planMs, performance.now() - start);
  }
  let ffdMs = Infinity;
  let ffdBins = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    ffdBins = firstFitDecreasing(items, bin).length;
    ffdMs = Math.min(ffdMs, performance.now() - start);
  }
  console.log('\n(2) Plan time, 1,000 hosts / 10,000 instances (best of 3)');
  console.log(
    `planConsolidation: ${planMs.toFixed(0)} ms (target < 1000 ms); hosts ${plan.hostsBefore} -> ${plan.hostsAfter}, ` +
      `lower bound ${plan.lowerBound}, ${plan.moves.length} moves, ${plan.skipped.length} skipped`,
  );
  console.log(`first-fit decreasing on the same demand (no constraints, from scratch): ${ffdMs.toFixed(0)} ms, ${ffdBins} bins`);
  console.log(`planner / FFD time: ${(planMs / ffdMs).toFixed(1)}x`);
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

const started = performance.now();
qualityTable();
planTime();
console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
