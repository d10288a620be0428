// Guest storage is resolved on the host that defines the guest, through its libvirt storage
// API, against a real directory pool on the real libvirtd: only direct volumes of an allowed
// pool that are managed volumes of that host, of the kind each path is used for, and the domain
// XML carries libvirt's path for them. The managed list is what the API loads from PostgreSQL.
import { existsSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type * as libvirt from '@unraid/libvirt';
import { ConflictError, UnprocessableError } from '../src/common/domain-errors.js';
import { DriverRegistry } from '../src/hypervisor/driver-registry.js';
import type { HypervisorDriver } from '../src/hypervisor/hypervisor-driver.js';
import type { ManagedVolume } from '../src/hypervisor/volumes.js';
import { LibvirtConnectionPool } from '../src/hypervisor/libvirt/libvirt-connection-pool.js';
import type { ContainerSpec, DomainSpec, HvmSpec } from '../src/hypervisor/xml/domain-spec.js';
import { guestSpecFor } from './support/guest-fixtures.js';
import { LXC_URI, QEMU_URI, describeWithLibvirtd, openLibvirtd, removeDomainQuietly, uniqueName } from './support/libvirtd.js';
import { type TestPool, createDirPool, createPoolAt } from './support/storage-pool.js';

/** A qcow2 (version 2) header naming `backing` as its backing file: what a guest can write into its own raw disk. */
function qcow2WithBacking(path: string, backing: string): void {
  const header = Buffer.alloc(72 + backing.length);
  header.write('QFI\xfb', 0, 'latin1');
  header.writeUInt32BE(2, 4); // version
  header.writeBigUInt64BE(72n, 8); // backing_file_offset
  header.writeUInt32BE(backing.length, 16); // backing_file_size
  header.writeUInt32BE(16, 20); // cluster_bits
  header.writeBigUInt64BE(1n << 20n, 24); // size
  header.write(backing, 72, 'latin1');
  writeFileSync(path, header);
}

/** A sparse raw image of `bytes`. */
function rawImage(path: string, bytes = 1 << 20): void {
  writeFileSync(path, Buffer.alloc(0));
  truncateSync(path, bytes);
}

describeWithLibvirtd('guest storage resolved on the host (real libvirtd, real dir pool)', () => {
  const pool = new LibvirtConnectionPool(30_000);
  let allowed: TestPool;
  let other: TestPool;
  let drivers: DriverRegistry;
  let qemu: libvirt.Hypervisor;
  let lxc: libvirt.Hypervisor;
  const defined: Array<{ name: string; lxc: boolean }> = [];
  /** The host's managed volumes as the API would load them (every test volume of the allowed pool but links). */
  const managed: ManagedVolume[] = [];
  const manage = (name: string, kind: ManagedVolume['kind'], pool = allowed.name) => managed.push({ pool, name, kind });

  beforeAll(async () => {
    [allowed, other] = await Promise.all([createDirPool(QEMU_URI, 'vf-sp-ok'), createDirPool(QEMU_URI, 'vf-sp-other')]);
    drivers = new DriverRegistry(pool, { allowedPools: [allowed.name] });
    [qemu, lxc] = await Promise.all([openLibvirtd(QEMU_URI), openLibvirtd(LXC_URI)]);
    // Created before the driver's first look: the driver refreshes the allowed pools itself.
    rawImage(`${allowed.dir}/disk.img`);
    mkdirSync(`${allowed.dir}/ct`);
    mkdirSync(`${allowed.dir}/data`);
    manage('disk.img', 'file');
    manage('ct', 'dir');
    manage('data', 'dir');
    rawImage(`${other.dir}/other.img`);
    await other.refresh();
  });

  afterAll(async () => {
    for (const d of defined) await removeDomainQuietly(d.lxc ? lxc : qemu, d.name);
    await Promise.all([qemu?.connectClose().catch(() => undefined), lxc?.connectClose().catch(() => undefined)]);
    await pool.closeAll();
    await Promise.all([allowed?.remove(), other?.remove()]);
  });

  function qemuGuest(disks: HvmSpec['disks'], extra: Partial<HvmSpec> = {}): HvmSpec {
    const spec = guestSpecFor('qemu-kvm', uniqueName('vf-sp-vm')) as HvmSpec;
    defined.push({ name: spec.name, lxc: false });
    return { ...spec, disks, ...extra };
  }

  function container(extra: Partial<ContainerSpec>): ContainerSpec {
    const spec = guestSpecFor('lxc', uniqueName('vf-sp-ct')) as ContainerSpec;
    defined.push({ name: spec.name, lxc: true });
    return { ...spec, ...extra };
  }

  const disk = (path: string) => [{ path, format: 'raw' as const, bus: 'virtio' as const }];

  const connectionFor = (spec: DomainSpec) => (spec.guestType === 'container' ? lxc : qemu);

  async function isDefined(spec: DomainSpec): Promise<boolean> {
    return connectionFor(spec)
      .domainLookupByName(spec.name)
      .then(
        () => true,
        () => false,
      );
  }

  async function xmlOf(spec: DomainSpec): Promise<string> {
    const h = connectionFor(spec);
    return h.domainGetXMLDesc(await h.domainLookupByName(spec.name));
  }

  /** define() must fail with 422 naming `field`, and leave nothing defined. */
  async function expectRefused(driver: HypervisorDriver, uri: string, spec: DomainSpec, field: string, message?: RegExp) {
    const error = await driver.define(uri, spec, managed).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnprocessableError);
    const errors = (error as UnprocessableError).extras?.errors as Array<{ path: string; message: string }>;
    expect(errors.map((e) => e.path)).toContain(field);
    if (message) expect(errors.find((e) => e.path === field)!.message).toMatch(message);
    expect(await isDefined(spec)).toBe(false);
    // The API's pre-check says the same, without defining anything either.
    await expect(driver.checkStorage(uri, spec, managed)).rejects.toBeInstanceOf(UnprocessableError);
  }

  it('refuses a link to /etc that a guest made inside its own volume, as a bind-mount source (the reported escape), and defines nothing', async () => {
    // A container whose rootfs is the `ct` volume is root there and can create this link.
    symlinkSync('/etc', `${allowed.dir}/ct/etclink`);
    await expectRefused(
      drivers.get('lxc'),
      LXC_URI,
      container({ mounts: [{ source: `${allowed.dir}/ct/etclink`, target: '/mnt/host-etc' }] }),
      'boot.mounts[0].source',
      /not a volume/,
    );
  });

  it('refuses the pool directory itself as rootfs or mount source: only its entries are volumes', async () => {
    await expectRefused(drivers.get('lxc'), LXC_URI, container({ rootfs: allowed.dir }), 'boot.rootfs');
    await expectRefused(
      drivers.get('lxc'),
      LXC_URI,
      container({ mounts: [{ source: allowed.dir, target: '/mnt/pool' }] }),
      'boot.mounts[0].source',
    );
  });

  it('refuses paths through "..", outside every pool, and in a pool that is not allowed', async () => {
    const qemu = drivers.get('qemu-kvm');
    await expectRefused(qemu, QEMU_URI, qemuGuest(disk(`${allowed.dir}/ct/../disk.img`)), 'boot.disks[0].path');
    await expectRefused(qemu, QEMU_URI, qemuGuest(disk(`${allowed.dir}/../${basename(allowed.dir)}/disk.img`)), 'boot.disks[0].path');
    await expectRefused(qemu, QEMU_URI, qemuGuest(disk('/etc/shadow')), 'boot.disks[0].path', /not a volume/);
    await expectRefused(
      qemu,
      QEMU_URI,
      qemuGuest(disk(`${other.dir}/other.img`)),
      'boot.disks[0].path',
      new RegExp(`pool "${other.name}", which guests may not use`),
    );
    await expectRefused(qemu, QEMU_URI, qemuGuest([], { kernelBoot: { kernel: '/etc/shadow' } }), 'boot.kernelBoot.kernel');
  });

  it('refuses a link to a file outside the pool nested in a volume, as a VM disk', async () => {
    symlinkSync('/etc/shadow', `${allowed.dir}/data/shadowlink`);
    await expectRefused(
      drivers.get('qemu-kvm'),
      QEMU_URI,
      qemuGuest(disk(`${allowed.dir}/data/shadowlink`)),
      'boot.disks[0].path',
      /not a volume/,
    );
  });

  it('refuses the wrong kind of volume: a directory as a disk, a file as rootfs', async () => {
    await expectRefused(drivers.get('qemu-kvm'), QEMU_URI, qemuGuest(disk(`${allowed.dir}/ct`)), 'boot.disks[0].path', /dir volume/);
    await expectRefused(drivers.get('lxc'), LXC_URI, container({ rootfs: `${allowed.dir}/disk.img` }), 'boot.rootfs', /file volume/);
  });

  it('refuses an image whose header names a backing file (a guest can write one into its raw disk)', async () => {
    qcow2WithBacking(`${allowed.dir}/backed.qcow2`, '/etc/shadow');
    manage('backed.qcow2', 'file');
    await expectRefused(
      drivers.get('qemu-kvm'),
      QEMU_URI,
      qemuGuest([{ path: `${allowed.dir}/backed.qcow2`, format: 'qcow2', bus: 'virtio' }]),
      'boot.disks[0].path',
      /backing store/,
    );
  });

  it("defines a QEMU guest on a file volume with the path libvirt gives, not the caller's spelling", async () => {
    const spec = qemuGuest(disk(`${allowed.dir}//disk.img`));
    await drivers.get('qemu-kvm').define(QEMU_URI, spec, managed);
    const xml = await xmlOf(spec);
    expect(xml).toContain(`<source file='${allowed.dir}/disk.img'/>`);
    expect(xml).not.toContain('//disk.img');
  });

  it('defines an LXC container on a directory volume as rootfs, with another as a bind mount (trailing slash dropped by libvirt)', async () => {
    const spec = container({ rootfs: `${allowed.dir}/ct`, mounts: [{ source: `${allowed.dir}/data/`, target: '/data' }] });
    await drivers.get('lxc').define(LXC_URI, spec, managed);
    const xml = await xmlOf(spec);
    expect(xml).toContain(`<source dir='${allowed.dir}/ct'/>`);
    expect(xml).toContain(`<source dir='${allowed.dir}/data'/>`);
  });

  it('sees a volume created after the pool was last refreshed', async () => {
    rawImage(`${allowed.dir}/late.img`);
    manage('late.img', 'file');
    const spec = qemuGuest(disk(`${allowed.dir}/late.img`));
    await drivers.get('qemu-kvm').define(QEMU_URI, spec, managed);
    expect(await xmlOf(spec)).toContain(`<source file='${allowed.dir}/late.img'/>`);
  });

  it("refuses a directory volume that holds another allowed pool's directory: the guest could place links at its top level", async () => {
    mkdirSync(`${allowed.dir}/holder/inner`, { recursive: true });
    manage('holder', 'dir');
    const inner = await createPoolAt(QEMU_URI, uniqueName('vf-sp-inner'), `${allowed.dir}/holder/inner`);
    try {
      const both = new DriverRegistry(pool, { allowedPools: [allowed.name, inner.name] });
      await expectRefused(
        both.get('lxc'),
        LXC_URI,
        container({ rootfs: `${allowed.dir}/holder` }),
        'boot.rootfs',
        new RegExp(`holds the directory of allowed storage pool "${inner.name}"`),
      );
      // Allowed alone, the same directory is an ordinary volume.
      const spec = container({ rootfs: `${allowed.dir}/holder` });
      await drivers.get('lxc').define(LXC_URI, spec, managed);
      expect(await xmlOf(spec)).toContain(`<source dir='${allowed.dir}/holder'/>`);
    } finally {
      await inner.remove();
    }
  });

  it('refuses a link at the top of an allowed pool, which libvirt lists as a volume, because it is no managed volume (the escape of issue #14)', async () => {
    symlinkSync('/etc', `${allowed.dir}/etclink`);
    symlinkSync('/etc/shadow', `${allowed.dir}/shadowtop`);
    await expectRefused(
      drivers.get('lxc'),
      LXC_URI,
      container({ mounts: [{ source: `${allowed.dir}/etclink`, target: '/mnt/etc' }] }),
      'boot.mounts[0].source',
      /virtfleet does not manage on this host/,
    );
    await expectRefused(drivers.get('lxc'), LXC_URI, container({ rootfs: `${allowed.dir}/etclink` }), 'boot.rootfs', /does not manage/);
    await expectRefused(
      drivers.get('qemu-kvm'),
      QEMU_URI,
      qemuGuest(disk(`${allowed.dir}/shadowtop`)),
      'boot.disks[0].path',
      /does not manage/,
    );
    // Nothing is managed when the caller passes no list: the driver fails closed.
    const spec = container({ rootfs: `${allowed.dir}/ct` });
    await expect(drivers.get('lxc').define(LXC_URI, spec)).rejects.toBeInstanceOf(UnprocessableError);
    expect(await isDefined(spec)).toBe(false);
  });

  it('refuses a managed volume whose kind on the host is no longer the one it was managed as', async () => {
    mkdirSync(`${allowed.dir}/swapped`);
    const asFile = [...managed, { pool: allowed.name, name: 'swapped', kind: 'file' as const }];
    const spec = container({ rootfs: `${allowed.dir}/swapped` });
    const error = await drivers
      .get('lxc')
      .define(LXC_URI, spec, asFile)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(UnprocessableError);
    expect(JSON.stringify((error as UnprocessableError).extras)).toMatch(/managed as a file volume but now a dir volume/);
    expect(await isDefined(spec)).toBe(false);
  });

  it('creates, finds and deletes volumes through the driver, by pool and name only', async () => {
    const lxcDriver = drivers.get('lxc');
    const dir = await lxcDriver.createVolume(LXC_URI, { pool: allowed.name, name: 'made', kind: 'dir' });
    expect(dir).toEqual({
      pool: allowed.name,
      name: 'made',
      kind: 'dir',
      format: null,
      backingPath: null,
      capacityBytes: 0,
      key: `${allowed.dir}/made`,
      path: `${allowed.dir}/made`,
    });
    const file = await drivers
      .get('qemu-kvm')
      .createVolume(QEMU_URI, { pool: allowed.name, name: 'made.img', kind: 'file', format: 'raw', capacityBytes: 1 << 20 });
    expect(file).toMatchObject({ kind: 'file', format: 'raw', capacityBytes: 1 << 20, path: `${allowed.dir}/made.img` });
    expect(await lxcDriver.findVolume(LXC_URI, allowed.name, 'made')).toEqual(dir);
    expect(await lxcDriver.findVolume(LXC_URI, allowed.name, 'no-such')).toBeNull();
    await expect(lxcDriver.createVolume(LXC_URI, { pool: allowed.name, name: 'made', kind: 'dir' })).rejects.toBeInstanceOf(ConflictError);
    await expect(lxcDriver.createVolume(LXC_URI, { pool: other.name, name: 'made', kind: 'dir' })).rejects.toThrow(
      /not one guests may use/,
    );
    await expect(lxcDriver.findVolume(LXC_URI, other.name, 'other.img')).rejects.toBeInstanceOf(UnprocessableError);
    expect(await lxcDriver.deleteVolume(LXC_URI, allowed.name, 'made')).toBe(true);
    expect(await lxcDriver.deleteVolume(LXC_URI, allowed.name, 'made.img')).toBe(true);
    expect(await lxcDriver.deleteVolume(LXC_URI, allowed.name, 'made')).toBe(false);
    expect(existsSync(`${allowed.dir}/made`) || existsSync(`${allowed.dir}/made.img`)).toBe(false);
  });

  it('refuses all host storage when no pool is allowed', async () => {
    const none = new DriverRegistry(pool);
    await expectRefused(
      none.get('qemu-kvm'),
      QEMU_URI,
      qemuGuest(disk(`${allowed.dir}/disk.img`)),
      'boot.disks[0].path',
      /STORAGE_POOLS is empty/,
    );
  });
});
