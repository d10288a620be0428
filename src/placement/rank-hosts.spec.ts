import { seededRandom } from '../../bench/lib/prng.js';
import { NotFoundError } from '../common/domain-errors.js';
import { Capability } from '../hypervisor/capabilities.js';
import { FleetIndex } from './fleet-index.js';
import { NoValidHostExplanation, rankHosts } from './rank-hosts.js';
import { TIE_EPSILON, TIE_SET_LIMIT, type PlacementOptions } from './placement-types.js';
import { testHost, testRequest } from '../../test/fixtures/placement-hosts.js';

const pack: PlacementOptions = { weigher: 'pack' };
const spread: PlacementOptions = { weigher: 'spread' };

/** Hosts at 0%, 25%, 50% and 75% memory use; after the default request their dominant use is 12.5%, 31.25%, 56.25%, 81.25%. */
function graded() {
  return [0, 0.25, 0.5, 0.75].map((fill, i) => testHost(`m${i}`, { used: { vcpus: 0, memoryMiB: 65536 * fill, diskGiB: 0 } }));
}

describe('rankHosts', () => {
  it('answers an empty fleet with no-hosts and no rejections', () => {
    const decision = rankHosts([], testRequest(), pack);
    expect(decision).toEqual({ candidates: [], validHostCount: 0, rejections: [], tiedHostIds: [], chosen: null, reason: 'no-hosts' });
    expect(NoValidHostExplanation.of(decision)?.sentence).toBe('no valid host: the fleet has no hosts');
  });

  it('pack and spread choose opposite ends', () => {
    expect(rankHosts(graded(), testRequest(), pack).chosen).toBe('m3');
    expect(rankHosts(graded(), testRequest(), spread).chosen).toBe('m0');
  });

  it('ranks candidates best first with a breakdown that adds up to the score', () => {
    const decision = rankHosts(graded(), testRequest(), { ...pack, listTop: 4 });
    expect(decision.candidates.map((c) => c.hostId)).toEqual(['m3', 'm2', 'm1', 'm0']);
    expect(decision.candidates[0]).toEqual({ hostId: 'm3', hostName: 'm3-name', score: 0.8125, breakdown: { pack: 0.8125 } });
    expect(decision.validHostCount).toBe(4);
    expect(decision.reason).toBeNull();
  });

  it('lists only the best candidate by default but counts every valid host', () => {
    const decision = rankHosts(graded(), testRequest(), pack);
    expect(decision.candidates.map((c) => c.hostId)).toEqual(['m3']);
    expect(decision.validHostCount).toBe(4);
  });

  it('breaks ties by fleet order unless asked to draw, and reports the tie set', () => {
    const twins = [testHost('b'), testHost('a'), testHost('c')];
    const decision = rankHosts(twins, testRequest(), pack);
    expect(decision.chosen).toBe('b');
    expect(decision.tiedHostIds).toEqual(['b', 'a', 'c']);
    expect(rankHosts(twins, testRequest(), { ...pack, random: () => 0.99 }).chosen).toBe('b');
    const draw = (r: number) => rankHosts(twins, testRequest(), { ...pack, tieBreak: 'random', random: () => r }).chosen;
    expect([draw(0), draw(0.34), draw(0.67), draw(1)]).toEqual(['b', 'a', 'c', 'c']); // an RNG returning 1 must not fall off the end
  });

  it('never draws a host scored worse than the best, whatever the RNG', () => {
    for (const r of [0, 0.5, 0.99]) {
      const decision = rankHosts(graded(), testRequest(), { ...pack, tieBreak: 'random', random: () => r, listTop: 4 });
      expect(decision.chosen).toBe('m3');
      expect(decision.tiedHostIds).toEqual(['m3']);
    }
  });

  it('counts scores within TIE_EPSILON of the best as tied, and no others', () => {
    const almost = [
      testHost('a'),
      testHost('b', { used: { vcpus: 1e-9, memoryMiB: 1e-6, diskGiB: 1e-9 } }),
      testHost('c', { used: { vcpus: 4, memoryMiB: 16384, diskGiB: 100 } }),
    ];
    const decision = rankHosts(almost, testRequest(), { ...spread, listTop: 3 });
    expect(decision.tiedHostIds).toEqual(['a', 'b']);
    expect(decision.candidates[0]!.score - decision.candidates[1]!.score).toBeLessThan(TIE_EPSILON);
    expect(decision.candidates[0]!.score - decision.candidates[2]!.score).toBeGreaterThan(TIE_EPSILON);
  });

  it('bounds the tie set to TIE_SET_LIMIT hosts in fleet order, whatever listTop is', () => {
    const many = Array.from({ length: TIE_SET_LIMIT + 3 }, (_, i) => testHost(`t${i}`));
    const expected = many.slice(0, TIE_SET_LIMIT).map((h) => h.id);
    for (const listTop of [1, 2, 10]) expect(rankHosts(many, testRequest(), { ...spread, listTop }).tiedHostIds).toEqual(expected);
  });

  it('spreads sequential claims over equal empty hosts, one per host, with a random tie-break', () => {
    const random = seededRandom(6);
    const hosts = Array.from({ length: 8 }, (_, i) => testHost(`s${i}`));
    const index = new FleetIndex(hosts);
    const landed: string[] = [];
    for (let n = 0; n < hosts.length; n++) {
      const chosen = rankHosts(index, testRequest(), { ...spread, tieBreak: 'random', random, listTop: 5 }).chosen!;
      landed.push(chosen);
      index.claim(chosen, testRequest().resources);
    }
    expect(new Set(landed).size).toBe(hosts.length);
  });

  it('caps the draw at the number of valid hosts', () => {
    const hosts = [testHost('a'), testHost('b', { state: 'offline' })];
    expect(rankHosts(hosts, testRequest(), { ...pack, tieBreak: 'random', random: () => 0.99 }).chosen).toBe('a');
  });

  it('never picks the excluded migration source, even when it is the best fit', () => {
    const hosts = graded();
    const request = testRequest({ excludeHostIds: ['m3'], requireCapabilities: [Capability.LiveMigrate] });
    const decision = rankHosts(hosts, request, pack);
    expect(decision.chosen).toBe('m2');
    expect(decision.rejections).toEqual([
      { filter: 'excluded-host', count: 1, examples: ['m3-name (excluded by the request)'], causes: ['excluded by the request'] },
    ]);
  });

  it('sends a live migration only to a host that can live-migrate', () => {
    const hosts = [testHost('lxc', { driverKind: 'lxc' }), testHost('kvm', { used: { vcpus: 0, memoryMiB: 60000, diskGiB: 0 } })];
    const request = testRequest({ driverKind: 'lxc', guestType: 'container', requireCapabilities: [Capability.LiveMigrate] });
    const decision = rankHosts(hosts, request, pack);
    expect(decision.chosen).toBeNull();
    expect(decision.rejections.map((r) => [r.filter, r.count])).toEqual([
      ['driver-guest', 1],
      ['capabilities', 1],
    ]);
  });

  it('counts each host against the first filter that rejects it', () => {
    const hosts = [
      testHost('maint', { state: 'maintenance', driverKind: 'xen' }), // also wrong driver: counted once, by host-state
      testHost('xen1', { driverKind: 'xen' }),
      testHost('xen2', { driverKind: 'xen' }),
      testHost('small1', { used: { vcpus: 0, memoryMiB: 65536, diskGiB: 0 } }),
      testHost('small2', { used: { vcpus: 0, memoryMiB: 62000, diskGiB: 0 } }),
      testHost('small3', { used: { vcpus: 15, memoryMiB: 62000, diskGiB: 0 } }),
      testHost('small4', { used: { vcpus: 16, memoryMiB: 0, diskGiB: 0 } }),
    ];
    const decision = rankHosts(hosts, testRequest(), pack);
    expect(decision.chosen).toBeNull();
    expect(decision.reason).toBe('all-rejected');
    expect(decision.validHostCount).toBe(0);
    expect(decision.rejections).toEqual([
      { filter: 'host-state', count: 1, examples: ['maint-name (maintenance)'], causes: ['maintenance'] },
      {
        filter: 'driver-guest',
        count: 2,
        examples: ['xen1-name (no driver:qemu-kvm)', 'xen2-name (no driver:qemu-kvm)'],
        causes: ['no driver:qemu-kvm'],
      },
      {
        filter: 'capacity',
        count: 4,
        examples: ['small1-name (memoryMiB short)', 'small2-name (memoryMiB short)', 'small3-name (vcpus, memoryMiB short)'],
        causes: ['memoryMiB short', 'vcpus, memoryMiB short'],
      },
    ]);
    expect(NoValidHostExplanation.of(decision)?.toString()).toBe(
      'no valid host: 4 hosts rejected by capacity (memoryMiB short; vcpus, memoryMiB short), ' +
        '2 by driver-guest (no driver:qemu-kvm), 1 by host-state (maintenance)',
    );
  });

  it('gives no explanation when a host was chosen', () => {
    expect(NoValidHostExplanation.of(rankHosts(graded(), testRequest(), pack))).toBeNull();
  });

  it('says "1 host" for a single rejection', () => {
    const decision = rankHosts([testHost('a', { state: 'standby' })], testRequest(), pack);
    expect(String(NoValidHostExplanation.of(decision))).toBe('no valid host: 1 host rejected by host-state (standby)');
  });

  describe('groups', () => {
    const withWeb = testHost('web-host', { used: { vcpus: 0, memoryMiB: 8192, diskGiB: 0 }, groupMembers: { web: 1 } });
    const emptier = testHost('empty');
    const fuller = testHost('full', { used: { vcpus: 0, memoryMiB: 49152, diskGiB: 0 } });

    it('hard anti-affinity refuses the only host left rather than break the rule', () => {
      const request = testRequest({ group: { name: 'web', policy: 'anti-affinity', strength: 'hard' } });
      const decision = rankHosts([withWeb], request, spread);
      expect(decision.chosen).toBeNull();
      expect(decision.rejections.map((r) => [r.filter, r.count])).toEqual([['anti-affinity', 1]]);
    });

    it('soft anti-affinity places on the member host when nothing else fits', () => {
      const request = testRequest({ group: { name: 'web', policy: 'anti-affinity', strength: 'soft' } });
      expect(rankHosts([withWeb], request, spread).chosen).toBe('web-host');
    });

    it('soft anti-affinity outweighs pack by default, and loses when its weight is small', () => {
      const request = testRequest({ group: { name: 'web', policy: 'anti-affinity', strength: 'soft' } });
      const fleet = [withWeb, emptier];
      expect(rankHosts(fleet, request, pack).chosen).toBe('empty');
      expect(rankHosts(fleet, request, { ...pack, softGroupWeight: 0.01 }).chosen).toBe('web-host');
      expect(rankHosts(fleet, request, { ...pack, multipliers: { 'soft-anti-affinity': 0 } }).chosen).toBe('web-host');
    });

    it('reports each weigher in the breakdown', () => {
      const request = testRequest({ group: { name: 'web', policy: 'anti-affinity', strength: 'soft' } });
      const [best] = rankHosts([withWeb, emptier], request, spread).candidates;
      expect(best).toEqual({
        hostId: 'empty',
        hostName: 'empty-name',
        score: 2.875,
        breakdown: { spread: 0.875, 'soft-anti-affinity': 2 },
      });
    });

    it('soft affinity draws toward the member host even when spreading', () => {
      const request = testRequest({ group: { name: 'web', policy: 'affinity', strength: 'soft' } });
      expect(rankHosts([emptier, withWeb], request, spread).chosen).toBe('web-host');
    });

    it('hard affinity bootstraps anywhere, then follows the first member', () => {
      const request = testRequest({ group: { name: 'db', policy: 'affinity', strength: 'hard' } });
      expect(rankHosts([emptier, fuller], request, pack).chosen).toBe('full');
      const withDb = testHost('db-host', { groupMembers: { db: 1 } });
      const decision = rankHosts([fuller, withDb], request, pack);
      expect(decision.chosen).toBe('db-host');
      expect(decision.rejections).toEqual([
        { filter: 'affinity', count: 1, examples: ['full-name (runs no member of db)'], causes: ['runs no member of db'] },
      ]);
    });
  });

  it('gives the same decision for a FleetIndex reused across requests as for the plain array', () => {
    const hosts = [...graded(), testHost('x', { driverKind: 'xen', labels: { zone: 'b' } }), testHost('y', { state: 'draining' })];
    const index = new FleetIndex(hosts);
    const requests = [
      testRequest(),
      testRequest({ driverKind: 'xen', guestType: 'xen-hvm', requiredLabels: { zone: 'b' } }),
      testRequest({ requiredLabels: { zone: 'b' } }),
      testRequest({ resources: { vcpus: 17, memoryMiB: 1, diskGiB: 1 } }),
    ];
    for (const request of requests) {
      for (const options of [pack, spread]) expect(rankHosts(index, request, options)).toEqual(rankHosts(hosts, request, options));
    }
  });
});

describe('the one-pass capacity + pack/spread path', () => {
  function randomFleet(random: () => number, size: number) {
    return Array.from({ length: size }, (_, i) => {
      const physical = {
        vcpus: 8 + Math.floor(random() * 8) * 8,
        memoryMiB: 16384 * (1 + Math.floor(random() * 8)),
        diskGiB: 500 * (1 + Math.floor(random() * 4)),
      };
      const ratios = { cpu: [1, 2, 4][Math.floor(random() * 3)]!, memory: random() < 0.2 ? 1.5 : 1, disk: 1 };
      const fill = random() * 1.1;
      const used = {
        vcpus: Math.floor(physical.vcpus * ratios.cpu * Math.min(1, fill * random() * 1.2)),
        memoryMiB: Math.floor(physical.memoryMiB * ratios.memory * Math.min(1, fill)),
        diskGiB: Math.floor(physical.diskGiB * Math.min(1, fill * random())),
      };
      return testHost(`r${i}`, { physical, ratios, used, state: random() < 0.1 ? 'maintenance' : 'enabled' });
    });
  }

  it('agrees with the filter-then-weigh passes: same hosts in the same order, counts, rejections and examples', () => {
    const random = seededRandom(20261130); // seeded: a failing case can be replayed
    for (let round = 0; round < 60; round++) {
      const hosts = randomFleet(random, 1 + Math.floor(random() * 300));
      const index = new FleetIndex(hosts);
      const resources = {
        vcpus: 1 + Math.floor(random() * 16),
        memoryMiB: 1024 * (1 + Math.floor(random() * 32)),
        diskGiB: Math.floor(random() * 200),
      };
      const excludeHostIds = random() < 0.5 ? [hosts[Math.floor(random() * hosts.length)]!.id] : undefined;
      for (const weigher of ['pack', 'spread'] as const) {
        const options: PlacementOptions = { weigher, listTop: 5 };
        const onePass = rankHosts(index, testRequest({ resources, excludeHostIds }), options);
        // A soft group nobody belongs to adds the same 1 to every host: the ranking cannot
        // change, but a second weigher sends the decision down the general passes.
        const general = rankHosts(
          index,
          testRequest({ resources, excludeHostIds, group: { name: 'nobody', policy: 'anti-affinity', strength: 'soft' } }),
          { ...options, softGroupWeight: 1 },
        );
        expect(onePass.candidates.map((c) => c.hostId)).toEqual(general.candidates.map((c) => c.hostId));
        onePass.candidates.forEach((c, i) => expect(c.score + 1).toBeCloseTo(general.candidates[i]!.score, 12));
        expect({ valid: onePass.validHostCount, rejections: onePass.rejections, reason: onePass.reason }).toEqual({
          valid: general.validHostCount,
          rejections: general.rejections,
          reason: general.reason,
        });
      }
    }
  });
});

describe('FleetIndex.claim', () => {
  it('makes the next decision see the claimed capacity, with a matching explanation', () => {
    const index = new FleetIndex([testHost('a'), testHost('b')]);
    const request = testRequest({ resources: { vcpus: 10, memoryMiB: 1024, diskGiB: 10 } });
    expect(rankHosts(index, request, pack).chosen).toBe('a');
    index.claim('a', request.resources);
    expect(rankHosts(index, request, pack).chosen).toBe('b');
    index.claim('b', request.resources);
    const decision = rankHosts(index, request, pack);
    expect(decision.chosen).toBeNull();
    expect(decision.rejections).toEqual([
      { filter: 'capacity', count: 2, examples: ['a-name (vcpus short)', 'b-name (vcpus short)'], causes: ['vcpus short'] },
    ]);
  });

  it('counts a claimed group member for anti-affinity and affinity', () => {
    const index = new FleetIndex([testHost('a'), testHost('b'), testHost('c')]);
    const spreadOut = testRequest({ group: { name: 'web', policy: 'anti-affinity', strength: 'hard' } });
    const together = testRequest({ group: { name: 'web', policy: 'affinity', strength: 'hard' } });
    index.claim('a', spreadOut.resources, 'web');
    expect(rankHosts(index, spreadOut, pack).chosen).toBe('b');
    expect(rankHosts(index, spreadOut, pack).rejections[0]?.examples).toEqual(['a-name (already runs a member of web)']);
    expect(rankHosts(index, together, spread).chosen).toBe('a');
    expect(rankHosts(index, together, spread).rejections.map((r) => [r.filter, r.count])).toEqual([['affinity', 2]]);
  });

  it('refuses a host the index does not know', () => {
    expect(() => new FleetIndex([testHost('a')]).claim('zzz', testRequest().resources)).toThrow(NotFoundError);
  });
});
