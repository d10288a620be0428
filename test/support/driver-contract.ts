// The driver contract suite: what every HypervisorDriver must do, as assertions, run against
// libvirt's test driver and the real libvirtd (test/driver-contract.e2e-spec.ts) and against the
// in-memory fake (that file too, and src/hypervisor/fake/fake-driver.spec.ts without libvirt).
// Each case defines its own uniquely named guest and removes it afterwards, also on failure.
// Cold migration goes to a second host of the same kind.
//
// The assertions differ only by what the host is, never by which driver: libvirt's test driver
// has no guest OS (a graceful shutdown always completes) and cannot migrate; a real libvirtd and
// the fake both run guests that ignore a shutdown request and both check a live migration's
// guest first. What the tests do to a host behind the driver's back (an operator's virsh edit)
// goes through a `HostBackdoor`, one per kind of host.
import { Capability, type DriverKind } from '../../src/hypervisor/capabilities.js';
import type { GuestRef, HypervisorDriver } from '../../src/hypervisor/hypervisor-driver.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../../src/common/domain-errors.js';
import type { DomainSpec } from '../../src/hypervisor/xml/domain-spec.js';
import { guestSpecFor } from './guest-fixtures.js';
import { guestPid } from './guest-processes.js';
import { untilInitCatchesTerm } from './lxc-signals.js';
import { uniqueName } from './libvirtd.js';

export interface ContractTarget {
  kind: DriverKind;
  uri: string;
  /** A second host of the same kind, for cold migration. */
  peerUri: string;
  /** test-driver: libvirt's in-process test driver; libvirtd: a real daemon; fake: the in-memory fake. */
  host: 'test-driver' | 'libvirtd' | 'fake';
}

/** What the tests do to a host without the driver (as an operator or another tool would). */
export interface HostBackdoor {
  /** The guest's persistent definition as the host keeps it. */
  definitionOn(host: string, instanceId: string): Promise<string>;
  /** Rewrite the host's copy of the definition so that it shares the host's / with the guest. */
  shareHostRoot(host: string, spec: DomainSpec): Promise<void>;
  /** The running guest's domain id: a new one each time the hypervisor starts it. */
  domainId(host: string, instanceId: string): Promise<number | null>;
  /** Change the guest's next-boot definition so that it cannot start (a missing disk or init). */
  breakNextBoot(host: string, spec: DomainSpec): Promise<void>;
}

/** A host's / handed to the guest: what issue #14's env value turned into on the target. */
export const HOST_ROOT_FILESYSTEM = /<filesystem[^>]*>\s*<source dir='\/'\/>/;

export function describeDriverContract(
  targets: readonly ContractTarget[],
  setup: { driver(target: ContractTarget): HypervisorDriver; backdoor(target: ContractTarget): HostBackdoor },
): void {
  describe.each(targets)('$kind driver on $uri', (target) => {
    const { kind, uri, peerUri } = target;
    /** libvirt's in-process test driver: no guest OS, no migration. */
    const simulated = target.host === 'test-driver';
    let driver: HypervisorDriver;
    let backdoor: HostBackdoor;
    let guest: GuestRef;

    beforeAll(() => {
      driver = setup.driver(target);
      backdoor = setup.backdoor(target);
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

    const domainId = () => backdoor.domainId(uri, guest.instanceId);

    it('answers a ping', async () => {
      await expect(driver.ping(uri)).resolves.toBeUndefined();
    });

    it('probes the host: size, versions and the guest types this driver can run there', async () => {
      const facts = await driver.probe(uri);
      expect(facts.cpus).toBeGreaterThan(0);
      expect(facts.memoryMiB).toBeGreaterThan(0);
      expect(facts.freeMemoryMiB).toBeGreaterThan(0);
      expect(facts.libvirtVersion).toMatch(/^\d+\.\d+\.\d+$/);
      expect(facts.simulated).toBe(simulated);
      expect(facts.guestTypes).toEqual(expect.arrayContaining([...driver.capabilities.guestTypes].slice(0, 1)));
      if (!simulated) expect(facts.domainTypes).toContain({ 'qemu-kvm': 'qemu', xen: 'xen', lxc: 'lxc' }[kind]);
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

    it('refuses to start a running guest (409) and leaves it running', async () => {
      await defineGuest();
      await driver.start(uri, guest);
      const again = driver.start(uri, guest);
      // libvirt's test driver reports this as an internal error, not as an invalid operation.
      if (simulated) await expect(again).rejects.toThrow(/already running/);
      else await expect(again).rejects.toBeInstanceOf(ConflictError);
      expect(await driver.observe(uri, guest)).toMatchObject({ state: 'running' });
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
    if (kind === 'lxc' && target.host === 'libvirtd')
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

    it('refuses a guest type the driver cannot run (422) before asking the host', async () => {
      const other: DriverKind = kind === 'lxc' ? 'qemu-kvm' : 'lxc';
      await expect(driver.define(uri, guestSpecFor(other, guest.name, guest.instanceId))).rejects.toBeInstanceOf(UnprocessableError);
      expect(await driver.observe(uri, guest)).toEqual({ state: 'missing', reason: 'not-defined' });
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
      await backdoor.shareHostRoot(uri, spec);
      expect(await backdoor.definitionOn(uri, guest.instanceId)).toMatch(HOST_ROOT_FILESYSTEM);

      await driver.coldMigrate(uri, spec, peerUri);

      expect(await driver.observe(uri, guest)).toEqual({ state: 'missing', reason: 'not-defined' });
      expect(await driver.observe(peerUri, guest)).toMatchObject({ state: 'shutoff' });
      const migrated = await backdoor.definitionOn(peerUri, guest.instanceId);
      expect(migrated).not.toMatch(HOST_ROOT_FILESYSTEM);
      expect(migrated).not.toContain('initenv');
      // Exactly what our builder makes of the spec, as the target's libvirt keeps it.
      await driver.undefine(peerUri, guest);
      await driver.define(peerUri, spec);
      expect(migrated).toBe(await backdoor.definitionOn(peerUri, guest.instanceId));
    });

    it('refuses to cold-migrate a running guest (409) and leaves it where it is', async () => {
      await defineGuest();
      await driver.start(uri, guest);
      await expect(driver.coldMigrate(uri, guestSpecFor(kind, guest.name, guest.instanceId), peerUri)).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await driver.observe(uri, guest)).toMatchObject({ state: 'running' });
      expect(await driver.observe(peerUri, guest)).toEqual({ state: 'missing', reason: 'not-defined' });
    });

    it('reboots by really restarting the guest: libvirt starts it anew (a new domain id, a new guest process)', async () => {
      await defineGuest();
      await driver.start(uri, guest);
      const realProcess = target.host === 'libvirtd';
      const before = { id: await domainId(), pid: realProcess ? await guestPid(kind as 'qemu-kvm' | 'lxc', guest.name) : null };
      await driver.reboot(uri, guest);
      expect(await driver.observe(uri, guest)).toEqual({ state: 'running', reason: 'booted' });
      expect(await domainId()).not.toBe(before.id);
      // The kernel's view, independent of libvirt: the container's init / the QEMU process is a new one.
      if (realProcess) expect(await guestPid(kind as 'qemu-kvm' | 'lxc', guest.name)).not.toBe(before.pid);
    });

    // A guest whose restart cannot work: its next-boot definition (changed behind our back) names an
    // init / a disk that does not exist. libvirt's test driver never tries to use it.
    if (!simulated)
      it('fails a reboot that could not restart the guest, and says where it is', async () => {
        const spec = guestSpecFor(kind, guest.name, guest.instanceId);
        await driver.define(uri, spec);
        await driver.start(uri, guest);
        await backdoor.breakNextBoot(uri, spec);
        await expect(driver.reboot(uri, guest)).rejects.toThrow(/reboot|restart/i);
        expect((await driver.observe(uri, guest)).state).toBe('shutoff');
      });
  });
}
