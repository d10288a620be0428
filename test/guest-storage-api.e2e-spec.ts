// The API's side of guest storage: POST /instances asks the candidate host's libvirt whether
// each storage path is a managed volume of an allowed pool before anything is written, so a
// refused path is a 422 problem naming the field with no instance, allocation or operation left
// behind. The volumes the guests use are adopted through the volumes API first.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import type * as libvirt from '@unraid/libvirt';
import request from 'supertest';
import { DriverRegistry } from '../src/hypervisor/driver-registry.js';
import { LibvirtConnectionPool } from '../src/hypervisor/libvirt/libvirt-connection-pool.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { expectProblem, waitForOperation } from './support/api.js';
import { LXC_URI, QEMU_URI, describeWithLibvirtd, openLibvirtd, removeDomainQuietly } from './support/libvirtd.js';
import { LVHOST_URIS } from './support/lvhosts.js';
import { type TestPool, createDirPool, createPoolOn } from './support/storage-pool.js';
import { startTestApp } from './support/test-app.js';
import { type OwnDatabase, ownDatabase } from './support/own-database.js';
import { ensureHost } from './support/shared-hosts.js';

const tag = `gs${process.pid.toString(36)}${Date.now().toString(36)}`;

describeWithLibvirtd('guest storage through the API (real libvirtd, real dir pool)', () => {
  let app: INestApplication;
  let database: OwnDatabase;
  let http: ReturnType<typeof request>;
  let prisma: PrismaService;
  let pool: TestPool;
  let lxc: libvirt.Hypervisor;
  let lxcHost: string;
  let qemuHost: string;

  beforeAll(async () => {
    pool = await createDirPool(QEMU_URI, 'vf-sp-api');
    mkdirSync(`${pool.dir}/ct`);
    symlinkSync('/etc', `${pool.dir}/ct/etclink`);
    writeFileSync(`${pool.dir}/disk.img`, Buffer.alloc(1 << 16));
    // A database of its own: its assertions need the real host's row to itself (other suites
    // place instances on the same libvirtd).
    database = await ownDatabase('storage_api');
    app = await startTestApp({ STORAGE_POOLS: pool.name, DATABASE_URL: database.url });
    http = request(app.getHttpServer());
    prisma = app.get(PrismaService);
    lxc = await openLibvirtd(LXC_URI);
    // The private libvirtd may already be registered by another suite (its URI is unique): reuse
    // that host, and pin instances to it instead of selecting it by a label of this suite.
    const registered = async (uri: string, driverKind: string, name: string): Promise<string> => {
      return (await ensureHost(http, uri, driverKind, { name: `${tag}-${name}` })).id;
    };
    lxcHost = await registered(LXC_URI, 'lxc', 'lxc');
    qemuHost = await registered(QEMU_URI, 'qemu-kvm', 'qemu');
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    await lxc?.connectClose().catch(() => undefined);
    await pool?.remove();
  });

  const container = (name: string, boot: Record<string, unknown>) => ({
    name: `${tag}-${name}`,
    driverKind: 'lxc',
    vcpus: 1,
    memoryMiB: 64,
    start: false,
    hostId: lxcHost,
    boot: { guestType: 'container', init: '/bin/sleep', initArgs: ['60'], ...boot },
  });

  async function expectNothingWritten(name: string) {
    const instances = await prisma.instance.findMany({ where: { name: `${tag}-${name}` } });
    expect(instances).toEqual([]);
    expect(await prisma.operation.count({ where: { targetId: { in: instances.map((i) => i.id) } } })).toBe(0);
    for (const hostId of [lxcHost, qemuHost]) {
      const host = (await http.get(`/api/v1/hosts/${hostId}`).expect(200)).body;
      expect(host.allocated.vcpus).toBe(0);
    }
  }

  it('answers 422 naming the field for a link to /etc inside a volume as a mount source, and writes nothing', async () => {
    const res = await http
      .post('/api/v1/instances')
      .send(container('etc', { mounts: [{ source: `${pool.dir}/ct/etclink`, target: '/mnt/etc' }] }));
    const body = expectProblem(res, 422);
    expect((body.errors as Array<{ path: string }>).map((e) => e.path)).toEqual(['boot.mounts[0].source']);
    await expectNothingWritten('etc');
  });

  it('answers 422 for the pool directory itself, a path outside every pool and a disk that is not a volume', async () => {
    expectProblem(await http.post('/api/v1/instances').send(container('pooldir', { rootfs: pool.dir })), 422);
    expectProblem(
      await http.post('/api/v1/instances').send(container('shadow', { mounts: [{ source: '/etc', target: '/mnt/etc' }] })),
      422,
    );
    const vm = {
      name: `${tag}-vm`,
      driverKind: 'qemu-kvm',
      vcpus: 1,
      memoryMiB: 64,
      start: false,
      hostId: qemuHost,
      boot: { guestType: 'hvm', disks: [{ path: '/etc/shadow', format: 'raw', bus: 'virtio' }] },
    };
    const body = expectProblem(await http.post('/api/v1/instances').send(vm), 422);
    expect((body.errors as Array<{ path: string }>).map((e) => e.path)).toEqual(['boot.disks[0].path']);
    for (const name of ['pooldir', 'shadow', 'vm']) await expectNothingWritten(name);
  });

  it('refuses a chain of qcow2 headers written into raw volumes (v1 -> v2 -> /etc/shadow), read as qcow2 or registered as an image', async () => {
    // Two raw volumes made through the API; what a guest using them could write into them:
    // qcow2 headers, v1 backed by v2, v2 backed by the host's /etc/shadow.
    for (const name of ['chain-v1.img', 'chain-v2.img']) {
      await http
        .post(`/api/v1/hosts/${qemuHost}/volumes`)
        .send({ pool: pool.name, name, kind: 'file', format: 'raw', capacityGiB: 1 })
        .expect(201);
    }
    const qemuImg = (...args: string[]) => execFileSync('qemu-img', args, { stdio: 'pipe' });
    qemuImg('create', '-f', 'qcow2', '-u', '-F', 'raw', '-b', '/etc/shadow', `${pool.dir}/chain-v2.img`, '1G');
    qemuImg('create', '-f', 'qcow2', '-u', '-F', 'qcow2', '-b', `${pool.dir}/chain-v2.img`, `${pool.dir}/chain-v1.img`, '1G');
    const vm = {
      name: `${tag}-chain`,
      driverKind: 'qemu-kvm',
      vcpus: 1,
      memoryMiB: 64,
      start: false,
      hostId: qemuHost,
      boot: { guestType: 'hvm', disks: [{ path: `${pool.dir}/chain-v1.img`, format: 'qcow2', bus: 'virtio' }] },
    };
    const body = expectProblem(await http.post('/api/v1/instances').send(vm), 422);
    expect(String(body.detail)).toMatch(/created as raw; it cannot be read as qcow2/);
    await expectNothingWritten('chain');
    // Nor does the volume become an image, whatever the caller claims its format is.
    const image = expectProblem(
      await http.post(`/api/v1/hosts/${qemuHost}/images`).send({ name: `${tag}-chain`, pool: pool.name, volume: 'chain-v1.img' }),
      422,
    );
    expect(String(image.detail)).toMatch(/created as raw but the host's libvirt now reads it as qcow2/);
  });

  it('answers 400 for a path spelt with ".." before asking any host', async () => {
    expectProblem(await http.post('/api/v1/instances').send(container('dots', { rootfs: `${pool.dir}/ct/..` })), 400);
    await expectNothingWritten('dots');
  });

  it("creates a container on a directory volume of the allowed pool, defined with the pool's path", async () => {
    await http.post(`/api/v1/hosts/${lxcHost}/volumes`).send({ pool: pool.name, name: 'ct', adopt: true }).expect(201);
    const res = await http
      .post('/api/v1/instances')
      .send(container('ok', { rootfs: `${pool.dir}/ct` }))
      .expect(202);
    const op = await waitForOperation(http, res.body.operationId);
    expect(op.status).toBe('succeeded');
    try {
      const xml = await lxc.domainGetXMLDesc(await lxc.domainLookupByName(`${tag}-ok`));
      expect(xml).toContain(`<source dir='${pool.dir}/ct'/>`);
    } finally {
      const del = await http.delete(`/api/v1/instances/${res.body.instance.id}`).expect(202);
      await waitForOperation(http, del.body.operationId);
      await removeDomainQuietly(lxc, `${tag}-ok`);
    }
  });
});

describeWithLibvirtd('guest storage on a migration target (two real libvirtd hosts)', () => {
  const [H1, H2] = LVHOST_URIS;
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let onSource: TestPool;
  let onTarget: TestPool | undefined;
  const hostIds: string[] = [];
  const connections = new LibvirtConnectionPool(30_000);
  const tag2 = `${tag}m`;

  beforeAll(async () => {
    onSource = await createDirPool(H1!, 'vf-sp-mig');
    writeFileSync(`${onSource.dir}/disk.img`, Buffer.alloc(1 << 16));
    app = await startTestApp({ STORAGE_POOLS: onSource.name });
    http = request(app.getHttpServer());
    for (const [n, uri] of [H1!, H2!].entries()) {
      hostIds.push((await ensureHost(http, uri, 'qemu-kvm', { name: `${tag2}-h${n + 1}` })).id);
    }
  });

  afterAll(async () => {
    await app?.close();
    await connections.closeAll();
    await onTarget?.remove();
    await onSource?.remove();
  });

  it('refuses a cold migration to a host where the disk is no volume of an allowed pool, and moves it once it is', async () => {
    const qemu = new DriverRegistry(connections).get('qemu-kvm');
    await http.post(`/api/v1/hosts/${hostIds[0]}/volumes`).send({ pool: onSource.name, name: 'disk.img', adopt: true }).expect(201);
    const created = await http
      .post('/api/v1/instances')
      .send({
        name: `${tag2}-vm`,
        driverKind: 'qemu-kvm',
        vcpus: 1,
        memoryMiB: 64,
        start: false,
        hostId: hostIds[0],
        boot: { guestType: 'hvm', disks: [{ path: `${onSource.dir}/disk.img`, format: 'raw', bus: 'virtio' }] },
      })
      .expect(202);
    expect((await waitForOperation(http, created.body.operationId)).status).toBe('succeeded');
    const id = created.body.instance.id;
    const guest = { instanceId: id, name: `${tag2}-vm` };
    try {
      const refused = await http.post(`/api/v1/instances/${id}/migrate`).send({ mode: 'cold', targetHostId: hostIds[1] }).expect(202);
      const op = await waitForOperation(http, refused.body.operationId);
      expect(op.status).toBe('failed');
      expect(op.error).toMatchObject({ type: 'UnprocessableError', errors: [expect.objectContaining({ path: 'boot.disks[0].path' })] });
      expect((await http.get(`/api/v1/instances/${id}`).expect(200)).body.hostId).toBe(hostIds[0]);
      expect((await qemu.observe(H1!, guest)).state).toBe('shutoff');
      expect((await qemu.observe(H2!, guest)).state).toBe('missing');

      // The same directory as a pool of that name on the target (these daemons share a filesystem).
      onTarget = await createPoolOn(H2!, onSource);
      await http.post(`/api/v1/hosts/${hostIds[1]}/volumes`).send({ pool: onSource.name, name: 'disk.img', adopt: true }).expect(201);
      const moved = await http.post(`/api/v1/instances/${id}/migrate`).send({ mode: 'cold', targetHostId: hostIds[1] }).expect(202);
      expect((await waitForOperation(http, moved.body.operationId)).status).toBe('succeeded');
      expect((await http.get(`/api/v1/instances/${id}`).expect(200)).body.hostId).toBe(hostIds[1]);
      expect((await qemu.observe(H2!, guest)).state).toBe('shutoff');
    } finally {
      const del = await http.delete(`/api/v1/instances/${id}`).expect(202);
      await waitForOperation(http, del.body.operationId);
    }
  }, 120_000);
});
