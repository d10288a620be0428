// The fake against the driver contract, without libvirt (the same suite runs it, and the
// libvirt drivers, in test/driver-contract.e2e-spec.ts), then what only a fleet of fake hosts
// shows: live migration between two of them, and hosts that stop answering.
import { DRIVER_KINDS } from '../capabilities.js';
import { ConflictError, DependencyUnavailableError, HypervisorError, UnprocessableError } from '../../common/domain-errors.js';
import type { MigrationProgress } from '../hypervisor-driver.js';
import type { DomainSpec } from '../xml/domain-spec.js';
import { describeDriverContract } from '../../../test/support/driver-contract.js';
import { fakeBackdoor } from '../../../test/support/fake-backdoor.js';
import { guestSpecFor } from '../../../test/support/guest-fixtures.js';
import { loadConfig } from '../../config/app-config.js';
import { DriverRegistry } from '../driver-registry.js';
import { LibvirtConnectionPool } from '../libvirt/libvirt-connection-pool.js';
import { FakeDriver } from './fake-driver.js';
import { FakeFleet, fakeHostUri, isFakeUri } from './fake-fleet.js';
import { FakeOrRealDriver } from './fake-or-real-driver.js';

const contractFleet = new FakeFleet();
const a = contractFleet.addHost('a');
const b = contractFleet.addHost('b');

describeDriverContract(
  DRIVER_KINDS.map((kind) => ({ kind, uri: a, peerUri: b, host: 'fake' as const })),
  { driver: (t) => new FakeDriver(t.kind, contractFleet), backdoor: () => fakeBackdoor(contractFleet) },
);

describe('fake hosts', () => {
  let fleet: FakeFleet;
  let source: string;
  let target: string;
  const kvm = () => new FakeDriver('qemu-kvm', fleet);

  beforeEach(() => {
    fleet = new FakeFleet();
    source = fleet.addHost('source', { memoryMiB: 4096 });
    target = fleet.addHost('target', { memoryMiB: 4096 });
  });

  it('are named fake:///<dns label> and nothing else', () => {
    expect(fakeHostUri('h-1')).toBe('fake:///h-1');
    expect(isFakeUri('fake:///h-1')).toBe(true);
    for (const uri of ['fake:///', 'fake:///H1', 'fake://x/h1', 'fake:///h1?socket=/x', 'test:///default', 'fake:///a/b'])
      expect(isFakeUri(uri)).toBe(false);
    expect(() => fakeHostUri('../x')).toThrow(UnprocessableError);
  });

  it('live-migrate a running guest: it leaves the source and runs on the target, progress reported', async () => {
    const driver = kvm();
    const spec = guestSpecFor('qemu-kvm', 'mover');
    await driver.define(source, spec);
    await driver.start(source, spec);
    const progress: MigrationProgress['phase'][] = [];
    await driver.liveMigrate(source, spec, target, { onProgress: (p) => progress.push(p.phase) });
    expect(await driver.observe(source, spec)).toEqual({ state: 'missing', reason: 'not-defined' });
    expect(await driver.observe(target, spec)).toEqual({ state: 'running', reason: 'migrated' });
    expect(progress[0]).toBe('started');
    expect(progress).toContain('transferring');
    expect(progress.at(-1)).toBe('completed');
    // The probe sees the memory move with it.
    expect((await driver.probe(source)).freeMemoryMiB).toBe(4096);
    expect((await driver.probe(target)).freeMemoryMiB).toBe(4096 - 64);
  });

  it('leave an aborted live migration on the source', async () => {
    const driver = kvm();
    const spec = guestSpecFor('qemu-kvm', 'stays');
    await driver.define(source, spec);
    await driver.start(source, spec);
    const abort = new AbortController();
    const moving = driver.liveMigrate(source, spec, target, {
      onProgress: (p) => p.phase === 'started' && abort.abort(),
      signal: abort.signal,
    });
    await expect(moving).rejects.toBeInstanceOf(HypervisorError);
    await expect(moving).rejects.toThrow(/aborted/);
    expect(await driver.observe(source, spec)).toMatchObject({ state: 'running' });
    expect(await driver.observe(target, spec)).toEqual({ state: 'missing', reason: 'not-defined' });
  });

  it('reach only fake hosts: a migration to a libvirt URI is refused, the guest stays', async () => {
    const driver = kvm();
    const spec = guestSpecFor('qemu-kvm', 'local');
    await driver.define(source, spec);
    await driver.start(source, spec);
    await expect(driver.liveMigrate(source, spec, 'qemu+tcp://192.0.2.1/system')).rejects.toThrow(/reaches only fake hosts/);
    await expect(driver.liveMigrate(source, spec, source)).rejects.toBeInstanceOf(UnprocessableError);
    expect(await driver.observe(source, spec)).toMatchObject({ state: 'running' });
  });

  it('refuse a second guest of the same name (409)', async () => {
    const driver = kvm();
    await driver.define(source, guestSpecFor('qemu-kvm', 'twin'));
    await expect(driver.define(source, guestSpecFor('qemu-kvm', 'twin'))).rejects.toBeInstanceOf(ConflictError);
  });

  it('that stop answering fail calls with 503, observe as unknown (never stopped), and end their watches', async () => {
    const driver = kvm();
    const spec = guestSpecFor('qemu-kvm', 'cut-off');
    await driver.define(source, spec);
    const watch = await driver.watchGuests(source, () => undefined);
    fleet.setReachable(source, false);
    expect(watch.active()).toBe(false);
    await expect(driver.ping(source)).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(driver.listGuests(source)).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect((await driver.observe(source, spec)).state).toBe('unknown');
    fleet.setReachable(source, true);
    expect(await driver.observe(source, spec)).toMatchObject({ state: 'shutoff' });
    await expect(driver.ping('fake:///nobody')).rejects.toBeInstanceOf(DependencyUnavailableError);
  });

  it('list a foreign guest as not ours, with the size it takes', async () => {
    fleet.addForeignGuest(source, {
      instanceId: '6f1c3f4e-0000-4000-8000-000000000001',
      name: 'theirs',
      vcpus: 2,
      memoryMiB: 512,
      running: true,
    });
    expect(await kvm().listGuests(source)).toEqual([
      {
        instanceId: '6f1c3f4e-0000-4000-8000-000000000001',
        name: 'theirs',
        managed: false,
        vcpus: 2,
        memoryMiB: 512,
        state: 'running',
        reason: 'booted',
      },
    ]);
  });

  it('manage volumes of the allowed pools only', async () => {
    const host = fleet.addHost('storage', { pools: ['vf'] });
    const driver = kvm();
    const created = await driver.createVolume(host, { pool: 'vf', name: 'disk.img', kind: 'file', capacityBytes: 1024 });
    expect(created).toMatchObject({ pool: 'vf', name: 'disk.img', format: 'raw', capacityBytes: 1024 });
    await expect(driver.createVolume(host, { pool: 'vf', name: 'disk.img', kind: 'file' })).rejects.toBeInstanceOf(ConflictError);
    await expect(driver.createVolume(host, { pool: 'other', name: 'x', kind: 'file' })).rejects.toBeInstanceOf(UnprocessableError);
    const spec = {
      ...guestSpecFor('qemu-kvm', 'with-disk'),
      disks: [{ path: created.path, format: 'raw', bus: 'virtio' }],
    } as DomainSpec;
    // A path on the host that is not on the caller's list of managed volumes is refused, naming the field.
    await expect(driver.define(host, spec)).rejects.toThrow(/boot\.disks\[0\]\.path/);
    await driver.define(host, spec, [{ pool: 'vf', name: 'disk.img', kind: 'file' }]);
    expect(await driver.deleteVolume(host, 'vf', 'disk.img')).toBe(true);
    expect(await driver.findVolume(host, 'vf', 'disk.img')).toBeNull();
  });
});

describe('FakeOrRealDriver', () => {
  it('sends fake:/// hosts to the fake and every other URI to the real driver', async () => {
    const fleet = new FakeFleet();
    const host = fleet.addHost('routed');
    const real = new FakeDriver('lxc', new FakeFleet()); // stands in for libvirt: it knows no host
    const routed = new FakeOrRealDriver(real, new FakeDriver('lxc', fleet));
    await expect(routed.ping(host)).resolves.toBeUndefined();
    await expect(routed.ping('lxc:///system')).rejects.toThrow(/not a fake host URI/);
    expect(routed.kind).toBe('lxc');
  });
});

describe('fake hosts in the app', () => {
  it('are off unless FAKE_HOSTS=true', () => {
    expect(loadConfig({}).fakeHosts).toBe(false);
    expect(loadConfig({ FAKE_HOSTS: 'true' }).fakeHosts).toBe(true);
  });

  it('are refused by a registry without a fake fleet, before any connection is opened', async () => {
    const pool = new LibvirtConnectionPool(1_000);
    const registry = new DriverRegistry(pool);
    expect(registry.fakeFleet).toBeNull();
    await expect(registry.get('qemu-kvm').ping('fake:///anything')).rejects.toBeInstanceOf(UnprocessableError);
    expect(pool.openUris()).toEqual([]);
    await pool.closeAll();
  });
});
