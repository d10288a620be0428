// The create request's placement rules outlive the create: they are stored with the instance
// and every later move (migrate without a target, drain, consolidation plans) honours them.
// And a preview says what a create will do: create draws only among hosts tied for best.
// Simulated hosts (libvirt's test driver, one node file per host) and real PostgreSQL.
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startTestApp } from './support/test-app.js';
import { simulatedHostUri } from './support/simulated-hosts.js';
import { expectProblem, waitForOperation } from './support/api.js';

const tag = `pi${process.pid.toString(36)}${Date.now().toString(36)}`;
/** Placement ranks a fleet snapshot up to 500 ms old: hosts registered just now need that long to be seen. */
const snapshotAge = () => new Promise((resolve) => setTimeout(resolve, 600));

describe('placement intent', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startTestApp();
    http = request(app.getHttpServer());
  });

  afterAll(async () => {
    await app.close();
  });

  async function host(name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await http
      .post('/api/v1/hosts')
      .send({
        name: `${tag}-${name}`,
        uri: simulatedHostUri({ cpus: 8, memoryMiB: 8192 }),
        driverKind: 'qemu-kvm',
        cpuRatio: 1,
        labels,
        ...extra,
      })
      .expect(201);
    return res.body.id;
  }

  async function create(
    name: string,
    extra: Record<string, unknown>,
  ): Promise<{ id: string; hostId: string; placement: Record<string, unknown> }> {
    const res = await http
      .post('/api/v1/instances')
      .send({
        name: `${tag}-${name}`,
        driverKind: 'qemu-kvm',
        vcpus: 1,
        memoryMiB: 256,
        boot: { guestType: 'hvm' },
        start: false,
        ...extra,
      })
      .expect(202);
    expect((await waitForOperation(http, res.body.operationId)).status).toBe('succeeded');
    return res.body.instance;
  }

  const hostOf = async (id: string) => (await http.get(`/api/v1/instances/${id}`).expect(200)).body.hostId as string;
  const labelsOf = async (hostId: string) => (await http.get(`/api/v1/hosts/${hostId}`).expect(200)).body.labels as Record<string, string>;

  describe('stored placement rules', () => {
    // Rack a's host is the fullest, so pack would pick it for anything that may go there.
    const suite = `${tag}-racks`;
    let a1: string;
    let b1: string;
    let b2: string;

    beforeAll(async () => {
      a1 = await host('a1', { suite, rack: 'a' }, { traits: ['ssd'] });
      b1 = await host('b1', { suite, rack: 'b' });
      b2 = await host('b2', { suite, rack: 'b' }, { traits: ['ssd'] });
      await snapshotAge();
      await create('ballast', { hostId: a1, vcpus: 4, memoryMiB: 4096 });
    });

    it('shows the stored placement request on the instance', async () => {
      const i = await create('shown', { requiredHostLabels: { suite, rack: 'b' }, requiredHostTraits: ['ssd'], weigher: 'spread' });
      expect(i.hostId).toBe(b2);
      const got = (await http.get(`/api/v1/instances/${i.id}`).expect(200)).body;
      expect(got.placement).toEqual({
        requiredHostLabels: { suite, rack: 'b' },
        requiredHostTraits: ['ssd'],
        forbiddenHostTraits: [],
        weigher: 'spread',
        hostId: null,
      });
      const listed = (await http.get(`/api/v1/instances?hostId=${b2}`).expect(200)).body.items.find((x: { id: string }) => x.id === i.id);
      expect(listed.placement.requiredHostLabels).toEqual({ suite, rack: 'b' });
    });

    it('a drain moves an instance created with rack=b only to another rack=b host, or refuses', async () => {
      const i = await create('drained', { requiredHostLabels: { suite, rack: 'b' }, hostId: undefined });
      const from = i.hostId;
      const other = from === b1 ? b2 : b1;
      const drain = await http.post(`/api/v1/hosts/${from}/drain`).send({ policy: 'migrate', allowDowntime: true }).expect(202);
      const mine = drain.body.started.find((s: { instanceId: string }) => s.instanceId === i.id);
      expect(mine).toBeDefined();
      expect((await waitForOperation(http, mine.operationId)).status).toBe('succeeded');
      expect(await hostOf(i.id)).toBe(other);
      expect((await labelsOf(other)).rack).toBe('b');

      // Now the only other rack=b host is the drained one: the next drain must refuse, not use rack a.
      const again = await http.post(`/api/v1/hosts/${other}/drain`).send({ policy: 'migrate', allowDowntime: true }).expect(202);
      const refused = again.body.refused.find((r: { instanceId: string }) => r.instanceId === i.id);
      expect(refused?.detail).toMatch(/no valid host/);
      expect(again.body.started.map((s: { instanceId: string }) => s.instanceId)).not.toContain(i.id);
      expect(await hostOf(i.id)).toBe(other);
      for (const h of [b1, b2]) await http.post(`/api/v1/hosts/${h}/maintenance`).send({ enabled: false }).expect(200);
      await snapshotAge();
    });

    it('a migration without a target honours the stored labels and traits', async () => {
      const labelled = await create('mig-labels', { requiredHostLabels: { suite, rack: 'b' } });
      const r = await http.post(`/api/v1/instances/${labelled.id}/migrate`).send({ mode: 'cold' }).expect(202);
      expect((await waitForOperation(http, r.body.operationId)).status).toBe('succeeded');
      const landed = await hostOf(labelled.id);
      expect(landed).not.toBe(labelled.hostId);
      expect((await labelsOf(landed)).rack).toBe('b');

      // Traits: the ssd hosts are a1 and b2. Created on b2; a named target without ssd (b1) is
      // refused, and placement's own choice is a1, the only other ssd host.
      const traited = await create('mig-traits', { requiredHostLabels: { suite }, requiredHostTraits: ['ssd'], hostId: b2 });
      expect(traited.placement).toMatchObject({ hostId: b2, requiredHostTraits: ['ssd'] });
      expectProblem(await http.post(`/api/v1/instances/${traited.id}/migrate`).send({ mode: 'cold', targetHostId: b1 }), 409);
      const moved = await http.post(`/api/v1/instances/${traited.id}/migrate`).send({ mode: 'cold' }).expect(202);
      expect((await waitForOperation(http, moved.body.operationId)).status).toBe('succeeded');
      expect(await hostOf(traited.id)).toBe(a1);
    });

    it('a move may add labels but not contradict the stored ones (409)', async () => {
      const i = await create('contradict', { requiredHostLabels: { suite, rack: 'b' } });
      const res = expectProblem(
        await http.post(`/api/v1/instances/${i.id}/migrate`).send({ mode: 'cold', requiredHostLabels: { rack: 'a' } }),
        409,
      );
      expect(res.detail).toMatch(/rack=b/);
      expect(await hostOf(i.id)).toBe(i.hostId);
    });

    it('a drain moves an instance created on a named host by its other stored rules (the named host is a record, not a rule)', async () => {
      const home = await host('named-home', { suite: `${tag}-named`, rack: 'x' });
      const wrongRack = await host('named-y', { suite: `${tag}-named`, rack: 'y' });
      const rightRack = await host('named-x', { suite: `${tag}-named`, rack: 'x' });
      await snapshotAge();
      // The wrong rack's host is the fuller one: pack would take it without the stored label.
      await create('named-ballast', { hostId: wrongRack, vcpus: 4, memoryMiB: 2048 });
      const i = await create('named', { hostId: home, requiredHostLabels: { rack: 'x' } });
      expect(i.placement).toMatchObject({ hostId: home, requiredHostLabels: { rack: 'x' } });
      const drain = await http
        .post(`/api/v1/hosts/${home}/drain`)
        .send({ policy: 'migrate', targetHostLabels: { suite: `${tag}-named` }, allowDowntime: true })
        .expect(202);
      const mine = drain.body.started.find((s: { instanceId: string }) => s.instanceId === i.id);
      expect((await waitForOperation(http, mine.operationId)).status).toBe('succeeded');
      expect(await hostOf(i.id)).toBe(rightRack);
    });

    it('a consolidation plan never moves an instance to a host its stored rules exclude', async () => {
      // c1 (rack c) holds a small unconstrained instance, c2 (rack d) one that must stay in rack d.
      // Emptying c2 into c1 would free a host; the stored rule forbids it.
      const c1 = await host('c1', { suite: `${tag}-cons`, rack: 'c' });
      const c2 = await host('c2', { suite: `${tag}-cons`, rack: 'd' });
      await snapshotAge();
      await create('cons-big', { hostId: c1, vcpus: 2, memoryMiB: 2048 });
      const bound = await create('cons-bound', { requiredHostLabels: { suite: `${tag}-cons`, rack: 'd' } });
      expect(bound.hostId).toBe(c2);
      const plan = (
        await http
          .post('/api/v1/consolidation/plans')
          .send({ hostIds: [c1, c2], allowColdMigration: true })
          .expect(201)
      ).body;
      for (const step of plan.steps) {
        if (step.instanceId === bound.id) expect((await labelsOf(step.toHostId)).rack).toBe('d');
      }
      expect(plan.steps.map((s: { instanceId: string }) => s.instanceId)).not.toContain(bound.id);
    });
  });

  describe('preview predicts create', () => {
    it('sequential spread creates over equal empty hosts land on distinct hosts, round after round', async () => {
      const pool = `${tag}-spread`;
      const hosts = [];
      for (let n = 0; n < 5; n++) hosts.push(await host(`sp${n}`, { pool }));
      await snapshotAge();
      // Each round starts with the hosts equal again: every round must use every host once.
      for (let round = 0; round < 3; round++) {
        const landed = [];
        for (let n = 0; n < hosts.length; n++)
          landed.push((await create(`sp-vm${round}-${n}`, { requiredHostLabels: { pool }, weigher: 'spread' })).hostId);
        expect({ round, hosts: new Set(landed) }).toEqual({ round, hosts: new Set(hosts) });
      }
    });

    it("without a tie, preview's chosen host is create's; with a tie, create's host is in preview's tied set", async () => {
      const pool = `${tag}-pv`;
      const full = await host('pv-full', { pool });
      const empty1 = await host('pv-e1', { pool });
      const empty2 = await host('pv-e2', { pool });
      await snapshotAge();
      await create('pv-ballast', { hostId: full, vcpus: 2, memoryMiB: 1024 });
      await snapshotAge();
      const ask = { driverKind: 'qemu-kvm', guestType: 'hvm', vcpus: 1, memoryMiB: 256, requiredHostLabels: { pool } };

      // pack: the fuller host is strictly best.
      const packed = (
        await http
          .post('/api/v1/placement/preview')
          .send({ ...ask, weigher: 'pack' })
          .expect(200)
      ).body;
      expect(packed).toMatchObject({ chosen: full, tie: false, tiedHostIds: [full] });
      expect((await create('pv-pack', { requiredHostLabels: { pool }, weigher: 'pack' })).hostId).toBe(packed.chosen);

      // spread: the two empty hosts are tied.
      await snapshotAge();
      const spread = (
        await http
          .post('/api/v1/placement/preview')
          .send({ ...ask, weigher: 'spread', limit: 1 })
          .expect(200)
      ).body;
      expect(spread.tie).toBe(true);
      expect(new Set(spread.tiedHostIds)).toEqual(new Set([empty1, empty2]));
      expect(spread.tiedHostIds).toContain(spread.chosen);
      const created = await create('pv-spread', { requiredHostLabels: { pool }, weigher: 'spread' });
      expect(spread.tiedHostIds).toContain(created.hostId);

      // The tie is broken: the other empty host is now strictly best, and preview and create agree.
      await snapshotAge();
      const next = (
        await http
          .post('/api/v1/placement/preview')
          .send({ ...ask, weigher: 'spread' })
          .expect(200)
      ).body;
      const other = created.hostId === empty1 ? empty2 : empty1;
      expect(next).toMatchObject({ chosen: other, tie: false });
      expect((await create('pv-spread2', { requiredHostLabels: { pool }, weigher: 'spread' })).hostId).toBe(other);
    });
  });
});
