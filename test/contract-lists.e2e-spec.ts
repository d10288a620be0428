// The API contract on real PostgreSQL: every list pages with one opaque keyset cursor (each row
// exactly once, a bad cursor is 400), ETags are ours (never Express's hash, also on an
// idempotent replay), pinning to an unknown host is 404, operations can be listed and a
// finished one cannot be cancelled.
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { expectProblem, waitForOperation } from './support/api.js';
import { simulatedHostUri } from './support/simulated-hosts.js';
import { startTestApp } from './support/test-app.js';

const tag = `cl${process.pid.toString(36)}${Date.now().toString(36)}`;

describe('the API contract: lists, ETags, unknown hosts, operations', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const hostIds: string[] = [];
  const instanceIds: string[] = [];
  const operationIds: string[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    http = request(app.getHttpServer());
    for (let n = 0; n < 3; n++) {
      hostIds.push(
        (
          await http
            .post('/api/v1/hosts')
            .send({ name: `${tag}-h${n}`, uri: simulatedHostUri(), driverKind: 'qemu-kvm' })
            .expect(201)
        ).body.id,
      );
    }
    for (let n = 0; n < 5; n++) {
      const created = await http
        .post('/api/v1/instances')
        .send({
          name: `${tag}-vm${n}`,
          driverKind: 'qemu-kvm',
          vcpus: 1,
          memoryMiB: 64,
          boot: { guestType: 'hvm' },
          hostId: hostIds[n % 3],
        })
        .expect(202);
      instanceIds.push(created.body.instance.id);
      operationIds.push(created.body.operationId);
    }
    for (const id of operationIds) expect((await waitForOperation(http, id)).status).toBe('succeeded');
  }, 120_000);

  afterAll(async () => {
    for (const id of instanceIds) {
      const del = await http.delete(`/api/v1/instances/${id}`);
      if (del.status === 202) await waitForOperation(http, del.body.operationId).catch(() => undefined);
    }
    await app.close();
  });

  /** Every item of `path` (with `query`), walking pages of `limit`. */
  const walk = async (path: string, query: Record<string, string>, limit: number): Promise<Array<{ id: string }>> => {
    const seen: Array<{ id: string }> = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20_000; pages++) {
      const res: request.Response = await http
        .get(path)
        .query({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) })
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (cursor === null) return seen;
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    throw new Error('too many pages');
  };

  /**
   * No row twice, and every row that was there before the walk and still is after it (other
   * suites sharing the database add and remove rows meanwhile) is in it.
   */
  const expectEachOnce = (items: Array<{ id: string }>, before: Array<{ id: string }>, after: Array<{ id: string }>) => {
    const ids = items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const still = new Set(after.map((i) => i.id));
    const stable = before.map((i) => i.id).filter((id) => still.has(id));
    const seen = new Set(ids);
    expect(stable.filter((id) => !seen.has(id))).toEqual([]);
  };

  it('walks every list with a small limit and gets every row exactly once', async () => {
    for (let n = 0; n < 3; n++)
      await http
        .post('/api/v1/api-keys')
        .send({ name: `${tag}-k${n}`, role: 'viewer' })
        .expect(201);
    for (let n = 0; n < 3; n++) await http.post('/api/v1/consolidation/plans').send({ hostIds }).expect(201);
    for (const [path, query] of [
      ['/api/v1/hosts', {}],
      ['/api/v1/instances', {}],
      ['/api/v1/events', {}],
      ['/api/v1/events', { order: 'asc' }],
      ['/api/v1/events', { order: 'desc' }],
      ['/api/v1/operations', {}],
      ['/api/v1/api-keys', {}],
      ['/api/v1/consolidation/plans', {}],
    ] as const) {
      // The reference: pages as big as allowed; then small pages (2, or a few dozen where other
      // suites sharing the database left thousands of rows) must give the same rows.
      const all = await walk(path, query, 200);
      expect(all.length).toBeGreaterThan(2);
      const paged = await walk(path, query, all.length > 200 ? 37 : 2);
      expectEachOnce(paged, all, await walk(path, query, 200));
    }
  }, 60_000);

  it('pages keep their order: events newest first by default, ascending with order=asc or after', async () => {
    const desc = (await http.get('/api/v1/events').query({ limit: '20' }).expect(200)).body.items.map((e: { id: string }) => BigInt(e.id));
    expect(desc).toEqual([...desc].sort((a, b) => (a < b ? 1 : -1)));
    const asc = (await http.get('/api/v1/events').query({ limit: '20', order: 'asc' }).expect(200)).body.items.map((e: { id: string }) =>
      BigInt(e.id),
    );
    expect(asc).toEqual([...asc].sort((a, b) => (a < b ? -1 : 1)));
    const after = (
      await http
        .get('/api/v1/events')
        .query({ limit: '5', after: String(asc[2]) })
        .expect(200)
    ).body.items.map((e: { id: string }) => BigInt(e.id));
    expect(after).toEqual(asc.slice(3, 8));
  });

  it('a page of a filtered list stays in its filter', async () => {
    const mine = await walk('/api/v1/instances', { hostId: hostIds[0]! }, 1);
    expect(mine.map((i) => i.id).sort()).toEqual([instanceIds[0], instanceIds[3]].sort());
    const ops = await walk('/api/v1/operations', { targetId: instanceIds[1]! }, 1);
    expect(ops.map((o) => o.id)).toEqual([operationIds[1]]);
    expect((await walk('/api/v1/operations', { instanceId: instanceIds[1]! }, 1)).map((o) => o.id)).toEqual([operationIds[1]]);
  });

  it('a bad cursor is a 400 problem, not a 500', async () => {
    const page = (await http.get('/api/v1/hosts').query({ limit: '1' }).expect(200)).body;
    for (const [path, cursor] of [
      ['/api/v1/hosts', 'not-a-cursor'],
      ['/api/v1/hosts', Buffer.from('{"broken').toString('base64url')],
      ['/api/v1/hosts', Buffer.from(JSON.stringify({ v: 1, k: [{}] })).toString('base64url')],
      ['/api/v1/instances', page.nextCursor], // a hosts cursor on another list
      ['/api/v1/events', page.nextCursor],
      ['/api/v1/operations', page.nextCursor],
      ['/api/v1/api-keys', '%%%'],
      ['/api/v1/consolidation/plans', Buffer.from(JSON.stringify(['x'])).toString('base64url')],
      ['/api/v1/events', 'x'.repeat(2000)],
      ['/api/v1/events', Buffer.from(JSON.stringify({ l: 'events', o: 'desc', k: ['9999999999999999999'] })).toString('base64url')],
    ] as const) {
      const problem = expectProblem(await http.get(path).query({ cursor }), 400);
      expect(JSON.stringify([problem.detail, problem.errors])).toMatch(/cursor/);
    }
  });

  it('lists operations filtered by status, kind and target', async () => {
    const created = await walk('/api/v1/operations', { kind: 'create', status: 'succeeded', targetType: 'instance' }, 3);
    expect(created.map((o) => o.id)).toEqual(expect.arrayContaining(operationIds));
    expect(created.every((o) => (o as unknown as { kind: string }).kind === 'create')).toBe(true);
    expectProblem(await http.get('/api/v1/operations').query({ status: 'sleeping' }), 400);
  });

  it('cancelling a finished operation is 409; an unknown one is 404', async () => {
    const problem = expectProblem(await http.post(`/api/v1/operations/${operationIds[0]}/cancel`), 409);
    expect(String(problem.detail)).toMatch(/succeeded/);
    expectProblem(await http.post(`/api/v1/operations/${randomUUID()}/cancel`), 404);
  });

  it('cancelling a pending operation ends it aborted before it starts and undoes its task', async () => {
    // A pending migration as act() leaves it while the worker waits for a slot: task set, the
    // target's reservation held. No worker runs it here, so it stays pending until cancelled.
    const prisma = app.get(PrismaService);
    const id = instanceIds[2]!;
    const vm = await prisma.instance.findUniqueOrThrow({ where: { id } });
    const target = hostIds.find((h) => h !== vm.hostId)!;
    const op = await prisma.$transaction(async (tx) => {
      const created = await tx.operation.create({
        data: {
          kind: 'migrate',
          targetType: 'instance',
          targetId: id,
          actor: 'test',
          deadline: new Date(Date.now() + 60_000),
          result: { fromHostId: vm.hostId, toHostId: target, mode: 'cold' },
        },
      });
      await tx.instance.update({ where: { id }, data: { task: 'migrating', taskOperationId: created.id, taskDeadline: created.deadline } });
      await tx.allocation.create({
        data: { instanceId: id, hostId: target, vcpus: vm.vcpus, memoryMiB: vm.memoryMiB, diskGiB: vm.diskGiB },
      });
      return created;
    });
    const cancelled = await http.post(`/api/v1/operations/${op.id}/cancel`).expect(202);
    expect(cancelled.body).toMatchObject({ id: op.id, status: 'aborted' });
    expect(await prisma.instance.findUniqueOrThrow({ where: { id } })).toMatchObject({
      task: null,
      taskOperationId: null,
      hostId: vm.hostId,
      desiredState: 'running',
    });
    expect((await prisma.allocation.findMany({ where: { instanceId: id } })).map((a) => a.hostId)).toEqual([vm.hostId]);
    expectProblem(await http.post(`/api/v1/operations/${op.id}/cancel`), 409);
    // The instance takes new work again.
    const stop = await http.post(`/api/v1/instances/${id}/force-stop`).expect(202);
    expect((await waitForOperation(http, stop.body.operationId)).status).toBe('succeeded');
  });

  it('a running operation that cannot be taken back answers 409 with the reason', async () => {
    const prisma = app.get(PrismaService);
    const op = await prisma.operation.create({
      data: {
        kind: 'create',
        targetType: 'instance',
        targetId: randomUUID(),
        actor: 'test',
        status: 'running',
        startedAt: new Date(),
        deadline: new Date(Date.now() + 60_000),
      },
    });
    const problem = expectProblem(await http.post(`/api/v1/operations/${op.id}/cancel`), 409);
    expect(String(problem.detail)).toMatch(/create.*cannot be cancelled while running/);
    expect((await http.get(`/api/v1/operations/${op.id}`).expect(200)).body.status).toBe('running');
    await prisma.operation.update({ where: { id: op.id }, data: { status: 'failed', finishedAt: new Date() } });
  });

  it('a PATCH with the ETag a GET returned works, for hosts and instances', async () => {
    const host = await http.get(`/api/v1/hosts/${hostIds[0]}`).expect(200);
    expect(host.headers.etag).toBe(`W/"${host.body.version}"`);
    await http
      .patch(`/api/v1/hosts/${hostIds[0]}`)
      .set('If-Match', host.headers.etag)
      .send({ labels: { suite: tag } })
      .expect(200);
    const vm = await http.get(`/api/v1/instances/${instanceIds[0]}`).expect(200);
    expect(vm.headers.etag).toBe(`W/"${vm.body.version}"`);
    await http
      .patch(`/api/v1/instances/${instanceIds[0]}`)
      .set('If-Match', vm.headers.etag)
      .send({ labels: { suite: tag } })
      .expect(200);
    // Lists carry no ETag of Express's making either.
    expect((await http.get('/api/v1/hosts').expect(200)).headers.etag).toBeUndefined();
  });

  it('a GET with If-None-Match naming the current version is a documented 304; a stale one gets the resource', async () => {
    for (const path of [`/api/v1/hosts/${hostIds[0]}`, `/api/v1/instances/${instanceIds[0]}`]) {
      const first = await http.get(path).expect(200);
      const again = await http.get(path).set('If-None-Match', first.headers.etag).expect(304);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.text ?? '').toBe('');
      await http.get(path).set('If-None-Match', 'W/"0"').expect(200);
    }
  });

  it("an Idempotency-Key replay answers our version ETag, never Express's hash, and it works with If-Match", async () => {
    const body = { name: `${tag}-idem`, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 64, boot: { guestType: 'hvm' }, hostId: hostIds[1] };
    const first = await http.post('/api/v1/instances').set('Idempotency-Key', `${tag}-idem`).send(body).expect(202);
    instanceIds.push(first.body.instance.id);
    await waitForOperation(http, first.body.operationId);
    const replay = await http.post('/api/v1/instances').set('Idempotency-Key', `${tag}-idem`).send(body).expect(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers.etag).toBe(first.headers.etag);
    expect(replay.headers.location).toBe(first.headers.location);
    // The replayed ETag names the version the replayed body shows.
    expect(replay.headers.etag).toBe(`W/"${replay.body.instance.version}"`);
    const fresh = await http.get(`/api/v1/instances/${first.body.instance.id}`).expect(200);
    await http
      .patch(`/api/v1/instances/${first.body.instance.id}`)
      .set('If-Match', fresh.headers.etag)
      .send({ labels: { suite: tag } })
      .expect(200);
  });

  it('pinning to an unknown host is 404 for create, migrate and placement preview', async () => {
    const ghost = randomUUID();
    const create = expectProblem(
      await http
        .post('/api/v1/instances')
        .send({ name: `${tag}-ghost`, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 64, boot: { guestType: 'hvm' }, hostId: ghost }),
      404,
    );
    expect(String(create.detail)).toContain(ghost);
    const migrate = expectProblem(
      await http.post(`/api/v1/instances/${instanceIds[0]}/migrate`).send({ mode: 'cold', targetHostId: ghost }),
      404,
    );
    expect(String(migrate.detail)).toContain(ghost);
    const preview = expectProblem(
      await http
        .post('/api/v1/placement/preview')
        .send({ driverKind: 'qemu-kvm', guestType: 'hvm', vcpus: 1, memoryMiB: 64, hostId: ghost }),
      404,
    );
    expect(String(preview.detail)).toContain(ghost);
    // Nothing was left behind by the refused create.
    expect(
      (await http.get('/api/v1/instances').query({ limit: '200' }).expect(200)).body.items.filter(
        (i: { name: string }) => i.name === `${tag}-ghost`,
      ),
    ).toEqual([]);
  });
});
