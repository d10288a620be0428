// The native addon against a real libvirtd (QEMU/TCG, diskless guests; LXC when available).
// URI: $VIRTFLEET_TEST_QEMU_URI (scripts/test.sh points it at the repo's private libvirtd), else
// qemu:///system. An unreachable libvirtd FAILS this suite unless VIRTFLEET_SKIP_LIBVIRTD=1.
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as libvirt from '@unraid/libvirt';
import { untilInitCatchesTerm } from '../../../test/support/lxc-signals.js';
import { nextEvent as nextEventWithin, rejection } from '../../../test/support/native-helpers.js';
import { LibvirtError, NativeConnection, type CloseReason, type DomainLifecycleEvent } from './native-libvirt.js';

const QEMU_URI = process.env.VIRTFLEET_TEST_QEMU_URI || 'qemu:///system';
const LXC_URI = process.env.VIRTFLEET_TEST_LXC_URI || QEMU_URI.replace(/^qemu/, 'lxc');
const SKIP_WHEN_UNREACHABLE = process.env.VIRTFLEET_SKIP_LIBVIRTD === '1';

const probe = await NativeConnection.open(QEMU_URI).then(
  (connection) => ({ connection, problem: null }),
  (error: Error) => ({ connection: null, problem: error.message }),
);

let counter = 0;
const uniqueName = (kind: string) => `vf-native-${kind}-${process.pid}-${++counter}`;

const qemuGuestXml = (name: string) =>
  `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
  `<os><type arch='x86_64' machine='pc'>hvm</type></os>` +
  `<devices><emulator>/usr/bin/qemu-system-x86_64</emulator><console type='pty'/></devices></domain>`;

const lxcGuestXml = (name: string) =>
  `<domain type='lxc'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
  `<os><type>exe</type><init>/bin/sleep</init><initarg>3600</initarg></os>` +
  `<devices><console type='pty'/></devices></domain>`;

/** A container whose init (a shell) exits on SIGTERM — and knows nothing of /dev/initctl. */
const lxcTrapGuestXml = (name: string) =>
  `<domain type='lxc'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
  `<os><type>exe</type><init>/bin/sh</init><initarg>-c</initarg>` +
  `<initarg>trap 'exit 0' TERM; while :; do sleep 0.1; done</initarg></os>` +
  `<devices><console type='pty'/></devices></domain>`;

/** Both handles on the daemon's LXC driver for one test; its guests are removed afterwards. */
async function withLxc(
  test: (c: { lxc: NativeConnection; lxcBinding: libvirt.Hypervisor; lxcGuests: Guests }) => Promise<void>,
): Promise<void> {
  const lxc = await NativeConnection.open(LXC_URI);
  const lxcBinding = new libvirt.Hypervisor({ uri: LXC_URI });
  await lxcBinding.connectOpen();
  const lxcGuests = new Guests(lxcBinding);
  try {
    await test({ lxc, lxcBinding, lxcGuests });
  } finally {
    await lxcGuests.cleanUp();
    await lxcBinding.connectClose();
    await lxc.close();
  }
}

/** A real daemon's events take longer than the in-process test driver's. */
const nextEvent = (events: DomainLifecycleEvent[], predicate: (e: DomainLifecycleEvent) => boolean) =>
  nextEventWithin(events, predicate, 15_000);

/** Polls the domain's state until it is `state`, or gives up after `timeoutMs` with the last one seen. */
async function stateWithin(connection: NativeConnection, name: string, state: string, timeoutMs = 10_000) {
  const started = Date.now();
  for (;;) {
    const current = await connection.domainState(name);
    if (current.state === state || Date.now() - started > timeoutMs) return current;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The UNIX socket a qemu(+unix) URI connects to. */
function libvirtdSocket(uri: string): string {
  return new URL(uri).searchParams.get('socket') ?? '/run/libvirt/libvirt-sock';
}

/** A domain defined through @unraid/libvirt, destroyed and undefined again by cleanUp(). */
class Guests {
  private readonly names: string[] = [];
  constructor(private readonly binding: libvirt.Hypervisor) {}

  async define(name: string, xml: string): Promise<libvirt.Domain> {
    this.names.push(name);
    return this.binding.domainDefineXML(xml);
  }

  async cleanUp(): Promise<void> {
    for (const name of this.names.splice(0)) {
      const domain = await this.binding.domainLookupByName(name).catch(() => null);
      if (!domain) continue;
      await this.binding.domainDestroy(domain).catch(() => undefined); // already stopped is fine
      await this.binding.domainUndefine(domain).catch(() => undefined);
    }
  }
}

if (!probe.connection && !SKIP_WHEN_UNREACHABLE) {
  describe('NativeConnection on a real libvirtd', () => {
    it(`needs a libvirtd at ${QEMU_URI}`, () => {
      throw new Error(
        `cannot open ${QEMU_URI}: ${probe.problem}. Start one with \`bash scripts/libvirtd.sh up\` and set ` +
          `VIRTFLEET_TEST_QEMU_URI=$(bash scripts/libvirtd.sh uri), or set VIRTFLEET_SKIP_LIBVIRTD=1 to skip this suite.`,
      );
    });
  });
}

(probe.connection ? describe : describe.skip)('NativeConnection on a real libvirtd (QEMU/TCG)', () => {
  const native = probe.connection as NativeConnection;
  const binding = new libvirt.Hypervisor({ uri: QEMU_URI });
  const guests = new Guests(binding);

  beforeAll(() => binding.connectOpen());
  afterEach(() => guests.cleanUp());
  afterAll(async () => {
    await native.close();
    await binding.connectClose();
  });

  it('reports versions, capabilities and free memory of the QEMU driver', async () => {
    const versions = await native.versions();
    expect(versions.hypervisorType).toBe('QEMU');
    expect(versions.libvirt).toMatch(/^\d+\.\d+\.\d+$/);
    expect(versions.hypervisor).toMatch(/^\d+\.\d+\.\d+$/);
    const capabilities = await native.capabilities();
    expect(capabilities).toContain('<capabilities>');
    expect(capabilities).toMatch(/<domain type='qemu'/);
    expect(await native.nodeFreeMemoryBytes()).toBeGreaterThan(1024 * 1024);
    expect(await native.isAlive()).toBe(true);
  });

  it('follows a diskless TCG guest through start, stats, events and destroy', async () => {
    const name = uniqueName('qemu');
    const events: DomainLifecycleEvent[] = [];
    const subscription = await native.onDomainEvent((event) => {
      if (event.domainName === name) events.push(event);
    });
    try {
      const domain = await guests.define(name, qemuGuestXml(name));
      await nextEvent(events, (e) => e.event === 'defined' && e.detail === 'added');
      expect(await native.domainState(name)).toEqual({ state: 'shutoff', reason: 'unknown' });

      await binding.domainCreate(domain);
      expect(await nextEvent(events, (e) => e.event === 'started')).toMatchObject({ detail: 'booted' });
      expect(await native.domainState(name)).toEqual({ state: 'running', reason: 'booted' });

      const stats = await native.domainStats(name);
      expect(stats).toMatchObject({ state: 'running', vcpus: 1, maxMemoryKiB: 64 * 1024 });
      expect(stats.cpuTimeNs).toBeGreaterThan(0);
      expect(stats.blockReadBytes).toBe(0); // diskless: the QEMU driver answers, with nothing to sum
      expect(stats.netRxBytes).toBe(0);
      expect(await native.jobInfo(name)).toBeNull(); // idle

      const noJob = await rejection(native.abortJob(name));
      expect(noJob.codeName).toBe('VIR_ERR_OPERATION_INVALID');

      await binding.domainDestroy(domain);
      expect(await nextEvent(events, (e) => e.event === 'stopped')).toMatchObject({ detail: 'destroyed' });
      expect(await native.domainState(name)).toEqual({ state: 'shutoff', reason: 'destroyed' });

      await binding.domainUndefine(domain);
      expect(await nextEvent(events, (e) => e.event === 'undefined')).toMatchObject({ detail: 'removed' });
      expect((await rejection(native.domainState(name))).codeName).toBe('VIR_ERR_NO_DOMAIN');
    } finally {
      await subscription.unsubscribe();
    }
  });

  it('runs a migration call on its own thread and reports the daemon refusing it', async () => {
    const name = uniqueName('mig');
    const domain = await guests.define(name, qemuGuestXml(name));
    await binding.domainCreate(domain);
    // Peer-to-peer to itself: the source libvirtd connects to the "destination" and refuses to
    // migrate a guest to the host it is already on.
    const migration = native.migrate(name, QEMU_URI, { live: true, peer2peer: true, persistDest: true, undefineSource: true });
    const error = await rejection(migration.done);
    expect(error).toBeInstanceOf(LibvirtError);
    expect(error.codeName).toMatch(/^VIR_ERR_[A-Z_]+$/);
    expect(error.message).toMatch(/same host/);
    expect(await native.domainState(name)).toEqual({ state: 'running', reason: 'booted' });
    expect(await migration.progress()).toBeNull();
  });

  it('rejects a client-managed migration to an unreachable destination with a symbolic code', async () => {
    const name = uniqueName('mig');
    const domain = await guests.define(name, qemuGuestXml(name));
    await binding.domainCreate(domain);
    const missingSocket = join(tmpdir(), `vf-no-libvirtd-${process.pid}.sock`);
    const migration = native.migrate(name, `qemu+unix:///system?socket=${missingSocket}`, {
      live: true,
      peer2peer: false,
      persistDest: false,
      undefineSource: false,
    });
    const error = await rejection(migration.done);
    expect(error.codeName).toBe('VIR_ERR_SYSTEM_ERROR');
    expect(error.message).toContain(missingSocket);
    expect((await native.domainState(name)).state).toBe('running');
  });

  describe('when libvirtd stops answering', () => {
    let server: Server;
    let socketDir: string;
    const clients: Socket[] = [];
    let forwarding = true;

    beforeAll(async () => {
      // A pass-through proxy in front of libvirtd's socket that can go silent, like a hung daemon.
      socketDir = mkdtempSync(join(tmpdir(), 'vf-libvirtd-proxy-'));
      server = createServer((client) => {
        const daemon = createConnection(libvirtdSocket(QEMU_URI));
        clients.push(client, daemon);
        client.on('data', (chunk) => forwarding && daemon.write(chunk));
        daemon.on('data', (chunk) => forwarding && client.write(chunk));
        client.on('error', () => daemon.destroy());
        daemon.on('error', () => client.destroy());
      });
      await new Promise<void>((resolve) => server.listen(join(socketDir, 'sock'), resolve));
    });

    afterAll(async () => {
      for (const socket of clients) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      rmSync(socketDir, { recursive: true, force: true });
    });

    it('detects the dead connection through keepalive without blocking the event loop', async () => {
      const proxied = await NativeConnection.open(`qemu+unix:///system?socket=${join(socketDir, 'sock')}`, {
        keepAliveIntervalS: 1,
        keepAliveCount: 1,
      });
      const closed = new Promise<CloseReason>((resolve) => proxied.onClose(resolve));
      expect(await proxied.isAlive()).toBe(true);
      expect((await proxied.versions()).hypervisorType).toBe('QEMU');

      forwarding = false;
      const startedAt = Date.now();
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 50);
      try {
        const hung = rejection(proxied.capabilities()); // no answer will ever come
        expect(await closed).toBe('keepalive');
        const error = await hung;
        expect(error).toBeInstanceOf(LibvirtError);
        expect(error.codeName).toMatch(/^VIR_ERR_[A-Z_]+$/);
      } finally {
        clearInterval(ticker);
      }
      const elapsedMs = Date.now() - startedAt;
      expect(elapsedMs).toBeLessThan(10_000);
      expect(ticks).toBeGreaterThan(elapsedMs / 50 / 2); // timers kept firing while the call hung
      expect(proxied.isOpen).toBe(false);
      expect(await proxied.isAlive()).toBe(false);
      await proxied.close();
    });
  });

  it('shuts an LXC container down by SIGTERM to its init in signal mode', async () => {
    await withLxc(async ({ lxc, lxcBinding, lxcGuests }) => {
      const name = uniqueName('lxc');
      await lxcBinding.domainCreate(await lxcGuests.define(name, lxcTrapGuestXml(name)));
      await untilInitCatchesTerm(name);
      // libvirtd learns the init PID from libvirt_lxc asynchronously; until then it refuses.
      for (let attempt = 0; ; attempt++) {
        const refused = await lxc.shutdown(name, 'signal').then(
          () => null,
          (error: LibvirtError) => error,
        );
        if (!refused) break;
        if (refused.codeName !== 'VIR_ERR_OPERATION_INVALID' || attempt >= 50) throw refused;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await stateWithin(lxc, name, 'shutoff')).toEqual({ state: 'shutoff', reason: 'shutdown' });
    });
  });

  it('reports LXC domain stats without bulk totals (the LXC driver has none)', async () => {
    await withLxc(async ({ lxc, lxcBinding, lxcGuests }) => {
      const name = uniqueName('lxc');
      await lxcBinding.domainCreate(await lxcGuests.define(name, lxcGuestXml(name)));
      expect(await lxc.domainState(name)).toEqual({ state: 'running', reason: 'booted' });
      const stats = await lxc.domainStats(name);
      expect(stats).toMatchObject({ state: 'running', vcpus: 1, blockReadBytes: null, netTxBytes: null });
      expect(stats.maxMemoryKiB).toBe(64 * 1024);
    });
  });
});
