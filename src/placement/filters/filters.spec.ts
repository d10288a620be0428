import { Capability, capabilityTraits } from '../../hypervisor/capabilities.js';
import { FleetIndex } from '../fleet-index.js';
import { HostPool } from '../host-pool.js';
import type { HostCandidate, PlacementRequest } from '../placement-types.js';
import type { PlacementFilter } from './placement-filter.js';
import { testHost, testRequest } from '../../../test/fixtures/placement-hosts.js';
import {
  affinityFilter,
  antiAffinityFilter,
  capabilitiesFilter,
  capacityFilter,
  driverGuestFilter,
  excludedHostFilter,
  hostStateFilter,
  labelsFilter,
  PER_DECISION_FILTERS,
  simulatedFilter,
  SNAPSHOT_FILTERS,
  traitsFilter,
} from './index.js';

const INACTIVE = 'inactive for this request';

/**
 * Runs one filter over `fleet` and returns the cause for `host` (null = passes). Also checks
 * that the hot path (sieve) and the explanation (reason) agree, and that sieving keeps order.
 */
function causeFor(
  filter: PlacementFilter<unknown>,
  host: HostCandidate,
  request: PlacementRequest,
  fleet: readonly HostCandidate[] = [host],
): string | null {
  const index = new FleetIndex(fleet);
  const prepared = filter.prepare(index, request);
  if (prepared === null) return INACTIVE;
  const pool = new HostPool(Int32Array.from(fleet.keys()), fleet.length);
  pool.beginFilter();
  filter.sieve(index, prepared, pool);
  const survivors = [...pool.indexes.subarray(0, pool.count)];
  expect(survivors).toEqual([...survivors].sort((a, b) => a - b));
  expect(pool.rejectedCount).toBe(fleet.length - pool.count);
  const cause = filter.reason(host, prepared);
  expect(survivors.includes(fleet.indexOf(host))).toBe(cause === null);
  return cause;
}

describe('host-state filter', () => {
  it('passes enabled hosts only', () => {
    expect(causeFor(hostStateFilter, testHost('a'), testRequest())).toBeNull();
    for (const state of ['maintenance', 'draining', 'offline', 'standby'] as const) {
      expect(causeFor(hostStateFilter, testHost('a', { state }), testRequest())).toBe(state);
    }
  });
});

describe('excluded-host filter', () => {
  it('rejects the excluded source host and passes the others', () => {
    const source = testHost('source');
    const other = testHost('other');
    const request = testRequest({ excludeHostIds: ['source'] });
    expect(causeFor(excludedHostFilter, source, request, [source, other])).toBe('excluded by the request');
    expect(causeFor(excludedHostFilter, other, request, [source, other])).toBeNull();
  });

  it('is inactive without exclusions and ignores ids the fleet does not know', () => {
    expect(causeFor(excludedHostFilter, testHost('a'), testRequest())).toBe(INACTIVE);
    expect(causeFor(excludedHostFilter, testHost('a'), testRequest({ excludeHostIds: ['ghost'] }))).toBeNull();
  });
});

describe('capacity filter', () => {
  const request = testRequest({ resources: { vcpus: 4, memoryMiB: 8192, diskGiB: 100 } });

  it('passes an exact fit', () => {
    const host = testHost('a', { used: { vcpus: 12, memoryMiB: 65536 - 8192, diskGiB: 924 } });
    expect(causeFor(capacityFilter, host, request)).toBeNull();
  });

  it('rejects one unit over, naming the short dimension', () => {
    const host = testHost('a', { used: { vcpus: 12, memoryMiB: 65536 - 8191, diskGiB: 924 } });
    expect(causeFor(capacityFilter, host, request)).toBe('memoryMiB short');
  });

  it('names every short dimension', () => {
    const host = testHost('a', { used: { vcpus: 13, memoryMiB: 0, diskGiB: 925 } });
    expect(causeFor(capacityFilter, host, request)).toBe('vcpus, diskGiB short');
  });

  it('rounds overcommitted capacity down: 3 vCPUs × 1.5 gives 4, not 4.5', () => {
    const host = testHost('a', { physical: { vcpus: 3, memoryMiB: 65536, diskGiB: 1024 }, ratios: { cpu: 1.5, memory: 1, disk: 1 } });
    const needing = (vcpus: number) => testRequest({ resources: { vcpus, memoryMiB: 1, diskGiB: 1 } });
    expect(causeFor(capacityFilter, host, needing(4))).toBeNull();
    expect(causeFor(capacityFilter, host, needing(5))).toBe('vcpus short');
  });

  it('counts what is already used against the overcommitted capacity', () => {
    const host = testHost('a', { ratios: { cpu: 2, memory: 1.2, disk: 1 }, used: { vcpus: 30, memoryMiB: 78643 - 4096, diskGiB: 0 } });
    expect(causeFor(capacityFilter, host, testRequest({ resources: { vcpus: 2, memoryMiB: 4096, diskGiB: 1 } }))).toBeNull();
    expect(causeFor(capacityFilter, host, testRequest({ resources: { vcpus: 3, memoryMiB: 4096, diskGiB: 1 } }))).toBe('vcpus short');
    expect(causeFor(capacityFilter, host, testRequest({ resources: { vcpus: 2, memoryMiB: 4097, diskGiB: 1 } }))).toBe('memoryMiB short');
  });
});

describe('driver-guest filter', () => {
  it('requires the driver and guest-type traits', () => {
    const xen = testHost('x', { driverKind: 'xen' });
    expect(causeFor(driverGuestFilter, xen, testRequest({ driverKind: 'xen', guestType: 'xen-pv' }))).toBeNull();
    expect(causeFor(driverGuestFilter, xen, testRequest())).toBe('no driver:qemu-kvm');
    expect(causeFor(driverGuestFilter, xen, testRequest({ driverKind: 'xen', guestType: 'container' }))).toBe('no guest:container');
  });

  it('reads traits, not the driverKind field: a withheld guest type is refused', () => {
    const xenNoPv = testHost('x', { driverKind: 'xen', traits: capabilityTraits('xen').filter((t) => t !== 'guest:xen-pv') });
    const kvm = testHost('k');
    const request = testRequest({ driverKind: 'xen', guestType: 'xen-pv' });
    expect(causeFor(driverGuestFilter, xenNoPv, request, [xenNoPv, kvm])).toBe('no guest:xen-pv');
  });
});

describe('capabilities filter', () => {
  it('keeps LXC hosts out of live-migration targets', () => {
    const lxc = testHost('l', { driverKind: 'lxc' });
    const kvm = testHost('k');
    const request = testRequest({ requireCapabilities: [Capability.LiveMigrate] });
    expect(causeFor(capabilitiesFilter, lxc, request, [lxc, kvm])).toBe('no cap:live-migrate');
    expect(causeFor(capabilitiesFilter, kvm, request, [lxc, kvm])).toBeNull();
  });

  it('is inactive when no capability is required', () => {
    expect(causeFor(capabilitiesFilter, testHost('a'), testRequest())).toBe(INACTIVE);
  });
});

describe('traits filter', () => {
  const gpu = testHost('gpu', { traits: [...capabilityTraits('qemu-kvm'), 'gpu:a100', 'ssd'] });
  const plain = testHost('plain');
  const fleet = [gpu, plain];

  it('requires every required trait', () => {
    const request = testRequest({ requiredTraits: ['ssd', 'gpu:a100'] });
    expect(causeFor(traitsFilter, gpu, request, fleet)).toBeNull();
    expect(causeFor(traitsFilter, plain, request, fleet)).toBe('lacks trait ssd');
  });

  it('rejects a forbidden trait', () => {
    const request = testRequest({ forbiddenTraits: ['gpu:a100'] });
    expect(causeFor(traitsFilter, gpu, request, fleet)).toBe('has forbidden trait gpu:a100');
    expect(causeFor(traitsFilter, plain, request, fleet)).toBeNull();
  });

  it('rejects every host for a trait no host has, and ignores a forbidden trait no host has', () => {
    expect(causeFor(traitsFilter, gpu, testRequest({ requiredTraits: ['fpga'] }), fleet)).toBe('lacks trait fpga');
    expect(causeFor(traitsFilter, plain, testRequest({ forbiddenTraits: ['fpga'] }), fleet)).toBeNull();
  });
});

describe('labels filter', () => {
  const euRack1 = testHost('a', { labels: { zone: 'eu-1', rack: 'r1' } });
  const euRack2 = testHost('b', { labels: { zone: 'eu-1', rack: 'r2' } });
  const unlabelled = testHost('c');
  const fleet = [euRack1, euRack2, unlabelled];

  it('matches every required key to its exact value', () => {
    const request = testRequest({ requiredLabels: { zone: 'eu-1', rack: 'r1' } });
    expect(causeFor(labelsFilter, euRack1, request, fleet)).toBeNull();
    expect(causeFor(labelsFilter, euRack2, request, fleet)).toBe('needs label rack=r1');
    expect(causeFor(labelsFilter, unlabelled, request, fleet)).toBe('needs label zone=eu-1');
  });

  it('does not confuse a key=value pair with a differently split one', () => {
    const tricky = testHost('t', { labels: { 'zone=eu': '1' } });
    expect(causeFor(labelsFilter, tricky, testRequest({ requiredLabels: { zone: 'eu=1' } }), [tricky])).toBe('needs label zone=eu=1');
  });
});

describe('anti-affinity filter (hard)', () => {
  const occupied = testHost('a', { groupMembers: { web: 1 } });
  const free = testHost('b', { groupMembers: { db: 3 } });
  const fleet = [occupied, free];

  it('rejects hosts with any member of the group', () => {
    const request = testRequest({ group: { name: 'web', policy: 'anti-affinity', strength: 'hard' } });
    expect(causeFor(antiAffinityFilter, occupied, request, fleet)).toBe('already runs a member of web');
    expect(causeFor(antiAffinityFilter, free, request, fleet)).toBeNull();
  });

  it('leaves soft anti-affinity to the weighers', () => {
    const request = testRequest({ group: { name: 'web', policy: 'anti-affinity', strength: 'soft' } });
    expect(causeFor(antiAffinityFilter, occupied, request, fleet)).toBe(INACTIVE);
  });
});

describe('affinity filter (hard)', () => {
  const request = testRequest({ group: { name: 'db', policy: 'affinity', strength: 'hard' } });

  it('keeps only hosts with members once the group has any', () => {
    const withMember = testHost('a', { groupMembers: { db: 2 } });
    const without = testHost('b', { groupMembers: { web: 1 } });
    expect(causeFor(affinityFilter, without, request, [withMember, without])).toBe('runs no member of db');
    expect(causeFor(affinityFilter, withMember, request, [withMember, without])).toBeNull();
  });

  it('lets the first member of a group go anywhere (bootstrap)', () => {
    expect(causeFor(affinityFilter, testHost('b'), request, [testHost('a'), testHost('b')])).toBe(INACTIVE);
  });

  it('counts members on a host in maintenance as "members somewhere"', () => {
    const parked = testHost('a', { state: 'maintenance', groupMembers: { db: 1 } });
    expect(causeFor(affinityFilter, testHost('b'), request, [parked, testHost('b')])).toBe('runs no member of db');
  });
});

describe('simulated filter', () => {
  const sim = testHost('demo', { traits: [...capabilityTraits('qemu-kvm'), 'sim'] });
  const real = testHost('real');

  it('keeps simulated hosts out of a plain request', () => {
    expect(causeFor(simulatedFilter, sim, testRequest(), [sim, real])).toBe('simulated (pin it with hostId or require its labels)');
    expect(causeFor(simulatedFilter, real, testRequest(), [sim, real])).toBeNull();
  });

  it.each([
    ['a pinned host', { hostId: 'demo' }],
    ['required host labels', { requiredLabels: { rack: 'sim' } }],
    ['the sim trait', { requiredTraits: ['sim'] }],
  ])('lets %s select them', (_what, explicit) => {
    expect(causeFor(simulatedFilter, sim, testRequest(explicit), [sim, real])).toBe(INACTIVE);
  });
});

describe('filter order', () => {
  it('runs the memoizable snapshot checks first, cheap first, and group checks last', () => {
    expect([...SNAPSHOT_FILTERS, ...PER_DECISION_FILTERS].map((f) => f.name)).toEqual([
      'host-state',
      'driver-guest',
      'capabilities',
      'traits',
      'labels',
      'simulated',
      'excluded-host',
      'capacity',
      'anti-affinity',
      'affinity',
    ]);
  });
});
