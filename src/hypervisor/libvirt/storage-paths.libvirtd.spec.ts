// What the host's libvirt answers for storage paths (the facts storage-paths.ts builds on), on
// a real directory pool of the private libvirtd. An unreachable libvirtd FAILS this suite unless
// VIRTFLEET_SKIP_LIBVIRTD=1.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { QEMU_URI, describeWithLibvirtd } from '../../../test/support/libvirtd.js';
import { type TestPool, createDirPool } from '../../../test/support/storage-pool.js';
import { NativeConnection } from './native-libvirt.js';
import { poolFacts } from './storage-paths.js';

describeWithLibvirtd('storageVolumesByPath on a real directory pool', () => {
  let pool: TestPool;
  let native: NativeConnection;

  beforeAll(async () => {
    pool = await createDirPool(QEMU_URI, 'vf-sp-native');
    native = await NativeConnection.open(QEMU_URI);
  });

  afterAll(async () => {
    await native?.close();
    await pool?.remove();
  });

  it('refreshes the named pools first, skips names of pools that do not exist, and describes them', async () => {
    writeFileSync(`${pool.dir}/new.img`, Buffer.alloc(4096));
    const { volumes, pools } = await native.storageVolumesByPath([`${pool.dir}/new.img`], ['vf-no-such-pool', pool.name]);
    expect(volumes[0]).toMatchObject({ path: `${pool.dir}/new.img`, name: 'new.img', type: 'file', pool: pool.name });
    expect(pools.map((p) => poolFacts(p.name, p.xml))).toEqual([{ name: pool.name, type: 'dir', target: pool.dir }]);
  });

  it('matches the cleaned path string only: "//" and a trailing "/" are cleaned, ".." and nesting are no volume', async () => {
    mkdirSync(`${pool.dir}/d/sub`, { recursive: true });
    const paths = [`${pool.dir}//d/`, `${pool.dir}/d/../d`, `${pool.dir}/d/sub`, pool.dir, '/etc'];
    const { volumes } = await native.storageVolumesByPath(paths, [pool.name]);
    expect(volumes.map((v) => v && { path: v.path, type: v.type })).toEqual([
      { path: `${pool.dir}/d`, type: 'dir' },
      null,
      null,
      null,
      null,
    ]);
  });

  // The limit README "Guest storage" documents: should a libvirt resolve links one day, this fails.
  it("does not resolve symbolic links: a link at the top of the pool is a volume of its target's type", async () => {
    symlinkSync('/etc', `${pool.dir}/etclink`);
    const { volumes } = await native.storageVolumesByPath([`${pool.dir}/etclink`], [pool.name]);
    expect(volumes[0]).toMatchObject({ path: `${pool.dir}/etclink`, type: 'dir', pool: pool.name });
    // Looked up by name (what adoption asks) it is the same: an admin adopting it vouches for it.
    expect(await native.storageVolumeByName(pool.name, 'etclink')).toMatchObject({ path: `${pool.dir}/etclink`, type: 'dir' });
  });

  it('describes a pool by name (refreshed; exists: false for none), and creates and deletes a volume by pool and name', async () => {
    expect(await native.storagePoolState('vf-no-such-pool')).toMatchObject({ exists: false, active: false });
    const state = await native.storagePoolState(pool.name);
    expect(state).toMatchObject({ exists: true, active: true });
    expect(state.available).toBeGreaterThan(0);
    const made = await native.createStorageVolume(
      pool.name,
      "<volume><name>made</name><capacity>0</capacity><target><format type='dir'/></target></volume>",
    );
    expect(made).toMatchObject({ name: 'made', path: `${pool.dir}/made`, type: 'dir', pool: pool.name });
    expect(await native.storageVolumeByName(pool.name, 'made')).toMatchObject({ path: `${pool.dir}/made` });
    expect(await native.storageVolumeByName(pool.name, 'missing')).toBeNull();
    expect(await native.storageVolumeByName('vf-no-such-pool', 'made')).toBeNull();
    await expect(
      native.createStorageVolume(
        pool.name,
        "<volume><name>made</name><capacity>0</capacity><target><format type='dir'/></target></volume>",
      ),
    ).rejects.toMatchObject({ codeName: 'VIR_ERR_STORAGE_VOL_EXIST' });
    expect(await native.deleteStorageVolume(pool.name, 'made')).toBe(true);
    expect(await native.deleteStorageVolume(pool.name, 'made')).toBe(false);
  });
});
