// One test per validation rule, at the exact boundaries.
import type { ContainerSpec, DomainSpec, HvmSpec, XenHvmSpec, XenPvhSpec, XenPvSpec } from './domain-spec.js';
import { buildDomainXml } from './build-domain-xml.js';
import { FIXTURE_SPECS } from '../../../test/fixtures/domain-specs.js';
import { InvalidDomainSpecError, LIMITS, validateDomainSpec } from './validate-spec.js';

const kvm = FIXTURE_SPECS.kvm as HvmSpec;
const pv = FIXTURE_SPECS['xen-pv-kernel'] as XenPvSpec;
const pvh = FIXTURE_SPECS['xen-pvh'] as XenPvhSpec;
const xenHvm = FIXTURE_SPECS['xen-hvm'] as XenHvmSpec;
const lxc = FIXTURE_SPECS['lxc-rootfs-limits'] as ContainerSpec;

const paths = (spec: DomainSpec) => validateDomainSpec(spec).map((p) => p.path);
const ok = (spec: DomainSpec) => expect(validateDomainSpec(spec)).toEqual([]);
const bad = (spec: DomainSpec, path: string) => expect(paths(spec)).toEqual([path]);

describe('validateDomainSpec', () => {
  it.each(Object.entries(FIXTURE_SPECS))('accepts fixture %s', (_variant, spec) => ok(spec));

  it('name: 1..63 of [A-Za-z0-9_.-], starting with a letter or digit', () => {
    ok({ ...kvm, name: 'a' });
    ok({ ...kvm, name: 'A'.repeat(63) });
    ok({ ...kvm, name: '0a_b.c-d' });
    bad({ ...kvm, name: '' }, 'name');
    bad({ ...kvm, name: 'A'.repeat(64) }, 'name');
    bad({ ...kvm, name: '-a' }, 'name');
    bad({ ...kvm, name: '.a' }, 'name');
    bad({ ...kvm, name: 'a b' }, 'name');
    bad({ ...kvm, name: 'a/b' }, 'name');
  });

  it('uuid: canonical lower-case form', () => {
    ok({ ...kvm, uuid: '00000000-0000-0000-0000-000000000000' });
    bad({ ...kvm, uuid: kvm.uuid.toUpperCase() }, 'uuid');
    bad({ ...kvm, uuid: kvm.uuid.replace(/-/g, '') }, 'uuid');
    bad({ ...kvm, uuid: `${kvm.uuid}0` }, 'uuid');
    bad({ ...kvm, uuid: kvm.uuid.replace('3', 'g') }, 'uuid');
  });

  it('instanceId: 1..128 of [A-Za-z0-9_.:-]', () => {
    ok({ ...kvm, instanceId: 'x'.repeat(128) });
    bad({ ...kvm, instanceId: 'x'.repeat(129) }, 'instanceId');
    bad({ ...kvm, instanceId: '' }, 'instanceId');
    bad({ ...kvm, instanceId: 'a b' }, 'instanceId');
  });

  it('vcpus: integer 1..4096', () => {
    ok({ ...kvm, vcpus: 1 });
    ok({ ...kvm, vcpus: LIMITS.maxVcpus });
    bad({ ...kvm, vcpus: 0 }, 'vcpus');
    bad({ ...kvm, vcpus: 4097 }, 'vcpus');
    bad({ ...kvm, vcpus: 1.5 }, 'vcpus');
    bad({ ...kvm, vcpus: Number.NaN }, 'vcpus');
  });

  it('memoryMiB: integer, >= 16 for VMs, >= 8 for containers, <= 16 TiB', () => {
    for (const vm of [kvm, pv, pvh, xenHvm] as DomainSpec[]) {
      ok({ ...vm, memoryMiB: 16 });
      bad({ ...vm, memoryMiB: 15 }, 'memoryMiB');
    }
    ok({ ...lxc, memoryMiB: 8, limits: undefined });
    bad({ ...lxc, memoryMiB: 7, limits: undefined }, 'memoryMiB');
    ok({ ...kvm, memoryMiB: LIMITS.maxMemoryMiB });
    bad({ ...kvm, memoryMiB: LIMITS.maxMemoryMiB + 1 }, 'memoryMiB');
    bad({ ...kvm, memoryMiB: 512.5 }, 'memoryMiB');
  });

  it('description: up to 4096 characters, tab and newline allowed, other controls not', () => {
    ok({ ...kvm, description: 'x'.repeat(4096) });
    ok({ ...kvm, description: 'a\tb\nc' });
    bad({ ...kvm, description: 'x'.repeat(4097) }, 'description');
    bad({ ...kvm, description: 'a\u0001b' }, 'description');
    bad({ ...kvm, description: 'a\u007fb' }, 'description');
  });

  it('labels: key 1..63 chars starting/ending alphanumeric, value <= 256 single-line, at most 64', () => {
    ok({ ...kvm, labels: { a: '', ['k'.repeat(63)]: 'v'.repeat(256), 'a.b_c-d': 'x' } });
    bad({ ...kvm, labels: { ['k'.repeat(64)]: 'v' } }, `labels["${'k'.repeat(64)}"]`);
    bad({ ...kvm, labels: { '': 'v' } }, 'labels[""]');
    bad({ ...kvm, labels: { 'a-': 'v' } }, 'labels["a-"]');
    bad({ ...kvm, labels: { 'a/b': 'v' } }, 'labels["a/b"]');
    bad({ ...kvm, labels: { a: 'v'.repeat(257) } }, 'labels["a"]');
    bad({ ...kvm, labels: { a: 'x\ty' } }, 'labels["a"]');
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    ok({ ...kvm, labels: many(64) });
    bad({ ...kvm, labels: many(65) }, 'labels');
  });

  it('paths: absolute, at most 4096 characters, no control characters', () => {
    const disk = (path: string): HvmSpec => ({ ...kvm, disks: [{ path, format: 'raw', bus: 'virtio' }] });
    ok(disk(`/${'p'.repeat(4095)}`));
    ok(disk(`/odd name's "&<>".img`));
    bad(disk(`/${'p'.repeat(4096)}`), 'disks[0].path');
    bad(disk('relative.img'), 'disks[0].path');
    bad(disk(''), 'disks[0].path');
    bad(disk('/a\u0000b'), 'disks[0].path');
    bad(disk('/a\nb'), 'disks[0].path');
    bad({ ...kvm, emulator: 'qemu-system-x86_64' }, 'emulator');
    bad({ ...xenHvm, loader: 'hvmloader' }, 'loader');
    bad({ ...pv, boot: { kind: 'bootloader', bootloader: 'pygrub' } }, 'boot.bootloader');
    bad({ ...pvh, boot: { kernel: '/k', initrd: 'initrd' } }, 'boot.initrd');
    bad({ ...lxc, init: 'sleep' }, 'init');
    bad({ ...lxc, rootfs: 'rootfs' }, 'rootfs');
  });

  it('kernel cmdline: at most 2048 characters, single line', () => {
    ok({ ...kvm, kernelBoot: { kernel: '/k', cmdline: 'c'.repeat(2048) } });
    bad({ ...kvm, kernelBoot: { kernel: '/k', cmdline: 'c'.repeat(2049) } }, 'kernelBoot.cmdline');
  });

  it('disks: buses per guest type, explicit targets match their bus and are unique, at most 4 IDE', () => {
    const d = (bus: 'virtio' | 'ide' | 'sata', dev?: string) => ({ path: '/i.img', format: 'raw' as const, bus, dev });
    ok({ ...kvm, disks: [d('virtio', 'vdb'), d('virtio'), d('ide', 'hdd'), d('sata', 'sdaa')] });
    bad({ ...kvm, disks: [d('virtio', 'vda'), d('virtio', 'vda')] }, 'disks[1].dev');
    ok({ ...kvm, disks: [{ ...d('virtio'), readonly: true }] });
    bad({ ...kvm, disks: [{ ...d('sata'), readonly: true }] }, 'disks[0].readonly');
    bad({ ...kvm, disks: [{ ...d('ide'), readonly: true }] }, 'disks[0].readonly');
    bad({ ...kvm, disks: [d('virtio', 'hda')] }, 'disks[0].dev');
    bad({ ...kvm, disks: [d('virtio', 'vdaaa')] }, 'disks[0].dev');
    ok({ ...kvm, disks: [d('ide'), d('ide'), d('ide'), d('ide')] });
    bad({ ...kvm, disks: [d('ide'), d('ide'), d('ide'), d('ide'), d('ide')] }, 'disks');
    bad({ ...pv, disks: [{ path: '/i.img', format: 'raw', bus: 'virtio' as 'xen' }] }, 'disks[0].bus');
    bad({ ...xenHvm, disks: [{ path: '/i.img', format: 'raw', bus: 'sata' as 'ide' }] }, 'disks[0].bus');
    bad({ ...kvm, disks: [{ path: '/i.img', format: 'vmdk' as 'raw', bus: 'virtio' }] }, 'disks[0].format');
    ok({ ...kvm, disks: Array.from({ length: 64 }, () => d('virtio')) });
    bad({ ...kvm, disks: Array.from({ length: 65 }, () => d('virtio')) }, 'disks');
  });

  it('networks: bridge <= 15 chars, network <= 64, models per guest type, unicast unique MACs', () => {
    ok({
      ...kvm,
      networks: [
        { kind: 'bridge', source: 'b'.repeat(15) },
        { kind: 'network', source: 'n'.repeat(64) },
      ],
    });
    bad({ ...kvm, networks: [{ kind: 'bridge', source: 'b'.repeat(16) }] }, 'networks[0].source');
    bad({ ...kvm, networks: [{ kind: 'network', source: 'n'.repeat(65) }] }, 'networks[0].source');
    bad({ ...kvm, networks: [{ kind: 'bridge', source: 'br:0' }] }, 'networks[0].source');
    bad({ ...kvm, networks: [{ kind: 'tap' as 'bridge', source: 'br0' }] }, 'networks[0].kind');
    bad({ ...pv, networks: [{ kind: 'bridge', source: 'xenbr0', model: 'virtio' as 'netfront' }] }, 'networks[0].model');
    ok({ ...xenHvm, networks: [{ kind: 'bridge', source: 'xenbr0', model: 'netfront' }] });
    bad({ ...lxc, networks: [{ kind: 'bridge', source: 'br0', model: 'virtio' } as never] }, 'networks[0].model');
    const mac = (...macs: string[]): HvmSpec => ({ ...kvm, networks: macs.map((m) => ({ kind: 'bridge', source: 'br0', mac: m })) });
    ok(mac('52:54:00:00:00:01', 'fe:ff:ff:ff:ff:ff'));
    bad(mac('01:00:5e:00:00:01'), 'networks[0].mac');
    bad(mac('52:54:00:AB:CD:EF'), 'networks[0].mac');
    bad(mac('52:54:00:00:00'), 'networks[0].mac');
    bad(mac('52:54:00:00:00:01', '52:54:00:00:00:01'), 'networks[1].mac');
  });

  it('hvm specifics: domain type, arch, machine, boot device, console', () => {
    bad({ ...kvm, domainType: 'xen' as 'kvm' }, 'domainType');
    bad({ ...kvm, arch: 'aarch64' as 'x86_64' }, 'arch');
    ok({ ...kvm, machine: 'q35' });
    bad({ ...kvm, machine: 'pc q35' }, 'machine');
    bad({ ...kvm, bootDevice: 'floppy' as 'hd' }, 'bootDevice');
    bad({ ...kvm, bootDevice: 'hd', kernelBoot: { kernel: '/k' } }, 'bootDevice');
    bad({ ...kvm, console: 'vnc' as 'pty' }, 'console');
    bad({ ...pv, boot: { kind: 'pxe' } as never }, 'boot.kind');
  });

  it('containers: init args, env names, mount targets, limits', () => {
    bad({ ...lxc, env: { '1A': 'x' } }, 'env["1A"]');
    ok({ ...lxc, env: { _A1: '' } });
    // libvirt writes <initenv> values back unescaped: markup characters cannot be trusted there.
    for (const c of ['<', '>', '&']) bad({ ...lxc, env: { A: `x${c}y` } }, 'env["A"]');
    ok({ ...lxc, env: { A: `x"'=;$ \\y` } });
    bad({ ...lxc, mounts: [{ source: '/s', target: '/' }] }, 'mounts[0].target');
    bad(
      {
        ...lxc,
        mounts: [
          { source: '/s', target: '/data' },
          { source: '/t', target: '/data/' },
        ],
      },
      'mounts[1].target',
    );
    bad({ ...lxc, mounts: [{ source: 's', target: '/data' }] }, 'mounts[0].source');
    ok({ ...lxc, limits: { memoryHardLimitMiB: 8, memorySoftLimitMiB: 8, cpuShares: 2 } });
    ok({ ...lxc, limits: { cpuShares: LIMITS.maxCpuShares } });
    bad({ ...lxc, limits: { memoryHardLimitMiB: 7 } }, 'limits.memoryHardLimitMiB');
    bad({ ...lxc, limits: { memoryHardLimitMiB: 64, memorySoftLimitMiB: 65 } }, 'limits.memorySoftLimitMiB');
    bad({ ...lxc, limits: { cpuShares: 1 } }, 'limits.cpuShares');
    bad({ ...lxc, limits: { cpuShares: LIMITS.maxCpuShares + 1 } }, 'limits.cpuShares');
    ok({ ...lxc, initArgs: Array.from({ length: 256 }, () => 'a') });
    bad({ ...lxc, initArgs: Array.from({ length: 257 }, () => 'a') }, 'initArgs');
  });

  it('unknown guest type', () => {
    expect(paths({ ...kvm, guestType: 'vmware' } as unknown as DomainSpec)).toEqual(['guestType']);
  });

  it('reports every problem at once', () => {
    expect(paths({ ...kvm, name: '', vcpus: 0, memoryMiB: 1 })).toEqual(['name', 'vcpus', 'memoryMiB']);
  });
});

describe('builders refuse invalid specs', () => {
  it('throw InvalidDomainSpecError carrying the problems, as a 422 domain error', () => {
    const attempt = () => buildDomainXml({ ...pv, name: 'bad name', vcpus: 0 });
    expect(attempt).toThrow(InvalidDomainSpecError);
    try {
      attempt();
    } catch (error) {
      const e = error as InvalidDomainSpecError;
      expect(e.problems.map((p) => p.path)).toEqual(['name', 'vcpus']);
      expect(e.status).toBe(422);
      expect(e.message).toMatch(/name: must match/);
    }
  });

  it('refuse an unknown guest type from an untyped caller', () => {
    expect(() => buildDomainXml({ ...kvm, guestType: 'vmware' } as unknown as DomainSpec)).toThrow(InvalidDomainSpecError);
  });
});
