import { mapStoragePaths, storageRefsOf } from './storage-refs.js';
import type { DomainSpec } from './xml/domain-spec.js';

const common = {
  name: 'g',
  uuid: '00000000-0000-4000-8000-000000000000',
  instanceId: '00000000-0000-4000-8000-000000000000',
  vcpus: 1,
  memoryMiB: 64,
};

describe('storageRefsOf', () => {
  it.each<[DomainSpec, Array<[string, string, string]>]>([
    [
      {
        ...common,
        guestType: 'hvm',
        domainType: 'qemu',
        console: 'pty',
        networks: [],
        disks: [{ path: '/p/a.img', format: 'raw', bus: 'virtio' }],
        kernelBoot: { kernel: '/p/k', initrd: '/p/i' },
      },
      [
        ['boot.disks[0].path', '/p/a.img', 'disk'],
        ['boot.kernelBoot.kernel', '/p/k', 'kernel'],
        ['boot.kernelBoot.initrd', '/p/i', 'kernel'],
      ],
    ],
    [
      { ...common, guestType: 'xen-pv', networks: [], disks: [], boot: { kind: 'kernel', kernel: '/p/k' } },
      [['boot.boot.kernel', '/p/k', 'kernel']],
    ],
    [{ ...common, guestType: 'xen-pv', networks: [], disks: [], boot: { kind: 'bootloader', bootloader: '/usr/bin/pygrub' } }, []],
    [
      {
        ...common,
        guestType: 'xen-pvh',
        networks: [],
        disks: [{ path: '/p/x', format: 'raw', bus: 'xen' }],
        boot: { kernel: '/p/k', initrd: '/p/i' },
      },
      [
        ['boot.disks[0].path', '/p/x', 'disk'],
        ['boot.boot.kernel', '/p/k', 'kernel'],
        ['boot.boot.initrd', '/p/i', 'kernel'],
      ],
    ],
    [
      { ...common, guestType: 'xen-hvm', networks: [], disks: [{ path: '/p/x', format: 'raw', bus: 'ide' }] },
      [['boot.disks[0].path', '/p/x', 'disk']],
    ],
    [
      {
        ...common,
        guestType: 'container',
        init: '/bin/sh',
        rootfs: '/p/ct',
        mounts: [
          { source: '/p/a', target: '/a' },
          { source: '/p/b', target: '/b' },
        ],
      },
      [
        ['boot.rootfs', '/p/ct', 'rootfs'],
        ['boot.mounts[0].source', '/p/a', 'mount'],
        ['boot.mounts[1].source', '/p/b', 'mount'],
      ],
    ],
    [{ ...common, guestType: 'container', init: '/bin/sh' }, []],
  ])('lists every host storage path with its field and use (case %#)', (spec, expected) => {
    expect(storageRefsOf(spec).map((r) => [r.field, r.path, r.use])).toEqual(expected);
  });

  it('rewrites exactly those paths and leaves the spec it was given alone', () => {
    const spec: DomainSpec = {
      ...common,
      guestType: 'container',
      init: '/bin/sh',
      rootfs: '/p//ct',
      mounts: [{ source: '/p/a/', target: '/a', readonly: true }],
    };
    const out = mapStoragePaths(spec, (r) => `${r.path.replace(/\/+/g, '/').replace(/\/$/, '')}`);
    expect(out).toEqual({ ...spec, rootfs: '/p/ct', mounts: [{ source: '/p/a', target: '/a', readonly: true }] });
    expect(spec.rootfs).toBe('/p//ct');
  });
});
