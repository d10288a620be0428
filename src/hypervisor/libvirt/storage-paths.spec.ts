import type { ManagedVolume } from '../volumes.js';
import type { StorageRef } from '../storage-refs.js';
import type { StorageVolume } from './native-libvirt.js';
import { storageProblem } from './storage-paths.js';

const poolXml = "<pool type='dir'><name>guests</name><target><path>/srv/guests</path></target></pool>";
const volume = (name: string, type: StorageVolume['type']): StorageVolume => ({
  path: `/srv/guests/${name}`,
  name,
  type,
  pool: 'guests',
  poolXml,
  volumeXml: `<volume><name>${name}</name></volume>`,
});
const mount = (name: string): StorageRef => ({ field: 'boot.mounts[0].source', path: `/srv/guests/${name}`, use: 'mount' });
const policy = { allowedPools: ['guests'] };
const managed: ManagedVolume[] = [
  { pool: 'guests', name: 'data', kind: 'dir' },
  { pool: 'other', name: 'etclink', kind: 'dir' },
];

describe('storageProblem: only managed volumes of the host', () => {
  it('accepts a managed volume of an allowed pool, of the kind the use needs', () => {
    expect(storageProblem(mount('data'), volume('data', 'dir'), policy, managed)).toBeNull();
  });

  it('refuses an entry libvirt lists that nobody created or adopted (a link placed at the top of the pool)', () => {
    expect(storageProblem(mount('etclink'), volume('etclink', 'dir'), policy, managed)).toMatch(/virtfleet does not manage on this host/);
    expect(storageProblem(mount('data'), volume('data', 'dir'), policy, [])).toMatch(/does not manage/);
  });

  it('matches pool and name together, and the kind the volume was managed as', () => {
    expect(storageProblem(mount('data'), volume('data', 'dir'), policy, [{ pool: 'other', name: 'data', kind: 'dir' }])).toMatch(
      /does not manage/,
    );
    expect(storageProblem({ ...mount('data'), use: 'disk' }, volume('data', 'file'), policy, managed)).toMatch(
      /managed as a dir volume but now a file volume/,
    );
  });

  it('keeps the earlier refusals first: no volume, a pool not allowed, the wrong kind for the use', () => {
    expect(storageProblem(mount('x'), null, policy, managed)).toMatch(/is not a volume/);
    expect(storageProblem(mount('data'), { ...volume('data', 'dir'), pool: 'other' }, policy, managed)).toMatch(/which guests may not use/);
    expect(storageProblem(mount('data'), volume('data', 'file'), policy, managed)).toMatch(/a mount must be a dir volume/);
  });
});

describe('storageProblem: a disk with a backing store', () => {
  const overlay = (backing: string): StorageVolume => ({
    ...volume('root.qcow2', 'file'),
    volumeXml: `<volume><name>root.qcow2</name><backingStore><path>${backing}</path></backingStore></volume>`,
  });
  const disk: StorageRef = { field: 'boot.disks[0].path', path: '/srv/guests/root.qcow2', use: 'disk', format: 'qcow2' };
  const rootDisk: ManagedVolume = {
    pool: 'guests',
    name: 'root.qcow2',
    kind: 'file',
    path: '/srv/guests/root.qcow2',
    format: 'qcow2',
    instanceId: 'vm-1',
  };
  const image: ManagedVolume = { pool: 'guests', name: 'img', kind: 'file', path: '/srv/guests/img', format: 'qcow2', image: true };
  const withImage: ManagedVolume[] = [rootDisk, image];

  it('accepts the root disk made for this guest, whose backing store is an image of the host', () => {
    expect(storageProblem(disk, overlay('/srv/guests/img'), policy, withImage, [], 'vm-1')).toBeNull();
  });

  it('refuses one whose backing store is anything else (QEMU would open it too)', () => {
    expect(storageProblem(disk, overlay('/etc/shadow'), policy, withImage, [], 'vm-1')).toMatch(
      /backing store \(\/etc\/shadow\) that is not an image's volume/,
    );
    expect(storageProblem(disk, overlay('/srv/guests/img'), policy, [rootDisk, { ...image, kind: 'dir' }], [], 'vm-1')).toMatch(
      /not an image's volume/,
    );
  });

  it('refuses a chain through a managed volume that is not an image (a guest-written qcow2 header naming another volume)', () => {
    const v2: ManagedVolume = { pool: 'guests', name: 'v2', kind: 'file', path: '/srv/guests/v2', format: 'raw' };
    const v1: ManagedVolume = { pool: 'guests', name: 'root.qcow2', kind: 'file', path: '/srv/guests/root.qcow2', format: 'qcow2' };
    expect(storageProblem(disk, overlay('/srv/guests/v2'), policy, [v1, v2], [], 'vm-2')).toMatch(/not an image's volume/);
    // Even with an image behind it, only a root disk virtfleet made may have a backing store.
    expect(storageProblem(disk, overlay('/srv/guests/img'), policy, [v1, image], [], 'vm-2')).toMatch(/not a root disk virtfleet made/);
  });

  it('reads a volume only in the format it was created in: a raw volume is never read as qcow2', () => {
    const raw: ManagedVolume = { pool: 'guests', name: 'data.img', kind: 'file', path: '/srv/guests/data.img', format: 'raw' };
    const asQcow2: StorageRef = { field: 'boot.disks[1].path', path: '/srv/guests/data.img', use: 'disk', format: 'qcow2' };
    expect(storageProblem(asQcow2, volume('data.img', 'file'), policy, [raw], [], 'vm-2')).toMatch(
      /created as raw; it cannot be read as qcow2/,
    );
    expect(storageProblem({ ...asQcow2, format: 'raw' }, volume('data.img', 'file'), policy, [raw], [], 'vm-2')).toBeNull();
  });

  it("refuses another instance's root disk and an image's volume as a guest's disk", () => {
    const asRaw: StorageRef = { ...disk, format: 'qcow2' };
    expect(storageProblem(asRaw, overlay('/srv/guests/img'), policy, withImage, [], 'vm-2')).toMatch(
      /root disk of instance vm-1; no other guest may use it/,
    );
    const imageAsDisk: StorageRef = { field: 'boot.disks[0].path', path: '/srv/guests/img', use: 'disk', format: 'qcow2' };
    expect(storageProblem(imageAsDisk, volume('img', 'file'), policy, withImage, [], 'vm-2')).toMatch(
      /an image's volume; guests use an image through a root disk/,
    );
  });
});
