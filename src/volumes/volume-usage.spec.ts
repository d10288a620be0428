import type { DomainSpec } from '../hypervisor/xml/domain-spec.js';
import { fieldsUsing, sanitizePath } from './volume-usage.js';

describe('sanitizePath (libvirt virFileSanitizePath)', () => {
  it.each([
    ['/p/a', '/p/a'],
    ['/p//a', '/p/a'],
    ['/p/a/', '/p/a'],
    ['/p///a//', '/p/a'],
    ['///p/a', '/p/a'],
    ['//p/a', '//p/a'],
    ['/', '/'],
    // Not resolved, exactly as libvirt does not: so "/p/x/../a" never matched volume "/p/a".
    ['/p/x/../a', '/p/x/../a'],
    ['/p/./a', '/p/./a'],
  ])('%j -> %j', (path, clean) => {
    expect(sanitizePath(path)).toBe(clean);
  });
});

describe('fieldsUsing', () => {
  const spec: DomainSpec = {
    name: 'g',
    uuid: '00000000-0000-4000-8000-000000000000',
    instanceId: '00000000-0000-4000-8000-000000000000',
    vcpus: 1,
    memoryMiB: 64,
    guestType: 'container',
    init: '/bin/sh',
    rootfs: '/p//ct/',
    mounts: [
      { source: '/p/data', target: '/d' },
      { source: '/p/database', target: '/e' },
    ],
  };

  it('names the fields whose path libvirt resolved to the volume, however they were spelt', () => {
    expect(fieldsUsing(spec, '/p/ct')).toEqual(['boot.rootfs']);
    expect(fieldsUsing(spec, '/p/data')).toEqual(['boot.mounts[0].source']);
    expect(fieldsUsing(spec, '/p/dat')).toEqual([]);
  });
});
