import type { HostVolume } from '../hypervisor/volumes.js';
import { imageProblem, rootDiskGiB } from './image-rules.js';

const volume = (v: Partial<HostVolume> = {}): HostVolume => ({
  pool: 'p',
  name: 'img.qcow2',
  kind: 'file',
  format: 'qcow2',
  capacityBytes: 64 << 20,
  key: '/p/img.qcow2',
  path: '/p/img.qcow2',
  backingPath: null,
  ...v,
});

describe('imageProblem', () => {
  it('accepts a self-contained raw or qcow2 file volume, claimed or not', () => {
    expect(imageProblem(volume(), undefined)).toBeNull();
    expect(imageProblem(volume(), 'qcow2')).toBeNull();
    expect(imageProblem(volume({ format: 'raw' }), 'raw')).toBeNull();
  });

  it.each([
    [volume({ kind: 'dir', format: null }), undefined, /is a dir volume/],
    [volume({ backingPath: '/etc/shadow' }), undefined, /backing store of its own/],
    [volume({ format: 'vmdk' }), undefined, /format vmdk/],
    [volume({ format: 'qcow2' }), 'raw' as const, /said to be raw but .* finds qcow2/],
    [volume({ capacityBytes: 0 }), undefined, /is empty/],
  ])('refuses %#', (v, claimed, why) => {
    expect(imageProblem(v, claimed)).toMatch(why);
  });
});

describe('rootDiskGiB', () => {
  it('defaults to the image size rounded up, and refuses less than the image', () => {
    expect(rootDiskGiB(64 << 20, undefined)).toBe(1);
    expect(rootDiskGiB(3 * 1024 ** 3 + 1, 0)).toBe(4);
    expect(rootDiskGiB(64 << 20, 5)).toBe(5);
    expect(rootDiskGiB(2 * 1024 ** 3 + 1, 2)).toBeNull();
  });
});
