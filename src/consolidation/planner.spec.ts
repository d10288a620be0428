import { NO_OVERCOMMIT, RESOURCE_DIMENSIONS, addResources, usableCapacity, type Resources } from '../common/resources.js';
import { ValidationError } from '../common/domain-errors.js';
import { Capability, DRIVER_KINDS, driverSupports, type DriverKind } from '../hypervisor/capabilities.js';
import { pick, randomInt, seededRandom } from '../../bench/lib/prng.js';
import { planConsolidation } from './planner.js';
import type {
  ConsolidationPlan,
  ConsolidationPolicy,
  ConsolidationSnapshot,
  PlannerHost,
  PlannerHostState,
  PlannerInstance,
} from './planner-types.js';
import { firstFitDecreasing, packWithPlanner, vectorBinPackingLowerBound } from '../../bench/lib/vector-packing.js';
import { WorkingFleet, satisfiesPlacementRules } from './working-fleet.js';
import { executionOrder } from './execution-order.js';
import { tryEmptyByExchanges } from './exchange-search.js';
import { emptyHostsByConcentrating, tryEmptyByRepacking } from './repack-search.js';
import { freshPacking } from './fresh-packing.js';
import { eliminateBins } from './bin-elimination.js';
import { place, scratchBin, type Bin } from './bins.js';
import { activeHostsLowerBound } from './lower-bound.js';

// Small fleets: 16-vCPU hosts where memory and disk never bind, so the arithmetic is by vCPU.
const NOW = new Date('2030-01-01T00:00:00Z');
const POLICY: ConsolidationPolicy = { allowColdMigration: false, migrationBudget: 100, cooldownMs: 10 * 60_000 };

function host(id: string, overrides: Partial<PlannerHost> = {}): PlannerHost {
  return {
    id,
    name: `name-${id}`,
    state: 'enabled',
    driverKind: 'qemu-kvm',
    physical: { vcpus: 16, memoryMiB: 16 * 1024, diskGiB: 1000 },
    ratios: NO_OVERCOMMIT,
    ...overrides,
  };
}

function guest(id: string, hostId: string, vcpus: number, overrides: Partial<PlannerInstance> = {}): PlannerInstance {
  return {
    id,
    name: `name-${id}`,
    hostId,
    driverKind: 'qemu-kvm',
    resources: { vcpus, memoryMiB: vcpus * 1024, diskGiB: 10 },
    running: true,
    pinned: false,
    ...overrides,
  };
}

const fleet = (hosts: PlannerHost[], instances: PlannerInstance[]): ConsolidationSnapshot => ({ hosts, instances, now: NOW });

/** Moves as compact strings, e.g. "a:h1->h3 live", in plan order. */
const movesOf = (plan: ConsolidationPlan) => plan.moves.map((m) => `${m.instanceId}:${m.fromHostId}->${m.toHostId} ${m.mode}`);

describe('planConsolidation on small fleets', () => {
  it('empties the two lightest hosts into the third', () => {
    const plan = planConsolidation(
      fleet([host('h1'), host('h2'), host('h3')], [guest('a', 'h1', 2), guest('b', 'h2', 2), guest('c', 'h3', 4), guest('d', 'h3', 2)]),
      POLICY,
    );
    expect(plan).toEqual({
      moves: [
        { instanceId: 'a', instanceName: 'name-a', fromHostId: 'h1', toHostId: 'h3', mode: 'live', memoryMiB: 2048 },
        { instanceId: 'b', instanceName: 'name-b', fromHostId: 'h2', toHostId: 'h3', mode: 'live', memoryMiB: 2048 },
      ],
      hostsBefore: 3,
      hostsAfter: 1,
      lowerBound: 1,
      freedHostIds: ['h1', 'h2'],
      memoryToMoveMiB: 4096,
      skipped: [],
    });
  });

  it('packs around a pinned instance and reports it', () => {
    const plan = planConsolidation(
      fleet(
        [host('h1'), host('h2'), host('h3')],
        [guest('p', 'h1', 2, { pinned: true }), guest('b', 'h2', 2), guest('c', 'h3', 4), guest('d', 'h3', 2)],
      ),
      POLICY,
    );
    expect(movesOf(plan)).toEqual(['c:h3->h1 live', 'b:h2->h1 live', 'd:h3->h1 live']);
    expect(plan.freedHostIds).toEqual(['h2', 'h3']);
    expect(plan.skipped).toEqual([{ instanceId: 'p', reason: 'pinned' }]);
  });

  it('leaves busy and unobservable instances where they are, each reported for its own reason (not as pinned)', () => {
    const plan = planConsolidation(
      fleet(
        [host('h1'), host('h2'), host('h3')],
        [guest('p', 'h1', 2, { held: 'busy' }), guest('q', 'h2', 2, { held: 'unobservable' }), guest('c', 'h3', 4), guest('d', 'h3', 2)],
      ),
      POLICY,
    );
    expect(plan.moves.map((m) => m.instanceId).sort()).toEqual(['c', 'd']);
    expect(plan.skipped).toEqual([
      { instanceId: 'p', reason: 'busy' },
      { instanceId: 'q', reason: 'unobservable' },
    ]);
  });

  it('reports a pinned instance as pinned even while it is busy', () => {
    const plan = planConsolidation(
      fleet([host('h1'), host('h2')], [guest('p', 'h1', 2, { pinned: true, held: 'busy' }), guest('b', 'h2', 2)]),
      POLICY,
    );
    expect(plan.skipped).toEqual([{ instanceId: 'p', reason: 'pinned' }]);
  });

  it('never puts two members of an anti-affinity group on one host', () => {
    const plan = planConsolidation(
      fleet(
        [host('h1'), host('h2'), host('h3')],
        [guest('a', 'h1', 2, { antiAffinityGroup: 'web' }), guest('b', 'h2', 2, { antiAffinityGroup: 'web' }), guest('c', 'h3', 2)],
      ),
      POLICY,
    );
    expect(movesOf(plan)).toEqual(['a:h1->h3 live']);
    expect(plan.hostsAfter).toBe(2);
    expect(plan.lowerBound).toBe(1); // capacity alone would allow one host
  });

  describe('LXC, which cannot live-migrate', () => {
    const containers = fleet(
      [host('l1', { driverKind: 'lxc' }), host('l2', { driverKind: 'lxc' })],
      [guest('c1', 'l1', 2, { driverKind: 'lxc' }), guest('c2', 'l2', 2, { driverKind: 'lxc' })],
    );

    it('leaves running containers in place when no downtime is allowed', () => {
      const plan = planConsolidation(containers, POLICY);
      expect(plan.moves).toEqual([]);
      expect(plan.skipped).toEqual([
        { instanceId: 'c1', reason: 'needs-downtime' },
        { instanceId: 'c2', reason: 'needs-downtime' },
      ]);
    });

    it('moves them cold when downtime is allowed', () => {
      const plan = planConsolidation(containers, { ...POLICY, allowColdMigration: true });
      expect(movesOf(plan)).toEqual(['c1:l1->l2 cold']);
    });

    it('always moves a stopped container, cold', () => {
      const stopped = { ...containers, instances: [{ ...containers.instances[0]!, running: false }, containers.instances[1]!] };
      expect(movesOf(planConsolidation(stopped, POLICY))).toEqual(['c1:l1->l2 cold']);
    });
  });

  it('moves stopped VMs cold and running VMs live', () => {
    const plan = planConsolidation(
      fleet(
        [host('h1'), host('h2')],
        [guest('a', 'h1', 2), guest('s', 'h1', 2, { running: false }), guest('b', 'h2', 4), guest('c', 'h2', 4)],
      ),
      POLICY,
    );
    expect(movesOf(plan)).toEqual(['a:h1->h2 live', 's:h1->h2 cold']);
  });

  it('does not move an instance inside its cooldown', () => {
    const recently = new Date(NOW.getTime() - 60_000);
    const plan = planConsolidation(
      fleet([host('h1'), host('h2')], [guest('a', 'h1', 2, { lastMigratedAt: recently }), guest('b', 'h2', 4)]),
      POLICY,
    );
    expect(movesOf(plan)).toEqual(['b:h2->h1 live']);
    expect(plan.skipped).toEqual([{ instanceId: 'a', reason: 'cooldown' }]);
  });

  it('moves an instance whose cooldown has passed', () => {
    const longAgo = new Date(NOW.getTime() - 11 * 60_000);
    const plan = planConsolidation(
      fleet([host('h1'), host('h2')], [guest('a', 'h1', 2, { lastMigratedAt: longAgo }), guest('b', 'h2', 4)]),
      POLICY,
    );
    expect(movesOf(plan)).toEqual(['a:h1->h2 live']);
  });

  it('stays within the migration budget, cheapest host first', () => {
    const plan = planConsolidation(
      fleet([host('h1'), host('h2'), host('h3')], [guest('a', 'h1', 2), guest('b', 'h2', 2), guest('c', 'h3', 4)]),
      { ...POLICY, migrationBudget: 1 },
    );
    expect(movesOf(plan)).toEqual(['a:h1->h3 live']);
    expect(plan.skipped).toEqual([
      { instanceId: 'b', reason: 'budget-exhausted' },
      { instanceId: 'c', reason: 'budget-exhausted' },
    ]);
  });

  it('plans nothing with a zero budget', () => {
    const plan = planConsolidation(fleet([host('h1'), host('h2')], [guest('a', 'h1', 2), guest('b', 'h2', 2)]), {
      ...POLICY,
      migrationBudget: 0,
    });
    expect(plan.moves).toEqual([]);
    expect(plan.hostsAfter).toBe(2);
  });

  it('evacuates a maintenance host and collapses the chain through a host it then empties', () => {
    // g lands on h1 (the tightest fit), then h1 (two instances) is emptied into h2:
    // m1->h1->h2 becomes m1->h2.
    const plan = planConsolidation(
      fleet(
        [host('m1', { state: 'maintenance' }), host('h1'), host('h2'), host('spare')],
        [guest('g', 'm1', 4), guest('a', 'h1', 8), guest('b1', 'h2', 1), guest('b2', 'h2', 1), guest('b3', 'h2', 1)],
      ),
      POLICY,
    );
    expect(movesOf(plan)).toEqual(['g:m1->h2 live', 'a:h1->h2 live']);
    expect(plan).toMatchObject({ hostsBefore: 2, hostsAfter: 1, freedHostIds: ['h1'] });
  });

  it('leaves on a maintenance host what fits nowhere, and never wakes an empty host for it', () => {
    const plan = planConsolidation(
      fleet([host('m1', { state: 'draining' }), host('h1'), host('spare')], [guest('g', 'm1', 10), guest('a', 'h1', 8)]),
      POLICY,
    );
    expect(plan.moves).toEqual([]);
    expect(plan.skipped).toEqual([{ instanceId: 'g', reason: 'no-capacity' }]);
  });

  it('never touches offline or standby hosts', () => {
    const plan = planConsolidation(
      fleet(
        [host('h1'), host('off', { state: 'offline' }), host('sb', { state: 'standby' })],
        [guest('a', 'h1', 2), guest('o', 'off', 2), guest('s', 'sb', 2)],
      ),
      POLICY,
    );
    expect(plan.moves).toEqual([]);
    expect(plan.hostsBefore).toBe(1);
  });

  it('never moves an instance across driver kinds', () => {
    const plan = planConsolidation(
      fleet(
        [host('k1'), host('k2'), host('x1', { driverKind: 'xen' }), host('x2', { driverKind: 'xen' })],
        [
          guest('ka', 'k1', 2),
          guest('kb', 'k2', 2),
          guest('xa', 'x1', 2, { driverKind: 'xen' }),
          guest('xb', 'x2', 2, { driverKind: 'xen' }),
        ],
      ),
      POLICY,
    );
    expect(movesOf(plan)).toEqual(['ka:k1->k2 live', 'xa:x1->x2 live']);
    expect(plan).toMatchObject({ hostsBefore: 4, hostsAfter: 2, lowerBound: 2 });
  });

  it('respects maxUtilisation as headroom', () => {
    const snapshot = fleet([host('h1'), host('h2')], [guest('a', 'h1', 8), guest('b', 'h2', 8)]);
    expect(planConsolidation(snapshot, POLICY).moves).toHaveLength(1);
    expect(planConsolidation(snapshot, { ...POLICY, maxUtilisation: 0.75 }).moves).toEqual([]);
  });

  it('counts overcommit in usable capacity', () => {
    const overcommitted = { cpu: 2, memory: 2, disk: 1 };
    const snapshot = fleet(
      [host('h1', { ratios: overcommitted }), host('h2', { ratios: overcommitted })],
      [guest('a', 'h1', 12), guest('b', 'h2', 12)],
    );
    expect(movesOf(planConsolidation(snapshot, POLICY))).toEqual(['a:h1->h2 live']);
  });

  it.each([{ maxUtilisation: 0 }, { maxUtilisation: 1.5 }, { migrationBudget: -1 }, { migrationBudget: 1.5 }, { cooldownMs: -1 }])(
    'rejects policy %j',
    (bad) => {
      expect(() => planConsolidation(fleet([], []), { ...POLICY, ...bad })).toThrow(ValidationError);
    },
  );

  it('rejects an instance on an unknown host or a host of another kind', () => {
    expect(() => planConsolidation(fleet([host('h1')], [guest('a', 'nowhere', 1)]), POLICY)).toThrow(ValidationError);
    expect(() => planConsolidation(fleet([host('h1')], [guest('a', 'h1', 1, { driverKind: 'xen' })]), POLICY)).toThrow(ValidationError);
  });
});

describe('lower bound on active hosts', () => {
  it('counts instances over half the largest host: each needs a host of its own', () => {
    // Volume alone: 27 of 48 vCPUs, 2 hosts. But no two 9-vCPU guests share a 16-vCPU host.
    const snapshot = fleet([host('h1'), host('h2'), host('h3')], [guest('a', 'h1', 9), guest('b', 'h2', 9), guest('c', 'h3', 9)]);
    expect(activeHostsLowerBound(new WorkingFleet(snapshot, POLICY))).toBe(3);
    expect(planConsolidation(snapshot, POLICY)).toMatchObject({ moves: [], hostsAfter: 3, lowerBound: 3 });
  });

  it('measures "half" against the largest host, so a bigger host keeps the bound valid', () => {
    const snapshot = fleet(
      [host('h1'), host('h2'), host('big', { physical: { vcpus: 32, memoryMiB: 32 * 1024, diskGiB: 1000 } })],
      [guest('a', 'h1', 9), guest('b', 'h2', 9), guest('c', 'big', 9)],
    );
    expect(activeHostsLowerBound(new WorkingFleet(snapshot, POLICY))).toBe(1);
  });
});

describe('emptying a host by exchanges (step 4)', () => {
  // h1 holds d (10 vCPUs) and no host has 10 free, so the greedy steps cannot empty h1; h2 and
  // h3 cannot be emptied either. Exchanges can: d takes a's place on h3, a takes e's place on
  // h2, e fits on h3.
  const snapshot = fleet(
    [host('h1'), host('h2'), host('h3')],
    [guest('d', 'h1', 10), guest('c', 'h2', 12), guest('e', 'h2', 1), guest('a', 'h3', 4), guest('b', 'h3', 5)],
  );

  it('frees a host the greedy steps cannot, and orders the moves so that every step fits', () => {
    const w = new WorkingFleet(snapshot, POLICY);
    expect(w.withEffort(1_000_000, () => tryEmptyByExchanges(w, w.hosts[0]!))).toBe(true);
    // Planned as a, d, e; executed e first (frees room on h2 for a), then a (frees room on h3 for d).
    expect(executionOrder(w)!.map((slot) => `${slot.instance.id}:${slot.originalHost.host.id}->${slot.currentHost.host.id}`)).toEqual([
      'e:h2->h3',
      'a:h3->h2',
      'd:h1->h3',
    ]);
  });

  it('the planner frees a host here too, by the cheapest plan: 3 moves of 10 vCPUs rather than 15', () => {
    const plan = planConsolidation(snapshot, POLICY);
    // The fresh packing (b and e join d on h1, a joins c on h2) beats the exchanges on memory moved.
    expect(movesOf(plan)).toEqual(['b:h3->h1 live', 'e:h2->h1 live', 'a:h3->h2 live']);
    expect(plan).toMatchObject({ hostsBefore: 3, hostsAfter: 2, lowerBound: 2, freedHostIds: ['h3'], memoryToMoveMiB: 10 * 1024 });
    expectPlanKeepsTheRules(snapshot, POLICY, plan);
  });

  it('is not worth moves beyond the budget: all or nothing', () => {
    const plan = planConsolidation(snapshot, { ...POLICY, migrationBudget: 2 });
    expect(plan.moves).toEqual([]);
    expect(plan.hostsAfter).toBe(3);
  });

  it('keeps anti-affinity: no exchange may bring two group members together', () => {
    const grouped = {
      ...snapshot,
      instances: snapshot.instances.map((i) => (i.id === 'd' || i.id === 'b' ? { ...i, antiAffinityGroup: 'db' } : i)),
    };
    const plan = planConsolidation(grouped, POLICY);
    expect(plan.hostsAfter).toBe(3);
    expectPlanKeepsTheRules(grouped, POLICY, plan);
  });

  it('does not exchange a pinned instance', () => {
    const pinned = { ...snapshot, instances: snapshot.instances.map((i) => (i.id === 'a' || i.id === 'b' ? { ...i, pinned: true } : i)) };
    expect(planConsolidation(pinned, POLICY).moves).toEqual([]);
  });
});

describe('executionOrder', () => {
  it('runs a move only once its target has room', () => {
    const working = new WorkingFleet(
      fleet([host('h1'), host('h2'), host('h3')], [guest('x', 'h1', 14), guest('s', 'h2', 4), guest('y', 'h2', 12), guest('z', 'h3', 2)]),
      POLICY,
    );
    const [h1, , h3] = working.hosts;
    const [s, x] = working.instances; // sorted by id
    working.move(s!, h1!); // planned first, but h1 has room for s only once x has left
    working.move(x!, h3!);
    expect(executionOrder(working)!.map((slot) => slot.instance.id)).toEqual(['x', 's']);
  });

  it('finds no order for a swap between two full hosts', () => {
    const working = new WorkingFleet(fleet([host('h1'), host('h2')], [guest('a', 'h1', 10), guest('b', 'h2', 10)]), POLICY);
    const [h1, h2] = working.hosts;
    const [a, b] = working.instances;
    working.move(a!, h2!);
    working.move(b!, h1!);
    expect(executionOrder(working)).toBeUndefined();
  });
});

describe('WorkingFleet', () => {
  it('forgets a round trip: A->B->A is no move', () => {
    const working = new WorkingFleet(fleet([host('h1'), host('h2')], [guest('a', 'h1', 2), guest('b', 'h2', 2)]), POLICY);
    const [h1, h2] = working.hosts;
    const a = working.instances[0]!;
    working.move(a, h2!);
    expect(working.movedCount).toBe(1);
    working.move(a, h1!);
    expect(working.movedCount).toBe(0);
    expect(a.moveSequence).toBe(-1);
  });
});

describe('vector bin packing helpers', () => {
  const bin: Resources = { vcpus: 10, memoryMiB: 10, diskGiB: 0 };
  const item = (vcpus: number, memoryMiB: number): Resources => ({ vcpus, memoryMiB, diskGiB: 0 });

  it('lower bound is the largest per-dimension ceiling', () => {
    expect(vectorBinPackingLowerBound([item(4, 1), item(4, 1), item(4, 1), item(4, 1)], bin)).toBe(2);
    expect(vectorBinPackingLowerBound([item(1, 9), item(1, 9), item(1, 3)], bin)).toBe(3);
    expect(vectorBinPackingLowerBound([], bin)).toBe(0);
  });

  it('lower bound counts items over half a bin in one dimension: no two of them share a bin', () => {
    // Σ vcpus = 18 gives only 2, but no two of these fit together: the optimum is 3.
    expect(vectorBinPackingLowerBound([item(6, 1), item(6, 1), item(6, 1)], bin)).toBe(3);
    // Big in different dimensions is no conflict: (6,1) and (1,6) share a bin.
    expect(vectorBinPackingLowerBound([item(6, 1), item(1, 6)], bin)).toBe(1);
    // Exactly half is not over half: two halves fill a bin.
    expect(vectorBinPackingLowerBound([item(5, 1), item(5, 1)], bin)).toBe(1);
  });

  it('lower bound knows a bin holds at most two items when any three overfill it in summed dimensions', () => {
    // Each item has vcpus + memory = 7, so any three need 21 of the 20 a bin offers over both:
    // two per bin at most. Every pair fits, no size is over half, and the volume bound says 3.
    const items = [item(3, 4), item(3, 4), item(3, 4), item(3, 4), item(4, 3), item(4, 3), item(4, 3), item(4, 3)];
    expect(vectorBinPackingLowerBound(items, bin)).toBe(4);
    expect(optimalBinCount(items, bin)).toBe(4);
  });

  it('lower bound counts pairwise conflicts across dimensions', () => {
    // No two of these fit together (11 vcpus, 11 vcpus, 11 memory), though the volume, the
    // items over half a bin and the cardinality bound all allow 2.
    const items = [item(6, 1), item(5, 5), item(5, 6)];
    expect(vectorBinPackingLowerBound(items, bin)).toBe(3);
  });

  it('lower bound: L2 sees that big items leave room no mid-size item can use', () => {
    // Two items of 7 take a bin each; four of 4 cannot join them (7 + 4 > 10) and need two more.
    // Volume, cardinality and conflicts (7, 7, 4) all say 3.
    const items = [item(7, 0), item(7, 0), item(4, 0), item(4, 0), item(4, 0), item(4, 0)];
    expect(vectorBinPackingLowerBound(items, bin)).toBe(4);
    expect(optimalBinCount(items, bin)).toBe(4);
  });

  it.each(Array.from({ length: 300 }, (_, seed) => seed))('lower bound never exceeds the optimum (exhaustive search, seed %i)', (seed) => {
    const random = seededRandom(10_000 + seed);
    const capacity = randomInt(random, 5, 20);
    const dims = randomInt(random, 1, 3);
    const small: Resources = { vcpus: capacity, memoryMiB: dims > 1 ? capacity : 0, diskGiB: dims > 2 ? capacity : 0 };
    const low = randomInt(random, 1, capacity);
    const high = randomInt(random, low, capacity);
    const size = (used: boolean) => (used ? randomInt(random, low, high) : 0);
    const items = Array.from({ length: randomInt(random, 1, 8) }, () => ({
      vcpus: size(true),
      memoryMiB: size(dims > 1),
      diskGiB: size(dims > 2),
    }));
    expect(vectorBinPackingLowerBound(items, small)).toBeLessThanOrEqual(optimalBinCount(items, small));
  });

  it('first-fit decreasing packs largest first into the first bin with room', () => {
    expect(firstFitDecreasing([item(2, 2), item(8, 1), item(5, 5), item(3, 3)], bin)).toEqual([[2, 3, 0], [1]]);
  });

  it('the planner packs a bare instance validly, and no worse than the bound allows', () => {
    const random = seededRandom(7);
    const items = Array.from({ length: 60 }, () => item(randomInt(random, 1, 6), randomInt(random, 1, 6)));
    const packing = packWithPlanner(items, bin);
    expect(packing.flat().sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
    for (const contents of packing) {
      const load = contents.reduce((sum, i) => addResources(sum, items[i]!), item(0, 0));
      expect(load.vcpus <= 10 && load.memoryMiB <= 10).toBe(true);
    }
    expect(packing.length).toBeGreaterThanOrEqual(vectorBinPackingLowerBound(items, bin));
  });
});

/** Fewest bins for `items`, by exhaustive search (small instances only). */
function optimalBinCount(items: Resources[], capacity: Resources): number {
  let best = items.length;
  const loads: Resources[] = [];
  const search = (i: number): void => {
    if (loads.length >= best) return;
    if (i === items.length) {
      best = loads.length;
      return;
    }
    for (const load of loads) {
      const after = addResources(load, items[i]!);
      if (RESOURCE_DIMENSIONS.some((d) => after[d] > capacity[d])) continue;
      Object.assign(load, after);
      search(i + 1);
      Object.assign(load, {
        vcpus: after.vcpus - items[i]!.vcpus,
        memoryMiB: after.memoryMiB - items[i]!.memoryMiB,
        diskGiB: after.diskGiB - items[i]!.diskGiB,
      });
    }
    loads.push({ ...items[i]! });
    search(i + 1);
    loads.pop();
  };
  search(0);
  return best;
}

// ---- Property tests over random fleets ----

const HOST_STATES: PlannerHostState[] = [
  'enabled',
  'enabled',
  'enabled',
  'enabled',
  'enabled',
  'maintenance',
  'draining',
  'offline',
  'standby',
];

function randomFleet(seed: number): { snapshot: ConsolidationSnapshot; policy: ConsolidationPolicy } {
  const random = seededRandom(seed);
  const policy: ConsolidationPolicy = {
    allowColdMigration: random() < 0.5,
    migrationBudget: random() < 0.3 ? randomInt(random, 0, 5) : 1000,
    cooldownMs: 10 * 60_000,
    maxUtilisation: random() < 0.5 ? 1 : pick(random, [0.6, 0.8, 0.9]),
  };
  const kinds: DriverKind[] = random() < 0.5 ? ['qemu-kvm'] : [...DRIVER_KINDS];
  const hosts = Array.from({ length: randomInt(random, 1, 12) }, (_, i) =>
    host(`h${String(i).padStart(2, '0')}`, {
      state: pick(random, HOST_STATES),
      driverKind: pick(random, kinds),
      physical: { vcpus: pick(random, [8, 16, 32]), memoryMiB: pick(random, [16, 32, 64]) * 1024, diskGiB: pick(random, [200, 500]) },
      ratios: pick(random, [NO_OVERCOMMIT, { cpu: 4, memory: 1.5, disk: 1 }]),
    }),
  );
  const limitOf = (h: PlannerHost) => headroomLimit(h, policy);
  const load = new Map(hosts.map((h) => [h.id, { vcpus: 0, memoryMiB: 0, diskGiB: 0 }]));
  const instances: PlannerInstance[] = [];
  for (let i = 0; i < randomInt(random, 0, 40); i++) {
    const home = pick(random, hosts);
    const resources = { vcpus: randomInt(random, 1, 8), memoryMiB: randomInt(random, 1, 16) * 512, diskGiB: randomInt(random, 5, 80) };
    const after = addResources(load.get(home.id)!, resources);
    // Start within capacity, so that "within capacity after every move" is a fair demand.
    if (RESOURCE_DIMENSIONS.some((d) => after[d] > limitOf(home)[d])) continue;
    load.set(home.id, after);
    instances.push(
      guest(`i${String(i).padStart(3, '0')}`, home.id, 0, {
        driverKind: home.driverKind,
        resources,
        running: random() < 0.8,
        pinned: random() < 0.1,
        antiAffinityGroup: random() < 0.3 ? pick(random, ['g1', 'g2', 'g3']) : undefined,
        lastMigratedAt: random() < 0.1 ? new Date(NOW.getTime() - randomInt(random, 0, 20) * 60_000) : undefined,
      }),
    );
  }
  return { snapshot: fleet(hosts, instances), policy };
}

function headroomLimit(h: PlannerHost, policy: ConsolidationPolicy): Resources {
  const usable = usableCapacity(h.physical, h.ratios);
  const fraction = policy.maxUtilisation ?? 1;
  return {
    vcpus: Math.floor(usable.vcpus * fraction + 1e-9),
    memoryMiB: Math.floor(usable.memoryMiB * fraction + 1e-9),
    diskGiB: Math.floor(usable.diskGiB * fraction + 1e-9),
  };
}

/** Every rule the plan must keep, checked independently of the planner's own bookkeeping. */
function expectPlanKeepsTheRules(snapshot: ConsolidationSnapshot, policy: ConsolidationPolicy, plan: ConsolidationPlan): void {
  const hostById = new Map(snapshot.hosts.map((h) => [h.id, h]));
  const instanceById = new Map(snapshot.instances.map((i) => [i.id, i]));
  const placement = new Map(snapshot.instances.map((i) => [i.id, i.hostId]));
  const initiallyActive = new Set([
    ...snapshot.instances.map((i) => i.hostId),
    ...snapshot.hosts.filter((h) => (h.foreign?.guests ?? 0) > 0).map((h) => h.id),
  ]);
  // Foreign guests' load is on their host throughout.
  const loadOn = (hostId: string) =>
    snapshot.instances
      .filter((i) => placement.get(i.id) === hostId)
      .reduce(
        (sum, i) => addResources(sum, i.resources),
        hostById.get(hostId)!.foreign?.resources ?? { vcpus: 0, memoryMiB: 0, diskGiB: 0 },
      );

  expect(new Set(plan.moves.map((m) => m.instanceId)).size).toBe(plan.moves.length); // chains collapsed
  expect(plan.moves.length).toBeLessThanOrEqual(policy.migrationBudget);
  for (const move of plan.moves) {
    const instance = instanceById.get(move.instanceId)!;
    const target = hostById.get(move.toHostId)!;
    expect(move.fromHostId).toBe(instance.hostId);
    expect(move.toHostId).not.toBe(move.fromHostId);
    expect(['enabled', 'maintenance', 'draining']).toContain(hostById.get(move.fromHostId)!.state);
    expect(target.state).toBe('enabled');
    expect(initiallyActive.has(target.id)).toBe(true);
    expect(target.driverKind).toBe(instance.driverKind);
    if (instance.placement) expect({ move, target: satisfiesPlacementRules(target, instance.placement) }).toEqual({ move, target: true });
    expect(instance.pinned).toBe(false);
    if (instance.lastMigratedAt) expect(NOW.getTime() - instance.lastMigratedAt.getTime()).toBeGreaterThanOrEqual(policy.cooldownMs);
    const canLive = driverSupports(instance.driverKind, Capability.LiveMigrate);
    expect(move.mode).toBe(instance.running && canLive ? 'live' : 'cold');
    if (instance.running && !canLive) expect(policy.allowColdMigration).toBe(true);
    expect(move.memoryMiB).toBe(instance.resources.memoryMiB);

    // Execute this step; the receiving host must still fit.
    placement.set(move.instanceId, move.toHostId);
    const load = loadOn(target.id);
    const limit = headroomLimit(target, policy);
    for (const d of RESOURCE_DIMENSIONS) expect(load[d]).toBeLessThanOrEqual(limit[d]);
  }
  for (const h of snapshot.hosts) {
    const load = loadOn(h.id);
    const limit = headroomLimit(h, policy);
    for (const d of RESOURCE_DIMENSIONS) expect(load[d]).toBeLessThanOrEqual(limit[d]);
  }
  for (const move of plan.moves) {
    const group = instanceById.get(move.instanceId)!.antiAffinityGroup;
    if (group === undefined) continue;
    const sameGroupThere = snapshot.instances.filter((i) => i.antiAffinityGroup === group && placement.get(i.id) === move.toHostId);
    expect(sameGroupThere).toHaveLength(1);
  }

  // Hosts running foreign guests are busy, and so active, whatever the plan does.
  const busy = [
    ...snapshot.instances.map((i) => placement.get(i.id)!),
    ...snapshot.hosts.filter((h) => (h.foreign?.guests ?? 0) > 0).map((h) => h.id),
  ];
  const activeAfter = new Set(busy.filter((id) => hostById.get(id)!.state === 'enabled'));
  expect(plan.hostsAfter).toBe(activeAfter.size);
  expect(plan.hostsAfter).toBeGreaterThanOrEqual(plan.lowerBound);
  expect(plan.hostsAfter).toBeLessThanOrEqual(plan.hostsBefore);
  expect(plan.memoryToMoveMiB).toBe(plan.moves.reduce((sum, m) => sum + m.memoryMiB, 0));
  for (const freed of plan.freedHostIds) {
    expect(activeAfter.has(freed)).toBe(false);
    expect(hostById.get(freed)!.foreign?.guests ?? 0).toBe(0); // never a host running guests not ours
  }
  for (const s of plan.skipped) expect(placement.get(s.instanceId)).toBe(instanceById.get(s.instanceId)!.hostId);
}

describe('planConsolidation properties over random fleets', () => {
  it.each(Array.from({ length: 400 }, (_, seed) => seed))('seed %i keeps every rule', (seed) => {
    const { snapshot, policy } = randomFleet(seed);
    expectPlanKeepsTheRules(snapshot, policy, planConsolidation(snapshot, policy));
  });

  it('exercises the planner: many random plans move, free and skip something', () => {
    const plans = Array.from({ length: 400 }, (_, seed) => {
      const { snapshot, policy } = randomFleet(seed);
      return planConsolidation(snapshot, policy);
    });
    expect(plans.filter((p) => p.moves.length > 0).length).toBeGreaterThan(150);
    expect(plans.filter((p) => p.freedHostIds.length > 0).length).toBeGreaterThan(100);
    expect(plans.filter((p) => p.skipped.length > 0).length).toBeGreaterThan(100);
    expect(plans.filter((p) => p.moves.some((m) => m.mode === 'cold')).length).toBeGreaterThan(50);
  });

  it('is deterministic whatever order the snapshot lists things in', () => {
    for (let seed = 0; seed < 50; seed++) {
      const { snapshot, policy } = randomFleet(seed);
      const reversed = { ...snapshot, hosts: [...snapshot.hosts].reverse(), instances: [...snapshot.instances].reverse() };
      expect(planConsolidation(reversed, policy)).toEqual(planConsolidation(snapshot, policy));
    }
  });
});

/**
 * randomFleet(seed) with placement rules and foreign guests added from a second generator (so
 * the plain fleets above stay as they were): hosts get a rack label and maybe an ssd trait,
 * some instances must stay in a rack or on (or off) ssd hosts, some hosts run foreign guests
 * that fit in what the instances leave.
 */
function randomFleetWithRules(seed: number): { snapshot: ConsolidationSnapshot; policy: ConsolidationPolicy } {
  const { snapshot, policy } = randomFleet(seed);
  const random = seededRandom(seed + 100_000);
  const hosts = snapshot.hosts.map((h) => ({ ...h, labels: { rack: pick(random, ['a', 'b']) }, traits: random() < 0.5 ? ['ssd'] : [] }));
  const instances = snapshot.instances.map((i) => {
    const roll = random();
    if (roll < 0.25) return { ...i, placement: { requiredLabels: { rack: pick(random, ['a', 'b']) } } };
    if (roll < 0.35) return { ...i, placement: { requiredTraits: ['ssd'] } };
    if (roll < 0.45) return { ...i, placement: { forbiddenTraits: ['ssd'], requiredLabels: { rack: pick(random, ['a', 'b']) } } };
    return i;
  });
  for (const h of hosts) {
    if (random() >= 0.2) continue;
    const limit = headroomLimit(h, policy);
    const load = instances
      .filter((i) => i.hostId === h.id)
      .reduce((sum, i) => addResources(sum, i.resources), { vcpus: 0, memoryMiB: 0, diskGiB: 0 });
    const room = { vcpus: limit.vcpus - load.vcpus, memoryMiB: limit.memoryMiB - load.memoryMiB, diskGiB: 0 };
    const take = (n: number) => Math.max(0, Math.floor(n * random()));
    Object.assign(h, {
      foreign: { guests: randomInt(random, 1, 3), resources: { vcpus: take(room.vcpus), memoryMiB: take(room.memoryMiB), diskGiB: 0 } },
    });
  }
  return { snapshot: { ...snapshot, hosts, instances }, policy };
}

describe('placement rules and foreign guests', () => {
  it.each(Array.from({ length: 300 }, (_, seed) => seed))(
    'seed %i: every move goes where the instance rules allow; no host with foreign guests is freed',
    (seed) => {
      const { snapshot, policy } = randomFleetWithRules(seed);
      expectPlanKeepsTheRules(snapshot, policy, planConsolidation(snapshot, policy));
    },
  );

  it('exercises the rules: plans still move and free hosts, and some rule-bound instances move', () => {
    const runs = Array.from({ length: 300 }, (_, seed) => {
      const { snapshot } = randomFleetWithRules(seed);
      return { snapshot, plan: planConsolidation(snapshot, randomFleetWithRules(seed).policy) };
    });
    expect(runs.filter(({ plan }) => plan.freedHostIds.length > 0).length).toBeGreaterThan(50);
    const ruled = (s: ConsolidationSnapshot) => new Set(s.instances.filter((i) => i.placement).map((i) => i.id));
    expect(runs.filter(({ snapshot, plan }) => plan.moves.some((m) => ruled(snapshot).has(m.instanceId))).length).toBeGreaterThan(30);
  });

  it('does not empty a rack=b instance into the only other host, which is rack a', () => {
    const hosts = [host('h1', { labels: { rack: 'a' } }), host('h2', { labels: { rack: 'b' } })];
    const bound = guest('bound', 'h2', 2, { placement: { requiredLabels: { rack: 'b' } } });
    const unbound = guest('free', 'h2', 2);
    const plan = planConsolidation(fleet(hosts, [guest('big', 'h1', 8), bound]), POLICY);
    expect(plan.moves.map((m) => m.instanceId)).not.toContain('bound');
    // Without the rule, h2 empties into h1.
    expect(planConsolidation(fleet(hosts, [guest('big', 'h1', 8), { ...bound, placement: undefined }]), POLICY).freedHostIds).toEqual([
      'h2',
    ]);
    // With a second rack=b host it may go there.
    const withB = planConsolidation(
      fleet([...hosts, host('h3', { labels: { rack: 'b' } })], [guest('big', 'h1', 8), bound, guest('other', 'h3', 8)]),
      POLICY,
    );
    expect(movesOf(withB)).toEqual(['bound:h2->h3 live']);
    expect(unbound.id).toBe('free');
  });

  it('honours required and forbidden traits', () => {
    const hosts = [host('h1', { traits: ['ssd'] }), host('h2'), host('h3', { traits: ['ssd', 'gpu'] })];
    const instances = [
      guest('plain', 'h1', 8),
      guest('needs-ssd', 'h2', 2, { placement: { requiredTraits: ['ssd'], forbiddenTraits: ['gpu'] } }),
      guest('big', 'h3', 8),
    ];
    const plan = planConsolidation(fleet(hosts, instances), POLICY);
    for (const m of plan.moves) if (m.instanceId === 'needs-ssd') expect(m.toHostId).toBe('h1');
    expect(plan.freedHostIds).toContain('h2');
  });

  it('never moves a member of a hard affinity group (members move only together), and says so', () => {
    const plan = planConsolidation(
      fleet(
        [host('h1'), host('h2')],
        [guest('a', 'h1', 2, { affinityGroup: 'g' }), guest('b', 'h1', 2, { affinityGroup: 'g' }), guest('c', 'h2', 8)],
      ),
      POLICY,
    );
    expect(plan.moves.map((m) => m.instanceId)).not.toEqual(expect.arrayContaining(['a']));
    expect(plan.moves.map((m) => m.instanceId)).not.toEqual(expect.arrayContaining(['b']));
    expect(plan.skipped).toEqual([
      { instanceId: 'a', reason: 'affinity-group' },
      { instanceId: 'b', reason: 'affinity-group' },
    ]);
    expect(movesOf(plan)).toEqual(['c:h2->h1 live']);
  });

  it('never frees a host that runs foreign guests, and counts their load', () => {
    const hosts = [host('h1', { foreign: { guests: 1, resources: { vcpus: 10, memoryMiB: 1024, diskGiB: 0 } } }), host('h2')];
    // Without foreign guests h1 (2 vCPUs) would empty into h2 (4 vCPUs).
    const plan = planConsolidation(fleet(hosts, [guest('a', 'h1', 2), guest('b', 'h2', 4)]), POLICY);
    expect(plan.freedHostIds).not.toContain('h1');
    expect(plan.skipped).toEqual([]);
    // h2's guest may go to h1 only if it fits beside the foreign load: 10 + 2 + 4 ≤ 16.
    expect(movesOf(plan)).toEqual(['b:h2->h1 live']);
    const tight = planConsolidation(
      fleet(
        [host('h1', { foreign: { guests: 2, resources: { vcpus: 12, memoryMiB: 1024, diskGiB: 0 } } }), host('h2')],
        [guest('a', 'h1', 2), guest('b', 'h2', 4)],
      ),
      POLICY,
    );
    expect(tight.moves).toEqual([]);
    expect(tight.freedHostIds).toEqual([]);
  });

  it('plans live moves only between hosts that can migrate live (a simulated host cannot)', () => {
    const instances = [guest('a', 'h1', 2), guest('b', 'h2', 4)];
    // Both hosts without live migration: running guests move cold when downtime is allowed, else not at all.
    const noLive = [host('h1', { liveMigration: false }), host('h2', { liveMigration: false })];
    expect(movesOf(planConsolidation(fleet(noLive, instances), { ...POLICY, allowColdMigration: true }))).toEqual(['a:h1->h2 cold']);
    const refused = planConsolidation(fleet(noLive, instances), POLICY);
    expect(refused.moves).toEqual([]);
    expect(refused.skipped).toEqual(expect.arrayContaining([{ instanceId: 'a', reason: 'needs-downtime' }]));
    // A live-capable source cannot send live to a target that cannot receive it.
    const targetNoLive = planConsolidation(fleet([host('h1'), host('h2', { liveMigration: false })], instances), POLICY);
    expect(targetNoLive.moves.filter((m) => m.toHostId === 'h2')).toEqual([]);
  });
});

describe('repacking a host with a few partners (steps 5-6)', () => {
  // h1 holds v (6 vCPUs); h2 and h3 have 4 free each, so v fits nowhere as is. Re-packed
  // together: v joins a on h2, b moves on to h3.
  const hosts = [host('h1'), host('h2'), host('h3')];
  const base = [guest('v', 'h1', 6), guest('a', 'h2', 8), guest('b', 'h2', 4), guest('c', 'h3', 8), guest('d', 'h3', 4)];
  const working = (instances: PlannerInstance[]) => new WorkingFleet(fleet(hosts, instances), POLICY);
  const withinLimits = (w: WorkingFleet) => w.hosts.every((h) => RESOURCE_DIMENSIONS.every((d) => h.used[d] <= h.limit[d]));

  it('empties the victim into its partners, with a safe execution order', () => {
    const w = working(base);
    expect(w.withEffort(1_000_000, () => tryEmptyByRepacking(w, w.hosts[0]!))).toBe(true);
    expect(w.hosts[0]!.residents.size).toBe(0);
    expect(withinLimits(w)).toBe(true);
    expect(executionOrder(w)).toBeDefined();
  });

  it('is all or nothing: over budget, nothing moves', () => {
    const w = new WorkingFleet(fleet(hosts, base), { ...POLICY, migrationBudget: 1 });
    expect(w.withEffort(1_000_000, () => tryEmptyByRepacking(w, w.hosts[0]!))).toBe(false);
    expect(w.movedCount).toBe(0);
  });

  it('keeps anti-affinity groups apart', () => {
    const grouped = base.map((i) => (['v', 'a', 'c'].includes(i.id) ? { ...i, antiAffinityGroup: 'g' } : i));
    const w = working(grouped);
    expect(w.withEffort(1_000_000, () => tryEmptyByRepacking(w, w.hosts[0]!))).toBe(false);
    expect(w.movedCount).toBe(0);
  });

  it('never moves a pinned instance', () => {
    const pinned = base.map((i) => (i.id === 'b' || i.id === 'd' ? { ...i, pinned: true } : i));
    const w = working(pinned);
    expect(w.withEffort(1_000_000, () => tryEmptyByRepacking(w, w.hosts[0]!))).toBe(false);
    expect(w.movedCount).toBe(0);
  });

  it('undoes every concentration move when the victim does not empty', () => {
    // h1 (v: 6) and h2 (a: 8, b: 4): concentrating makes h2 fuller (a + v = 14), but the
    // victim is refused an empty by the stub, so nothing may stay moved.
    const w = working([guest('v', 'h1', 6), guest('a', 'h2', 8), guest('b', 'h2', 4), guest('c', 'h3', 15)]);
    let asked = 0;
    const emptied = w.withEffort(1_000_000, () => emptyHostsByConcentrating(w, () => (asked++, false)));
    expect(emptied).toBe(0);
    expect(asked).toBeGreaterThan(0);
    expect(w.movedCount).toBe(0);
  });

  it('keeps a concentration that lets the victim empty', () => {
    const w = working([guest('v', 'h1', 6), guest('a', 'h2', 8), guest('b', 'h2', 4), guest('c', 'h3', 12)]);
    const emptied = w.withEffort(1_000_000, () =>
      emptyHostsByConcentrating(w, (victim) => w.withEffort(1_000_000, () => tryEmptyByExchanges(w, victim))),
    );
    expect(emptied).toBeGreaterThan(0);
    expect(w.hosts.filter((h) => h.residents.size > 0)).toHaveLength(2);
    expect(withinLimits(w)).toBe(true);
    expect(executionOrder(w)).toBeDefined();
  });

  it('the planner empties such a host end to end and keeps every rule', () => {
    const snapshot = fleet(hosts, base);
    const plan = planConsolidation(snapshot, POLICY);
    expect(plan.hostsAfter).toBe(2);
    expectPlanKeepsTheRules(snapshot, POLICY, plan);
  });
});

describe('fresh packing (an alternative to the greedy steps)', () => {
  // Four 16-vCPU hosts a quarter to half full, 44 vCPUs in all, one pinned guest. Three hosts
  // suffice (c e b | a d f | g h), though the constructions alone find four (a fills h2 first).
  const instances = [
    guest('a', 'h1', 9),
    guest('b', 'h1', 3),
    guest('c', 'h2', 7, { pinned: true }),
    guest('d', 'h2', 2, { antiAffinityGroup: 'g' }),
    guest('e', 'h3', 6, { antiAffinityGroup: 'g' }),
    guest('f', 'h3', 5),
    guest('g', 'h4', 8),
    guest('h', 'h4', 4, { antiAffinityGroup: 'g' }),
  ];
  const working = () => new WorkingFleet(fleet([host('h1'), host('h2'), host('h3'), host('h4')], instances), POLICY);

  it('places every movable instance once, within limits, groups apart, the pinned one left alone', () => {
    const w = working();
    const assignment = freshPacking(w, { construction: 1_000_000, elimination: 1_000_000 })!;
    const movable = w.instances.filter((slot) => slot.instance.id !== 'c');
    expect([...assignment.keys()].map((slot) => slot.instance.id).sort()).toEqual(movable.map((slot) => slot.instance.id).sort());
    const onHost = (hostId: string) => [
      ...w.instances.filter((slot) => !assignment.has(slot) && slot.currentHost.host.id === hostId),
      ...[...assignment].filter(([, target]) => target.host.id === hostId).map(([slot]) => slot),
    ];
    const used = ['h1', 'h2', 'h3', 'h4'].filter((id) => onHost(id).length > 0);
    expect(used).toContain('h2'); // pinned c keeps it active
    for (const id of used) {
      expect(onHost(id).reduce((sum, slot) => sum + slot.instance.resources.vcpus, 0)).toBeLessThanOrEqual(16);
      expect(onHost(id).filter((slot) => slot.instance.antiAffinityGroup === 'g').length).toBeLessThanOrEqual(1);
    }
  });

  it('matches bins to hosts so that instances stay where they are when they can', () => {
    const w = working();
    const assignment = freshPacking(w, { construction: 1_000_000, elimination: 1_000_000 })!;
    const staying = [...assignment].filter(([slot, target]) => slot.originalHost === target).length;
    // Each opened bin starts with the largest instance of its own host, which therefore stays.
    expect(staying).toBeGreaterThanOrEqual(2);
  });

  it('gives no packing when no construction can finish within its effort', () => {
    expect(freshPacking(working(), { construction: 0, elimination: 0 })).toBeUndefined();
  });

  it('the planner, with its local search after it, reaches three hosts and keeps every rule', () => {
    const snapshot = fleet([host('h1'), host('h2'), host('h3'), host('h4')], instances);
    const plan = planConsolidation(snapshot, POLICY);
    expect(plan.hostsAfter).toBe(3);
    expectPlanKeepsTheRules(snapshot, POLICY, plan);
  });
});

describe('the planner on bare vector bin packing instances', () => {
  const bin: Resources = { vcpus: 100, memoryMiB: 100, diskGiB: 0 };
  it.each(Array.from({ length: 20 }, (_, seed) => seed))('packs validly, every item once, never below the bound (seed %i)', (seed) => {
    const random = seededRandom(500 + seed);
    const items = Array.from({ length: randomInt(random, 5, 60) }, () => ({
      vcpus: randomInt(random, 5, 60),
      memoryMiB: randomInt(random, 5, 60),
      diskGiB: 0,
    }));
    const packing = packWithPlanner(items, bin);
    expect(packing.flat().sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
    for (const contents of packing) {
      const load = contents.reduce((sum, i) => addResources(sum, items[i]!), { vcpus: 0, memoryMiB: 0, diskGiB: 0 });
      expect(load.vcpus).toBeLessThanOrEqual(100);
      expect(load.memoryMiB).toBeLessThanOrEqual(100);
    }
    expect(packing.length).toBeGreaterThanOrEqual(vectorBinPackingLowerBound(items, bin));
  });
});

describe('eliminating bins from a fresh packing (tabu pool search)', () => {
  // One dimension that binds (vCPUs of 10-vCPU hosts); memory and disk never bind.
  const tenCpuHost = (id: string) => host(id, { physical: { vcpus: 10, memoryMiB: 64 * 1024, diskGiB: 1000 } });
  const setUp = (layout: Record<string, number[]>, groups: Record<string, string> = {}) => {
    const hosts = Object.keys(layout).map(tenCpuHost);
    const instances = Object.entries(layout).flatMap(([hostId, sizes]) =>
      sizes.map((vcpus, i) => guest(`${hostId}-${i}`, hostId, vcpus, { antiAffinityGroup: groups[`${hostId}-${i}`] })),
    );
    const w = new WorkingFleet(fleet(hosts, instances), POLICY);
    const bins = w.hosts.map((slot) => {
      const bin = scratchBin(slot);
      for (const resident of slot.residents) place(bin, resident);
      return bin;
    });
    return { w, bins };
  };
  const contentsOf = (bins: Bin[]) =>
    bins.map((bin) => [...bin.residents].map((slot) => slot.instance.resources.vcpus).sort((a, b) => b - a));

  it('frees the lightest bin by swaps when nothing fits directly', () => {
    // h3's 3 fits nowhere as is (room 1 and 2); swapped for a 4 on h2, the 4 then displaces the
    // 3 on h1, which fits on h2: {6, 4} and {4, 3, 3}.
    const { w, bins } = setUp({ h1: [6, 3], h2: [4, 4], h3: [3] });
    const left = w.withEffort(1_000_000, () => eliminateBins(w, bins));
    expect(left).toHaveLength(2);
    expect(contentsOf(left).sort()).toEqual(
      [
        [4, 3, 3],
        [6, 4],
      ].sort(),
    );
  });

  it('restores the packing exactly when the pool cannot be emptied', () => {
    const { w, bins } = setUp({ h1: [6, 3], h2: [6, 3], h3: [5] });
    const before = contentsOf(bins);
    const left = w.withEffort(1_000_000, () => eliminateBins(w, bins));
    expect(left).toHaveLength(3);
    expect(contentsOf(left)).toEqual(before);
    expect(left.map((bin) => bin.used.vcpus)).toEqual([9, 9, 5]);
  });

  it('keeps anti-affinity groups apart, even when that costs a bin', () => {
    // Without groups {6, 4} {4, 3, 3} would do; with both 3s and one 4 in a group, every
    // two-bin packing puts two members together, so all three bins stay.
    const { w, bins } = setUp({ h1: [6, 3], h2: [4, 4], h3: [3] }, { 'h1-1': 'g', 'h2-0': 'g', 'h3-0': 'g' });
    const left = w.withEffort(1_000_000, () => eliminateBins(w, bins));
    expect(left).toHaveLength(3);
    for (const bin of left)
      expect([...bin.residents].filter((slot) => slot.instance.antiAffinityGroup === 'g').length).toBeLessThanOrEqual(1);
  });

  it.each(Array.from({ length: 40 }, (_, seed) => seed))(
    'random packings stay valid: every instance once, within limits, groups apart (seed %i)',
    (seed) => {
      const random = seededRandom(900 + seed);
      const layout: Record<string, number[]> = {};
      const groups: Record<string, string> = {};
      for (let h = 0; h < randomInt(random, 2, 8); h++) {
        const sizes: number[] = [];
        let room = 10;
        while (room > 0 && random() < 0.8) {
          const size = randomInt(random, 1, room);
          sizes.push(size);
          room -= size;
        }
        if (sizes.length === 0) sizes.push(randomInt(random, 1, 10));
        layout[`h${h}`] = sizes;
        // At most one member of each group per host to start with, as the planner's input keeps.
        const unused = ['g1', 'g2'];
        sizes.forEach((_, i) => {
          if (random() < 0.3 && unused.length > 0) groups[`h${h}-${i}`] = unused.splice(randomInt(random, 0, unused.length - 1), 1)[0]!;
        });
      }
      const { w, bins } = setUp(layout, groups);
      const left = w.withEffort(200_000, () => eliminateBins(w, bins));
      expect(left.flatMap((bin) => [...bin.residents].map((slot) => slot.instance.id)).sort()).toEqual(
        w.instances.map((slot) => slot.instance.id).sort(),
      );
      for (const bin of left) {
        expect([...bin.residents].reduce((sum, slot) => sum + slot.instance.resources.vcpus, 0)).toBe(bin.used.vcpus);
        expect(bin.used.vcpus).toBeLessThanOrEqual(10);
        for (const group of ['g1', 'g2'])
          expect([...bin.residents].filter((slot) => slot.instance.antiAffinityGroup === group).length).toBeLessThanOrEqual(1);
      }
      expect(left.length).toBeGreaterThanOrEqual(
        vectorBinPackingLowerBound(
          w.instances.map((slot) => slot.instance.resources),
          { vcpus: 10, memoryMiB: 64 * 1024, diskGiB: 1000 },
        ),
      );
    },
  );
});

describe('a migration budget never costs more work than no budget (issue #18)', () => {
  // 50 hosts about a fifth full: an unlimited plan empties most of them; a budget of a few
  // moves is spent after the first hosts, and every later attempt used to be searched in full
  // (some 20 million tentative moves) and undone at the final budget check.
  function lightFleet(seed: number): ConsolidationSnapshot {
    const random = seededRandom(seed);
    const hosts = Array.from({ length: 50 }, (_, i) =>
      host(`h${String(i).padStart(3, '0')}`, { physical: { vcpus: 32, memoryMiB: 64 * 1024, diskGiB: 1000 } }),
    );
    const instances = Array.from({ length: 200 }, (_, i) =>
      guest(`g${String(i).padStart(4, '0')}`, pick(random, hosts).id, randomInt(random, 1, 4)),
    );
    return fleet(hosts, instances);
  }
  const work = (snapshot: ConsolidationSnapshot, migrationBudget: number) => {
    let movesTried = -1;
    const plan = planConsolidation(snapshot, { ...POLICY, migrationBudget }, { onStats: (s) => (movesTried = s.movesTried) });
    return { plan, movesTried };
  };

  it("moves tried with budgets of 0 and 20 never exceed the unlimited plan's", () => {
    const snapshot = lightFleet(1);
    const unlimited = work(snapshot, 100_000);
    expect(unlimited.plan.moves.length).toBeGreaterThan(20);
    for (const budget of [0, 20]) {
      const limited = work(snapshot, budget);
      expect(limited.plan.moves.length).toBeLessThanOrEqual(budget);
      expect(limited.movesTried).toBeLessThanOrEqual(unlimited.movesTried);
    }
  }, 180_000);
});
