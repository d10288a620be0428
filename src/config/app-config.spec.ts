import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config.js';
import { MEASURED_DEFAULTS } from '../overhead/measured-defaults.js';

describe('loadConfig', () => {
  it("charges the shipped measured overheads by default, none with OVERHEAD_CHARGING=false, an operator's own from OVERHEAD_CALIBRATION_FILE", () => {
    const size = { vcpus: 1, memoryMiB: 512 };
    expect(loadConfig({}).overhead.overheadMiB('qemu-kvm', size)).toBeGreaterThan(0);
    expect(loadConfig({}).overhead.calibration).toBe(MEASURED_DEFAULTS);
    expect(loadConfig({ OVERHEAD_CHARGING: 'false' }).overhead.overheadMiB('qemu-kvm', size)).toBe(0);
    const file = join(mkdtempSync(join(tmpdir(), 'vf-ovh-')), 'calibration.json');
    const own = {
      ...MEASURED_DEFAULTS,
      techniques: {
        ...MEASURED_DEFAULTS.techniques,
        lxc: { ...MEASURED_DEFAULTS.techniques.lxc, memory: { fixedMiB: 50, perVcpuMiB: 0, perGuestMiB: 0 } },
      },
    };
    writeFileSync(file, JSON.stringify(own));
    expect(loadConfig({ OVERHEAD_CALIBRATION_FILE: file }).overhead.overheadMiB('lxc', size)).toBe(50);
    writeFileSync(file, JSON.stringify({ techniques: {} }));
    expect(() => loadConfig({ OVERHEAD_CALIBRATION_FILE: file })).toThrow(
      /OVERHEAD_CALIBRATION_FILE: overhead calibration: technique "qemu-kvm" has no memory terms/,
    );
    expect(() => loadConfig({ OVERHEAD_CALIBRATION_FILE: 'relative.json' })).toThrow(ConfigError);
  });

  it('gives embedded defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, bindAddress: '127.0.0.1', demoHostUri: 'test:///default', logLevel: 'log' });
    expect(c.databaseUrl).toMatch(/^postgresql:\/\/.*\/virtfleet$/);
  });

  it('treats an empty DEMO_HOST_URI as "no demo host"', () => {
    expect(loadConfig({ DEMO_HOST_URI: '' }).demoHostUri).toBeNull();
  });

  it("allows host sockets of the system libvirtd and of the suite's private one by default; ssh settings only when configured", () => {
    expect(loadConfig({}).hostConnections).toEqual({
      socketDirs: ['/run/libvirt', '/var/run/libvirt', '/run/virtfleet-libvirtd'],
      simulatedHostsDir: null,
      ssh: { user: null, keyfile: null, knownHosts: null },
    });
    expect(
      loadConfig({ HOST_SOCKET_DIRS: '/srv/sock/', HOST_SSH_USER: 'virtfleet', HOST_SSH_KEYFILE: '/etc/virtfleet/id' }).hostConnections,
    ).toMatchObject({
      socketDirs: ['/srv/sock'],
      ssh: { user: 'virtfleet', keyfile: '/etc/virtfleet/id', knownHosts: null },
    });
  });

  it('treats other empty variables as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });

  it('reads STORAGE_POOLS as pool names, "default" when unset and none when empty', () => {
    expect(loadConfig({}).storagePools).toEqual(['default']);
    expect(loadConfig({ STORAGE_POOLS: 'guests, images ,' }).storagePools).toEqual(['guests', 'images']);
    expect(loadConfig({ STORAGE_POOLS: '' }).storagePools).toEqual([]);
  });

  it('refuses the replaced STORAGE_ROOTS instead of ignoring it', () => {
    expect(() => loadConfig({ STORAGE_ROOTS: '/var/lib/virtfleet' })).toThrow(/STORAGE_ROOTS: was replaced by STORAGE_POOLS/);
  });

  it.each([
    ['STORAGE_POOLS', '/var/lib/libvirt/images'],
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x@y/z'],
    ['LOG_LEVEL', 'chatty'],
    ['HYPERVISOR_CALL_TIMEOUT_MS', '5'],
    ['BODY_LIMIT', 'lots'],
    ['HOST_SOCKET_DIRS', '/run/libvirt,relative'],
    ['HOST_SOCKET_DIRS', '/run/../tmp'],
    ['HOST_SSH_USER', '-oProxyCommand=x'],
    ['HOST_SSH_KEYFILE', '/etc/x;command=y'],
    ['HOST_SSH_KNOWN_HOSTS', 'known_hosts'],
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', 'loopback,proxy.example'],
    ['EVENT_STREAMS_PER_KEY', '0'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ PORT: '-1', LOG_LEVEL: 'x' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });

  it('trusts no proxy unless told, and takes addresses, ranges and named ranges', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,2001:db8::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', '2001:db8::1']);
  });
});
