import type { Host, Instance } from '../generated/prisma/client.js';
import { snapshotOf } from './snapshot.js';

// Only the columns the snapshot reads; the rest of a row does not matter here.
const hostRow = (id: string): Host =>
  ({
    id,
    name: id,
    state: 'enabled',
    driverKind: 'qemu_kvm',
    cpus: 16,
    memoryMiB: 16384,
    diskGiB: 100,
    cpuRatio: 1,
    memoryRatio: 1,
    diskRatio: 1,
    labels: {},
    traits: ['cap:live-migrate'],
    foreignGuests: [],
    foreignVcpus: 0,
    foreignMemoryMiB: 0,
    simulated: false,
  }) as unknown as Host;

const instanceRow = (id: string, overrides: Partial<Instance> = {}): Instance =>
  ({
    id,
    name: id,
    hostId: 'h1',
    driverKind: 'qemu_kvm',
    vcpus: 1,
    memoryMiB: 512,
    diskGiB: 10,
    observedState: 'running',
    pinned: false,
    task: null,
    groupPolicy: null,
    groupHard: false,
    placementGroup: null,
    requiredHostLabels: {},
    requiredHostTraits: [],
    forbiddenHostTraits: [],
    placementWeigher: 'pack',
    requestedHostId: null,
    lastMigratedAt: null,
    ...overrides,
  }) as unknown as Instance;

describe('the planner snapshot from stored rows', () => {
  const charged = (_kind: unknown, size: { vcpus: number; memoryMiB: number; diskGiB: number }) => size;

  it('holds busy and unobservable instances for their own reasons, and keeps pinned apart from them', () => {
    const snapshot = snapshotOf(
      [hostRow('h1')],
      [
        instanceRow('busy', { task: 'migrating' } as Partial<Instance>),
        instanceRow('unknown', { observedState: 'unknown' } as Partial<Instance>),
        instanceRow('missing', { observedState: 'missing' } as Partial<Instance>),
        instanceRow('pinned', { pinned: true }),
        instanceRow('free'),
      ],
      charged,
      new Date(0),
    );
    const byId = new Map(snapshot.instances.map((i) => [i.id, i]));
    expect(byId.get('busy')).toMatchObject({ held: 'busy', pinned: false });
    expect(byId.get('unknown')).toMatchObject({ held: 'unobservable', pinned: false });
    expect(byId.get('missing')).toMatchObject({ held: 'unobservable', pinned: false });
    expect(byId.get('pinned')).toMatchObject({ held: undefined, pinned: true });
    expect(byId.get('free')).toMatchObject({ held: undefined, pinned: false, running: true });
  });
});
