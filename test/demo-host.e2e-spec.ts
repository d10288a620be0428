// The demo host (libvirt's test driver, registered at start-up) next to a real host, in a
// database of its own so that the fleet is exactly these two: a plain create never lands on
// the simulated host, an explicit one does, and once an operator removes the demo host a
// restart does not bring it back.
import { execFileSync } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import * as libvirt from '@unraid/libvirt';
import pg from 'pg';
import request from 'supertest';
import { startTestApp, TEST_DATABASE_URL } from './support/test-app.js';
import { describeWithLibvirtd, openLibvirtd, QEMU_URI, removeDomainQuietly } from './support/libvirtd.js';
import { waitForOperation } from './support/api.js';

const tag = `demo${process.pid.toString(36)}${Date.now().toString(36)}`;
const dbName = `vf_demo_${process.pid}_${Date.now().toString(36)}`;
const dbUrl = TEST_DATABASE_URL.replace(/\/[^/?]+(\?|$)/, `/${dbName}$1`);
const admin = () => new pg.Client({ connectionString: TEST_DATABASE_URL.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });

describeWithLibvirtd('the demo host (simulated) beside a real host', () => {
  let app: INestApplication | undefined;
  let http: ReturnType<typeof request>;
  let lv: libvirt.Hypervisor;
  const domains: string[] = [];

  const start = async () => {
    app = await startTestApp({ DATABASE_URL: dbUrl, DEMO_HOST_URI: 'test:///default' });
    http = request(app.getHttpServer());
  };
  const hosts = async () =>
    (await http.get('/api/v1/hosts?limit=200').expect(200)).body.items as {
      id: string;
      name: string;
      uri: string;
      simulated: boolean;
      traits: string[];
    }[];
  const create = (name: string, extra: Record<string, unknown> = {}) => {
    domains.push(`${tag}-${name}`);
    return http.post('/api/v1/instances').send({
      name: `${tag}-${name}`,
      driverKind: 'qemu-kvm',
      vcpus: 1,
      memoryMiB: 64,
      boot: { guestType: 'hvm' },
      start: false,
      ...extra,
    });
  };
  const remove = async (id: string) => {
    const res = await http.delete(`/api/v1/instances/${id}`).expect(202);
    expect((await waitForOperation(http, res.body.operationId)).status).toBe('succeeded');
  };

  beforeAll(async () => {
    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE "${dbName}"`);
    await c.end();
    execFileSync(process.execPath, ['prisma/offline-migrate/migrate.mjs', 'deploy'], {
      env: { ...process.env, DATABASE_URL: dbUrl },
      stdio: 'pipe',
    });
    lv = await openLibvirtd(QEMU_URI);
    await start();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    for (const name of domains) await removeDomainQuietly(lv, name);
    await lv?.connectClose();
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await c.end();
  });

  it('registers the demo host at start-up, as a simulated host with the sim trait', async () => {
    const [demo] = await hosts();
    expect(demo).toMatchObject({ name: 'demo', uri: 'test:///default', simulated: true });
    expect(demo!.traits).toContain('sim');
  });

  it('places a plain create on the real host, never on the demo host; an explicit request reaches the demo host', async () => {
    const real = (
      await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-real`, uri: QEMU_URI, driverKind: 'qemu-kvm' })
        .expect(201)
    ).body;
    const demo = (await hosts()).find((h) => h.name === 'demo')!;
    const preview = await http
      .post('/api/v1/placement/preview')
      .send({ driverKind: 'qemu-kvm', guestType: 'hvm', vcpus: 1, memoryMiB: 64 })
      .expect(200);
    expect(preview.body.candidates.map((c: { hostId: string }) => c.hostId)).toEqual([real.id]);
    expect(preview.body.rejections).toEqual([expect.objectContaining({ filter: 'simulated', count: 1 })]);
    const plain: string[] = [];
    for (const n of [1, 2, 3]) {
      const res = await create(`plain${n}`).expect(202);
      expect(res.body.instance.hostId).toBe(real.id);
      expect((await waitForOperation(http, res.body.operationId)).status).toBe('succeeded');
      plain.push(res.body.instance.id);
    }
    const pinned = await create('pinned', { hostId: demo.id }).expect(202);
    expect(pinned.body.instance.hostId).toBe(demo.id);
    expect((await waitForOperation(http, pinned.body.operationId)).status).toBe('succeeded');
    // With the real host in maintenance a plain create finds no host rather than the demo host.
    await http.post(`/api/v1/hosts/${real.id}/maintenance`).send({ enabled: true }).expect(200);
    const none = await create('nowhere');
    expect(none.status).toBe(409);
    expect(JSON.stringify(none.body.rejections)).toMatch(/simulated/);
    await http.post(`/api/v1/hosts/${real.id}/maintenance`).send({ enabled: false }).expect(200);
    for (const id of [...plain, pinned.body.instance.id]) await remove(id);
    await http.delete(`/api/v1/hosts/${real.id}`).expect(204);
  }, 120_000);

  it('leaves the demo host and its instances out of whole-fleet consolidation plans', async () => {
    const real = (
      await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-real2`, uri: QEMU_URI, driverKind: 'qemu-kvm' })
        .expect(201)
    ).body;
    const demo = (await hosts()).find((h) => h.name === 'demo')!;
    const onReal = await create('c-real').expect(202);
    const onDemo = await create('c-demo', { hostId: demo.id }).expect(202);
    for (const r of [onReal, onDemo]) expect((await waitForOperation(http, r.body.operationId)).status).toBe('succeeded');
    expect([onReal.body.instance.hostId, onDemo.body.instance.hostId]).toEqual([real.id, demo.id]);
    // Two hosts each holding one small instance: without the rule, one would be moved onto the other.
    const plan = (await http.post('/api/v1/consolidation/plans').send({ cooldownSeconds: 0, allowColdMigration: true }).expect(201)).body;
    expect(plan).toMatchObject({ hostsBefore: 1, hostsAfter: 1, migrations: 0 });
    expect(plan.steps).toEqual([]);
    await http.post(`/api/v1/consolidation/plans/${plan.id}/abort`).send({});
    for (const r of [onReal, onDemo]) await remove(r.body.instance.id);
    await http.delete(`/api/v1/hosts/${real.id}`).expect(204);
  }, 120_000);

  it('keeps the demo host on a restart, and does not bring it back once an operator removed it', async () => {
    await app!.close();
    await start();
    const kept = (await hosts()).filter((h) => h.name === 'demo');
    expect(kept).toHaveLength(1);
    await http.delete(`/api/v1/hosts/${kept[0]!.id}`).expect(204);
    await app!.close();
    await start();
    expect(await hosts()).toEqual([]);
  }, 60_000);
});
