// The reconciler against out-of-band changes made with the libvirt binding behind the API's
// back. The host is libvirt's test driver at test:///default (shared by every connection in
// this process, so the binding's changes are what the API sees), under its own URI spelling.
import type { INestApplication } from '@nestjs/common';
import * as libvirt from '@unraid/libvirt';
import request from 'supertest';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { startTestApp } from './support/test-app.js';
import { expectProblem, waitForOperation } from './support/api.js';

const tag = `r${process.pid.toString(36)}${Date.now().toString(36)}`;

describe('reconciler', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let hostId: string;
  let lv: libvirt.Hypervisor;

  beforeAll(async () => {
    app = await startTestApp();
    http = request(app.getHttpServer());
    const host = await http
      .post('/api/v1/hosts')
      .send({ name: `${tag}-h`, uri: `test:///default?suite=${tag}`, driverKind: 'lxc', labels: { suite: tag } })
      .expect(201);
    hostId = host.body.id;
    lv = new libvirt.Hypervisor({ uri: 'test:///default' });
    await lv.connectOpen();
  });

  afterAll(async () => {
    await lv.connectClose();
    await app.close();
  });

  async function createRunning(name: string) {
    const res = await http
      .post('/api/v1/instances')
      .send({
        name: `${tag}-${name}`,
        driverKind: 'lxc',
        vcpus: 1,
        memoryMiB: 64,
        boot: { guestType: 'container', init: '/bin/sleep', initArgs: ['600'] },
        hostId,
      })
      .expect(202);
    expect((await waitForOperation(http, res.body.operationId)).status).toBe('succeeded');
    return res.body.instance as { id: string; name: string };
  }

  const sweep = async () =>
    (
      await http
        .post('/api/v1/reconciler/sweep')
        .send({ hostIds: [hostId] })
        .expect(200)
    ).body;
  const instance = async (id: string) => (await http.get(`/api/v1/instances/${id}`).expect(200)).body;
  const driftEvents = async (id: string) => (await http.get(`/api/v1/events?instanceId=${id}&kind=drift&order=asc`).expect(200)).body.items;

  it('records a guest destroyed out of band as drift and shows it shut off', async () => {
    const i = await createRunning('oob-stop');
    await lv.domainDestroy(await lv.domainLookupByUUIDString(i.id));
    const report = await sweep();
    expect(report.drift).toEqual(expect.arrayContaining([expect.objectContaining({ instance: i.name, kind: 'stopped-out-of-band' })]));
    expect(await instance(i.id)).toMatchObject({ observedState: 'shutoff', observedReason: 'destroyed', desiredState: 'running' });
    expect((await driftEvents(i.id))[0].data).toMatchObject({ drift: 'stopped-out-of-band' });
  });

  it('marks a vanished domain "missing" and never recreates or deletes anything', async () => {
    const i = await createRunning('oob-gone');
    const d = await lv.domainLookupByUUIDString(i.id);
    await lv.domainDestroy(d);
    await lv.domainUndefine(d);
    const report = await sweep();
    expect(report.drift).toEqual(expect.arrayContaining([expect.objectContaining({ instance: i.name, kind: 'vanished' })]));
    expect(await instance(i.id)).toMatchObject({ observedState: 'missing' });
    await expect(lv.domainLookupByUUIDString(i.id)).rejects.toThrow(/not found/i);
    // A second sweep changes nothing more.
    const again = await sweep();
    expect(again.drift.filter((d: { instance: string }) => d.instance === i.name)).toEqual([]);
  });

  it('records a guest started out of band while it should be stopped', async () => {
    const i = await createRunning('oob-start');
    const stop = await http.post(`/api/v1/instances/${i.id}/force-stop`).send({}).expect(202);
    await waitForOperation(http, stop.body.operationId);
    await lv.domainCreate(await lv.domainLookupByUUIDString(i.id));
    const report = await sweep();
    expect(report.drift).toEqual(expect.arrayContaining([expect.objectContaining({ instance: i.name, kind: 'started-out-of-band' })]));
    expect(await instance(i.id)).toMatchObject({ observedState: 'running', desiredState: 'stopped' });
  });

  it('reports a domain with our metadata but no row, and leaves it alone', async () => {
    const id = '6f0c2a51-7d1c-4c3e-9a55-000000000abc';
    const xml = `<domain type='lxc'><name>${tag}-stray</name><uuid>${id}</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu>
<metadata><vf:instance xmlns:vf="https://virtfleet.dev/xmlns/instance/1" id="${id}"/></metadata>
<os><type>exe</type><init>/bin/sh</init></os></domain>`;
    const d = await lv.domainDefineXML(xml);
    try {
      const report = await sweep();
      expect(report.unknownGuests).toContain(`${tag}-h/${tag}-stray`);
      expect(await lv.domainGetName(await lv.domainLookupByUUIDString(id))).toBe(`${tag}-stray`);
    } finally {
      await lv.domainUndefine(d);
    }
  });

  it('removes a domain that one of our creates defined but whose row is gone, with a drift event', async () => {
    const i = await createRunning('orphan');
    const prisma = app.get(PrismaService);
    // The row dropped while the domain lives on (as an older roll-back did when the host was unreachable).
    await prisma.instance.delete({ where: { id: i.id } });
    const report = await sweep();
    expect(report.removedOrphans).toContain(`${tag}-h/${i.name}`);
    expect(report.unknownGuests).not.toContain(`${tag}-h/${i.name}`);
    await expect(lv.domainLookupByUUIDString(i.id)).rejects.toThrow(/not found/i);
    const drift = await prisma.event.findFirst({
      where: { kind: 'drift', hostId, message: { contains: i.name } },
      orderBy: { id: 'desc' },
    });
    expect(drift?.data).toMatchObject({ drift: 'orphan', instanceId: i.id, removed: true });
  });

  it('takes an unreachable host offline and its instances to "unknown", never "stopped"; back when it answers', async () => {
    const i = await createRunning('partition');
    const prisma = app.get(PrismaService);
    const realUri = `test:///default?suite=${tag}`;
    // Simulated network partition: point the host at an address where nothing listens.
    await prisma.host.update({ where: { id: hostId }, data: { uri: 'qemu+tcp://127.0.0.1:1/system' } });
    try {
      const report = await sweep();
      expect(report.unreachableHosts).toEqual([`${tag}-h`]);
      expect((await http.get(`/api/v1/hosts/${hostId}`).expect(200)).body).toMatchObject({ state: 'offline' });
      expect(await instance(i.id)).toMatchObject({ observedState: 'unknown', observedReason: 'host-unreachable' });
    } finally {
      await prisma.host.update({ where: { id: hostId }, data: { uri: realUri } });
    }
    await sweep();
    expect((await http.get(`/api/v1/hosts/${hostId}`).expect(200)).body).toMatchObject({ state: 'enabled', lastError: null });
    expect(await instance(i.id)).toMatchObject({ observedState: 'running' });
  });

  it('fails a task whose deadline passed instead of letting it block forever', async () => {
    const i = await createRunning('stuck');
    const prisma = app.get(PrismaService);
    // A task left in flight with its deadline in the past (e.g. a hung call).
    const op = await prisma.operation.create({
      data: { kind: 'reboot', targetType: 'instance', targetId: i.id, actor: 'test', status: 'running', runner: 'alive-elsewhere' },
    });
    await prisma.instance.update({
      where: { id: i.id },
      data: { task: 'rebooting', taskDeadline: new Date(Date.now() - 1000), taskOperationId: op.id },
    });
    expectProblem(await http.post(`/api/v1/instances/${i.id}/force-stop`).send({}), 409);
    const report = await sweep();
    expect(report.resolvedTasks).toEqual([expect.objectContaining({ instance: i.name, task: 'rebooting' })]);
    expect(await instance(i.id)).toMatchObject({ task: null, observedState: 'running' });
    const after = (await http.get(`/api/v1/operations/${op.id}`).expect(200)).body;
    expect(after.status).toBe('succeeded');
    await http.post(`/api/v1/instances/${i.id}/force-stop`).send({}).expect(202);
  });

  it('records every admin sweep as an audit event', async () => {
    await sweep();
    const audits = (await http.get('/api/v1/events?kind=audit&limit=500').expect(200)).body.items;
    expect(audits.some((e: { message: string }) => e.message === 'reconcile sweep (admin)')).toBe(true);
  });
});
