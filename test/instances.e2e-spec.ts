// Instance lifecycle through the HTTP API on simulated hosts (libvirt's test driver, one node
// file per host) and real PostgreSQL.
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { startTestApp } from './support/test-app.js';
import { simulatedHostUri } from './support/simulated-hosts.js';
import { expectProblem, waitForOperation } from './support/api.js';

const tag = `i${process.pid.toString(36)}${Date.now().toString(36)}`;
const vm = (name: string, extra: Record<string, unknown> = {}) => ({
  name: `${tag}-${name}`,
  driverKind: 'qemu-kvm',
  vcpus: 1,
  memoryMiB: 256,
  boot: { guestType: 'hvm' },
  labels: { suite: tag },
  ...extra,
});

describe('instances API', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let hostA: string;
  let hostB: string;

  beforeAll(async () => {
    app = await startTestApp();
    http = request(app.getHttpServer());
    const a = await http
      .post('/api/v1/hosts')
      .send({
        name: `${tag}-a`,
        uri: simulatedHostUri({ cpus: 8, memoryMiB: 8192 }),
        driverKind: 'qemu-kvm',
        cpuRatio: 1,
        labels: { suite: tag, zone: 'a' },
      })
      .expect(201);
    const b = await http
      .post('/api/v1/hosts')
      .send({
        name: `${tag}-b`,
        uri: simulatedHostUri({ cpus: 8, memoryMiB: 8192 }),
        driverKind: 'qemu-kvm',
        cpuRatio: 1,
        labels: { suite: tag, zone: 'b' },
      })
      .expect(201);
    hostA = a.body.id;
    hostB = b.body.id;
  });

  afterAll(async () => {
    await app.close();
  });

  async function createRunning(name: string, extra: Record<string, unknown> = {}) {
    const res = await http
      .post('/api/v1/instances')
      .send(vm(name, { requiredHostLabels: { suite: tag }, ...extra }))
      .expect(202);
    const op = await waitForOperation(http, res.body.operationId);
    expect(op.status).toBe('succeeded');
    return (await http.get(`/api/v1/instances/${res.body.instance.id}`).expect(200)).body;
  }

  it('creates an instance: 202 with an operation, then running on a placed host', async () => {
    const res = await http
      .post('/api/v1/instances')
      .send(vm('web', { requiredHostLabels: { suite: tag } }))
      .expect(202);
    expect(res.headers.location).toBe(`/api/v1/operations/${res.body.operationId}`);
    expect(res.body.instance).toMatchObject({ task: 'creating', desiredState: 'running' });
    expect([hostA, hostB]).toContain(res.body.instance.hostId);
    const op = await waitForOperation(http, res.body.operationId);
    expect(op).toMatchObject({ status: 'succeeded', progress: 100, kind: 'create' });
    const got = await http.get(`/api/v1/instances/${res.body.instance.id}`).expect(200);
    expect(got.body).toMatchObject({ observedState: 'running', task: null });
    const host = await http.get(`/api/v1/hosts/${got.body.hostId}`).expect(200);
    expect(host.body.allocated.vcpus).toBeGreaterThanOrEqual(1);
  });

  it('refuses a second instance with a taken name with 409, and writes nothing for it', async () => {
    const first = await http
      .post('/api/v1/instances')
      .send(vm('twin', { requiredHostLabels: { suite: tag }, start: false }))
      .expect(202);
    const again = await http.post('/api/v1/instances').send(vm('twin', { requiredHostLabels: { suite: tag }, start: false }));
    expectProblem(again, 409);
    expect(again.body.title).toMatch(/unique value is already taken/);
    await waitForOperation(http, first.body.operationId);
    const named = (await http.get(`/api/v1/instances?name=${tag}-twin`).expect(200)).body.items;
    expect(named.map((i: { id: string }) => i.id)).toEqual([first.body.instance.id]);
    const created = await app
      .get(PrismaService)
      .event.count({ where: { kind: 'instance.created', message: { startsWith: `instance ${tag}-twin ` } } });
    expect(created).toBe(1);
    const host = (await http.get(`/api/v1/hosts/${first.body.instance.hostId}`).expect(200)).body;
    const mine = (await http.get(`/api/v1/instances?hostId=${host.id}&limit=200`).expect(200)).body.items;
    expect(host.allocated.vcpus).toBe(mine.reduce((sum: number, i: { vcpus: number }) => sum + i.vcpus, 0));
    await http.delete(`/api/v1/instances/${first.body.instance.id}`).expect(202);
  });

  it('walks the lifecycle: suspend, resume, stop, start, reboot, force-stop, delete', async () => {
    const i = await createRunning('life');
    const step = async (action: string, body: object, expected: string) => {
      const r = await http.post(`/api/v1/instances/${i.id}/${action}`).send(body).expect(202);
      const op = await waitForOperation(http, r.body.operationId);
      expect({ action, status: op.status, error: op.error }).toEqual({ action, status: 'succeeded', error: null });
      expect((await http.get(`/api/v1/instances/${i.id}`)).body.observedState).toBe(expected);
    };
    await step('suspend', {}, 'paused');
    await step('resume', {}, 'running');
    await step('stop', { timeoutSeconds: 5 }, 'shutoff');
    await step('start', {}, 'running');
    await step('reboot', {}, 'running');
    await step('force-stop', {}, 'shutoff');
    const del = await http.delete(`/api/v1/instances/${i.id}`).expect(202);
    expect((await waitForOperation(http, del.body.operationId)).status).toBe('succeeded');
    expectProblem(await http.get(`/api/v1/instances/${i.id}`), 404);
    const host = await http.get(`/api/v1/hosts/${i.hostId}`).expect(200);
    expect(host.body.instanceCount).toBeGreaterThanOrEqual(0);
  });

  it('answers an illegal transition with 409 naming the current state', async () => {
    const i = await createRunning('illegal');
    const body = expectProblem(await http.post(`/api/v1/instances/${i.id}/resume`).send({}), 409);
    expect(body.currentState).toBe('running');
    expect(String(body.detail)).toMatch(/it is running; resume needs paused/);
  });

  it('lets exactly one of many concurrent actions on one instance win; the rest get 409', async () => {
    const i = await createRunning('race');
    const results = await Promise.all(Array.from({ length: 8 }, () => http.post(`/api/v1/instances/${i.id}/force-stop`).send({})));
    expect(results.filter((r) => r.status === 202)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 202)) expectProblem(r, 409);
    await waitForOperation(http, results.find((r) => r.status === 202)!.body.operationId);
  });

  it('rejects invalid boot specs with 400 naming the field, and writes nothing', async () => {
    const cases = [
      vm('bad1', { boot: { guestType: 'container', init: '/bin/sh' } }),
      vm('bad2', { boot: { guestType: 'hvm', disks: [{ path: 'relative.img', format: 'raw', bus: 'virtio' }] } }),
      vm('bad3', { boot: { guestType: 'hvm', bogus: 1 } }),
      vm('bad4', { vcpus: 0 }),
      vm('bad5', { name: 'x'.repeat(64) }),
      vm('bad6', {
        boot: { guestType: 'hvm', disks: [{ path: '/var/lib/libvirt/images/../../../dev/sda', format: 'raw', bus: 'virtio' }] },
      }),
      vm('bad7', { boot: { guestType: 'hvm', disks: [null] } }),
      vm('bad8', { boot: { guestType: 'hvm', emulator: '/tmp/evil' } }),
    ];
    for (const body of cases) expectProblem(await http.post('/api/v1/instances').send(body), 400);
    // Plainly spelt, but no volume of an allowed storage pool on the host: only the host can tell (422).
    const sda = expectProblem(
      await http.post('/api/v1/instances').send(
        vm('bad9', {
          requiredHostLabels: { suite: tag },
          boot: { guestType: 'hvm', disks: [{ path: '/dev/sda', format: 'raw', bus: 'virtio' }] },
        }),
      ),
      422,
    );
    expect(sda.errors).toEqual([expect.objectContaining({ path: 'boot.disks[0].path' })]);
    const list = await http.get(`/api/v1/instances?limit=200`).expect(200);
    expect(list.body.items.some((x: { name: string }) => /-bad\d$/.test(x.name))).toBe(false);
  });

  it('explains "no valid host" with per-filter rejection counts (409)', async () => {
    const body = expectProblem(
      await http.post('/api/v1/instances').send(vm('huge', { vcpus: 64, requiredHostLabels: { suite: tag } })),
      409,
    );
    expect(body.type).toBe('https://virtfleet.dev/problems/no-valid-host');
    const rejections = body.rejections as Array<{ filter: string; count: number }>;
    expect(rejections.find((r) => r.filter === 'capacity')?.count).toBe(2);
    expect(String(body.detail)).toMatch(/capacity/);
  });

  it('previews placement without claiming anything', async () => {
    const res = await http
      .post('/api/v1/placement/preview')
      .send({ driverKind: 'qemu-kvm', guestType: 'hvm', vcpus: 1, memoryMiB: 128, requiredHostLabels: { suite: tag, zone: 'b' } })
      .expect(200);
    expect(res.body.chosen).toBe(hostB);
    expect(res.body.candidates[0]).toMatchObject({ hostId: hostB });
    expect(res.body.rejections.find((r: { filter: string }) => r.filter === 'labels').count).toBeGreaterThanOrEqual(1);
  });

  it('pins to a host, and keeps hard anti-affinity across hosts', async () => {
    const pinned = await createRunning('pinned', { hostId: hostB });
    expect(pinned.hostId).toBe(hostB);
    const g = { name: `${tag}-g`, policy: 'anti-affinity' };
    const one = await createRunning('aa1', { placementGroup: g });
    const two = await createRunning('aa2', { placementGroup: g });
    expect(one.hostId).not.toBe(two.hostId);
    const third = expectProblem(
      await http.post('/api/v1/instances').send(vm('aa3', { placementGroup: g, requiredHostLabels: { suite: tag } })),
      409,
    );
    expect(JSON.stringify(third.rejections)).toMatch(/anti-affinity/);
  });

  it('counts a group member that is moving on its target too (its reservation), so hard anti-affinity holds mid-migration', async () => {
    const g = { name: `${tag}-moving`, policy: 'anti-affinity' };
    const member = await createRunning('moving1', { placementGroup: g, hostId: hostA });
    // As a migration leaves it while the guest moves: still on A, capacity reserved on B.
    const prisma = app.get(PrismaService);
    await prisma.allocation.create({
      data: { instanceId: member.id, hostId: hostB, vcpus: member.vcpus, memoryMiB: member.memoryMiB, diskGiB: member.diskGiB },
    });
    try {
      const refused = expectProblem(
        await http.post('/api/v1/instances').send(vm('moving2', { placementGroup: g, requiredHostLabels: { suite: tag } })),
        409,
      );
      expect(refused.rejections).toEqual(expect.arrayContaining([expect.objectContaining({ filter: 'anti-affinity', count: 2 })]));
    } finally {
      await prisma.allocation.delete({ where: { instanceId_hostId: { instanceId: member.id, hostId: hostB } } });
    }
  });

  it('cold-migrates between simulated hosts (the test driver cannot live-migrate)', async () => {
    const i = await createRunning('mover', { hostId: hostA });
    const live = expectProblem(await http.post(`/api/v1/instances/${i.id}/migrate`).send({ mode: 'live', targetHostId: hostB }), 409);
    expect(JSON.stringify(live.rejections)).toMatch(/capabilities/);
    const r = await http.post(`/api/v1/instances/${i.id}/migrate`).send({ mode: 'cold', targetHostId: hostB }).expect(202);
    const op = await waitForOperation(http, r.body.operationId);
    expect(op.status).toBe('succeeded');
    const after = (await http.get(`/api/v1/instances/${i.id}`).expect(200)).body;
    expect(after).toMatchObject({ hostId: hostB, observedState: 'running' });
    expect(after.lastMigratedAt).not.toBeNull();
  });

  it('resizes only when shut off; If-Match guards it', async () => {
    const i = await createRunning('grow');
    expectProblem(await http.patch(`/api/v1/instances/${i.id}`).send({ vcpus: 2 }), 409);
    const stop = await http.post(`/api/v1/instances/${i.id}/force-stop`).send({}).expect(202);
    await waitForOperation(http, stop.body.operationId);
    const cur = await http.get(`/api/v1/instances/${i.id}`).expect(200);
    expectProblem(await http.patch(`/api/v1/instances/${i.id}`).set('If-Match', 'W/"1"').send({ vcpus: 2 }), 412);
    const ok = await http
      .patch(`/api/v1/instances/${i.id}`)
      .set('If-Match', cur.headers.etag)
      .send({ vcpus: 2, memoryMiB: 512 })
      .expect(200);
    expect(ok.body).toMatchObject({ vcpus: 2, memoryMiB: 512 });
  });
});

describe('Idempotency-Key', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let hostId: string;
  const t = `${tag}k`;

  beforeAll(async () => {
    app = await startTestApp();
    http = request(app.getHttpServer());
    hostId = (
      await http
        .post('/api/v1/hosts')
        .send({ name: `${t}-h`, uri: simulatedHostUri(), driverKind: 'qemu-kvm' })
        .expect(201)
    ).body.id;
  });

  afterAll(async () => {
    await app.close();
  });

  it('replays the first answer for a retried create instead of creating twice', async () => {
    const body = { name: `${t}-vm`, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 128, boot: { guestType: 'hvm' }, hostId };
    const first = await http.post('/api/v1/instances').set('Idempotency-Key', `${t}-create`).send(body).expect(202);
    const again = await http.post('/api/v1/instances').set('Idempotency-Key', `${t}-create`).send(body).expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.operationId).toBe(first.body.operationId);
    const list = (await http.get(`/api/v1/instances?hostId=${hostId}`).expect(200)).body.items;
    expect(list.filter((i: { name: string }) => i.name === `${t}-vm`)).toHaveLength(1);
    await waitForOperation(http, first.body.operationId);
  });

  it('refuses a key reused for a different request with 422', async () => {
    const res = await http
      .post('/api/v1/instances')
      .set('Idempotency-Key', `${t}-create`)
      .send({ name: `${t}-other`, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 128, boot: { guestType: 'hvm' }, hostId });
    expect(expectProblem(res, 422).detail).toMatch(/different request/);
  });

  it('replays actions too, and frees the key of a failed request so a retry may run', async () => {
    const vm = (await http.get(`/api/v1/instances?hostId=${hostId}`).expect(200)).body.items[0];
    const a = await http.post(`/api/v1/instances/${vm.id}/suspend`).set('Idempotency-Key', `${t}-suspend`).send({}).expect(202);
    const b = await http.post(`/api/v1/instances/${vm.id}/suspend`).set('Idempotency-Key', `${t}-suspend`).send({}).expect(202);
    expect(b.body.operationId).toBe(a.body.operationId);
    await waitForOperation(http, a.body.operationId);
    // Suspending a paused guest fails (409) and frees its key: once resumed, the same key runs.
    expect(
      String(
        expectProblem(await http.post(`/api/v1/instances/${vm.id}/suspend`).set('Idempotency-Key', `${t}-later`).send({}), 409).detail,
      ),
    ).toMatch(/it is paused/);
    const resumed = await http.post(`/api/v1/instances/${vm.id}/resume`).send({}).expect(202);
    await waitForOperation(http, resumed.body.operationId);
    const ok = await http.post(`/api/v1/instances/${vm.id}/suspend`).set('Idempotency-Key', `${t}-later`).send({}).expect(202);
    expect(ok.headers['idempotent-replayed']).toBeUndefined();
    await waitForOperation(http, ok.body.operationId);
  });
});

describe('draining a host', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const t = `${tag}d`;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp();
    http = request(app.getHttpServer());
    for (const n of ['src', 'dst']) {
      ids[n] = (
        await http
          .post('/api/v1/hosts')
          .send({ name: `${t}-${n}`, uri: simulatedHostUri(), driverKind: 'qemu-kvm', labels: { suite: t } })
          .expect(201)
      ).body.id;
    }
  });

  afterAll(async () => {
    await app.close();
  });

  it('moves every instance off (cold on simulated hosts) and keeps new placements away', async () => {
    const created = [];
    for (const n of ['one', 'two']) {
      const r = await http
        .post('/api/v1/instances')
        .send({ name: `${t}-${n}`, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 128, boot: { guestType: 'hvm' }, hostId: ids.src })
        .expect(202);
      await waitForOperation(http, r.body.operationId);
      created.push(r.body.instance.id);
    }
    const drain = await http
      .post(`/api/v1/hosts/${ids.src}/drain`)
      .send({ policy: 'migrate', targetHostLabels: { suite: t }, allowDowntime: true })
      .expect(202);
    expect(drain.body.host.state).toBe('draining');
    expect(drain.body.refused).toEqual([]);
    expect(drain.body.started).toHaveLength(2);
    for (const s of drain.body.started) expect((await waitForOperation(http, s.operationId)).status).toBe('succeeded');
    for (const id of created)
      expect((await http.get(`/api/v1/instances/${id}`).expect(200)).body).toMatchObject({ hostId: ids.dst, observedState: 'running' });
    const preview = await http
      .post('/api/v1/placement/preview')
      .send({ driverKind: 'qemu-kvm', guestType: 'hvm', vcpus: 1, memoryMiB: 64, requiredHostLabels: { suite: t } })
      .expect(200);
    expect(preview.body.candidates.map((c: { hostId: string }) => c.hostId)).toEqual([ids.dst]);
    // Empty now: the host can be removed.
    await http.delete(`/api/v1/hosts/${ids.src}`).expect(204);
  });

  it('with policy "stop" force-stops what runs there and leaves it defined', async () => {
    const r = await http
      .post('/api/v1/instances')
      .send({ name: `${t}-stopme`, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 128, boot: { guestType: 'hvm' }, hostId: ids.dst })
      .expect(202);
    await waitForOperation(http, r.body.operationId);
    const drain = await http.post(`/api/v1/hosts/${ids.dst}/drain`).send({ policy: 'stop' }).expect(202);
    const mine = drain.body.started.find((s: { instanceId: string }) => s.instanceId === r.body.instance.id);
    expect((await waitForOperation(http, mine.operationId)).status).toBe('succeeded');
    expect((await http.get(`/api/v1/instances/${r.body.instance.id}`).expect(200)).body).toMatchObject({
      hostId: ids.dst,
      observedState: 'shutoff',
    });
  });
});
