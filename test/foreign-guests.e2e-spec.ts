// Guests virtfleet did not define, on the real private libvirtd: a diskless QEMU/TCG domain
// defined and started with virsh behind the API's back. A sweep lists it, the host's free
// capacity shrinks by its size (placement, preview and the database's checks), and
// consolidation never frees the host nor puts it to standby.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { startTestApp } from './support/test-app.js';
import { type OwnDatabase, ownDatabase } from './support/own-database.js';
import { expectProblem, waitForOperation } from './support/api.js';
import { QEMU_URI, describeWithLibvirtd } from './support/libvirtd.js';
import { simulatedHostUri } from './support/simulated-hosts.js';
import { ensureHost } from './support/shared-hosts.js';

const tag = `fg${process.pid.toString(36)}${Date.now().toString(36)}`;
const foreignName = `${tag}-foreign`;
const FOREIGN_VCPUS = 2;
const FOREIGN_MEMORY_MIB = 512;

const virsh = (...args: string[]) =>
  execFileSync('virsh', ['-c', QEMU_URI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describeWithLibvirtd('guests virtfleet did not define', () => {
  let app: INestApplication;
  let database: OwnDatabase;
  let http: ReturnType<typeof request>;
  let qemuHost: string;
  let qemuHostName: string;
  const dir = mkdtempSync(path.join(tmpdir(), `${tag}-`));
  const created: string[] = [];

  beforeAll(async () => {
    // A database of its own: its assertions need the real host's row to itself (other suites
    // place instances on the same libvirtd).
    database = await ownDatabase('foreign');
    app = await startTestApp({ DATABASE_URL: database.url });
    http = request(app.getHttpServer());
    // The private libvirtd may be registered already by another suite of this run.
    const { id } = await ensureHost(http, QEMU_URI, 'qemu-kvm', { name: `${tag}-q` });
    const existing = (await http.get(`/api/v1/hosts/${id}`).expect(200)).body;
    if (existing.state !== 'enabled') await http.post(`/api/v1/hosts/${id}/maintenance`).send({ enabled: false }).expect(200);
    qemuHost = id;
    qemuHostName = existing.name;
    const xml = path.join(dir, 'foreign.xml');
    writeFileSync(
      xml,
      `<domain type='qemu'><name>${foreignName}</name><memory unit='MiB'>${FOREIGN_MEMORY_MIB}</memory><vcpu>${FOREIGN_VCPUS}</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type></os>
<devices><emulator>/usr/bin/qemu-system-x86_64</emulator><console type='pty'/></devices></domain>`,
    );
    virsh('define', xml);
    virsh('start', foreignName);
  });

  afterAll(async () => {
    try {
      for (const id of created) {
        const del = await http.delete(`/api/v1/instances/${id}`);
        if (del.status === 202) await waitForOperation(http, del.body.operationId);
      }
    } finally {
      try {
        virsh('destroy', foreignName);
      } catch {
        // not running
      }
      try {
        virsh('undefine', foreignName);
      } catch {
        // not defined
      }
      rmSync(dir, { recursive: true, force: true });
      // Forget it on the host row too, for the suites after this one.
      await http.post('/api/v1/reconciler/sweep').send({ hostIds: [qemuHost] });
      await app.close();
      await database?.drop();
    }
  });

  /** A stopped instance on the private libvirtd that consolidation may move (no placement rules). */
  async function movableOnQemuHost(name: string, vcpus: number): Promise<string> {
    const r = await http
      .post('/api/v1/instances')
      .send({
        name: `${tag}-${name}`,
        driverKind: 'qemu-kvm',
        vcpus,
        memoryMiB: 64,
        boot: { guestType: 'hvm' },
        hostId: qemuHost,
        start: false,
      })
      .expect(202);
    created.push(r.body.instance.id);
    expect((await waitForOperation(http, r.body.operationId)).status).toBe('succeeded');
    return r.body.instance.id;
  }

  const sweep = async (hostIds: string[]) => (await http.post('/api/v1/reconciler/sweep').send({ hostIds }).expect(200)).body;
  const hostDto = async (id: string) => (await http.get(`/api/v1/hosts/${id}`).expect(200)).body;
  const preview = async (memoryMiB: number) =>
    (
      await http
        .post('/api/v1/placement/preview')
        .send({ driverKind: 'qemu-kvm', guestType: 'hvm', vcpus: 1, memoryMiB, hostId: qemuHost })
        .expect(200)
    ).body;

  it('a sweep lists the foreign guest with its size, on the host and in the report', async () => {
    const report = await sweep([qemuHost]);
    expect(report.unknownGuests).toContain(`${qemuHostName}/${foreignName}`);
    expect(report.foreignGuests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          hostId: qemuHost,
          host: qemuHostName,
          name: foreignName,
          state: 'running',
          vcpus: FOREIGN_VCPUS,
          memoryMiB: FOREIGN_MEMORY_MIB,
          active: true,
        }),
      ]),
    );
    const host = await hostDto(qemuHost);
    expect(host.foreign.guests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: foreignName, vcpus: FOREIGN_VCPUS, memoryMiB: FOREIGN_MEMORY_MIB, active: true }),
      ]),
    );
    // The usage is the sum over the active foreign guests (other suites' raw domains may be there too).
    const active = host.foreign.guests.filter((g: { active: boolean }) => g.active);
    expect(host.foreign.usage).toEqual({
      vcpus: active.reduce((sum: number, g: { vcpus: number }) => sum + g.vcpus, 0),
      memoryMiB: active.reduce((sum: number, g: { memoryMiB: number }) => sum + g.memoryMiB, 0),
      diskGiB: 0,
    });
    expect(host.foreign.usage.memoryMiB).toBeGreaterThanOrEqual(FOREIGN_MEMORY_MIB);
    // Never touched: still running after the sweep.
    expect(virsh('domstate', foreignName).trim()).toBe('running');
    // Recorded as drift when it appeared.
    const drift = (await http.get(`/api/v1/events?hostId=${qemuHost}&kind=drift&limit=200`).expect(200)).body.items;
    expect(
      drift.some((e: { data: { foreignGuests?: Array<{ name: string }> } }) => e.data.foreignGuests?.some((g) => g.name === foreignName)),
    ).toBe(true);
  });

  it('free capacity shrinks by the foreign guests: preview and create see it', async () => {
    await sweep([qemuHost]);
    const host = await hostDto(qemuHost);
    const freeMemory = host.usable.memoryMiB - host.allocated.memoryMiB - host.foreign.usage.memoryMiB;
    expect(freeMemory).toBeGreaterThan(256);
    expect(host.free.memoryMiB).toBe(freeMemory);
    // Exactly what is left fits; one MiB more does not.
    expect((await preview(freeMemory)).chosen).toBe(qemuHost);
    const over = await preview(freeMemory + 1);
    expect(over.chosen).toBeNull();
    expect(over.rejections).toEqual([expect.objectContaining({ filter: 'capacity', causes: ['memoryMiB short'] })]);
    // A create that would need the foreign guest's memory (it fits the host without it) is refused.
    const needsForeignMemory = freeMemory + FOREIGN_MEMORY_MIB / 2;
    expect(needsForeignMemory).toBeLessThanOrEqual(host.usable.memoryMiB - host.allocated.memoryMiB);
    const refused = await http.post('/api/v1/instances').send({
      name: `${tag}-too-big`,
      driverKind: 'qemu-kvm',
      vcpus: 1,
      memoryMiB: needsForeignMemory,
      boot: { guestType: 'hvm' },
      hostId: qemuHost,
      start: false,
    });
    if (refused.status === 202) created.push(refused.body.instance.id);
    expect(expectProblem(refused, 409).title).toBe('No valid host');
    expect(
      (await http.get(`/api/v1/instances?hostId=${qemuHost}&limit=200`).expect(200)).body.items.map((i: { name: string }) => i.name),
    ).not.toContain(`${tag}-too-big`);
  });

  it('the database refuses an allocation that only fits without the foreign guests', async () => {
    const prisma = app.get(PrismaService);
    const host = await hostDto(qemuHost);
    const small = await movableOnQemuHost('small', 1);
    // Grow its allocation behind placement's back to what only fits if foreign guests were free.
    const grown = host.usable.memoryMiB - host.allocated.memoryMiB - host.foreign.usage.memoryMiB + FOREIGN_MEMORY_MIB / 2;
    await expect(prisma.allocation.updateMany({ where: { instanceId: small }, data: { memoryMiB: grown } })).rejects.toThrow(
      /capacity of host/,
    );
  });

  it('consolidation never frees the host running foreign guests, nor puts it to standby', async () => {
    const sim = (
      await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-sim`, uri: simulatedHostUri({ cpus: 8, memoryMiB: 16384 }), driverKind: 'qemu-kvm' })
        .expect(201)
    ).body.id;
    const make = async (name: string, hostId: string, vcpus: number) => {
      const r = await http
        .post('/api/v1/instances')
        .send({ name: `${tag}-${name}`, driverKind: 'qemu-kvm', vcpus, memoryMiB: 64, boot: { guestType: 'hvm' }, hostId, start: false })
        .expect(202);
      created.push(r.body.instance.id);
      expect((await waitForOperation(http, r.body.operationId)).status).toBe('succeeded');
      return r.body.instance.id as string;
    };
    // The private libvirtd's host is the cheaper one to empty (a planner without the foreign
    // guests in view empties it into the simulated host): small stopped instances against big ones.
    await movableOnQemuHost('light', 1);
    await make('heavy-1', sim, 8);
    await make('heavy-2', sim, 8);
    await make('heavy-3', sim, 8);
    await sweep([qemuHost, sim]);
    const plan = (
      await http
        .post('/api/v1/consolidation/plans')
        .send({ hostIds: [qemuHost, sim], cooldownSeconds: 0 })
        .expect(201)
    ).body;
    expect(plan.freedHostIds).not.toContain(qemuHost);
    for (const step of plan.steps) expect(step.fromHostId).not.toBe(qemuHost);
    expect((await hostDto(qemuHost)).state).toBe('enabled');
  });

  it('a plan made before the foreign guest was seen still leaves its host out of standby', async () => {
    const sim = (
      await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-sim2`, uri: simulatedHostUri({ cpus: 8, memoryMiB: 16384 }), driverKind: 'qemu-kvm' })
        .expect(201)
    ).body.id;
    const big = await http
      .post('/api/v1/instances')
      .send({
        name: `${tag}-anchor`,
        driverKind: 'qemu-kvm',
        vcpus: 8,
        memoryMiB: 64,
        boot: { guestType: 'hvm' },
        hostId: sim,
        start: false,
      })
      .expect(202);
    created.push(big.body.instance.id);
    expect((await waitForOperation(http, big.body.operationId)).status).toBe('succeeded');
    await movableOnQemuHost('guarded', 1);
    // As if the reconciler had not seen the foreign guest yet.
    const prisma = app.get(PrismaService);
    await prisma.host.update({ where: { id: qemuHost }, data: { foreignGuests: [], foreignVcpus: 0, foreignMemoryMiB: 0 } });
    const plan = (
      await http
        .post('/api/v1/consolidation/plans')
        .send({ hostIds: [qemuHost, sim], cooldownSeconds: 0 })
        .expect(201)
    ).body;
    expect(plan.freedHostIds).toEqual([qemuHost]);
    await sweep([qemuHost]);
    await http.post(`/api/v1/consolidation/plans/${plan.id}/execute`).expect(202);
    let done;
    for (;;) {
      done = (await http.get(`/api/v1/consolidation/plans/${plan.id}`).expect(200)).body;
      if (!['executing', 'aborting'].includes(done.status)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(done).toMatchObject({ status: 'completed' });
    const host = await hostDto(qemuHost);
    expect(host).toMatchObject({ state: 'enabled', instanceCount: 0 });
    const events = (await http.get(`/api/v1/events?hostId=${qemuHost}&kind=consolidation`).expect(200)).body.items;
    expect(events.map((e: { message: string }) => e.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/stays enabled: it runs \d+ guest\(s\) virtfleet did not define/)]),
    );
  }, 120_000);
});
