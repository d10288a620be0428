import type { BootSpec } from '../instances/guest-spec.js';
import { ValidationError } from '../common/domain-errors.js';
import { type AttachableVolume, attachProblem, newDataVolumeOf, withDiskAttached, withDiskDetached } from './disk-attachment.js';

const I = '11111111-1111-4111-8111-111111111111';
const volume: AttachableVolume = {
  name: 'data.qcow2',
  kind: 'file',
  format: 'qcow2',
  path: '/p/data.qcow2',
  instanceId: null,
  attachedInstanceId: null,
  isImage: false,
};
const hvm: BootSpec = { guestType: 'hvm', disks: [{ path: '/p/boot.raw', format: 'raw', bus: 'sata' }] };

describe('attachProblem', () => {
  it('lets a free raw or qcow2 file volume be a disk of a guest type with disks', () => {
    expect(attachProblem(hvm, I, volume)).toBeNull();
    expect(attachProblem({ guestType: 'xen-pv' }, I, { ...volume, format: 'raw' })).toBeNull();
  });

  it.each<[string, BootSpec, Partial<AttachableVolume>, number, RegExp]>([
    ['a container', { guestType: 'container', init: '/bin/sh' }, {}, 422, /takes no disks/],
    ['a dir volume', hvm, { kind: 'dir', format: null }, 422, /dir volume/],
    ['another format', hvm, { format: 'vmdk' }, 422, /format vmdk/],
    ['an image', hvm, { isImage: true }, 409, /is an image/],
    ['a root disk', hvm, { instanceId: 'x' }, 409, /root disk of instance x/],
    ['attached here', hvm, { attachedInstanceId: I }, 409, /already attached to it/],
    ['attached elsewhere', hvm, { attachedInstanceId: 'y' }, 409, /attached to instance y/],
    [
      'already a disk of the spec (spelt otherwise)',
      { guestType: 'hvm', disks: [{ path: '/p//data.qcow2' }] },
      {},
      409,
      /already one of its disks/,
    ],
  ])('refuses %s', (_, boot, change, status, message) => {
    const problem = attachProblem(boot, I, { ...volume, ...change });
    expect(problem?.status).toBe(status);
    expect(problem?.message).toMatch(message);
  });
});

describe('withDiskAttached / withDiskDetached', () => {
  it('adds the disk last, on the guest type bus, in the volume format; removes it by path', () => {
    const attached = withDiskAttached(hvm, volume);
    expect(attached.disks).toEqual([...(hvm.disks as unknown[]), { path: '/p/data.qcow2', format: 'qcow2', bus: 'virtio' }]);
    expect(withDiskAttached({ guestType: 'xen-hvm' }, volume).disks).toEqual([{ path: '/p/data.qcow2', format: 'qcow2', bus: 'xen' }]);
    expect(withDiskDetached(attached, '/p/data.qcow2')).toEqual(hvm);
    expect(hvm.disks).toHaveLength(1); // not changed in place
  });
});

describe('newDataVolumeOf', () => {
  it('is null for an existing volume, a qcow2 file volume (by default) for a new one', () => {
    expect(newDataVolumeOf({ volumeId: I })).toBeNull();
    expect(newDataVolumeOf({ pool: 'default', name: 'd.qcow2', capacityGiB: 2 })).toEqual({
      pool: 'default',
      name: 'd.qcow2',
      kind: 'file',
      format: 'qcow2',
      capacityBytes: 2 * 1024 ** 3,
    });
    expect(newDataVolumeOf({ pool: 'default', name: 'd.raw', capacityGiB: 1, format: 'raw' })?.format).toBe('raw');
  });

  it('is a 400 naming the fields for an existing and a new volume at once, or a new one without its size', () => {
    expect(() => newDataVolumeOf({ volumeId: I, pool: 'default' })).toThrow(/no pool/);
    expect(() => newDataVolumeOf({ pool: 'default', name: 'd.qcow2' })).toThrow(ValidationError);
    expect(() => newDataVolumeOf({})).toThrow(/give volumeId/);
  });
});
