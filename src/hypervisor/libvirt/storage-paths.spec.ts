import type { ManagedVolume } from '../volumes.js';
import type { StorageRef } from '../storage-refs.js';
import type { StorageVolume } from './native-libvirt.js';
import { storageProblem } from './storage-paths.js';

const poolXml = "<pool type='dir'><name>guests</name><target><path>/srv/guests</path></target></pool>";
const volume = (name: string, type: StorageVolume['type']): StorageVolume => ({
  path: `/srv/guests/${name}`, name, type, pool: 'guests', poolXml, volumeXml: `<volume><name>${name}</name></volume>`,
});
const mount = (name: string): StorageRef => ({ field: 'boot.mounts[0].source', path: `/srv/guests/${name}`, use: 'mount' });
const policy = { allowedPools: ['guests'] };
const managed: ManagedVolume[] = [{ pool: 'guests', name: 'data', kind: 'dir' }, { pool: 'other', name: 'etclink', kind: 'dir' }];

describe('storageProblem: only managed volumes of the host', () => {
  it('accepts a managed volume of an allowed pool, of the kind the use needs', () => {
    expect(storageProblem(mount('data'), volume('data', 'dir'), policy, managed)).toBeNull();
  });

  it('refuses an entry libvirt lists that nobody created or adopted (a link placed at the top of the pool)', () => {
    expect(storageProblem(mount('etclink'), volume('etclink', 'dir'), policy, managed)).toMatch(/virtfleet does not manage on this host/);
    expect(storageProblem(mount('data'), volume('data', 'dir'), policy, [])).toMatch(/does not manage/);
  });

  it('matches pool and name together, and the kind the volume was managed as', () => {
    expect(storageProblem(mount('data'), volume('data', 'dir'), policy, [{ pool: 'other', name: 'data', kind: 'dir' }])).toMatch(/does not manage/);
    expect(storageProblem({ ...mount('data'), use: 'disk' }, volume('data', 'file'), policy, managed)).toMatch(/managed as a dir volume but now a file volume/);
  });

  it('keeps the earlier refusals first: no volume, a pool not allowed, the wrong kind for the use', () => {
    expect(storageProblem(mount('x'), null, policy, managed)).toMatch(/is not a volume/);
    expect(storageProblem(mount('data'), { ...volume('data', 'dir'), pool: 'other' }, policy, managed)).toMatch(/which guests may not use/);
    expect(storageProblem(mount('data'), volume('data', 'file'), policy, managed)).toMatch(/a mount must be a dir volume/);
  });
});

describe('storageProblem: a disk with a backing store', () => {
  const overlay = (backing: string): StorageVolume => ({
    ...volume('root.qcow2', 'file'), volumeXml: `<volume><name>root.qcow2</name><backingStore><path>${backing}</path></backingStore></volume>`,
  });
  const disk: StorageRef = { field: 'boot.disks[0].path', path: '/srv/guests/root.qcow2', use: 'disk' };
  const withImage: ManagedVolume[] = [{ pool: 'guests', name: 'root.qcow2', kind: 'file', path: '/srv/guests/root.qcow2' }, { pool: 'guests', name: 'img', kind: 'file', path: '/srv/guests/img' }];

  it('accepts an overlay whose backing store is a managed file volume of the host (an image)', () => {
    expect(storageProblem(disk, overlay('/srv/guests/img'), policy, withImage)).toBeNull();
  });

  it('refuses one whose backing store is anything else (QEMU would open it too)', () => {
    expect(storageProblem(disk, overlay('/etc/shadow'), policy, withImage)).toMatch(/backing store \(\/etc\/shadow\) that is not a managed volume/);
    expect(storageProblem(disk, overlay('/srv/guests/img'), policy, [withImage[0]!, { pool: 'guests', name: 'img', kind: 'dir', path: '/srv/guests/img' }])).toMatch(/not a managed volume/);
  });
});
