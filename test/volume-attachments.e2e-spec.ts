// Data volumes attached to instances, on the real libvirtd with a real directory pool: attach
// and detach are instance operations that rebuild the definition from the stored spec (checked
// in libvirt's persistent XML); a volume in use is refused deletion (409); bad requests are 4xx
// problems; a failed attach leaves no claim and no spec entry; deleting an instance deletes the
// data volumes virtfleet created for it unless asked to keep them.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
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

describeWithLibvirtd('data volumes attached to instances (real libvirtd, real dir pool)', () => {
  let db: OwnDatabase;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let prisma: PrismaService;
  let pool: TestPool;
  let hostId: string;
  const tag = uniqueName('att');

  /** libvirt's persistent (next start) or live definition of guest `id`. */
  const domainXml = async (id: string, inactive = true) =>
    (await run('virsh', ['-c', QEMU_URI, 'dumpxml', ...(inactive ? ['--inactive'] : []), id])).stdout;
  const newVolume = async (name: string, extra: Record<string, unknown> = {}) =>
    (
      await http
        .post(`/api/v1/hosts/${hostId}/volumes`)
        .send({ pool: pool.name, name, kind: 'file', format: 'qcow2', capacityGiB: 1, ...extra })
        .expect(201)
    ).body as { id: string; path: string; name: string };
  const newInstance = async (name: string, start = false) => {
    const res = await http
      .post('/api/v1/instances')
      .send({ name: `${tag}-${name}`, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 128, start, hostId, boot: { guestType: 'hvm' } })
      .expect(202);
    const op = await waitForOperation(http, res.body.operationId, 90);
    expect({ status: op.status, error: op.error }).toEqual({ status: 'succeeded', error: null });
    return res.body.instance.id as string;
  };
  const attach = async (instanceId: string, volumeId: string) => {
    const res = await http.post(`/api/v1/instances/${instanceId}/volumes`).send({ volumeId }).expect(202);
    expect(res.headers.location).toBe(`/api/v1/operations/${res.body.operationId}`);
    return waitForOperation(http, res.body.operationId, 60);
  };
  const deleteInstance = async (id: string, query = '') => {
    const res = await http.delete(`/api/v1/instances/${id}${query}`).expect(202);
    expect((await waitForOperation(http, res.body.operationId, 60)).status).toBe('succeeded');
  };

  beforeAll(async () => {
    // A QEMU guest's serial console is logged to /var/log/libvirt/qemu (the private libvirtd's
    // $DIR/log): a daemon started on a fresh directory has no qemu/ there, and no guest starts.
    mkdirSync(`${dirname(LIBVIRTD_SOCKET_DIR)}/log/qemu`, { recursive: true });
    pool = await createDirPool(QEMU_URI, 'vf-att');
    db = await ownDatabase('attachments');
    app = await startTestApp({ DATABASE_URL: db.url, STORAGE_POOLS: pool.name, QEMU_ACCELERATION: 'tcg' });
    http = request(app.getHttpServer());
    prisma = app.get(PrismaService);
    hostId = (
      await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-qemu`, uri: QEMU_URI, driverKind: 'qemu-kvm', diskGiB: 20 })
        .expect(201)
    ).body.id;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await pool?.remove();
  });

  it('attaches a data volume to a stopped instance and detaches it: the definition follows the stored spec', async () => {
    const id = await newInstance('cold');
    const data = await newVolume('data-cold.qcow2');
    const op = await attach(id, data.id);
    expect(op).toMatchObject({
      status: 'succeeded',
      kind: 'attach-volume',
      result: { volumeId: data.id, attached: true, appliesAtNextStart: false },
    });
    const instance = (await http.get(`/api/v1/instances/${id}`).expect(200)).body;
    expect(instance.boot.disks).toEqual([{ path: data.path, format: 'qcow2', bus: 'virtio' }]);
    expect(instance.task).toBeNull();
    expect((await http.get(`/api/v1/hosts/${hostId}/volumes/${data.id}`).expect(200)).body.attachedInstanceId).toBe(id);
    expect(await domainXml(id)).toContain(`<source file='${data.path}'`);

    // In use: not deleted, not attached twice, not attached elsewhere.
    expect(expectProblem(await http.delete(`/api/v1/hosts/${hostId}/volumes/${data.id}`), 409).detail).toMatch(
      /is attached to instance .*-cold; detach it first/,
    );
    expect(expectProblem(await http.post(`/api/v1/instances/${id}/volumes`).send({ volumeId: data.id }), 409).detail).toMatch(
      /already attached to it/,
    );
    const other = await newInstance('other');
    expect(expectProblem(await http.post(`/api/v1/instances/${other}/volumes`).send({ volumeId: data.id }), 409).detail).toMatch(
      /attached to instance .*; detach it there first/,
    );

    const det = await http.delete(`/api/v1/instances/${id}/volumes/${data.id}`).expect(202);
    expect(await waitForOperation(http, det.body.operationId, 60)).toMatchObject({ status: 'succeeded', kind: 'detach-volume' });
    expect((await http.get(`/api/v1/instances/${id}`).expect(200)).body.boot.disks).toEqual([]);
    expect(await domainXml(id)).not.toContain(data.path);
    expect((await http.get(`/api/v1/hosts/${hostId}/volumes/${data.id}`).expect(200)).body.attachedInstanceId).toBeNull();
    expectProblem(await http.delete(`/api/v1/instances/${id}/volumes/${data.id}`), 409); // not attached any more
    await http.delete(`/api/v1/hosts/${hostId}/volumes/${data.id}`).expect(204);
    await deleteInstance(id);
    await deleteInstance(other);
  }, 240_000);

  it('answers 4xx problems for what cannot be attached, and nothing is claimed', async () => {
    const id = await newInstance('bad');
    const dir = (await http.post(`/api/v1/hosts/${hostId}/volumes`).send({ pool: pool.name, name: 'a-dir', kind: 'dir' }).expect(201)).body;
    expect(expectProblem(await http.post(`/api/v1/instances/${id}/volumes`).send({ volumeId: dir.id }), 422).detail).toMatch(
      /is a dir volume; a disk is a file volume/,
    );
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectProblem(await http.post(`/api/v1/instances/${id}/volumes`).send({ volumeId: unknown }), 404);
    expectProblem(await http.post(`/api/v1/instances/${unknown}/volumes`).send({ volumeId: dir.id }), 404);
    expectProblem(await http.post(`/api/v1/instances/${id}/volumes`).send({ volumeId: '../../etc/passwd' }), 400);
    expectProblem(await http.post(`/api/v1/instances/${id}/volumes`).send({}), 400);
    expectProblem(await http.delete(`/api/v1/instances/${id}/volumes/not-a-uuid`), 400);
    // A volume name spelling a path is refused where volumes are made.
    expectProblem(
      await http.post(`/api/v1/hosts/${hostId}/volumes`).send({ pool: pool.name, name: '../escape.qcow2', kind: 'file', capacityGiB: 1 }),
      400,
    );
    // Pool full: libvirt's own available space decides.
    expect(
      expectProblem(
        await http
          .post(`/api/v1/hosts/${hostId}/volumes`)
          .send({ pool: pool.name, name: 'huge.raw', kind: 'file', capacityGiB: 1_048_576 }),
        422,
      ).detail,
    ).toMatch(/available|space|full/i);
    expect(await prisma.volume.count({ where: { attachedInstanceId: { not: null } } })).toBe(0);
    expect((await http.get(`/api/v1/instances/${id}`).expect(200)).body.boot.disks ?? []).toEqual([]);
    await deleteInstance(id);
  }, 120_000);

  it('a failed attach (the host no longer has the volume) leaves no claim and no disk in the spec', async () => {
    const id = await newInstance('fail');
    const gone = await newVolume('gone.qcow2');
    await run('rm', [gone.path]);
    await pool.refresh();
    const op = await attach(id, gone.id);
    expect(op.status).toBe('failed');
    expect(JSON.stringify(op.error)).toMatch(/boot\.disks\[0\]\.path|no volume|not a managed/i);
    const instance = (await http.get(`/api/v1/instances/${id}`).expect(200)).body;
    expect(instance.boot.disks ?? []).toEqual([]);
    expect(instance.task).toBeNull();
    expect((await prisma.volume.findUniqueOrThrow({ where: { id: gone.id } })).attachedInstanceId).toBeNull();
    expect(await domainXml(id)).not.toContain(gone.path);
    await deleteInstance(id);
  }, 120_000);

  it('creates a new data volume in the host pool and attaches it, as one operation; a failed one leaves no volume', async () => {
    const id = await newInstance('new');
    const res = await http
      .post(`/api/v1/instances/${id}/volumes`)
      .send({ pool: pool.name, name: 'fresh.qcow2', capacityGiB: 2 })
      .expect(202);
    expect(res.body).toMatchObject({ instanceId: id, volumeId: null });
    const op = await waitForOperation(http, res.body.operationId, 60);
    expect(op).toMatchObject({ status: 'succeeded', progress: 100, result: { volumeName: 'fresh.qcow2', attached: true } });
    const volume = (await http.get(`/api/v1/hosts/${hostId}/volumes/${(op.result as { volumeId: string }).volumeId}`).expect(200)).body;
    expect(volume).toMatchObject({ name: 'fresh.qcow2', format: 'qcow2', capacityBytes: 2 * 1024 ** 3, attachedInstanceId: id });
    const info = JSON.parse((await run('qemu-img', ['info', '--output=json', '-U', volume.path])).stdout) as Record<string, unknown>;
    expect(info).toMatchObject({ format: 'qcow2', 'virtual-size': 2 * 1024 ** 3 });
    expect((await http.get(`/api/v1/instances/${id}`).expect(200)).body.boot.disks).toEqual([
      { path: volume.path, format: 'qcow2', bus: 'virtio' },
    ]);
    expect(await domainXml(id)).toContain(`<source file='${volume.path}'`);

    // Refused before anything starts: a path for a name, a reserved name, a taken name, mixed or missing fields.
    const post = (body: object) => http.post(`/api/v1/instances/${id}/volumes`).send(body);
    expectProblem(await post({ pool: pool.name, name: '../../etc/x', capacityGiB: 1 }), 400);
    expectProblem(await post({ pool: pool.name, name: 'vf-x-root.qcow2', capacityGiB: 1 }), 400);
    expectProblem(await post({ pool: pool.name, name: 'x.qcow2' }), 400);
    expectProblem(await post({ volumeId: volume.id, pool: pool.name }), 400);
    expectProblem(await post({ pool: pool.name, name: 'fresh.qcow2', capacityGiB: 1 }), 409);

    // Pool full (libvirt's available space): the operation fails with the 422 problem, nothing is left.
    const before = await prisma.volume.count();
    const full = await post({ pool: pool.name, name: 'huge.qcow2', format: 'raw', capacityGiB: 1_048_576 }).expect(202);
    const failed = await waitForOperation(http, full.body.operationId, 60);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ type: 'UnprocessableError' });
    expect(await prisma.volume.count()).toBe(before);
    expect(existsSync(`${pool.dir}/huge.qcow2`)).toBe(false);
    expect((await http.get(`/api/v1/instances/${id}`).expect(200)).body).toMatchObject({
      task: null,
      boot: { disks: [expect.any(Object)] },
    });

    await deleteInstance(id);
    expect(existsSync(volume.path)).toBe(false); // created for it, deleted with it
  }, 180_000);

  it('attaches to a running guest for its next start, refuses a detach while it runs', async () => {
    const id = await newInstance('hot', true);
    const data = await newVolume('data-hot.qcow2');
    const op = await attach(id, data.id);
    expect(op).toMatchObject({ status: 'succeeded', result: { appliesAtNextStart: true } });
    expect(await domainXml(id, true)).toContain(`<source file='${data.path}'`);
    expect(await domainXml(id, false)).not.toContain(data.path); // no hot-plug: the running guest is unchanged
    expect(expectProblem(await http.delete(`/api/v1/instances/${id}/volumes/${data.id}`), 409).detail).toMatch(
      /is running; stop it before detaching/,
    );
    await deleteInstance(id);
  }, 180_000);

  it('deleting an instance deletes the data volumes made for it, unless keepVolumes=true', async () => {
    const a = await newInstance('del-a');
    const b = await newInstance('del-b');
    const va = await newVolume('data-a.raw', { format: 'raw' });
    const vb = await newVolume('data-b.raw', { format: 'raw' });
    expect((await attach(a, va.id)).status).toBe('succeeded');
    expect((await attach(b, vb.id)).status).toBe('succeeded');
    expectProblem(await http.delete(`/api/v1/instances/${b}?keepVolumes=maybe`), 400);
    await deleteInstance(a);
    expect(existsSync(va.path)).toBe(false);
    expect(await prisma.volume.count({ where: { id: va.id } })).toBe(0);
    await deleteInstance(b, '?keepVolumes=true');
    expect(existsSync(vb.path)).toBe(true);
    expect((await http.get(`/api/v1/hosts/${hostId}/volumes/${vb.id}`).expect(200)).body.attachedInstanceId).toBeNull();
    await http.delete(`/api/v1/hosts/${hostId}/volumes/${vb.id}`).expect(204);
  }, 180_000);
});
