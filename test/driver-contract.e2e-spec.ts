// One contract, every driver: libvirt's test driver for all three kinds (Xen included), and
// the real libvirtd for QEMU (TCG) and LXC. Each case defines its own uniquely named guest and
// removes it afterwards, also on failure.
import { Capability, type DriverKind } from '../src/hypervisor/capabilities.js';
import { DriverRegistry } from '../src/hypervisor/driver-registry.js';
import type { GuestRef, HypervisorDriver } from '../src/hypervisor/hypervisor-driver.js';
import { LibvirtConnectionPool } from '../src/hypervisor/libvirt/libvirt-connection-pool.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../src/common/domain-errors.js';
import { guestSpecFor } from './support/guest-fixtures.js';
import { untilInitCatchesTerm } from './support/lxc-signals.js';
import { LXC_URI, QEMU_URI, SKIP_LIBVIRTD, uniqueName } from './support/libvirtd.js';

interface Target {
  kind: DriverKind;
  uri: string;
  simulated: boolean;
}

const targets: Target[] = [
  { kind: 'qemu-kvm', uri: 'test:///default', simulated: true },
  { kind: 'xen', uri: 'test:///default', simulated: true },
  { kind: 'lxc', uri: 'test:///default', simulated: true },
  ...(SKIP_LIBVIRTD ? [] : [
    { kind: 'qemu-kvm' as const, uri: QEMU_URI, simulated: false },
    { kind: 'lxc' as const, uri: LXC_URI, simulated: false },
  ]),
];


const pool = new LibvirtConnectionPool(30_000);
const registry = new DriverRegistry(pool);

beforeAll(async () => {
  const statuses = await registry.probeLibraries();
  expect(statuses.every((s) => s.operational)).toBe(true);
});

afterAll(async () => {
  await pool.closeAll();
});

describe.each(targets)('$kind driver on $uri', ({ kind, uri, simulated }) => {
  let driver: HypervisorDriver;
  let guest: GuestRef;

  beforeAll(() => {
    driver = registry.get(kind);
  });

  beforeEach(() => {
    const spec = guestSpecFor(kind, uniqueName(`vf-${kind}`));
    guest = { instanceId: spec.instanceId, name: spec.name };
  });

  afterEach(async () => {
    // Cleanup through the contract itself; failures here only mean there was nothing left.
    await driver.forceStop(uri, guest).catch(() => undefined);
    await driver.undefine(uri, guest).catch(() => undefined);
  });

  async function defineGuest() {
    await driver.define(uri, guestSpecFor(kind, guest.name, guest.instanceId));
  }

  it('probes the host: size, versions and the guest types this driver can run there', async () => {
    const facts = await driver.probe(uri);
    expect(facts.cpus).toBeGreaterThan(0);
    expect(facts.memoryMiB).toBeGreaterThan(0);
    expect(facts.freeMemoryMiB).toBeGreaterThan(0);
    expect(facts.libvirtVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(facts.simulated).toBe(simulated);
    expect(facts.guestTypes).toEqual(expect.arrayContaining([...driver.capabilities.guestTypes].slice(0, 1)));
    if (!simulated) expect(facts.domainTypes).toContain(kind === 'lxc' ? 'lxc' : 'qemu');
  });

  it('defines a guest that is observed shut off and listed as ours', async () => {
    await defineGuest();
    expect(await driver.observe(uri, guest)).toMatchObject({ state: 'shutoff' });
    const listed = (await driver.listGuests(uri)).find((g) => g.instanceId === guest.instanceId);
    // With its size as defined (guest-fixtures: 1 vCPU, 64 MiB): what a foreign guest would take.
    expect(listed).toMatchObject({ name: guest.name, managed: true, state: 'shutoff', vcpus: 1, memoryMiB: 64 });
  });

  it('starts, suspends, resumes and force-stops, each observed with its reason', async () => {
    await defineGuest();
    await driver.start(uri, guest);
    expect(await driver.observe(uri, guest)).toEqual({ state: 'running', reason: 'booted' });
    const stats = await driver.stats(uri, guest);
    expect(stats.vcpus).toBe(1);
    expect(stats.maxMemoryKiB).toBe(64 * 1024);
    if (driver.capabilities.capabilities.has(Capability.Suspend)) {
      await driver.suspend(uri, guest);
      expect(await driver.observe(uri, guest)).toMatchObject({ state: 'paused' });
      await driver.resume(uri, guest);
      expect(await driver.observe(uri, guest)).toMatchObject({ state: 'running', reason: 'unpaused' });
    }
    await driver.forceStop(uri, guest);
    expect(await driver.observe(uri, guest)).toEqual({ state: 'shutoff', reason: 'destroyed' });
  });

  it('reports a graceful shutdown that does not finish instead of hiding it', async () => {
    await defineGuest();
    await driver.start(uri, guest);
    const outcome = await driver.shutdown(uri, guest, 1_500);
    if (!simulated) {
      // Nothing in these guests acts on the request: a diskless VM has no OS to handle the ACPI
      // power button, and /bin/sleep as a container's PID 1 ignores SIGTERM.
      expect(outcome).toMatchObject({ stopped: false, state: 'running' });
      expect((outcome as { waitedMs: number }).waitedMs).toBeGreaterThanOrEqual(1_500);
    } else {
      expect(outcome).toEqual({ stopped: true });
      expect((await driver.observe(uri, guest)).state).toBe('shutoff');
    }
  });

  // Only real LXC has a container init to signal; the other targets do not register this test.
  if (kind === 'lxc' && !simulated) it('shuts down gracefully when the container init handles SIGTERM', async () => {
    const container = guestSpecFor('lxc', guest.name, guest.instanceId);
    if (container.guestType !== 'container') throw new Error(`expected a container spec, got ${container.guestType}`);
    await driver.define(uri, {
      ...container,
      init: '/bin/sh',
      initArgs: ['-c', "trap 'exit 0' TERM; while :; do sleep 0.1; done"],
    });
    await driver.start(uri, guest);
    await untilInitCatchesTerm(guest.name);
    expect(await driver.shutdown(uri, guest, 10_000)).toEqual({ stopped: true });
    expect(await driver.observe(uri, guest)).toEqual({ state: 'shutoff', reason: 'shutdown' });
  });

  it('refuses to undefine a running guest (409), then undefines it once stopped', async () => {
    await defineGuest();
    await driver.start(uri, guest);
    await expect(driver.undefine(uri, guest)).rejects.toBeInstanceOf(ConflictError);
    await driver.forceStop(uri, guest);
    await driver.undefine(uri, guest);
    expect(await driver.observe(uri, guest)).toEqual({ state: 'missing', reason: 'not-defined' });
    expect((await driver.listGuests(uri)).some((g) => g.instanceId === guest.instanceId)).toBe(false);
  });

  it('answers lifecycle calls on an unknown guest with NotFound', async () => {
    await expect(driver.start(uri, guest)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses live migration where the driver or the host cannot do it, before asking libvirt', async () => {
    await defineGuest();
    const refused = driver.liveMigrate(uri, guest, 'qemu+tcp://192.0.2.1/system');
    if (kind === 'lxc') {
      await expect(refused).rejects.toThrow(/does not support live-migrate/);
    } else if (simulated) {
      await expect(refused).rejects.toThrow(/test driver cannot migrate/);
    } else {
      await expect(refused).rejects.toThrow(/only a running guest can be live-migrated/);
    }
    await expect(refused).rejects.toBeInstanceOf(simulated || kind === 'lxc' ? UnprocessableError : ConflictError);
  });
});
