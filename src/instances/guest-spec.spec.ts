import { ValidationError } from '../common/domain-errors.js';
import { assertValidBoot, hostPathProblems, type HostPathPolicy } from './guest-spec.js';

const policy: HostPathPolicy = { allowHostRootContainers: false };
const shape = (bootSpec: Record<string, unknown>) => ({ name: 'g1', vcpus: 1, memoryMiB: 128, labels: {}, bootSpec: bootSpec as never });

describe('hostPathProblems', () => {
  it('accepts plainly spelt storage paths (the host decides whether they are allowed volumes) and binaries under the system dirs', () => {
    expect(
      hostPathProblems(
        { guestType: 'hvm', disks: [{ path: '/var/lib/virtfleet/a.qcow2' }], emulator: '/usr/bin/qemu-system-x86_64' },
        policy,
      ),
    ).toEqual([]);
    expect(hostPathProblems({ guestType: 'container', init: '/sbin/init', rootfs: '/var/lib/virtfleet/ct1' }, policy)).toEqual([]);
    // Not a volume of an allowed pool on any sane host, but only the host can say so (422 there).
    expect(hostPathProblems({ guestType: 'hvm', disks: [{ path: '/dev/sda' }] }, policy)).toEqual([]);
  });

  it.each([
    [{ guestType: 'hvm', disks: [{ path: 'relative.img' }] }, 'boot.disks[0].path'],
    [{ guestType: 'hvm', disks: [{ path: '/var/lib/virtfleet/../../etc/shadow' }] }, 'boot.disks[0].path'],
    [{ guestType: 'hvm', disks: [{ path: '/var/lib/virtfleet/./a.img' }] }, 'boot.disks[0].path'],
    [{ guestType: 'hvm', disks: [{ path: '/var/lib/virtfleet//a.img' }] }, 'boot.disks[0].path'],
    [{ guestType: 'hvm', disks: [{ path: '/var/lib/virtfleet/a.img\n' }] }, 'boot.disks[0].path'],
    [{ guestType: 'container', init: '/bin/sh', rootfs: '/var/lib/virtfleet/c/', mounts: [] }, 'boot.rootfs'],
    [
      { guestType: 'container', init: '/bin/sh', rootfs: '/var/lib/virtfleet/c', mounts: [{ source: '/', target: '/host' }] },
      'boot.mounts[0].source',
    ],
    [{ guestType: 'container', init: '/bin/sh' }, 'boot.rootfs'],
    [{ guestType: 'hvm', emulator: '/tmp/evil' }, 'boot.emulator'],
    [{ guestType: 'xen-pv', boot: { kind: 'bootloader', bootloader: '/home/x/pygrub' } }, 'boot.boot.bootloader'],
    [{ guestType: 'xen-pv', boot: { kind: 'kernel', kernel: '/boot/../etc/passwd' } }, 'boot.boot.kernel'],
    [{ guestType: 'hvm', kernelBoot: { kernel: 'vmlinuz' } }, 'boot.kernelBoot.kernel'],
  ])('refuses %j at %s', (boot, path) => {
    expect(hostPathProblems(boot, policy).map((p) => p.path)).toContain(path);
  });

  it('allows host-root containers only when the policy says so', () => {
    expect(hostPathProblems({ guestType: 'container', init: '/bin/sh' }, { ...policy, allowHostRootContainers: true })).toEqual([]);
  });
});

describe('assertValidBoot on malformed input', () => {
  it.each([
    [{ guestType: 'constructor' }],
    [{ guestType: 'hvm', disks: [null] }],
    [{ guestType: 'hvm', kernelBoot: null }],
    [{ guestType: 'container', init: '/bin/sh', initArgs: 'abc' }],
    [{ guestType: 'container', init: '/bin/sh', mounts: [null] }],
  ])('answers a 400, never a crash: %j', (boot) => {
    expect(() => assertValidBoot('lxc', shape(boot))).toThrow(ValidationError);
    expect(() => assertValidBoot('qemu-kvm', shape(boot))).toThrow(ValidationError);
  });
});
