// Consolidation at fleet scale (issue #18): a plan over 1,000 hosts / 5,000 instances is
// computed in a worker thread while the API keeps answering, its ~2,000 steps are saved in
// multi-row INSERTs, and a plan that cannot be saved (the fleet changed while it was computed,
// or planning ran out of time) answers a clear 503 problem and leaves nothing behind.
// The fleet is inserted as rows (registering 1,000 hosts through the API would take minutes);
// plans are dry runs, so no libvirt host is contacted.
import { capabilityTraits } from '../src/hypervisor/capabilities.js';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { performance } from 'node:perf_hooks';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { ConsolidationService } from '../src/consolidation/consolidation.service.js';
import { startTestApp } from './support/test-app.js';
import { countQueries } from './support/pg-query-counter.js';
import { randomInt, seededRandom } from '../bench/lib/prng.js';

const tag = `scale${process.pid.toString(36)}${Date.now().toString(36)}`;
const HOSTS = 1_000;
const INSTANCES = 5_000;
const FLAVOURS = [
  { vcpus: 1, memoryMiB: 2048, diskGiB: 20 },
  { vcpus: 2, memoryMiB: 4096, diskGiB: 40 },
  { vcpus: 4, memoryMiB: 8192, diskGiB: 80 },
];

/** Planning is measured on hosts that migrate live, as registered QEMU/KVM hosts do (simulated ones do not). */
const LIVE_CAPABLE = capabilityTraits('qemu-kvm');

describe('consolidation at fleet scale (1,000 hosts, 5,000 instances)', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let prisma: PrismaService;
  let hostIds: string[];

  beforeAll(async () => {
    app = await startTestApp();
    http = request(app.getHttpServer());
    prisma = app.get(PrismaService);
    const random = seededRandom(18);
    const hosts = Array.from({ length: HOSTS }, (_, i) => ({
      name: `${tag}-h${i}`,
      uri: `test:///${tag}/h${i}`,
      driverKind: 'qemu_kvm' as const,
      simulated: true,
      cpus: 32,
      memoryMiB: 65536,
      diskGiB: 1000,
      cpuRatio: 4,
      traits: LIVE_CAPABLE,
    }));
    await prisma.host.createMany({ data: hosts });
    hostIds = (await prisma.host.findMany({ where: { name: { startsWith: `${tag}-h` } }, select: { id: true } })).map((h) => h.id);
    const instances = Array.from({ length: INSTANCES }, (_, i) => ({
      name: `${tag}-i${i}`,
      driverKind: 'qemu_kvm' as const,
      guestType: 'hvm',
      observedState: 'running' as const,
      hostId: hostIds[randomInt(random, 0, hostIds.length - 1)]!,
      ...FLAVOURS[randomInt(random, 0, FLAVOURS.length - 1)]!,
    }));
    for (let i = 0; i < instances.length; i += 1_000) await prisma.instance.createMany({ data: instances.slice(i, i + 1_000) });
  }, 120_000);

  afterAll(async () => {
    await prisma.consolidationPlan.deleteMany({ where: { scopeHostIds: { hasSome: hostIds } } });
    await prisma.instance.deleteMany({ where: { name: { startsWith: `${tag}-` } } });
    await prisma.host.deleteMany({ where: { name: { startsWith: `${tag}-` } } });
    await app.close();
  });

  const planOverFleet = () => http.post('/api/v1/consolidation/plans').send({ hostIds, migrationBudget: 100_000, cooldownSeconds: 0 });

  it('keeps /health/live answering in milliseconds while the plan is computed', async () => {
    let answered = false;
    const started = performance.now();
    const planning = planOverFleet().then((res) => {
      answered = true;
      return res;
    });
    const latencies: number[] = [];
    while (!answered) {
      const sent = performance.now();
      await http.get('/health/live').expect(200);
      latencies.push(performance.now() - sent);
      await new Promise((r) => setTimeout(r, 25));
    }
    const res = await planning;
    const planMs = performance.now() - started;
    // On the event loop, one probe waited for the whole plan: seen at 70 % of the request's
    // time. In the worker a probe waits at most for the main thread's own share (snapshot
    // query, save, response): seen at 12-17 %, up to 1.3 s on a loaded machine, so the bound is
    // relative rather than absolute.
    expect(Math.max(...latencies)).toBeLessThan(planMs / 3);
    // Planning took a while: many probes were answered meanwhile.
    expect(latencies.length).toBeGreaterThan(10);
    expect(res.status).toBe(201);
    expect(res.body.migrations).toBeGreaterThan(1_000);
  }, 120_000);

  it('saves a plan of thousands of steps in multi-row INSERTs of at most 1,000 steps', async () => {
    const queries = countQueries();
    let res: request.Response;
    try {
      res = await planOverFleet();
    } finally {
      queries.restore();
    }
    expect(res.status).toBe(201);
    const migrations: number = res.body.migrations;
    expect(migrations).toBeGreaterThan(1_000);
    expect(queries.count(/INSERT INTO "public"\."plan_steps"/)).toBe(Math.ceil(migrations / 1_000));
    const stored = (await http.get(`/api/v1/consolidation/plans/${res.body.id}`).expect(200)).body;
    expect(stored.steps).toHaveLength(migrations);
    expect(stored.steps.map((s: { seq: number }) => s.seq)).toEqual(Array.from({ length: migrations }, (_, i) => i));
    expect(stored.steps).toEqual(res.body.steps);
  }, 120_000);

  it('answers 503 plan-not-saved, and keeps nothing, when an instance of the plan was deleted while it was computed', async () => {
    // Two hosts of their own, one light guest each: the plan moves one of them.
    const [a, b] = await Promise.all(
      ['a', 'b'].map((n) =>
        prisma.host.create({
          data: {
            name: `${tag}-small-${n}`,
            uri: `test:///${tag}/small-${n}`,
            driverKind: 'qemu_kvm',
            simulated: true,
            cpus: 8,
            memoryMiB: 8192,
            diskGiB: 100,
            traits: LIVE_CAPABLE,
          },
        }),
      ),
    );
    for (const h of [a!, b!])
      await prisma.instance.create({
        data: {
          name: `${tag}-small-${h.name.slice(-1)}`,
          driverKind: 'qemu_kvm',
          guestType: 'hvm',
          observedState: 'running',
          hostId: h.id,
          vcpus: 1,
          memoryMiB: 512,
        },
      });
    const consolidation = app.get(ConsolidationService);
    const takeSnapshot = consolidation.snapshot.bind(consolidation);
    // The interleaving under test: both guests are deleted right after the snapshot is taken.
    consolidation.snapshot = async (ids) => {
      const snapshot = await takeSnapshot(ids);
      await prisma.instance.deleteMany({ where: { hostId: { in: [a!.id, b!.id] } } });
      return snapshot;
    };
    const plansBefore = await prisma.consolidationPlan.count();
    try {
      const res = await http.post('/api/v1/consolidation/plans').send({ hostIds: [a!.id, b!.id], cooldownSeconds: 0 });
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ type: 'https://virtfleet.dev/problems/plan-not-saved', status: 503, reason: 'fleet-changed' });
      expect(res.body.detail).toMatch(/was deleted/);
      expect(res.headers['retry-after']).toBe('1');
      expect(await prisma.consolidationPlan.count()).toBe(plansBefore);
    } finally {
      delete (consolidation as { snapshot?: unknown }).snapshot; // the prototype's again
      await prisma.host.deleteMany({ where: { id: { in: [a!.id, b!.id] } } });
    }
  });

  it('stops a plan that outlives CONSOLIDATION_PLAN_TIMEOUT_MS with a 503 that says so', async () => {
    const impatient = await startTestApp({ CONSOLIDATION_PLAN_TIMEOUT_MS: '1000' });
    try {
      const plansBefore = await prisma.consolidationPlan.count();
      const res = await request(impatient.getHttpServer())
        .post('/api/v1/consolidation/plans')
        .send({ hostIds, migrationBudget: 100_000, cooldownSeconds: 0 });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 503, reason: 'planning-timeout', timeoutMs: 1000 });
      expect(res.body.detail).toMatch(/did not finish within 1 s/);
      expect(await prisma.consolidationPlan.count()).toBe(plansBefore);
    } finally {
      await impatient.close();
    }
  }, 60_000);
});
