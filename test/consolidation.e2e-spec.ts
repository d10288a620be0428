// Consolidation end to end on two real libvirtd hosts (network namespaces on this machine):
// a plan is a dry run, execution live-migrates guests to free a host, libvirt and PostgreSQL
// agree afterwards; a forced failure mid-plan halts it cleanly; the scheduled job runs on one
// replica at a time.
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ConsolidationJob } from '../src/consolidation/consolidation.job.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { DriverRegistry } from '../src/hypervisor/driver-registry.js';
import { LibvirtConnectionPool } from '../src/hypervisor/libvirt/libvirt-connection-pool.js';
import { startTestApp } from './support/test-app.js';
import { waitForOperation } from './support/api.js';
import { describeWithLibvirtd } from './support/libvirtd.js';
import { LVHOST_URIS } from './support/lvhosts.js';
import { ensureHost } from './support/shared-hosts.js';

const [H4, H5] = [LVHOST_URIS[3]!, LVHOST_URIS[4]!];
const tag = `k${process.pid.toString(36)}${Date.now().toString(36)}`;

describeWithLibvirtd('consolidation on real libvirtd hosts', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let h4: string;
  let h5: string;
  const pool = new LibvirtConnectionPool(30_000);
  const qemu = new DriverRegistry(pool).get('qemu-kvm');
  const created: string[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    http = request(app.getHttpServer());
    const hostFor = async (uri: string, name: string) => {
      const { id, registered } = await ensureHost(http, uri, 'qemu-kvm', { name });
      const existing = (await http.get(`/api/v1/hosts/${id}`).expect(200)).body;
      if (!registered && existing.state !== 'enabled')
        await http.post(`/api/v1/hosts/${id}/maintenance`).send({ enabled: false }).expect(200);
      return id;
    };
    h4 = await hostFor(H4, `${tag}-h4`);
    h5 = await hostFor(H5, `${tag}-h5`);
  });

  afterAll(async () => {
    for (const id of created) {
      const del = await http.delete(`/api/v1/instances/${id}`);
      if (del.status === 202) await waitForOperation(http, del.body.operationId);
    }
    await app.close();
    await pool.closeAll();
  });

  async function runningOn(hostId: string, name: string): Promise<string> {
    const r = await http
      .post('/api/v1/instances')
      .send({ name: `${tag}-${name}`, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 64, boot: { guestType: 'hvm' }, hostId })
      .expect(202);
    expect((await waitForOperation(http, r.body.operationId)).status).toBe('succeeded');
    created.push(r.body.instance.id);
    return r.body.instance.id;
  }

  async function settled(planId: string) {
    for (;;) {
      const p = (await http.get(`/api/v1/consolidation/plans/${planId}`).expect(200)).body;
      if (!['executing', 'aborting'].includes(p.status)) return p;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  const where = async (id: string, name: string) => ({
    h4: (await qemu.observe(H4, { instanceId: id, name })).state,
    h5: (await qemu.observe(H5, { instanceId: id, name })).state,
  });

  it('plans as a dry run, then frees a host by live migration; libvirt and PostgreSQL agree', async () => {
    const a = await runningOn(h4, 'a');
    await runningOn(h5, 'b');
    await runningOn(h5, 'c');
    const plan = (
      await http
        .post('/api/v1/consolidation/plans')
        .send({ hostIds: [h4, h5], cooldownSeconds: 0 })
        .expect(201)
    ).body;
    expect(plan).toMatchObject({ status: 'proposed', hostsBefore: 2, hostsAfter: 1, lowerBound: 1, freedHostIds: [h4], migrations: 1 });
    expect(plan.steps).toEqual([expect.objectContaining({ instanceId: a, fromHostId: h4, toHostId: h5, mode: 'live', status: 'pending' })]);
    // A dry run moves nothing.
    expect(await where(a, `${tag}-a`)).toEqual({ h4: 'running', h5: 'missing' });

    await http.post(`/api/v1/consolidation/plans/${plan.id}/execute`).expect(202);
    const done = await settled(plan.id);
    expect(done).toMatchObject({ status: 'completed', progress: 100 });
    expect(done.steps[0]).toMatchObject({ status: 'succeeded' });
    expect(await where(a, `${tag}-a`)).toEqual({ h4: 'missing', h5: 'running' });
    expect((await http.get(`/api/v1/instances/${a}`).expect(200)).body).toMatchObject({ hostId: h5, observedState: 'running' });
    expect((await http.get(`/api/v1/hosts/${h4}`).expect(200)).body).toMatchObject({ state: 'standby', instanceCount: 0 });
    await http.post(`/api/v1/consolidation/plans/${plan.id}/execute`).expect(409);
  }, 180_000);

  it('a failed step halts the plan and leaves every instance on exactly one host, as recorded', async () => {
    await http.post(`/api/v1/hosts/${h4}/maintenance`).send({ enabled: false }).expect(200);
    const d = await runningOn(h4, 'd');
    const plan = (
      await http
        .post('/api/v1/consolidation/plans')
        .send({ hostIds: [h4, h5], cooldownSeconds: 0 })
        .expect(201)
    ).body;
    expect(plan.steps.map((s: { instanceId: string }) => s.instanceId)).toEqual([d]);
    // The target goes into maintenance between planning and execution: the step is refused.
    await http.post(`/api/v1/hosts/${h5}/maintenance`).send({ enabled: true }).expect(200);
    try {
      await http.post(`/api/v1/consolidation/plans/${plan.id}/execute`).expect(202);
      const done = await settled(plan.id);
      expect(done.status).toBe('failed');
      expect(done.steps[0].status).toBe('failed');
      expect(JSON.stringify(done.steps[0].error)).toMatch(/no valid host|host-state/);
    } finally {
      await http.post(`/api/v1/hosts/${h5}/maintenance`).send({ enabled: false }).expect(200);
    }
    expect(await where(d, `${tag}-d`)).toEqual({ h4: 'running', h5: 'missing' });
    expect((await http.get(`/api/v1/instances/${d}`).expect(200)).body).toMatchObject({ hostId: h4, observedState: 'running', task: null });
    expect((await http.get(`/api/v1/hosts/${h4}`).expect(200)).body.state).toBe('enabled');
  }, 180_000);

  it('aborts a proposed plan', async () => {
    const plan = (
      await http
        .post('/api/v1/consolidation/plans')
        .send({ hostIds: [h4, h5], cooldownSeconds: 0 })
        .expect(201)
    ).body;
    const aborted = (await http.post(`/api/v1/consolidation/plans/${plan.id}/abort`).expect(202)).body;
    expect(aborted.status).toBe('aborted');
    expect(aborted.steps.every((s: { status: string }) => s.status === 'skipped')).toBe(true);
  });

  it('a plan whose executor died is ended as failed, and no longer blocks the scheduled job', async () => {
    const prisma = app.get(PrismaService);
    // As a crashed replica leaves it: executing, run by a process that holds no liveness lock.
    const orphan = await prisma.consolidationPlan.create({
      data: {
        status: 'executing',
        trigger: 'api',
        policy: {},
        hostsBefore: 2,
        hostsAfter: 1,
        lowerBound: 1,
        memoryToMoveMiB: 64,
        actor: 'test',
        runner: `gone-${tag}`,
        startedAt: new Date(),
      },
    });
    const outcome = await app.get(ConsolidationJob).runOnce();
    expect(outcome.ran).toBe(true);
    const ended = (await http.get(`/api/v1/consolidation/plans/${orphan.id}`).expect(200)).body;
    expect(ended).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/process executing this plan is gone/) } });
    await http.post(`/api/v1/consolidation/plans/${(outcome as { planId: string }).planId}/abort`).expect(202);
  });

  it('the scheduled job runs on one replica at a time', async () => {
    const job = app.get(ConsolidationJob);
    const [x, y] = await Promise.all([job.runOnce(), job.runOnce()]);
    const ran = [x, y].filter((o) => o.ran);
    expect(ran).toHaveLength(1);
    expect([x, y].find((o) => !o.ran)).toMatchObject({ why: 'another replica holds the lock' });
    // Not auto-executing by default: the plan waits for approval.
    const planId = (ran[0] as { planId: string }).planId;
    const plan = (await http.get(`/api/v1/consolidation/plans/${planId}`).expect(200)).body;
    expect(plan).toMatchObject({ status: 'proposed', trigger: 'schedule', actor: 'scheduler' });
    await http.post(`/api/v1/consolidation/plans/${planId}/abort`).expect(202);
  });
});
