// One contract, every driver: libvirt's test driver for all three kinds (Xen included), and
// the real libvirtd for QEMU (TCG) and LXC. Each case defines its own uniquely named guest and
// removes it afterwards, also on failure. Cold migration goes to a second host of the same kind:
// another simulated host, or simulated physical host 1 of scripts/lvhosts.sh (QEMU and LXC).
import { Capability, type DriverKind } from '../src/hypervisor/capabilities.js';
import { DriverRegistry } from '../src/hypervisor/driver-registry.js';
import type { GuestRef, HypervisorDriver } from '../src/hypervisor/hypervisor-driver.js';
import { LibvirtConnectionPool } from '../src/hypervisor/libvirt/libvirt-connection-pool.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../src/common/domain-errors.js';
import type { DomainSpec } from '../src/hypervisor/xml/domain-spec.js';
import { buildDomainXml } from '../src/hypervisor/xml/build-domain-xml.js';
import { guestSpecFor } from './support/guest-fixtures.js';
import { guestPid } from './support/guest-processes.js';
import { untilInitCatchesTerm } from './support/lxc-signals.js';
import { LXC_URI, QEMU_URI, SKIP_LIBVIRTD, uniqueName } from './support/libvirtd.js';
import { LVHOST_URIS } from './support/lvhosts.js';
import { simulatedHostUri } from './support/simulated-hosts.js';

interface Target {
  kind: DriverKind;
  uri: string;
  simulated: boolean;
  /** A second host of the same kind, for cold migration. */
  peerUri: string;
}

const targets: Target[] = [
  { kind: 'qemu-kvm', uri: 'test:///default', simulated: true, peerUri: simulatedHostUri() },
  { kind: 'xen', uri: 'test:///default', simulated: true, peerUri: simulatedHostUri() },
  { kind: 'lxc', uri: 'test:///default', simulated: true, peerUri: simulatedHostUri() },
  ...(SKIP_LIBVIRTD
    ? []
    : [
        { kind: 'qemu-kvm' as const, uri: QEMU_URI, simulated: false, peerUri: LVHOST_URIS[0]! },
        { kind: 'lxc' as const, uri: LXC_URI, simulated: false, peerUri: LVHOST_URIS[0]!.replace(/^qemu\+/, 'lxc+') },
      ]),
];

const VIR_DOMAIN_XML_INACTIVE = 2;

/** A host's / handed to the guest: what issue #14's env value turned into on the target. */
const HOST_ROOT_FILESYSTEM = /<filesystem[^>]*>\s*<source dir='\/'\/>/;

/**
 * Something other than our builder rewrites the guest's definition on its host. For a container
 * it is libvirt itself: it writes <initenv> values back unescaped, so this value (escaped, as any
 * client would send it) reads back as a <filesystem> sharing the host's /. For a VM the element
 * goes in directly (an operator's virsh edit, another tool).
 */
function tampered(xml: string, spec: DomainSpec): string {
  const filesystem = "<filesystem type='mount' accessmode='passthrough'><source dir='/'/><target dir='/host'/></filesystem>";
  if (spec.guestType === 'container') {
    const escaped = `x</initenv></os><devices>${filesystem}</devices><os><initenv name='B'>y`
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;');
    return xml.replace('</os>', `<initenv name='A'>${escaped}</initenv></os>`);
  }
  return xml.replace('</devices>', `${filesystem}</devices>`);
}

const pool = new LibvirtConnectionPool(30_000);
const registry = new DriverRegistry(pool);

beforeAll(async () => {
  const statuses = await registry.probeLibraries();
  expect(statuses.every((s) => s.operational)).toBe(true);
});

afterAll(async () => {
  await pool.closeAll();
});

describe.each(targets)('$kind driver on $uri', ({ kind, uri, simulated, peerUri }) => {
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
    for (const host of [uri, peerUri]) {
      await driver.forceStop(host, guest).catch(() => undefined);
      await driver.undefine(host, guest).catch(() => undefined);
    }
  });

  async function defineGuest() {
    await driver.define(uri, guestSpecFor(kind, guest.name, guest.instanceId));
  }

  /** The guest's persistent definition as `host`'s libvirt keeps it, through the driver's own pooled connection. */
  const definitionOn = (host: string) =>
    pool.run(host, 'reading a definition', async (s) =>
      s.hypervisor.domainGetXMLDesc(await s.hypervisor.domainLookupByUUIDString(guest.instanceId), VIR_DOMAIN_XML_INACTIVE),
    );

  /** libvirt's id of the running guest: a new one each time the hypervisor starts it. */
  const domainId = () =>
    pool.run(uri, 'reading the domain id', async (s) =>
      s.hypervisor.domainGetID(await s.hypervisor.domainLookupByUUIDString(guest.instanceId)),
    );

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
  if (kind === 'lxc' && !simulated)
    it('shuts down gracefully when the container init handles SIGTERM', async () => {
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

  it('tells a watch which of its guests changed (lifecycle events), until the watch is stopped', async () => {
    await defineGuest();
    const seen: string[] = [];
    const watch = await driver.watchGuests(uri, (instanceId) => seen.push(instanceId));
    try {
      expect(watch.active()).toBe(true);
      await driver.start(uri, guest);
      await driver.forceStop(uri, guest);
      for (const deadline = Date.now() + 10_000; !seen.includes(guest.instanceId) && Date.now() < deadline;)
        await new Promise((r) => setTimeout(r, 50));
      expect(seen).toContain(guest.instanceId);
    } finally {
      await watch.stop();
    }
    expect(watch.active()).toBe(false);
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
    const refused = driver.liveMigrate(uri, guestSpecFor(kind, guest.name, guest.instanceId), 'qemu+tcp://192.0.2.1/system');
    if (kind === 'lxc') {
      await expect(refused).rejects.toThrow(/does not support live-migrate/);
    } else if (simulated) {
      await expect(refused).rejects.toThrow(/test driver cannot migrate/);
    } else {
      await expect(refused).rejects.toThrow(/only a running guest can be live-migrated/);
    }
    await expect(refused).rejects.toBeInstanceOf(simulated || kind === 'lxc' ? UnprocessableError : ConflictError);
  });

  it("cold-migrates a stopped guest by defining it on the target from its spec, never from the source's XML", async () => {
    const spec = guestSpecFor(kind, guest.name, guest.instanceId);
    await driver.define(uri, spec);
    const source = await definitionOn(uri);
    await pool.run(uri, 'tampering with the source definition', (s) => s.hypervisor.domainDefineXML(tampered(source, spec)));
    expect(await definitionOn(uri)).toMatch(HOST_ROOT_FILESYSTEM);

    await driver.coldMigrate(uri, spec, peerUri);

    expect(await driver.observe(uri, guest)).toEqual({ state: 'missing', reason: 'not-defined' });
    expect(await driver.observe(peerUri, guest)).toMatchObject({ state: 'shutoff' });
    const migrated = await definitionOn(peerUri);
    expect(migrated).not.toMatch(HOST_ROOT_FILESYSTEM);
    expect(migrated).not.toContain('initenv');
    // Exactly what our builder makes of the spec, as the target's libvirt keeps it.
    await driver.undefine(peerUri, guest);
    await driver.define(peerUri, spec);
    expect(migrated).toBe(await definitionOn(peerUri));
  });

  it('refuses to cold-migrate a running guest (409) and leaves it where it is', async () => {
    await defineGuest();
    await driver.start(uri, guest);
    await expect(driver.coldMigrate(uri, guestSpecFor(kind, guest.name, guest.instanceId), peerUri)).rejects.toBeInstanceOf(ConflictError);
    expect(await driver.observe(uri, guest)).toMatchObject({ state: 'running' });
    expect(await driver.observe(peerUri, guest)).toEqual({ state: 'missing', reason: 'not-defined' });
  });

  it('reboots by really restarting the guest: libvirt starts it anew (a new domain id, a new guest process)', async () => {
    await defineGuest();
    await driver.start(uri, guest);
    const before = { id: await domainId(), pid: simulated ? null : await guestPid(kind as 'qemu-kvm' | 'lxc', guest.name) };
    await driver.reboot(uri, guest);
    expect(await driver.observe(uri, guest)).toEqual({ state: 'running', reason: 'booted' });
    expect(await domainId()).not.toBe(before.id);
    // The kernel's view, independent of libvirt: the container's init / the QEMU process is a new one.
    if (!simulated) expect(await guestPid(kind as 'qemu-kvm' | 'lxc', guest.name)).not.toBe(before.pid);
  });

  // A guest whose restart cannot work: its next-boot definition (changed behind our back) names an
  // init / a disk that does not exist. Only real hypervisors try to use it.
  if (!simulated)
    it('fails a reboot that could not restart the guest, and says where it is', async () => {
      const spec = guestSpecFor(kind, guest.name, guest.instanceId);
      await driver.define(uri, spec);
      await driver.start(uri, guest);
      const broken = buildDomainXml(
        spec.guestType === 'container'
          ? { ...spec, init: '/nonexistent/init' }
          : ({ ...spec, disks: [{ path: '/nonexistent/disk.img', format: 'raw', bus: 'virtio' }] } as DomainSpec),
      );
      await pool.run(uri, 'breaking the next boot', (s) => s.hypervisor.domainDefineXML(broken));
      await expect(driver.reboot(uri, guest)).rejects.toThrow(/reboot|restart/i);
      expect((await driver.observe(uri, guest)).state).toBe('shutoff');
    });
});
