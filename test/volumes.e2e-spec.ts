// Managed volumes through the API, on the real libvirtd with a real directory pool and API keys
// on: guest storage must be a volume virtfleet created through the host's libvirt (or an admin
// adopted), recorded for that host. libvirt lists a symbolic link at the top of a pool as a
// volume of its target's type, so the reported escape (`ln -s /etc <pool>/etclink`, then an LXC
// mount of it) was accepted while "a volume of an allowed pool" was the rule.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import type * as libvirt from '@unraid/libvirt';
import request from 'supertest';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { expectProblem, waitForOperation } from './support/api.js';
import { LXC_URI, QEMU_URI, describeWithLibvirtd, openLibvirtd, removeDomainQuietly } from './support/libvirtd.js';
import { type TestPool, createDirPool } from './support/storage-pool.js';
import { startTestApp } from './support/test-app.js';
import { ensureHost } from './support/shared-hosts.js';
import { LVHOST_URIS } from './support/lvhosts.js';

const tag = `vo${process.pid.toString(36)}${Date.now().toString(36)}`;
const newKey = () => `vf_${randomBytes(32).toString('base64url')}`;

/** A qcow2 (version 2) header of `size` bytes with no backing file: what qemu-img would write. */
function qcow2Image(path: string, size = 1n << 20n): void {
  const header = Buffer.alloc(72);
  header.write('QFI\xfb', 0, 'latin1');
  header.writeUInt32BE(2, 4); // version
  header.writeUInt32BE(16, 20); // cluster_bits
  header.writeBigUInt64BE(size, 24);
  writeFileSync(path, header);
}

describeWithLibvirtd('managed volumes (real libvirtd, real dir pool, API keys on)', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let prisma: PrismaService;
  let pool: TestPool;
  let lxc: libvirt.Hypervisor;
  let qemu: libvirt.Hypervisor;
  const keys = { admin: newKey(), operator: newKey() };
  const hosts: Record<'lxc' | 'qemu', string> = { lxc: '', qemu: '' };
  const registered: string[] = [];
  const domains: Array<{ name: string; lxc: boolean }> = [];

  const as = (role: keyof typeof keys) => ({
    get: (url: string) => http.get(url).set('Authorization', `Bearer ${keys[role]}`),
    post: (url: string) => http.post(url).set('Authorization', `Bearer ${keys[role]}`),
    delete: (url: string) => http.delete(url).set('Authorization', `Bearer ${keys[role]}`),
  });
  const volumesOf = (host: keyof typeof hosts) => `/api/v1/hosts/${hosts[host]}/volumes`;

  beforeAll(async () => {
    pool = await createDirPool(QEMU_URI, 'vf-vol');
    app = await startTestApp({ STORAGE_POOLS: pool.name, API_KEYS_REQUIRED: 'true', RATE_LIMIT_PER_MINUTE: '100000' });
    http = request(app.getHttpServer());
    prisma = app.get(PrismaService);
    for (const role of ['admin', 'operator'] as const) {
      await prisma.apiKey.create({
        data: {
          name: `${tag}-${role}`,
          role,
          secretHash: createHash('sha256').update(keys[role]).digest('hex'),
          prefix: keys[role].slice(0, 10),
          createdBy: 'test',
        },
      });
    }
    [lxc, qemu] = await Promise.all([openLibvirtd(LXC_URI), openLibvirtd(QEMU_URI)]);
    // The daemon may be registered already by another suite sharing this database.
    for (const [kind, uri, driverKind] of [
      ['lxc', LXC_URI, 'lxc'],
      ['qemu', QEMU_URI, 'qemu-kvm'],
    ] as const) {
      const host = await ensureHost(as('admin'), uri, driverKind, { name: `${tag}-${kind}` });
      hosts[kind] = host.id;
      if (host.registered) registered.push(host.id);
    }
  });

  afterAll(async () => {
    for (const d of domains) await removeDomainQuietly(d.lxc ? lxc : qemu, d.name);
    if (prisma) {
      await prisma.instance.deleteMany({ where: { name: { startsWith: tag } } });
      await prisma.volume.deleteMany({ where: { pool: pool.name } });
      await prisma.host.deleteMany({ where: { id: { in: registered } } });
    }
    await app?.close();
    await Promise.all([lxc?.connectClose().catch(() => undefined), qemu?.connectClose().catch(() => undefined)]);
    await pool?.remove();
  });

  function container(name: string, boot: Record<string, unknown>) {
    domains.push({ name: `${tag}-${name}`, lxc: true });
    return {
      name: `${tag}-${name}`,
      driverKind: 'lxc',
      vcpus: 1,
      memoryMiB: 64,
      start: false,
      hostId: hosts.lxc,
      boot: { guestType: 'container', init: '/bin/sleep', initArgs: ['60'], ...boot },
    };
  }

  function vm(name: string, disks: Array<Record<string, unknown>>) {
    domains.push({ name: `${tag}-${name}`, lxc: false });
    return {
      name: `${tag}-${name}`,
      driverKind: 'qemu-kvm',
      vcpus: 1,
      memoryMiB: 64,
      start: false,
      hostId: hosts.qemu,
      boot: { guestType: 'hvm', disks },
    };
  }

  async function isDefined(name: string, onLxc: boolean): Promise<boolean> {
    return (onLxc ? lxc : qemu).domainLookupByName(`${tag}-${name}`).then(
      () => true,
      () => false,
    );
  }

  /** POST /instances must answer 422 naming `field`, with no instance, operation or domain left. */
  async function expectRefused(body: { name: string; driverKind: string }, field: string, message?: RegExp) {
    const res = await as('operator').post('/api/v1/instances').send(body);
    const problem = expectProblem(res, 422);
    const errors = problem.errors as Array<{ path: string; message: string }>;
    expect(errors.map((e) => e.path)).toEqual([field]);
    if (message) expect(errors[0]!.message).toMatch(message);
    expect(await prisma.instance.count({ where: { name: body.name } })).toBe(0);
    expect(await isDefined(body.name.slice(tag.length + 1), body.driverKind === 'lxc')).toBe(false);
  }

  /** POST /instances succeeds; returns the instance id and the domain XML libvirt has. */
  async function createOk(body: { name: string; driverKind: string }): Promise<{ id: string; xml: string }> {
    const res = await as('operator').post('/api/v1/instances').send(body);
    if (res.status !== 202) throw new Error(`expected 202, got ${res.status}: ${JSON.stringify(res.body)}`);
    const op = await waitForOperation(as('operator') as never, res.body.operationId);
    expect(op).toMatchObject({ status: 'succeeded' });
    const h = body.driverKind === 'lxc' ? lxc : qemu;
    return { id: res.body.instance.id, xml: await h.domainGetXMLDesc(await h.domainLookupByName(body.name)) };
  }

  async function deleteInstance(id: string): Promise<void> {
    const del = await as('operator').delete(`/api/v1/instances/${id}`).expect(202);
    expect((await waitForOperation(as('operator') as never, del.body.operationId)).status).toBe('succeeded');
  }

  it('refuses the reported escape: a link to /etc at the top of an allowed pool, as an LXC mount source (operator key); nothing defined or written', async () => {
    symlinkSync('/etc', `${pool.dir}/etclink`);
    await expectRefused(
      container('etc', { mounts: [{ source: `${pool.dir}/etclink`, target: '/mnt/etc' }] }),
      'boot.mounts[0].source',
      /not manage/,
    );
    await expectRefused(container('etc-root', { rootfs: `${pool.dir}/etclink` }), 'boot.rootfs', /not manage/);
  });

  it('refuses a link that takes the name of a deleted managed volume', async () => {
    const created = (await as('operator').post(volumesOf('lxc')).send({ pool: pool.name, name: 'gone', kind: 'dir' }).expect(201)).body;
    await as('operator')
      .delete(`${volumesOf('lxc')}/${created.id}`)
      .expect(204);
    expect(existsSync(`${pool.dir}/gone`)).toBe(false);
    symlinkSync('/etc', `${pool.dir}/gone`);
    await expectRefused(
      container('gone', { mounts: [{ source: `${pool.dir}/gone`, target: '/mnt/etc' }] }),
      'boot.mounts[0].source',
      /not manage/,
    );
  });

  it('refuses a link to a host file at the top of the pool, as a VM disk', async () => {
    symlinkSync('/etc/shadow', `${pool.dir}/shadowlink`);
    await expectRefused(
      vm('shadow', [{ path: `${pool.dir}/shadowlink`, format: 'raw', bus: 'virtio' }]),
      'boot.disks[0].path',
      /not manage/,
    );
  });

  it('shares a managed volume among the drivers of its machine, and refuses it on another host', async () => {
    // The daemon's QEMU and LXC drivers are one machine, so one host (README "Hosts").
    expect(hosts.qemu).toBe(hosts.lxc);
    const onQemu = (await as('operator').post(volumesOf('qemu')).send({ pool: pool.name, name: 'qemu-made', kind: 'dir' }).expect(201))
      .body;
    const peer = await ensureHost(as('admin'), LVHOST_URIS[0]!.replace(/^qemu\+/, 'lxc+'), 'lxc', { name: `${tag}-peer` });
    if (peer.registered) registered.push(peer.id);
    try {
      const here = await as('operator')
        .post('/api/v1/instances')
        .send(container('same-machine', { mounts: [{ source: onQemu.path, target: '/mnt/x' }] }))
        .expect(202);
      expect((await waitForOperation(as('operator') as never, here.body.operationId)).status).toBe('succeeded');
      const gone = await as('operator').delete(`/api/v1/instances/${here.body.instance.id}`).expect(202);
      expect((await waitForOperation(as('operator') as never, gone.body.operationId)).status).toBe('succeeded');
      await expectRefused(
        { ...container('other-host', { mounts: [{ source: onQemu.path, target: '/mnt/x' }] }), hostId: peer.id } as ReturnType<
          typeof container
        >,
        'boot.mounts[0].source',
      );
    } finally {
      await as('operator')
        .delete(`${volumesOf('qemu')}/${onQemu.id}`)
        .expect(204);
    }
  });

  it('an admin adopts an existing real directory (operator: 403), which then works as a mount; releasing it keeps the data', async () => {
    mkdirSync(`${pool.dir}/shared`);
    writeFileSync(`${pool.dir}/shared/hello`, 'hi');
    const denied = expectProblem(await as('operator').post(volumesOf('lxc')).send({ pool: pool.name, name: 'shared', adopt: true }), 403);
    expect(denied.requiredRole).toBe('admin');
    expectProblem(await as('admin').post(volumesOf('lxc')).send({ pool: pool.name, name: 'shared', adopt: true, kind: 'dir' }), 400);
    expectProblem(await as('admin').post(volumesOf('lxc')).send({ pool: pool.name, name: 'nothing-here', adopt: true }), 422);
    const adopted = (await as('admin').post(volumesOf('lxc')).send({ pool: pool.name, name: 'shared', adopt: true }).expect(201)).body;
    expect(adopted).toMatchObject({
      pool: pool.name,
      name: 'shared',
      kind: 'dir',
      format: null,
      adopted: true,
      path: `${pool.dir}/shared`,
      createdBy: `key:${tag}-admin`,
    });
    const audit = await prisma.event.findFirst({
      where: { kind: 'volume.adopted', hostId: hosts.lxc, actor: `key:${tag}-admin` },
      orderBy: { at: 'desc' },
    });
    expect(audit?.data).toMatchObject({ volumeId: adopted.id, name: 'shared' });

    const { id, xml } = await createOk(container('adopted', { mounts: [{ source: `${pool.dir}/shared`, target: '/mnt/shared' }] }));
    expect(xml).toContain(`<source dir='${pool.dir}/shared'/>`);
    await deleteInstance(id);
    await as('operator')
      .delete(`${volumesOf('lxc')}/${adopted.id}`)
      .expect(204);
    expect(existsSync(`${pool.dir}/shared/hello`)).toBe(true);
    await expectRefused(
      container('released', { mounts: [{ source: `${pool.dir}/shared`, target: '/mnt/shared' }] }),
      'boot.mounts[0].source',
      /not manage/,
    );
  });

  it('creates a managed directory volume that works as an LXC mount; deleting it is 409 while the instance uses it, then removes it', async () => {
    const res = await as('operator').post(volumesOf('lxc')).send({ pool: pool.name, name: 'data', kind: 'dir' }).expect(201);
    const created = res.body;
    expect(res.headers.location).toBe(`${volumesOf('lxc')}/${created.id}`);
    expect(created).toMatchObject({
      hostId: hosts.lxc,
      pool: pool.name,
      name: 'data',
      kind: 'dir',
      format: null,
      adopted: false,
      path: `${pool.dir}/data`,
      key: `${pool.dir}/data`,
      createdBy: `key:${tag}-operator`,
    });
    expect(statSync(`${pool.dir}/data`).isDirectory()).toBe(true);
    expect(
      (
        await as('operator')
          .get(`${volumesOf('lxc')}/${created.id}`)
          .expect(200)
      ).body,
    ).toEqual(created);
    expect((await as('operator').get(volumesOf('lxc')).expect(200)).body.items).toContainEqual(created);
    // The same name again: 409, nothing changed.
    expectProblem(await as('operator').post(volumesOf('lxc')).send({ pool: pool.name, name: 'data', kind: 'dir' }), 409);

    const { id, xml } = await createOk(container('data', { mounts: [{ source: created.path, target: '/data' }] }));
    expect(xml).toContain(`<source dir='${pool.dir}/data'/>`);
    const busy = expectProblem(await as('operator').delete(`${volumesOf('lxc')}/${created.id}`), 409);
    expect(busy.usedBy).toEqual([{ instanceId: id, name: `${tag}-data`, fields: ['boot.mounts[0].source'] }]);
    expect(existsSync(`${pool.dir}/data`)).toBe(true);

    await deleteInstance(id);
    await as('operator')
      .delete(`${volumesOf('lxc')}/${created.id}`)
      .expect(204);
    expect(existsSync(`${pool.dir}/data`)).toBe(false);
    expectProblem(await as('operator').get(`${volumesOf('lxc')}/${created.id}`), 404);
  });

  it('answers 409 for deleting a directory volume that is not empty (libvirt removes only empty ones), and keeps it', async () => {
    const full = (await as('operator').post(volumesOf('lxc')).send({ pool: pool.name, name: 'full', kind: 'dir' }).expect(201)).body;
    writeFileSync(`${pool.dir}/full/file`, 'data');
    expect(expectProblem(await as('operator').delete(`${volumesOf('lxc')}/${full.id}`), 409).detail).toMatch(
      /only empty directory volumes/,
    );
    expect(existsSync(`${pool.dir}/full/file`)).toBe(true);
    expect(
      (
        await as('operator')
          .get(`${volumesOf('lxc')}/${full.id}`)
          .expect(200)
      ).body.id,
    ).toBe(full.id);
    rmSync(`${pool.dir}/full/file`);
    await as('operator')
      .delete(`${volumesOf('lxc')}/${full.id}`)
      .expect(204);
    expect(existsSync(`${pool.dir}/full`)).toBe(false);
  });

  it('creates a managed raw file volume that works as a QEMU disk; qcow2 too (created, or adopted where the host has no qemu-img)', async () => {
    const raw = (
      await as('operator').post(volumesOf('qemu')).send({ pool: pool.name, name: 'root.img', kind: 'file', capacityGiB: 1 }).expect(201)
    ).body;
    expect(raw).toMatchObject({ kind: 'file', format: 'raw', capacityBytes: 1024 ** 3, path: `${pool.dir}/root.img` });
    expect(statSync(`${pool.dir}/root.img`).size).toBe(1024 ** 3);
    const { id, xml } = await createOk(vm('raw', [{ path: raw.path, format: 'raw', bus: 'virtio' }]));
    expect(xml).toContain(`<source file='${pool.dir}/root.img'/>`);

    const qcow2 = await as('operator')
      .post(volumesOf('qemu'))
      .send({ pool: pool.name, name: 'root.qcow2', kind: 'file', format: 'qcow2', capacityGiB: 1 });
    if (existsSync('/usr/bin/qemu-img')) {
      expect(qcow2.status).toBe(201);
    } else {
      // libvirt needs qemu-img on the host for qcow2: a clear 422, nothing left behind.
      expect(expectProblem(qcow2, 422).detail).toMatch(/cannot create qcow2 volumes/);
      expect(existsSync(`${pool.dir}/root.qcow2`)).toBe(false);
      expect(await prisma.volume.count({ where: { hostId: hosts.qemu, pool: pool.name, name: 'root.qcow2' } })).toBe(0);
      qcow2Image(`${pool.dir}/root.qcow2`);
      const adopted = (await as('admin').post(volumesOf('qemu')).send({ pool: pool.name, name: 'root.qcow2', adopt: true }).expect(201))
        .body;
      expect(adopted).toMatchObject({ kind: 'file', format: 'qcow2', capacityBytes: 1 << 20, adopted: true });
    }
    const second = await createOk(vm('qcow2', [{ path: `${pool.dir}/root.qcow2`, format: 'qcow2', bus: 'virtio' }]));
    expect(second.xml).toContain(`<source file='${pool.dir}/root.qcow2'/>`);
    await deleteInstance(second.id);
    await deleteInstance(id);
  });

  it.each([['../x'], ['a/b'], ['.hidden'], ['..'], ['a..b'], ['a\u0000b'], ['x'.repeat(64)], ['Upper'], [''], ['/abs'], ['a\nb']])(
    'answers 400 for the volume name %j, and creates nothing',
    async (name) => {
      const before = await prisma.volume.count({ where: { pool: pool.name } });
      const body = expectProblem(await as('operator').post(volumesOf('lxc')).send({ pool: pool.name, name, kind: 'dir' }), 400);
      expect(JSON.stringify([body.errors, body.detail])).toContain('name');
      expect(await prisma.volume.count({ where: { pool: pool.name } })).toBe(before);
    },
  );

  it('answers 400 for a pool spelt as a path and for fields that do not go together', async () => {
    expectProblem(
      await as('operator')
        .post(volumesOf('lxc'))
        .send({ pool: `../${pool.name}`, name: 'x', kind: 'dir' }),
      400,
    );
    expectProblem(await as('operator').post(volumesOf('lxc')).send({ pool: pool.name, name: 'x' }), 400);
    // Root disks' own names cannot be taken first (their rollback deletes by that name).
    expectProblem(
      await as('operator')
        .post(volumesOf('lxc'))
        .send({ pool: pool.name, name: `vf-${randomUUID()}-root.qcow2`, kind: 'file', capacityGiB: 1 }),
      400,
    );
    expectProblem(await as('admin').post(volumesOf('lxc')).send({ pool: pool.name, name: 'vf-x-root.qcow2', adopt: true }), 400);
    expectProblem(await as('operator').post(volumesOf('lxc')).send({ pool: pool.name, name: 'x', kind: 'dir', capacityGiB: 1 }), 400);
    expectProblem(await as('operator').post(volumesOf('lxc')).send({ pool: pool.name, name: 'x', kind: 'file' }), 400);
    expectProblem(await as('operator').post(volumesOf('lxc')).send({ pool: pool.name, name: 'x', kind: 'file', capacityGiB: 0 }), 400);
    expectProblem(
      await as('operator').post(volumesOf('lxc')).send({ pool: pool.name, name: 'x', kind: 'file', format: 'vmdk', capacityGiB: 1 }),
      400,
    );
    expect(existsSync(`${pool.dir}/x`)).toBe(false);
  });

  it('answers 422 for a pool guests may not use and for a pool too full for the volume, leaving nothing behind', async () => {
    expectProblem(await as('operator').post(volumesOf('lxc')).send({ pool: 'default', name: 'x', kind: 'dir' }), 422);
    const full = expectProblem(
      await as('operator').post(volumesOf('qemu')).send({ pool: pool.name, name: 'huge.img', kind: 'file', capacityGiB: 1_048_576 }),
      422,
    );
    expect(full.detail).toMatch(/does not fit/);
    expect(full.availableBytes).toEqual(expect.any(Number));
    expect(() => lstatSync(`${pool.dir}/huge.img`)).toThrow();
    expect(await prisma.volume.count({ where: { pool: pool.name, name: { in: ['x', 'huge.img'] } } })).toBe(0);
  });

  it('answers 404 for an unknown host or volume', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectProblem(await as('operator').post(`/api/v1/hosts/${unknown}/volumes`).send({ pool: pool.name, name: 'x', kind: 'dir' }), 404);
    expectProblem(await as('operator').get(`/api/v1/hosts/${unknown}/volumes`), 404);
    expectProblem(await as('operator').get(`${volumesOf('lxc')}/${unknown}`), 404);
    expectProblem(await as('operator').delete(`${volumesOf('lxc')}/${unknown}`), 404);
  });

  it('removes the volume again when its row cannot be written (no half-written volume)', async () => {
    // A row for the name exists only in the database (written behind the API's back): the
    // create passes libvirt, fails on the unique row, and must take the libvirt volume back.
    rmSync(`${pool.dir}/race`, { recursive: true, force: true });
    const api = app.get((await import('../src/volumes/volumes.service.js')).VolumesService);
    const refuseTaken = (api as unknown as { refuseTaken: () => Promise<void> }).refuseTaken;
    await prisma.volume.create({
      data: {
        hostId: hosts.lxc,
        pool: pool.name,
        name: 'race',
        kind: 'dir',
        capacityBytes: 0n,
        libvirtKey: 'k',
        path: 'p',
        createdBy: 'test',
      },
    });
    (api as unknown as { refuseTaken: () => Promise<void> }).refuseTaken = async () => undefined;
    try {
      expectProblem(await as('operator').post(volumesOf('lxc')).send({ pool: pool.name, name: 'race', kind: 'dir' }), 409);
      expect(existsSync(`${pool.dir}/race`)).toBe(false);
    } finally {
      (api as unknown as { refuseTaken: typeof refuseTaken }).refuseTaken = refuseTaken;
      await prisma.volume.deleteMany({ where: { hostId: hosts.lxc, pool: pool.name, name: 'race' } });
    }
  });
});
