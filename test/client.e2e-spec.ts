// The generated TypeScript client (clients/typescript) is current, and drives the real API over
// HTTP: every endpoint in openapi/openapi.json except the SSE stream is called through it, and a
// new endpoint the client is not exercised on fails the coverage check at the end.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { createVirtfleetClient, type ProblemDetails, type VirtfleetClient } from '../clients/typescript/index.js';
import { startTestApp } from './support/test-app.js';
import { simulatedHostUri } from './support/simulated-hosts.js';

// Server-sent events are not request/response; openapi-fetch has no reader for them.
const NOT_DRIVEN_BY_CLIENT = new Set(['GET /api/v1/events/stream']);
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

const tag = `c${process.pid.toString(36)}${Date.now().toString(36)}`;

/** The response's body when its status is `status`; fails with the problem otherwise. */
function expectStatus<T>(result: { data?: T; error?: unknown; response: Response }, status: number): T {
  if (result.response.status !== status) {
    throw new Error(
      `expected ${status} from ${result.response.url}, got ${result.response.status}: ${JSON.stringify(result.error ?? result.data)}`,
    );
  }
  return result.data as T;
}

function expectProblem(result: { error?: ProblemDetails; response: Response }, status: number): ProblemDetails {
  expect(result.response.status).toBe(status);
  expect(result.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(result.error).toBeDefined();
  return result.error!;
}

describe('generated TypeScript client', () => {
  let app: INestApplication;
  let client: VirtfleetClient;
  const called = new Set<string>();
  let hostA = '';
  let hostB = '';

  beforeAll(async () => {
    app = await startTestApp();
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    client = createVirtfleetClient(`http://127.0.0.1:${port}`);
    client.use({
      onRequest({ request, schemaPath }) {
        called.add(`${request.method} ${schemaPath}`);
      },
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  async function settle(operationId: string): Promise<void> {
    const op = expectStatus(
      await client.GET('/api/v1/operations/{id}', { params: { path: { id: operationId }, query: { wait: 10 } } }),
      200,
    );
    expect(op).toMatchObject({ id: operationId, status: 'succeeded' });
  }

  it('is generated from the committed spec (scripts/generate-client.mjs --check)', () => {
    const r = spawnSync(process.execPath, ['scripts/generate-client.mjs', '--check'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).not.toContain('stale');
    expect(r.status).toBe(0);
  });

  it('reads health', async () => {
    const live = expectStatus(await client.GET('/health/live'), 200);
    expect(live.status).toBe('ok');
    // Readiness covers every host in the shared test database, some of which other suites own.
    const ready = await client.GET('/health/ready');
    if (ready.response.status === 503) expect(ready.error?.status).toBe(503);
    else expect(expectStatus(ready, 200).status).toBe('ok');
  });

  it('reads the Prometheus metrics as text', async () => {
    const metrics = expectStatus(await client.GET('/metrics', { parseAs: 'text' }), 200);
    expect(metrics).toMatch(/^# HELP virtfleet_/m);
    expect(metrics).toContain('virtfleet_placement_claims_total');
  });

  it('registers, lists, reads, updates (If-Match) and flips maintenance on hosts', async () => {
    const register = (name: string) =>
      client.POST('/api/v1/hosts', {
        body: {
          name: `${tag}-${name}`,
          uri: simulatedHostUri({ cpus: 8, memoryMiB: 8192 }),
          driverKind: 'qemu-kvm',
          labels: { suite: tag },
        },
      });
    const created = await register('a');
    hostA = expectStatus(created, 201).id;
    expect(created.response.headers.get('location')).toBe(`/api/v1/hosts/${hostA}`);
    hostB = expectStatus(await register('b'), 201).id;

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = expectStatus(
        await client.GET('/api/v1/hosts', { params: { query: { driverKind: 'qemu-kvm', limit: 200, cursor } } }),
        200,
      );
      seen.push(...page.items.map((h) => h.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && !(seen.includes(hostA) && seen.includes(hostB)));
    expect(seen).toEqual(expect.arrayContaining([hostA, hostB]));

    const got = await client.GET('/api/v1/hosts/{id}', { params: { path: { id: hostA } } });
    expect(expectStatus(got, 200)).toMatchObject({ id: hostA, state: 'enabled', simulated: true });
    const etag = got.response.headers.get('etag')!;

    const updated = await client.PATCH('/api/v1/hosts/{id}', {
      params: { path: { id: hostA }, header: { 'If-Match': etag } },
      body: { labels: { suite: tag, zone: 'a' } },
    });
    expect(expectStatus(updated, 200).labels).toEqual({ suite: tag, zone: 'a' });
    expect(updated.response.headers.get('etag')).not.toBe(etag);

    const maintenance = (enabled: boolean) =>
      client.POST('/api/v1/hosts/{id}/maintenance', { params: { path: { id: hostB } }, body: { enabled } });
    expect(expectStatus(await maintenance(true), 200).state).toBe('maintenance');
    expect(expectStatus(await maintenance(false), 200).state).toBe('enabled');

    // Several hosts in one call: one result per host, a refusal beside a success.
    const bulk = expectStatus(
      await client.POST('/api/v1/hosts/bulk', {
        body: {
          hosts: [
            { name: `${tag}-bulk`, uri: simulatedHostUri(), driverKind: 'xen' },
            { name: `${tag}-bulk-unreachable`, uri: 'qemu+tcp://127.0.0.1:1/system', driverKind: 'qemu-kvm' },
          ],
        },
      }),
      200,
    );
    expect(bulk).toMatchObject({
      registered: 1,
      failed: 1,
      results: [
        { index: 0, status: 201 },
        { index: 1, status: 422 },
      ],
    });

    // Drain an empty host: it leaves placement at once, nothing to move.
    const spare = expectStatus(
      await client.POST('/api/v1/hosts', { body: { name: `${tag}-spare`, uri: simulatedHostUri(), driverKind: 'lxc' } }),
      201,
    );
    const drained = expectStatus(
      await client.POST('/api/v1/hosts/{id}/drain', { params: { path: { id: spare.id } }, body: { policy: 'migrate' } }),
      202,
    );
    expect(drained).toMatchObject({ host: { state: 'draining' }, started: [], refused: [] });
    // Its test driver serves QEMU too: an endpoint of the same machine, added and removed.
    const both = expectStatus(
      await client.POST('/api/v1/hosts/{id}/endpoints', {
        params: { path: { id: spare.id } },
        body: { uri: spare.uri, driverKind: 'qemu-kvm' },
      }),
      201,
    );
    expect(both.endpoints.map((e) => e.driverKind)).toEqual(['lxc', 'qemu-kvm']);
    const qemuEndpoint = both.endpoints.find((e) => e.driverKind === 'qemu-kvm')!;
    const lxcOnly = expectStatus(
      await client.DELETE('/api/v1/hosts/{id}/endpoints/{endpointId}', { params: { path: { id: spare.id, endpointId: qemuEndpoint.id } } }),
      200,
    );
    expect(lxcOnly.endpoints.map((e) => e.driverKind)).toEqual(['lxc']);
    expectStatus(await client.DELETE('/api/v1/hosts/{id}', { params: { path: { id: spare.id } } }), 204);
  });

  it('types problem+json answers: 412 for a stale If-Match, 404 for an unknown host, 400 for a bad body', async () => {
    const stale = expectProblem(
      await client.PATCH('/api/v1/hosts/{id}', { params: { path: { id: hostA }, header: { 'If-Match': 'W/"1"' } }, body: { diskGiB: 10 } }),
      412,
    );
    expect(stale).toMatchObject({
      status: 412,
      type: 'https://virtfleet.dev/problems/precondition-failed',
      instance: `/api/v1/hosts/${hostA}`,
    });
    expect(stale.requestId).toEqual(expect.any(String));

    const missing = expectProblem(
      await client.GET('/api/v1/hosts/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } }),
      404,
    );
    expect(missing.title).toBe('Resource not found');

    const invalid = expectProblem(
      await client.POST('/api/v1/placement/preview', { body: { driverKind: 'qemu-kvm', guestType: 'hvm', vcpus: 0, memoryMiB: 128 } }),
      400,
    );
    expect(invalid.errors?.join(' ')).toMatch(/vcpus/);
  });

  it('creates an instance, waits on its operation, and runs it through every action and migration', async () => {
    const created = await client.POST('/api/v1/instances', {
      body: {
        name: `${tag}-vm`,
        driverKind: 'qemu-kvm',
        vcpus: 1,
        memoryMiB: 128,
        boot: { guestType: 'hvm' },
        hostId: hostA,
        labels: { suite: tag },
      },
    });
    const accepted = expectStatus(created, 202);
    expect(created.response.headers.get('location')).toBe(`/api/v1/operations/${accepted.operationId}`);
    const id = accepted.instance.id;
    await settle(accepted.operationId);

    const list = expectStatus(await client.GET('/api/v1/instances', { params: { query: { hostId: hostA } } }), 200);
    expect(list.items.map((i) => i.id)).toEqual([id]);
    const got = await client.GET('/api/v1/instances/{id}', { params: { path: { id } } });
    expect(expectStatus(got, 200)).toMatchObject({ id, hostId: hostA, observedState: 'running' });
    const relabelled = await client.PATCH('/api/v1/instances/{id}', {
      params: { path: { id }, header: { 'If-Match': got.response.headers.get('etag')! } },
      body: { labels: { suite: tag, role: 'client-test' } },
    });
    expect(expectStatus(relabelled, 200).labels).toEqual({ suite: tag, role: 'client-test' });

    const path = { params: { path: { id } } };
    await settle(expectStatus(await client.POST('/api/v1/instances/{id}/suspend', path), 202).operationId);
    await settle(expectStatus(await client.POST('/api/v1/instances/{id}/resume', path), 202).operationId);
    await settle(expectStatus(await client.POST('/api/v1/instances/{id}/reboot', path), 202).operationId);
    await settle(
      expectStatus(await client.POST('/api/v1/instances/{id}/stop', { ...path, body: { timeoutSeconds: 10 } }), 202).operationId,
    );
    await settle(expectStatus(await client.POST('/api/v1/instances/{id}/start', path), 202).operationId);
    await settle(expectStatus(await client.POST('/api/v1/instances/{id}/force-stop', path), 202).operationId);
    // The test driver cannot live-migrate; a cold move of a shut-off guest works between simulated hosts.
    await settle(
      expectStatus(await client.POST('/api/v1/instances/{id}/migrate', { ...path, body: { mode: 'cold', targetHostId: hostB } }), 202)
        .operationId,
    );
    expect(expectStatus(await client.GET('/api/v1/instances/{id}', path), 200).hostId).toBe(hostB);

    const busy = expectProblem(await client.POST('/api/v1/instances/{id}/resume', path), 409);
    expect(busy.type).toBe('https://virtfleet.dev/problems/conflict');

    // Every operation of the instance, newest first, one page at a time through the cursor.
    const kinds: string[] = [];
    let cursor: string | undefined;
    do {
      const page = expectStatus(
        await client.GET('/api/v1/operations', {
          params: { query: { targetType: 'instance', targetId: id, limit: 3, ...(cursor ? { cursor } : {}) } },
        }),
        200,
      );
      kinds.push(...page.items.map((o) => o.kind));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(kinds.reverse()).toEqual(['create', 'suspend', 'resume', 'reboot', 'stop', 'start', 'force-stop', 'migrate']);
    // A finished operation cannot be cancelled.
    const ops = expectStatus(await client.GET('/api/v1/operations', { params: { query: { targetId: id, kind: 'migrate' } } }), 200);
    const ended = expectProblem(await client.POST('/api/v1/operations/{id}/cancel', { params: { path: { id: ops.items[0]!.id } } }), 409);
    expect(ended.detail).toMatch(/succeeded/);

    await settle(expectStatus(await client.DELETE('/api/v1/instances/{id}', path), 202).operationId);
  });

  it('previews placement, lists events, sweeps the reconciler', async () => {
    const preview = expectStatus(
      await client.POST('/api/v1/placement/preview', {
        body: { driverKind: 'qemu-kvm', guestType: 'hvm', vcpus: 1, memoryMiB: 128, hostId: hostA },
      }),
      200,
    );
    expect(preview.candidates.map((c) => c.hostId)).toEqual([hostA]);

    const events = expectStatus(await client.GET('/api/v1/events', { params: { query: { hostId: hostA, limit: 200 } } }), 200);
    expect(events.items.length).toBeGreaterThan(0);
    expect(events.items.every((e) => e.hostId === hostA)).toBe(true);

    const sweep = expectStatus(await client.POST('/api/v1/reconciler/sweep', { body: { hostIds: [hostA] } }), 200);
    expect(sweep.unreachableHosts).toEqual([]);
  });

  it('proposes, lists, reads, aborts and executes consolidation plans', async () => {
    const plan = expectStatus(await client.POST('/api/v1/consolidation/plans', { body: { hostIds: [hostA] } }), 201);
    expect(plan.status).toBe('proposed');
    const plans = expectStatus(await client.GET('/api/v1/consolidation/plans'), 200);
    expect(plans.items.map((p) => p.id)).toContain(plan.id);
    expect(expectStatus(await client.GET('/api/v1/consolidation/plans/{id}', { params: { path: { id: plan.id } } }), 200).id).toBe(plan.id);
    expect(
      expectStatus(await client.POST('/api/v1/consolidation/plans/{id}/abort', { params: { path: { id: plan.id } } }), 202).status,
    ).toBe('aborted');
    expectProblem(await client.POST('/api/v1/consolidation/plans/{id}/execute', { params: { path: { id: plan.id } } }), 409);

    // An empty host's plan has no steps: executing it finishes at once.
    const empty = expectStatus(await client.POST('/api/v1/consolidation/plans', { body: { hostIds: [hostB] } }), 201);
    expect(
      expectStatus(await client.POST('/api/v1/consolidation/plans/{id}/execute', { params: { path: { id: empty.id } } }), 202).id,
    ).toBe(empty.id);
    const until = Date.now() + 10_000;
    let status = 'executing';
    while (status === 'executing' && Date.now() < until) {
      status = expectStatus(await client.GET('/api/v1/consolidation/plans/{id}', { params: { path: { id: empty.id } } }), 200).status;
      if (status === 'executing') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('completed');
  });

  it('drives the volumes endpoints: a simulated host has no storage pool to create in (422), lists none, knows no volume (404)', async () => {
    const refused = expectProblem(
      await client.POST('/api/v1/hosts/{hostId}/volumes', {
        params: { path: { hostId: hostA } },
        body: { pool: 'default', name: 'data', kind: 'dir' },
      }),
      422,
    );
    expect(refused.detail).toMatch(/no active storage pool "default"/);
    const listed = expectStatus(
      await client.GET('/api/v1/hosts/{hostId}/volumes', { params: { path: { hostId: hostA }, query: { limit: 10 } } }),
      200,
    );
    expect(listed).toEqual({ items: [], nextCursor: null });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectProblem(
      await client.GET('/api/v1/hosts/{hostId}/volumes/{volumeId}', { params: { path: { hostId: hostA, volumeId: unknown } } }),
      404,
    );
    expectProblem(
      await client.DELETE('/api/v1/hosts/{hostId}/volumes/{volumeId}', { params: { path: { hostId: hostA, volumeId: unknown } } }),
      404,
    );
  });

  it('drives the volume attachment endpoints: unknown instance or volume (404), mixed fields (400)', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectProblem(
      await client.POST('/api/v1/instances/{id}/volumes', { params: { path: { id: unknown } }, body: { volumeId: unknown } }),
      404,
    );
    expectProblem(
      await client.POST('/api/v1/instances/{id}/volumes', {
        params: { path: { id: unknown } },
        body: { volumeId: unknown, pool: 'default' },
      }),
      400,
    );
    expectProblem(
      await client.DELETE('/api/v1/instances/{id}/volumes/{volumeId}', { params: { path: { id: unknown, volumeId: unknown } } }),
      404,
    );
  });

  it('drives the images endpoints: no managed volume to register (422), lists none, knows no image (404)', async () => {
    const refused = expectProblem(
      await client.POST('/api/v1/hosts/{hostId}/images', {
        params: { path: { hostId: hostA } },
        body: { name: 'base', pool: 'default', volume: 'base.qcow2' },
      }),
      422,
    );
    expect(refused.detail).toMatch(/base\.qcow2/);
    const listed = expectStatus(await client.GET('/api/v1/images', { params: { query: { limit: 10 } } }), 200);
    expect(listed).toEqual({ items: [], nextCursor: null });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectProblem(await client.GET('/api/v1/images/{imageId}', { params: { path: { imageId: unknown } } }), 404);
    expectProblem(await client.DELETE('/api/v1/images/{imageId}', { params: { path: { imageId: unknown } } }), 404);
  });

  it('removes the hosts', async () => {
    for (const id of [hostA, hostB]) {
      const removed = await client.DELETE('/api/v1/hosts/{id}', { params: { path: { id } } });
      expect(removed.response.status).toBe(204);
    }
  });

  it('creates, lists and revokes an API key (a viewer key: shown once, never listed with its secret)', async () => {
    const created = expectStatus(await client.POST('/api/v1/api-keys', { body: { name: `${tag}-viewer`, role: 'viewer' } }), 201);
    expect(created.key).toMatch(/^vf_/);
    // Other suites share the database: follow the cursor until the key turns up.
    let cursor: string | undefined;
    let mine: { id: string } | undefined;
    for (let page = 0; page < 100 && !mine; page++) {
      const listed = expectStatus(
        await client.GET('/api/v1/api-keys', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } }),
        200,
      );
      expect(JSON.stringify(listed)).not.toContain(created.key);
      mine = listed.items.find((k) => k.id === created.id);
      if (!listed.nextCursor) break;
      cursor = listed.nextCursor;
    }
    expect(mine).toMatchObject({ name: `${tag}-viewer`, role: 'viewer', revokedAt: null });
    expect((await client.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: created.id } } })).response.status).toBe(204);
  });

  it('has called every endpoint in openapi/openapi.json except the SSE stream', () => {
    const spec = JSON.parse(readFileSync('openapi/openapi.json', 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const endpoints = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => HTTP_METHODS.has(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const expected = endpoints.filter((e) => !NOT_DRIVEN_BY_CLIENT.has(e)).sort();
    expect(endpoints).toEqual(expect.arrayContaining([...NOT_DRIVEN_BY_CLIENT]));
    expect([...called].sort()).toEqual(expected);
  });
});
