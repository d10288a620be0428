import { FleetIndex } from '../fleet-index.js';
import type { HostCandidate, PlacementRequest } from '../placement-types.js';
import type { PlacementWeigher } from './placement-weigher.js';
import { testHost, testRequest } from '../../../test/fixtures/placement-hosts.js';
import { HostPool } from '../host-pool.js';
import { packWeigher } from './pack.weigher.js';
import { softAffinityWeigher, softAntiAffinityWeigher } from './soft-group.weighers.js';
import { spreadWeigher } from './spread.weigher.js';

/** Scores of every host, via the hot path; checks it agrees with the one-host `score`. */
function scoresOf(weigher: PlacementWeigher<unknown>, hosts: readonly HostCandidate[], request: PlacementRequest): number[] {
  const fleet = new FleetIndex(hosts);
  const prepared = weigher.prepare(fleet, request);
  const pool = new HostPool(Int32Array.from(hosts.keys()), hosts.length);
  const scores = new Float64Array(hosts.length);
  weigher.addScores(fleet, prepared, 1, pool, scores);
  hosts.forEach((_, h) => expect(scores[h]).toBeCloseTo(weigher.score(fleet, h, prepared), 12));
  return [...scores];
}

const request = testRequest({ resources: { vcpus: 2, memoryMiB: 8192, diskGiB: 64 } });
// 16 vCPU / 64 GiB / 1 TiB hosts; memory is the dominant dimension for this request.
const empty = testHost('empty');
const half = testHost('half', { used: { vcpus: 4, memoryMiB: 32768 - 8192, diskGiB: 0 } });
const nearlyFull = testHost('full', { used: { vcpus: 0, memoryMiB: 65536 - 8192, diskGiB: 0 } });
const cpuHeavy = testHost('cpu', { used: { vcpus: 14, memoryMiB: 0, diskGiB: 0 } });

describe('pack weigher', () => {
  it('scores the dominant post-placement utilisation', () => {
    expect(scoresOf(packWeigher, [empty, half, nearlyFull, cpuHeavy], request)).toEqual([0.125, 0.5, 1, 1]);
  });

  it('treats a dimension the host does not offer as empty, not as NaN', () => {
    const noDisk = testHost('nodisk', { physical: { vcpus: 16, memoryMiB: 65536, diskGiB: 0 } });
    const diskless = testRequest({ resources: { vcpus: 4, memoryMiB: 8192, diskGiB: 0 } });
    expect(scoresOf(packWeigher, [noDisk], diskless)).toEqual([0.25]);
  });

  it('uses overcommitted capacity as the denominator', () => {
    const overcommitted = testHost('oc', { ratios: { cpu: 4, memory: 1, disk: 1 }, used: { vcpus: 30, memoryMiB: 0, diskGiB: 0 } });
    expect(scoresOf(packWeigher, [overcommitted], testRequest({ resources: { vcpus: 2, memoryMiB: 0, diskGiB: 0 } }))).toEqual([0.5]);
  });
});

describe('spread weigher', () => {
  it('is the complement of pack', () => {
    expect(scoresOf(spreadWeigher, [empty, half, nearlyFull, cpuHeavy], request)).toEqual([0.875, 0.5, 0, 0]);
  });
});

describe('soft group weighers', () => {
  const hosts = [testHost('none'), testHost('one', { groupMembers: { web: 1 } }), testHost('three', { groupMembers: { web: 3, db: 9 } })];

  it('affinity prefers more members, in [0, 1)', () => {
    const r = testRequest({ group: { name: 'web', policy: 'affinity', strength: 'soft' } });
    expect(scoresOf(softAffinityWeigher, hosts, r)).toEqual([0, 0.5, 0.75]);
  });

  it('anti-affinity prefers fewer members, in (0, 1]', () => {
    const r = testRequest({ group: { name: 'web', policy: 'anti-affinity', strength: 'soft' } });
    expect(scoresOf(softAntiAffinityWeigher, hosts, r)).toEqual([1, 0.5, 0.25]);
  });

  it('scores every host alike for a group nobody belongs to yet', () => {
    const r = testRequest({ group: { name: 'new', policy: 'anti-affinity', strength: 'soft' } });
    expect(scoresOf(softAntiAffinityWeigher, hosts, r)).toEqual([1, 1, 1]);
  });
});
