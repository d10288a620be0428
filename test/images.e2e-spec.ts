// Images and root disks on the real libvirtd with a real directory pool: a bootable image built
// offline from Debian packages (scripts/build-test-image.sh: Debian's kernel, a busybox
// initramfs, SYSLINUX on a FAT disk) is adopted as a managed volume and registered; an instance
// asks for a root disk from it, gets a qcow2 overlay of it in the pool (vda), and QEMU/TCG boots
// from that disk until its init prints a marker on the serial console. Bad images are refused
// with 4xx, a failed create leaves no volume behind, and a delete removes the disk.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { expectProblem, waitForOperation } from './support/api.js';
import { LIBVIRTD_SOCKET_DIR, QEMU_URI, describeWithLibvirtd, uniqueName } from './support/libvirtd.js';
import { type OwnDatabase, ownDatabase } from './support/own-database.js';
import { type TestPool, createDirPool } from './support/storage-pool.js';
import { startTestApp } from './support/test-app.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The private libvirtd's /var/log/libvirt (scripts/libvirtd.sh bind-mounts $DIR/log there). */
const LIBVIRTD_LOG_DIR = `${dirname(LIBVIRTD_SOCKET_DIR)}/log`;
const MARKER = 'VIRTFLEET-BOOTED-FROM-DISK';

/** The serial console log of guest `id` once it holds `marker`; throws after `timeoutMs`. */
async function consoleLine(id: string, marker: string, timeoutMs: number): Promise<string> {
  const file = `${LIBVIRTD_LOG_DIR}/qemu/${id}-console.log`;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'latin1') : '';
    const line = text.split(/\r?\n/).find((l) => l.includes(marker));
    if (line) return line;
    if (Date.now() > until)
      throw new Error(`no "${marker}" on the console of ${id} after ${timeoutMs} ms; it printed: ${text.slice(-2000)}`);
    await sleep(1000);
  }
}

/** A qcow2 (version 2) header with a backing file: a "raw" image that QEMU would read as an overlay of `backing`. */
function qcow2WithBacking(path: string, backing: string): void {
  const header = Buffer.alloc(512);
  header.write('QFI\xfb', 0, 'latin1');
  header.writeUInt32BE(2, 4); // version
  header.writeBigUInt64BE(72n, 8); // backing_file_offset
  header.writeUInt32BE(backing.length, 16); // backing_file_size
  header.writeUInt32BE(16, 20); // cluster_bits
  header.writeBigUInt64BE(1n << 20n, 24); // size
  header.write(backing, 72, 'latin1');
  writeFileSync(path, header);
}

describeWithLibvirtd('images and root disks (real libvirtd, real dir pool, QEMU/TCG boot from disk)', () => {
  let db: OwnDatabase;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let prisma: PrismaService;
  let pool: TestPool;
  let hostId: string;
  const tag = uniqueName('img');
  const image = `${tag}-tiny`;

  const adopt = async (name: string) =>
    (await http.post(`/api/v1/hosts/${hostId}/volumes`).send({ pool: pool.name, name, adopt: true }).expect(201)).body;
  const poolFiles = () => readdirSync(pool.dir).sort();

  beforeAll(async () => {
    // Built offline from Debian packages; cached under .cache/test-image (seconds when cached).
    const built = execFileSync('bash', ['scripts/build-test-image.sh'], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
    pool = await createDirPool(QEMU_URI, 'vf-img');
    copyFileSync(built, `${pool.dir}/tiny.qcow2`);
    db = await ownDatabase('images');
    // TCG: this machine's nested KVM stops at SYSLINUX's real-mode code ("KVM internal error").
    app = await startTestApp({ DATABASE_URL: db.url, STORAGE_POOLS: pool.name, QEMU_ACCELERATION: 'tcg' });
    http = request(app.getHttpServer());
    prisma = app.get(PrismaService);
    hostId = (
      await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-qemu`, uri: QEMU_URI, driverKind: 'qemu-kvm', diskGiB: 20 })
        .expect(201)
    ).body.id;
    await pool.refresh();
    await adopt('tiny.qcow2');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await pool?.remove();
  });

  it('refuses an image that is not what it claims, has a backing store, is a directory, or whose name is a path', async () => {
    expect(
      expectProblem(
        await http
          .post(`/api/v1/hosts/${hostId}/images`)
          .send({ name: `${tag}-liar`, pool: pool.name, volume: 'tiny.qcow2', format: 'raw' }),
        422,
      ).detail,
    ).toMatch(/said to be raw but the host's libvirt finds qcow2/);
    qcow2WithBacking(`${pool.dir}/sneaky.img`, '/etc/shadow');
    await pool.refresh();
    await adopt('sneaky.img');
    expect(
      expectProblem(
        await http.post(`/api/v1/hosts/${hostId}/images`).send({ name: `${tag}-sneaky`, pool: pool.name, volume: 'sneaky.img' }),
        422,
      ).detail,
    ).toMatch(/backing store of its own \(\/etc\/shadow\)/);
    await http.post(`/api/v1/hosts/${hostId}/volumes`).send({ pool: pool.name, name: 'a-dir', kind: 'dir' }).expect(201);
    expect(
      expectProblem(await http.post(`/api/v1/hosts/${hostId}/images`).send({ name: `${tag}-dir`, pool: pool.name, volume: 'a-dir' }), 422)
        .detail,
    ).toMatch(/is a dir volume/);
    expectProblem(await http.post(`/api/v1/hosts/${hostId}/images`).send({ name: '../etc', pool: pool.name, volume: 'tiny.qcow2' }), 400);
    expectProblem(
      await http.post(`/api/v1/hosts/${hostId}/images`).send({ name: `${tag}-x`, pool: pool.name, volume: '../../etc/passwd' }),
      400,
    );
    expectProblem(
      await http.post(`/api/v1/hosts/${hostId}/images`).send({ name: `${tag}-x`, pool: pool.name, volume: 'not-managed.qcow2' }),
      422,
    );
    expect(await prisma.image.count()).toBe(0);
  });

  it('registers the image with the format and virtual size libvirt finds; one name, one volume', async () => {
    const res = await http
      .post(`/api/v1/hosts/${hostId}/images`)
      .send({ name: image, pool: pool.name, volume: 'tiny.qcow2', format: 'qcow2', osFamily: 'linux' })
      .expect(201);
    expect(res.body).toMatchObject({
      name: image,
      format: 'qcow2',
      sizeBytes: 64 * 1024 * 1024,
      hostId,
      pool: pool.name,
      osFamily: 'linux',
      instanceCount: 0,
    });
    expect(res.headers.location).toBe(`/api/v1/images/${res.body.id}`);
    expectProblem(await http.post(`/api/v1/hosts/${hostId}/images`).send({ name: image, pool: pool.name, volume: 'tiny.qcow2' }), 409);
    const listed = (await http.get('/api/v1/images').expect(200)).body.items;
    expect(listed.map((i: { name: string }) => i.name)).toEqual([image]);
  });

  it('refuses a root disk for a non-hvm guest, from an unknown image, or smaller than the image', async () => {
    const base = { driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 128, boot: { guestType: 'hvm' } };
    expect(
      expectProblem(await http.post('/api/v1/instances').send({ ...base, name: `${tag}-u`, rootDisk: { image: 'no-such-image' } }), 422)
        .detail,
    ).toMatch(/no image "no-such-image"/);
    expect(
      expectProblem(
        await http
          .post('/api/v1/instances')
          .send({ ...base, name: `${tag}-c`, driverKind: 'lxc', boot: { guestType: 'container', init: '/bin/sh' }, rootDisk: { image } }),
        422,
      ).detail,
    ).toMatch(/hvm guests/);
    expectProblem(await http.post('/api/v1/instances').send({ ...base, name: `${tag}-p`, rootDisk: { image: '../x' } }), 400);
    expect(await prisma.instance.count()).toBe(0);
  });

  it('a failed create (libvirt refuses the definition after the disk was made) leaves no volume behind', async () => {
    const before = poolFiles();
    const res = await http
      .post('/api/v1/instances')
      .send({
        name: `${tag}-bad`,
        driverKind: 'qemu-kvm',
        vcpus: 1,
        memoryMiB: 128,
        boot: { guestType: 'hvm', machine: 'no-such-machine-type' },
        rootDisk: { image },
      })
      .expect(202);
    const op = await waitForOperation(http, res.body.operationId, 60);
    expect(op.status).toBe('failed');
    // Refused by libvirt's define, which comes after the root disk was created.
    expect(JSON.stringify(op.error)).toMatch(/defining .*rejected by the hypervisor/);
    expect(poolFiles()).toEqual(before);
    expect(await prisma.volume.count({ where: { name: { contains: res.body.instance.id } } })).toBe(0);
    expect(await prisma.instance.count({ where: { id: res.body.instance.id } })).toBe(0);
  }, 90_000);

  it('boots a QEMU/TCG guest from its own overlay disk, keeps the image while used, and deletes the disk with the instance', async () => {
    const res = await http
      .post('/api/v1/instances')
      .send({
        name: `${tag}-vm`,
        driverKind: 'qemu-kvm',
        vcpus: 1,
        memoryMiB: 192,
        boot: { guestType: 'hvm' },
        rootDisk: { image },
        diskGiB: 2,
      })
      .expect(202);
    const id: string = res.body.instance.id;
    expect(res.body.instance).toMatchObject({ imageId: expect.any(String), diskGiB: 2, hostId });
    const op = await waitForOperation(http, res.body.operationId, 120);
    expect(op).toMatchObject({ status: 'succeeded' });
    // The disk: a qcow2 overlay of the image's volume, 2 GiB, in the pool.
    const disk = `${pool.dir}/vf-${id}-root.qcow2`;
    const info = JSON.parse((await run('qemu-img', ['info', '--output=json', '-U', disk])).stdout) as Record<string, unknown>;
    expect(info).toMatchObject({
      format: 'qcow2',
      'virtual-size': 2 * 1024 ** 3,
      'backing-filename': `${pool.dir}/tiny.qcow2`,
      'backing-filename-format': 'qcow2',
    });
    // Userspace reached from that disk: SYSLINUX, the kernel and the initramfs came off vda.
    const line = await consoleLine(id, MARKER, 180_000);
    expect(line).toMatch(new RegExp(`${MARKER} [0-9a-f-]{36}`));

    const img = (await http.get('/api/v1/images').expect(200)).body.items[0];
    expect(img.instanceCount).toBe(1);
    expect(expectProblem(await http.delete(`/api/v1/images/${img.id}`), 409).detail).toMatch(/is the base of/);
    const rootVolume = (await http.get(`/api/v1/hosts/${hostId}/volumes?limit=100`).expect(200)).body.items.find(
      (v: { name: string }) => v.name === `vf-${id}-root.qcow2`,
    );
    expect(rootVolume).toMatchObject({ format: 'qcow2', capacityBytes: 2 * 1024 ** 3 });
    expect(expectProblem(await http.delete(`/api/v1/hosts/${hostId}/volumes/${rootVolume.id}`), 409).detail).toMatch(
      /root disk of instance/,
    );
    const imageVolume = (await http.get(`/api/v1/hosts/${hostId}/volumes?limit=100`).expect(200)).body.items.find(
      (v: { name: string }) => v.name === 'tiny.qcow2',
    );
    expect(expectProblem(await http.delete(`/api/v1/hosts/${hostId}/volumes/${imageVolume.id}`), 409).detail).toMatch(/is image/);

    const del = await http.delete(`/api/v1/instances/${id}`).expect(202);
    expect((await waitForOperation(http, del.body.operationId, 60)).status).toBe('succeeded');
    expect(existsSync(disk)).toBe(false);
    expect(await prisma.volume.count({ where: { name: `vf-${id}-root.qcow2` } })).toBe(0);
    await http.delete(`/api/v1/images/${img.id}`).expect(204);
    expect(existsSync(`${pool.dir}/tiny.qcow2`)).toBe(true); // the image's volume stays managed
  }, 300_000);
});
