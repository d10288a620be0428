// The native addon against libvirt's in-process test driver (test:///default: no daemon, one
// shared state per process — so @unraid/libvirt and the addon see the same domains).
import * as libvirt from '@unraid/libvirt';
import { LibvirtError, NativeConnection, type DomainLifecycleEvent } from './native-libvirt.js';
import { nextEvent, rejection } from '../../../test/support/native-helpers.js';

const URI = 'test:///default';
let native: NativeConnection;
let binding: libvirt.Hypervisor;

let counter = 0;
const uniqueName = () => `vf-native-${process.pid}-${++counter}`;
const created: string[] = [];

async function defineDomain(name: string): Promise<libvirt.Domain> {
  created.push(name);
  return binding.domainDefineXML(
    `<domain type='test'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
      `<os><type arch='x86_64'>hvm</type></os></domain>`,
  );
}

beforeAll(async () => {
  native = await NativeConnection.open(URI);
  binding = new libvirt.Hypervisor({ uri: URI });
  await binding.connectOpen();
});

afterEach(async () => {
  for (const name of created.splice(0)) {
    const domain = await binding.domainLookupByName(name).catch(() => null);
    if (!domain) continue;
    await binding.domainDestroy(domain).catch(() => undefined); // not running is fine
    await binding.domainUndefine(domain).catch(() => undefined);
  }
});

afterAll(async () => {
  await native?.close();
  await binding?.connectClose();
});

describe('NativeConnection on test:///default', () => {
  it('returns the capabilities XML', async () => {
    const xml = await native.capabilities();
    expect(xml).toContain('<capabilities>');
    expect(xml).toContain('</host>');
  });

  it('reports libvirt and hypervisor versions', async () => {
    const versions = await native.versions();
    expect(versions.libvirt).toMatch(/^\d+\.\d+\.\d+$/);
    expect(versions.libvirt.startsWith('9.')).toBe(true);
    expect(versions.hypervisorType).toBe('TEST');
    expect(versions.hypervisor).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('reports free node memory', async () => {
    expect(await native.nodeFreeMemoryBytes()).toBeGreaterThan(0);
  });

  it('sees the built-in domain running and is alive', async () => {
    expect((await native.domainState('test')).state).toBe('running');
    expect(await native.isAlive()).toBe(true);
    expect(native.isOpen).toBe(true);
  });

  it('follows state and reason of a domain managed through @unraid/libvirt', async () => {
    const name = uniqueName();
    const domain = await defineDomain(name);
    expect(await native.domainState(name)).toEqual({ state: 'shutoff', reason: 'unknown' });

    await binding.domainCreate(domain);
    expect(await native.domainState(name)).toEqual({ state: 'running', reason: 'booted' });

    await binding.domainSuspend(domain);
    expect(await native.domainState(name)).toEqual({ state: 'paused', reason: 'user' });
    await binding.domainResume(domain);
    expect(await native.domainState(name)).toEqual({ state: 'running', reason: 'unpaused' });

    await binding.domainDestroy(domain);
    expect(await native.domainState(name)).toEqual({ state: 'shutoff', reason: 'destroyed' });
  });

  it('looks domains up by UUID string as well as by name', async () => {
    const name = uniqueName();
    const domain = await defineDomain(name);
    const uuid = await binding.domainGetUUIDString(domain);
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await native.domainState(uuid)).state).toBe('shutoff');
    expect(await native.domainState(uuid.replaceAll('-', ''))).toEqual(await native.domainState(name));
  });

  it('returns domain stats', async () => {
    const name = uniqueName();
    await binding.domainCreate(await defineDomain(name));
    const stats = await native.domainStats(name);
    expect(stats).toMatchObject({ state: 'running', vcpus: 1, maxMemoryKiB: 64 * 1024 });
    expect(stats.memoryKiB).toBeGreaterThan(0);
    expect(stats.cpuTimeNs).toBeGreaterThan(0);
    // The test driver answers bulk stats: a domain without disks or NICs sums to zero.
    expect(stats.blockReadBytes).toBe(0);
    expect(stats.netTxBytes).toBe(0);
  });

  it('reboots a running domain', async () => {
    const name = uniqueName();
    await binding.domainCreate(await defineDomain(name));
    await native.reboot(name);
    expect(await native.domainState(name)).toEqual({ state: 'running', reason: 'booted' });
  });

  it('rejects a reboot of a stopped domain with VIR_ERR_OPERATION_INVALID', async () => {
    const name = uniqueName();
    await defineDomain(name);
    const error = await rejection(native.reboot(name));
    expect(error).toBeInstanceOf(LibvirtError);
    expect(error.codeName).toBe('VIR_ERR_OPERATION_INVALID');
  });

  it('shuts a running domain down in the default mode', async () => {
    const name = uniqueName();
    await binding.domainCreate(await defineDomain(name));
    await native.shutdown(name);
    expect(await native.domainState(name)).toEqual({ state: 'shutoff', reason: 'shutdown' });
  });

  it('passes the shutdown mode on: the test driver refuses every mode flag', async () => {
    const name = uniqueName();
    await binding.domainCreate(await defineDomain(name));
    const error = await rejection(native.shutdown(name, 'signal'));
    expect(error).toBeInstanceOf(LibvirtError);
    expect(error.codeName).toBe('VIR_ERR_INVALID_ARG');
    expect(error.message).toMatch(/unsupported flags \(0x8\)/); // VIR_DOMAIN_SHUTDOWN_SIGNAL
    expect(await native.domainState(name)).toEqual({ state: 'running', reason: 'booted' });
    await native.shutdown(name, 'default');
    expect((await native.domainState(name)).state).toBe('shutoff');
  });

  it('rejects a shutdown of a stopped domain and refuses an unknown mode', async () => {
    const name = uniqueName();
    await defineDomain(name);
    const error = await rejection(native.shutdown(name));
    // libvirt's test driver reports this as an internal error.
    expect(error).toMatchObject({ codeName: 'VIR_ERR_INTERNAL_ERROR', domainName: 'VIR_FROM_TEST' });
    expect(error.message).toMatch(/not running/);
    expect(() => native.shutdown(name, 'poweroff' as never)).toThrow(/mode must be one of/);
  });

  it('rejects a missing domain with VIR_ERR_NO_DOMAIN', async () => {
    const error = await rejection(native.domainState(`vf-missing-${process.pid}`));
    expect(error).toBeInstanceOf(LibvirtError);
    expect(error).toMatchObject({ codeName: 'VIR_ERR_NO_DOMAIN', domainName: 'VIR_FROM_TEST' });
    expect(typeof error.code).toBe('number');
    expect(error.message).toMatch(/Domain not found/);
    // A UUID that matches nothing falls back to a name lookup and still says "no domain".
    const byUuid = await rejection(native.domainStats('00000000-0000-4000-8000-00000000dead'));
    expect(byUuid.codeName).toBe('VIR_ERR_NO_DOMAIN');
  });

  it('rejects a bogus URI with a symbolic code', async () => {
    const error = await rejection(NativeConnection.open('bogus+unix:///nowhere?socket=/nonexistent/sock'));
    expect(error).toBeInstanceOf(LibvirtError);
    expect(error.codeName).toMatch(/^VIR_ERR_[A-Z_]+$/);
    expect(error.codeName).not.toBe('VIR_ERR_OK');
    expect(error.domainName).toMatch(/^VIR_FROM_[A-Z_]+$/);
  });

  it('reports job information as unsupported by the test driver', async () => {
    const error = await rejection(native.jobInfo('test'));
    expect(error.codeName).toBe('VIR_ERR_NO_SUPPORT');
  });

  it('delivers lifecycle events for start and destroy', async () => {
    const name = uniqueName();
    const events: DomainLifecycleEvent[] = [];
    const subscription = await native.onDomainEvent((event) => {
      if (event.domainName === name) events.push(event);
    });
    try {
      const domain = await defineDomain(name);
      await binding.domainCreate(domain);
      const started = await nextEvent(events, (e) => e.event === 'started');
      expect(started).toMatchObject({ domainName: name, detail: 'booted' });
      expect(started.domainUuid).toBe(await binding.domainGetUUIDString(domain));

      await binding.domainDestroy(domain);
      expect(await nextEvent(events, (e) => e.event === 'stopped')).toMatchObject({ detail: 'destroyed' });
      expect(events.map((e) => e.event)).toEqual(['defined', 'started', 'stopped']);
    } finally {
      await subscription.unsubscribe();
    }
  });

  it('stops delivering events after unsubscribe', async () => {
    const name = uniqueName();
    const seen: string[] = [];
    const witness: DomainLifecycleEvent[] = [];
    const subscription = await native.onDomainEvent((event) => {
      if (event.domainName === name) seen.push(event.event);
    });
    const control = await native.onDomainEvent((event) => {
      if (event.domainName === name) witness.push(event);
    });
    try {
      await subscription.unsubscribe();
      await binding.domainCreate(await defineDomain(name));
      await nextEvent(witness, (e) => e.event === 'started'); // events do flow...
      expect(seen).toEqual([]); // ...but not to the removed listener
    } finally {
      await control.unsubscribe();
    }
  });

  it('subscribes again after the last listener left', async () => {
    const first = await native.onDomainEvent(() => undefined);
    await first.unsubscribe(); // last listener: the native registration is dropped
    await first.unsubscribe(); // idempotent
    const name = uniqueName();
    const events: DomainLifecycleEvent[] = [];
    const again = await native.onDomainEvent((event) => {
      if (event.domainName === name) events.push(event);
    });
    try {
      await binding.domainCreate(await defineDomain(name));
      expect(await nextEvent(events, (e) => e.event === 'started')).toMatchObject({ detail: 'booted' });
    } finally {
      await again.unsubscribe();
    }
  });

  it('rejects migration with a symbolic unsupported code', async () => {
    const migration = native.migrate('test', 'test:///default', {
      live: true,
      peer2peer: true,
      persistDest: true,
      undefineSource: true,
    });
    expect(migration.domain).toBe('test');
    const error = await rejection(migration.done);
    expect(error).toBeInstanceOf(LibvirtError);
    expect(['VIR_ERR_ARGUMENT_UNSUPPORTED', 'VIR_ERR_NO_SUPPORT', 'VIR_ERR_OPERATION_UNSUPPORTED']).toContain(error.codeName);
    expect((await native.domainState('test')).state).toBe('running');
  });

  it('rejects every call after close, and close is idempotent', async () => {
    const second = await NativeConnection.open(URI);
    await second.close();
    await second.close();
    expect(second.isOpen).toBe(false);
    expect(await second.isAlive()).toBe(false);
    const error = await rejection(second.capabilities());
    expect(error.codeName).toBe('VIR_ERR_INVALID_CONN');
    // The shared test driver is untouched by closing one connection.
    expect((await native.domainState('test')).state).toBe('running');
  });
});
