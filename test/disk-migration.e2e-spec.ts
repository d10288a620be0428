// Live migration of a guest with a local root disk between two simulated hosts (libvirtd in
// network namespaces, scripts/lvhosts.sh): each host has its own directory pool of one name at
// the same path (/var/lib/libvirt is private to each host), the target's volume is created from
// our record before the move, libvirt copies the disk (VIR_MIGRATE_NON_SHARED_DISK, NBD) while
// the guest runs, and the source's copy is deleted only after success. A cold move streams a
// flattened copy of the stopped guest's disk back (virStorageVolDownload -> Upload), and the guest
// boots from it there.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DriverRegistry } from '../src/hypervisor/driver-registry.js';
import { LibvirtConnectionPool } from '../src/hypervisor/libvirt/libvirt-connection-pool.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { waitForOperation } from './support/api.js';
import { describeWithLibvirtd, uniqueName } from './support/libvirtd.js';
import { LVHOST_URIS, LVHOSTS_DIR } from './support/lvhosts.js';
import { type OwnDatabase, ownDatabase } from './support/own-database.js';
import { startTestApp } from './support/test-app.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const [H1, H2] = LVHOST_URIS;
const MARKER = 'VIRTFLEET-BOOTED-FROM-DISK';

describeWithLibvirtd('live migration of a guest with its local root disk (simulated hosts)', () => {
  let db: OwnDatabase;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let prisma: PrismaService;
  const connections = new LibvirtConnectionPool(30_000);
  const qemu = new DriverRegistry(connections).get('qemu-kvm');
  const tag = uniqueName('dm');
  const poolName = `${tag}-pool`;
  /** Inside each host: its own /var/lib/libvirt (lvhosts.sh bind-mounts h<n>/lib there). */
  const poolPath = `/var/lib/libvirt/vf-pools/${poolName}`;
  const poolDirOn = (n: number) => `${LVHOSTS_DIR}/h${n}/lib/vf-pools/${poolName}`;
  const hostIds: string[] = [];

  beforeAll(async () => {
    const built = execFileSync('bash', ['scripts/build-test-image.sh'], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
    for (const [n, uri] of [
      [1, H1!],
      [2, H2!],
    ] as const) {
      mkdirSync(poolDirOn(n), { recursive: true });
      await run('virsh', ['-c', uri, 'pool-create-as', poolName, 'dir', '--target', poolPath]);
    }
    copyFileSync(built, `${poolDirOn(1)}/tiny.qcow2`);
    db = await ownDatabase('diskmig');
    app = await startTestApp({ DATABASE_URL: db.url, STORAGE_POOLS: poolName, QEMU_ACCELERATION: 'tcg' });
    http = request(app.getHttpServer());
    prisma = app.get(PrismaService);
    for (const [n, uri] of [H1!, H2!].entries()) {
      hostIds.push(
        (
          await http
            .post('/api/v1/hosts')
            .send({ name: `${tag}-h${n + 1}`, uri, driverKind: 'qemu-kvm', diskGiB: 20 })
            .expect(201)
        ).body.id,
      );
    }
    await http.post(`/api/v1/hosts/${hostIds[0]}/volumes`).send({ pool: poolName, name: 'tiny.qcow2', adopt: true }).expect(201);
    await http
      .post(`/api/v1/hosts/${hostIds[0]}/images`)
      .send({ name: `${tag}-tiny`, pool: poolName, volume: 'tiny.qcow2' })
      .expect(201);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await connections.closeAll();
    for (const [n, uri] of [
      [1, H1!],
      [2, H2!],
    ] as const) {
      await run('virsh', ['-c', uri, 'pool-destroy', poolName]).catch(() => undefined);
      rmSync(poolDirOn(n), { recursive: true, force: true });
    }
  });

  it('copies the disk to the target pool while the guest runs, then deletes the source copy; a cold move copies it back and it boots there', async () => {
    const created = await http
      .post('/api/v1/instances')
      .send({
        name: `${tag}-vm`,
        driverKind: 'qemu-kvm',
        vcpus: 1,
        memoryMiB: 192,
        boot: { guestType: 'hvm' },
        rootDisk: { image: `${tag}-tiny` },
      })
      .expect(202);
    const id: string = created.body.instance.id;
    expect((await waitForOperation(http, created.body.operationId, 120)).status).toBe('succeeded');
    const disk = (n: number) => `${poolDirOn(n)}/vf-${id}-root.qcow2`;
    // Booted from its disk before it moves.
    const log = `${LVHOSTS_DIR}/h1/log/qemu/${id}-console.log`;
    for (let until = Date.now() + 180_000; !(existsSync(log) && readFileSync(log, 'latin1').includes(MARKER)); await sleep(1000)) {
      if (Date.now() > until)
        throw new Error(`the guest did not boot: ${existsSync(log) ? readFileSync(log, 'latin1').slice(-1000) : 'no log'}`);
    }
    expect(existsSync(disk(1))).toBe(true);
    expect(existsSync(disk(2))).toBe(false);

    const mig = await http.post(`/api/v1/instances/${id}/migrate`).send({ mode: 'live', targetHostId: hostIds[1] }).expect(202);
    const op = await waitForOperation(http, mig.body.operationId, 300);
    expect(op).toMatchObject({ status: 'succeeded', result: { mode: 'live', toHostId: hostIds[1] } });
    const g = { instanceId: id, name: `${tag}-vm` };
    expect((await qemu.observe(H2!, g)).state).toBe('running');
    expect((await qemu.observe(H1!, g)).state).toBe('missing');
    // The disk now lives on the target only: a full copy (no backing store), with the image's contents.
    expect(existsSync(disk(1))).toBe(false);
    const info = JSON.parse((await run('qemu-img', ['info', '--output=json', '-U', disk(2)])).stdout) as Record<string, unknown>;
    expect(info).toMatchObject({ format: 'qcow2', 'virtual-size': 1024 ** 3 });
    expect(info['backing-filename']).toBeUndefined();
    // The guest's disk is the image's blocks (its initramfs runs from RAM and writes nothing).
    await run('qemu-img', ['compare', '-U', `${poolDirOn(1)}/tiny.qcow2`, disk(2)]);
    const rows = await prisma.volume.findMany({ where: { instanceId: id } });
    expect(rows.map((r) => r.hostId)).toEqual([hostIds[1]]);
    const usage = async (n: number) => (await http.get(`/api/v1/hosts/${hostIds[n]}`).expect(200)).body.allocated.diskGiB as number;
    expect([await usage(0), await usage(1)]).toEqual([0, 1]);

    // Cold, back to the first host: stopped, its disk streamed there, started again from it.
    const back = await http
      .post(`/api/v1/instances/${id}/migrate`)
      .send({ mode: 'cold', targetHostId: hostIds[0], allowDowntime: true })
      .expect(202);
    const backOp = await waitForOperation(http, back.body.operationId, 300);
    expect(backOp).toMatchObject({
      status: 'succeeded',
      result: { mode: 'cold', toHostId: hostIds[0], diskBytesCopied: expect.any(Number) },
    });
    expect((backOp.result as { diskBytesCopied: number }).diskBytesCopied).toBeGreaterThan(1 << 20);
    expect((await qemu.observe(H1!, g)).state).toBe('running');
    expect((await qemu.observe(H2!, g)).state).toBe('missing');
    expect(existsSync(disk(2))).toBe(false);
    await run('qemu-img', ['compare', '-U', `${poolDirOn(1)}/tiny.qcow2`, disk(1)]);
    for (let until = Date.now() + 180_000; !readFileSync(log, 'latin1').includes(MARKER); await sleep(1000)) {
      if (Date.now() > until) throw new Error(`the guest did not boot from the copied disk: ${readFileSync(log, 'latin1').slice(-1000)}`);
    }
    expect((await prisma.volume.findMany({ where: { instanceId: id } })).map((r) => r.hostId)).toEqual([hostIds[0]]);
    expect([await usage(0), await usage(1)]).toEqual([1, 0]);

    const del = await http.delete(`/api/v1/instances/${id}`).expect(202);
    expect((await waitForOperation(http, del.body.operationId, 60)).status).toBe('succeeded');
    expect(existsSync(disk(1))).toBe(false);
    expect(await prisma.volume.count({ where: { instanceId: id } })).toBe(0);
  }, 600_000);
});
