import { pick, randomInt, seededRandom } from '../../bench/lib/prng.js';
import type { Resources } from '../common/resources.js';
import { Capability, type DriverKind, type GuestType } from '../hypervisor/capabilities.js';
import { chooseHosts, type HostChoice } from './choose-hosts.js';
import { FleetIndex } from './fleet-index.js';
import { FlavourRanking, type Flavour } from './flavour-ranking.js';
import { prefilteredFor } from './decision-setup.js';
import { rankHosts } from './rank-hosts.js';
import type { HostCandidate, PlacementDecision, PlacementGroup, PlacementOptions, PlacementRequest } from './placement-types.js';
import { testHost, testRequest } from '../../test/fixtures/placement-hosts.js';
import { UTILISATION_LINES } from './weighers/utilisation.js';

const pack: PlacementOptions = { weigher: 'pack' };
const spread: PlacementOptions = { weigher: 'spread' };

/** chooseHosts must answer exactly what rankHosts chose and listed, scores to the bit (-0 included). */
function expectSameChoice(fast: HostChoice | null, reference: PlacementDecision, context: unknown): void {
  if (reference.chosen === null) {
    expect({ fast, context }).toEqual({ fast: null, context });
    return;
  }
  expect({ fast, context }).toEqual({
    fast: { chosen: reference.chosen, tiedHostIds: reference.tiedHostIds, candidates: reference.candidates },
    context,
  });
  reference.candidates.forEach((c, i) => {
    if (!Object.is(fast!.candidates[i]!.score, c.score))
      throw new Error(`score ${i} differs: ${fast!.candidates[i]!.score} vs ${c.score} in ${JSON.stringify(context)}`);
  });
}

const GUEST_TYPES: Record<DriverKind, readonly GuestType[]> = { 'qemu-kvm': ['hvm'], xen: ['xen-pv', 'xen-hvm'], lxc: ['container'] };
const GROUPS = ['web', 'db'];

/**
 * Hosts built to collide: capacities from a few values (so equal utilisations arise from
 * different fractions, e.g. 3/6 and 4/8, whose products may differ in the last bit), identical
 * twins, diskless hosts, full hosts, a few states, traits, labels and group members.
 */
function randomFleet(random: () => number, size: number): HostCandidate[] {
  const twin = random() < 0.3 ? Math.floor(random() * size) : -1;
  const hosts: HostCandidate[] = [];
  for (let i = 0; i < size; i++) {
    if (twin >= 0 && i > twin && random() < 0.3) {
      hosts.push({ ...hosts[twin]!, id: `t${i}`, name: `t${i}-name` });
      continue;
    }
    const driverKind = pick(random, ['qemu-kvm', 'qemu-kvm', 'xen', 'lxc'] as const);
    const physical: Resources = {
      vcpus: pick(random, [5, 7, 8, 9, 15, 16, 35, 45]),
      memoryMiB: pick(random, [6, 8, 12, 16]) * 1024,
      diskGiB: pick(random, [0, 60, 80, 120]),
    };
    const ratios = { cpu: pick(random, [1, 1.5, 2]), memory: pick(random, [1, 1, 1.5]), disk: 1 };
    const used: Resources = {
      vcpus: randomInt(random, 0, Math.floor(physical.vcpus * ratios.cpu)),
      memoryMiB: 1024 * randomInt(random, 0, Math.floor((physical.memoryMiB * ratios.memory) / 1024)),
      diskGiB: Math.floor(physical.diskGiB * random()),
    };
    const groupMembers: Record<string, number> = {};
    if (random() < 0.25) groupMembers[pick(random, GROUPS)] = randomInt(random, 1, 3);
    const traits = [...testHost('x', { driverKind }).traits];
    if (random() < 0.5) traits.push('ssd');
    if (random() < 0.1) traits.push('gpu');
    hosts.push(
      testHost(`h${i}`, {
        driverKind,
        traits,
        physical,
        ratios,
        used,
        groupMembers,
        state: random() < 0.1 ? pick(random, ['maintenance', 'offline'] as const) : 'enabled',
        labels: random() < 0.7 ? { zone: pick(random, ['a', 'b']) } : {},
      }),
    );
  }
  return hosts;
}

/** Requests from a small menu so that shapes and flavours repeat, as schedulers' do. */
function randomRequest(random: () => number, hosts: readonly HostCandidate[]): PlacementRequest {
  const driverKind = pick(random, ['qemu-kvm', 'qemu-kvm', 'xen', 'lxc'] as const);
  const request: PlacementRequest = {
    resources: pick(random, [
      { vcpus: 1, memoryMiB: 1024, diskGiB: 0 },
      { vcpus: 2, memoryMiB: 2048, diskGiB: 10 },
      { vcpus: 3, memoryMiB: 3072, diskGiB: 20 },
      { vcpus: 4, memoryMiB: 4096, diskGiB: 40 },
      { vcpus: 0, memoryMiB: 0, diskGiB: 0 },
    ]),
    driverKind,
    guestType: pick(random, GUEST_TYPES[driverKind]),
  };
  if (random() < 0.2) request.requiredTraits = ['ssd'];
  if (random() < 0.1) request.forbiddenTraits = ['gpu'];
  if (random() < 0.2) request.requiredLabels = { zone: pick(random, ['a', 'b']) };
  if (random() < 0.1 && driverKind !== 'lxc') request.requireCapabilities = [Capability.LiveMigrate];
  if (random() < 0.3) request.excludeHostIds = Array.from({ length: randomInt(random, 1, 3) }, () => pick(random, hosts).id);
  if (random() < 0.6) {
    const group: PlacementGroup = {
      name: pick(random, [...GROUPS, 'fresh']),
      policy: pick(random, ['affinity', 'anti-affinity'] as const),
      strength: pick(random, ['hard', 'soft'] as const),
    };
    request.group = group;
  }
  return request;
}

function randomOptions(random: () => number): PlacementOptions {
  const options: PlacementOptions = { weigher: pick(random, ['pack', 'spread'] as const) };
  const roll = random();
  if (roll < 0.3) options.tieBreak = 'random';
  if (random() < 0.4) options.listTop = randomInt(random, 1, 8);
  if (random() < 0.15) options.softGroupWeight = pick(random, [0, 0.5, 1, 3]);
  if (random() < 0.15) {
    options.multipliers = {
      [options.weigher]: pick(random, [0, 0.3, -1, 2]),
      'soft-anti-affinity': pick(random, [1, 2, -0.5]),
      'soft-affinity': pick(random, [0, 1, 3, -2]),
    };
  }
  const r = random();
  options.random = () => r;
  return options;
}

describe('chooseHosts', () => {
  it('chooses and lists exactly what rankHosts does, step after step of claims, on random fleets and requests', () => {
    const random = seededRandom(20261130); // seeded: a failing case can be replayed
    let chosenSteps = 0;
    let emptySteps = 0;
    for (let round = 0; round < 120; round++) {
      const hosts = randomFleet(random, randomInt(random, 1, 150));
      const index = new FleetIndex(hosts);
      // Mostly a few repeated flavours, as a scheduler sees: their rankings live through many claims.
      const menu = Array.from({ length: 4 }, () => ({ request: randomRequest(random, hosts), options: randomOptions(random) }));
      for (let step = 0; step < 40; step++) {
        const { request, options } =
          random() < 0.8 ? pick(random, menu) : { request: randomRequest(random, hosts), options: randomOptions(random) };
        const reference = rankHosts(index, request, options);
        expectSameChoice(chooseHosts(index, request, options), reference, { round, step, request, options });
        if (reference.chosen !== null) {
          chosenSteps++;
          index.claim(reference.chosen, request.resources, request.group?.name);
        } else {
          emptySteps++;
        }
        // Claims made elsewhere land on any host, fitting or not (the index only records them).
        if (random() < 0.2)
          index.claim(
            pick(random, hosts).id,
            { vcpus: randomInt(random, 0, 3), memoryMiB: 1024 * randomInt(random, 0, 3), diskGiB: 5 },
            random() < 0.5 ? pick(random, GROUPS) : undefined,
          );
      }
    }
    // The sequences exercise both outcomes, and claims do fill hosts.
    expect(chosenSteps).toBeGreaterThan(2000);
    expect(emptySteps).toBeGreaterThan(100);
  });

  it('still agrees when more flavours are in use than an index keeps rankings for (dropped ones are rebuilt)', () => {
    const random = seededRandom(20261201);
    for (let round = 0; round < 6; round++) {
      const hosts = randomFleet(random, randomInt(random, 40, 120));
      const index = new FleetIndex(hosts);
      const menu = Array.from({ length: 60 }, () => ({ request: randomRequest(random, hosts), options: randomOptions(random) }));
      for (let step = 0; step < 300; step++) {
        const { request, options } = pick(random, menu);
        const reference = rankHosts(index, request, options);
        expectSameChoice(chooseHosts(index, request, options), reference, { round, step, request, options });
        if (reference.chosen !== null && random() < 0.5) index.claim(reference.chosen, request.resources, request.group?.name);
      }
    }
  });

  it('breaks ties by fleet order among identical hosts, and tops up the listed candidates', () => {
    const twins = ['c', 'a', 'b', 'd'].map((id) => testHost(id));
    const index = new FleetIndex(twins);
    expect(chooseHosts(index, testRequest(), { ...pack, listTop: 3 })?.candidates.map((c) => c.hostId)).toEqual(['c', 'a', 'b']);
    index.claim('a', testRequest().resources);
    // a is now fuller: pack puts it first; spread puts it last.
    expect(chooseHosts(index, testRequest(), { ...pack, listTop: 4 })?.candidates.map((c) => c.hostId)).toEqual(['a', 'c', 'b', 'd']);
    expect(chooseHosts(index, testRequest(), { ...spread, listTop: 4 })?.candidates.map((c) => c.hostId)).toEqual(['c', 'b', 'd', 'a']);
  });

  it('draws among the same tie set as rankHosts, so sequential spread claims land on distinct equal hosts', () => {
    const hosts = Array.from({ length: 9 }, (_, i) => testHost(`e${i}`));
    const index = new FleetIndex(hosts);
    const random = seededRandom(15);
    const landed = new Set<string>();
    for (let n = 0; n < hosts.length; n++) {
      const r = random();
      const options: PlacementOptions = { ...spread, tieBreak: 'random', random: () => r, listTop: 5 };
      const reference = rankHosts(index, testRequest(), options);
      const fast = chooseHosts(index, testRequest(), options)!;
      expect(fast.tiedHostIds).toEqual(reference.tiedHostIds);
      expect(fast.chosen).toBe(reference.chosen);
      landed.add(fast.chosen);
      index.claim(fast.chosen, testRequest().resources);
    }
    expect(landed.size).toBe(hosts.length);
  });

  it('follows claims: a host that no longer fits is not offered, and nothing fitting gives null', () => {
    const index = new FleetIndex([testHost('a'), testHost('b')]);
    const big = testRequest({ resources: { vcpus: 10, memoryMiB: 1024, diskGiB: 10 } });
    expect(chooseHosts(index, big, pack)?.chosen).toBe('a');
    index.claim('a', big.resources);
    expect(chooseHosts(index, big, { ...pack, listTop: 2 })?.candidates.map((c) => c.hostId)).toEqual(['b']);
    index.claim('b', big.resources);
    expect(chooseHosts(index, big, pack)).toBeNull();
    expect(chooseHosts([], big, pack)).toBeNull();
  });

  it('passes over excluded hosts; leaves out hard anti-affinity members, and all but the members under hard affinity', () => {
    const hosts = [
      testHost('full', { used: { vcpus: 0, memoryMiB: 49152, diskGiB: 0 } }),
      testHost('half', { used: { vcpus: 0, memoryMiB: 32768, diskGiB: 0 }, groupMembers: { web: 1 } }),
      testHost('empty'),
      testHost('web-empty', { groupMembers: { web: 2 } }),
    ];
    const index = new FleetIndex(hosts);
    expect(chooseHosts(index, testRequest({ excludeHostIds: ['full'] }), pack)?.chosen).toBe('half');
    const antiWeb = testRequest({ group: { name: 'web', policy: 'anti-affinity', strength: 'hard' } });
    expect(chooseHosts(index, antiWeb, { ...pack, listTop: 4 })?.candidates.map((c) => c.hostId)).toEqual(['full', 'empty']);
    const withWeb = testRequest({ group: { name: 'web', policy: 'affinity', strength: 'hard' } });
    expect(chooseHosts(index, withWeb, { ...spread, listTop: 4 })?.candidates.map((c) => c.hostId)).toEqual(['web-empty', 'half']);
    // A claim that adds a member is seen by the next decision.
    index.claim('empty', antiWeb.resources, 'web');
    expect(chooseHosts(index, antiWeb, { ...pack, listTop: 4 })?.candidates.map((c) => c.hostId)).toEqual(['full']);
    expect(chooseHosts(index, withWeb, { ...spread, listTop: 4 })?.candidates.map((c) => c.hostId)).toEqual(['web-empty', 'empty', 'half']);
  });

  it('orders by the summed score even where rounding makes different utilisations tie', () => {
    // 7 × (1/35) is one bit below 1 × (1/5) = 0.2, so pack alone prefers b; plus the soft
    // anti-affinity bonus of 2 both round to 2.2, and the tie goes to a, first in the fleet.
    const a = testHost('a', { physical: { vcpus: 35, memoryMiB: 65536, diskGiB: 0 }, used: { vcpus: 6, memoryMiB: 0, diskGiB: 0 } });
    const b = testHost('b', { physical: { vcpus: 5, memoryMiB: 65536, diskGiB: 0 } });
    const index = new FleetIndex([a, b]);
    const request = testRequest({ resources: { vcpus: 1, memoryMiB: 1, diskGiB: 0 } });
    expect(chooseHosts(index, request, pack)?.chosen).toBe('b');
    const softAnti = { ...request, group: { name: 'web', policy: 'anti-affinity', strength: 'soft' } } as const;
    expect(rankHosts(index, softAnti, pack).chosen).toBe('a');
    for (const options of [pack, { ...pack, listTop: 2 }])
      expectSameChoice(chooseHosts(index, softAnti, options), rankHosts(index, softAnti, options), 'rounding tie');
  });

  it('ranks soft-group members and non-members together by the summed score', () => {
    const hosts = [testHost('web1', { groupMembers: { web: 1 } }), testHost('plain'), testHost('web3', { groupMembers: { web: 3 } })];
    const index = new FleetIndex(hosts);
    const softAnti = testRequest({ group: { name: 'web', policy: 'anti-affinity', strength: 'soft' } });
    const softWith = testRequest({ group: { name: 'web', policy: 'affinity', strength: 'soft' } });
    for (const request of [softAnti, softWith]) {
      const options: PlacementOptions = { ...spread, listTop: 3 };
      expectSameChoice(chooseHosts(index, request, options), rankHosts(index, request, options), request.group);
    }
    expect(chooseHosts(index, softAnti, { ...spread, listTop: 3 })?.candidates.map((c) => c.hostId)).toEqual(['plain', 'web1', 'web3']);
    expect(chooseHosts(index, softWith, { ...spread, listTop: 3 })?.candidates.map((c) => c.hostId)).toEqual(['web3', 'web1', 'plain']);
  });
});

describe('FleetIndex flavour rankings', () => {
  it("hands rankings a group's live member counts, created for a group with no members yet and updated by claims", () => {
    const index = new FleetIndex([testHost('a', { groupMembers: { web: 2 } }), testHost('b')]);
    const web = index.liveMemberCounts('web');
    expect([...web]).toEqual([2, 0]);
    const fresh = index.liveMemberCounts('fresh');
    expect(index.groupPresence('fresh')).toEqual({ perHost: fresh, hostsWithMembers: 0 });
    index.claim('b', testRequest().resources, 'fresh');
    expect([...fresh]).toEqual([0, 1]);
    expect(index.liveMemberCounts('fresh')).toBe(fresh);
  });

  it('updates every live ranking for a claimed host, and leaves hosts outside the shape alone', () => {
    const index = new FleetIndex([testHost('a'), testHost('x', { driverKind: 'xen' }), testHost('b')]);
    const request = testRequest();
    const prefiltered = prefilteredFor(index, request);
    const positions = index.survivorPositions(prefiltered);
    expect([...positions]).toEqual([0, -1, 1]);
    expect(index.survivorPositions(prefiltered)).toBe(positions);
    const flavour: Flavour = { need: request.resources, line: UTILISATION_LINES.pack, multiplier: 1 };
    const packing = index.flavourRanking('pack', () => new FlavourRanking(index, prefiltered.survivors, positions, flavour));
    const spreading = index.flavourRanking(
      'spread',
      () => new FlavourRanking(index, prefiltered.survivors, positions, { ...flavour, line: UTILISATION_LINES.spread }),
    );
    expect(
      index.flavourRanking('pack', () => {
        throw new Error('built twice');
      }),
    ).toBe(packing);
    expect([packing.tree.bestFirst().next(), spreading.tree.bestFirst().next()]).toEqual([0, 0]); // a tie: lower position

    index.claim('b', request.resources);
    expect([packing.tree.bestFirst().next(), spreading.tree.bestFirst().next()]).toEqual([1, 0]);
    expect(packing.tree.valueAt(1)).toBe(packing.valueOf(2));
    index.claim('x', request.resources); // outside the shape: nothing to update
    index.claim('b', { vcpus: 14, memoryMiB: 0, diskGiB: 0 }); // b is full now: out of both rankings
    expect([packing.tree.valueAt(1), spreading.tree.valueAt(1)]).toEqual([-Infinity, -Infinity]);
    expect([packing.tree.bestFirst().next(), spreading.tree.bestFirst().next()]).toEqual([0, 0]);
  });

  it('keeps a bounded number of rankings, dropping the least recently used', () => {
    const index = new FleetIndex([testHost('a')]);
    const prefiltered = prefilteredFor(index, testRequest());
    const build = () =>
      new FlavourRanking(index, prefiltered.survivors, index.survivorPositions(prefiltered), {
        need: testRequest().resources,
        line: UTILISATION_LINES.pack,
        multiplier: 1,
      });
    const hot = index.flavourRanking('hot', build);
    const cold = index.flavourRanking('cold', build);
    for (let k = 0; k < 40; k++) {
      index.flavourRanking(String(k), build);
      expect(index.flavourRanking('hot', build)).toBe(hot); // used all along: never dropped
    }
    expect(index.flavourRanking('cold', build)).not.toBe(cold);
  });
});
