// Input no validator was written for, refused at the edge for every route (issue #14, findings
// 4 and 5): deeply nested JSON is refused from its bytes before it is parsed; text PostgreSQL
// cannot store (NUL, lone surrogates) is a 400 wherever a route reads it; bigint ids out of range are a
// 400 on the list and on the stream. Each used to be a 500 (or a 200 stream carrying an error).
import { createHash, randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { startTestApp } from './support/test-app.js';
import { simulatedHostUri } from './support/simulated-hosts.js';

const tag = `hi${process.pid.toString(36)}${Date.now().toString(36)}`;
const newKey = () => `vf_${randomBytes(32).toString('base64url')}`;

describe('hostile input', () => {
  let app: INestApplication;
  let base: string;
  const keys = { admin: newKey(), viewer: newKey() };

  beforeAll(async () => {
    app = await startTestApp({ API_KEYS_REQUIRED: 'true', RATE_LIMIT_PER_MINUTE: '100000' });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const prisma = app.get(PrismaService);
    for (const role of ['admin', 'viewer'] as const) {
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
  });

  afterAll(async () => {
    await app.close();
  });

  const call = (path: string, init: { method?: string; key?: 'admin' | 'viewer'; body?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${keys[init.key ?? 'admin']}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body,
    });

  async function expectProblem(res: Response, status: number): Promise<{ detail: string; [k: string]: unknown }> {
    const text = await res.text();
    expect({ status: res.status, type: res.headers.get('content-type'), text }).toMatchObject({
      status,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    return JSON.parse(text);
  }

  describe('deeply nested JSON', () => {
    const deepPreview = `{"driverKind":"lxc","guestType":"container","vcpus":1,"memoryMiB":64,"requiredHostLabels":${'['.repeat(125_000)}`;

    it('is a 400 problem from the byte scan, before JSON.parse (a viewer may send it)', async () => {
      expect(Buffer.byteLength(deepPreview)).toBeGreaterThan(120_000);
      const problem = await expectProblem(
        await call('/api/v1/placement/preview', { method: 'POST', key: 'viewer', body: deepPreview }),
        400,
      );
      // Only the scan says this: a parse would have failed with "not valid JSON" on the unclosed brackets.
      expect(problem.detail).toBe('The request body is refused: JSON nests deeper than 32 levels.');
    });

    it('is refused the same when closed (well-formed) and inside objects, on every writing route', async () => {
      const closed = `{"labels":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`;
      for (const [method, path] of [
        ['POST', '/api/v1/hosts'],
        ['POST', '/api/v1/instances'],
        ['POST', '/api/v1/consolidation/plans'],
        ['POST', '/api/v1/api-keys'],
      ]) {
        const problem = await expectProblem(await call(path, { method, body: closed }), 400);
        expect(problem.detail).toMatch(/nests deeper than 32 levels/);
      }
    });

    it('keeps /health/live answering while several arrive at once', async () => {
      const deep = Array.from({ length: 4 }, () => call('/api/v1/placement/preview', { method: 'POST', key: 'viewer', body: deepPreview }));
      const live = Array.from({ length: 8 }, () => fetch(`${base}/health/live`));
      const answers = await Promise.all([...deep, ...live]);
      expect(answers.slice(0, 4).map((r) => r.status)).toEqual([400, 400, 400, 400]);
      expect(answers.slice(4).map((r) => r.status)).toEqual(Array(8).fill(200));
    });

    it('bounds the number of values too', async () => {
      const wide = JSON.stringify({
        driverKind: 'lxc',
        guestType: 'container',
        vcpus: 1,
        memoryMiB: 64,
        requiredHostLabels: Array(30_000).fill(0),
      });
      const problem = await expectProblem(await call('/api/v1/placement/preview', { method: 'POST', key: 'viewer', body: wide }), 400);
      expect(problem.detail).toMatch(/more than 20000 values/);
    });

    it('bounds the members of one object (class-transformer is quadratic in them)', async () => {
      const labels = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 'v']));
      const wide = JSON.stringify({ driverKind: 'lxc', guestType: 'container', vcpus: 1, memoryMiB: 64, requiredHostLabels: labels });
      const problem = await expectProblem(await call('/api/v1/placement/preview', { method: 'POST', key: 'viewer', body: wide }), 400);
      expect(problem.detail).toBe('The request body is refused: a JSON object has more than 1000 members.');
    });
  });

  describe('requests Node cannot parse', () => {
    it('a URL over the header size limit is a 431 problem, not a bare status line', async () => {
      const problem = await expectProblem(await call(`/api/v1/events?kind=${'x'.repeat(100_000)}`), 431);
      expect(problem).toMatchObject({ status: 431, title: 'Request header fields too large' });
    });
  });

  describe('null for an optional field', () => {
    it('is refused like any other wrong type, also through PartialType DTOs (PATCH)', async () => {
      const host = await call('/api/v1/hosts', {
        method: 'POST',
        body: JSON.stringify({ name: `${tag}-n`, uri: simulatedHostUri(), driverKind: 'lxc', cpuRatio: null }),
      });
      const errors = (await expectProblem(host, 400)).errors as string[];
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(e).toMatch(/^cpuRatio /);
      const registered = await call('/api/v1/hosts', {
        method: 'POST',
        body: JSON.stringify({ name: `${tag}-n`, uri: simulatedHostUri(), driverKind: 'lxc' }),
      });
      const { id } = (await registered.json()) as { id: string };
      for (const field of ['cpuRatio', 'labels', 'traits', 'diskGiB']) {
        await expectProblem(await call(`/api/v1/hosts/${id}`, { method: 'PATCH', body: JSON.stringify({ [field]: null }) }), 400);
      }
      await expectProblem(
        await call('/api/v1/consolidation/plans', { method: 'POST', body: JSON.stringify({ hostIds: [id], maxUtilisation: null }) }),
        400,
      );
    });
  });

  describe('bigint ids out of range', () => {
    it('GET /events?after beyond PostgreSQL bigint is a 400 problem; the largest bigint is fine', async () => {
      const problem = await expectProblem(await call('/api/v1/events?after=9999999999999999999'), 400);
      expect(JSON.stringify(problem.errors)).toMatch(/after must be a decimal integer from 0 to 9223372036854775807/);
      await expectProblem(await call('/api/v1/events?after=9223372036854775808'), 400);
      expect((await call('/api/v1/events?after=9223372036854775807')).status).toBe(200);
    });

    it('GET /events/stream?after beyond bigint is a 400 problem, not a 200 stream carrying an error', async () => {
      await expectProblem(await call('/api/v1/events/stream?after=9999999999999999999'), 400);
    });
  });

  describe('text PostgreSQL cannot store', () => {
    let hostId: string;
    let etag: string;

    beforeAll(async () => {
      const res = await call('/api/v1/hosts', {
        method: 'POST',
        body: JSON.stringify({ name: `${tag}-h`, uri: simulatedHostUri(), driverKind: 'lxc' }),
      });
      expect(res.status).toBe(201);
      hostId = ((await res.json()) as { id: string }).id;
      etag = res.headers.get('etag')!;
    });

    afterAll(async () => {
      await call(`/api/v1/hosts/${hostId}`, { method: 'DELETE' });
    });

    it('a lone surrogate in host labels is a 400 on POST and PATCH /hosts, naming the field', async () => {
      for (const bad of ['\ud800', 'x\udfff', '\u0000']) {
        const created = await expectProblem(
          await call('/api/v1/hosts', {
            method: 'POST',
            body: JSON.stringify({ name: `${tag}-s`, uri: simulatedHostUri(), driverKind: 'lxc', labels: { rack: bad } }),
          }),
          400,
        );
        expect(created).toMatchObject({ field: 'labels.rack', in: 'body' });
        const patched = await expectProblem(
          await call(`/api/v1/hosts/${hostId}`, {
            method: 'PATCH',
            headers: { 'if-match': etag },
            body: JSON.stringify({ labels: { rack: bad } }),
          }),
          400,
        );
        expect(patched).toMatchObject({ field: 'labels.rack', in: 'body' });
      }
      // Nothing was half-written: the host is unchanged and no host was registered.
      const host = (await (await call(`/api/v1/hosts/${hostId}`)).json()) as { labels: Record<string, string>; version: number };
      expect(host.labels).toEqual({});
      expect(await app.get(PrismaService).host.count({ where: { name: `${tag}-s` } })).toBe(0);
    });

    it('is refused in keys, deep inside free-form specs, and raw in the bytes (not only as \\u escapes)', async () => {
      await expectProblem(
        await call(`/api/v1/hosts/${hostId}`, { method: 'PATCH', headers: { 'if-match': etag }, body: '{"labels":{"r\\udc00":"a"}}' }),
        400,
      );
      const instance = {
        name: `${tag}-i`,
        driverKind: 'lxc',
        vcpus: 1,
        memoryMiB: 64,
        hostId,
        start: false,
        boot: { guestType: 'container', init: '/bin/sleep', initArgs: ['60\u0000'] },
      };
      expect(await expectProblem(await call('/api/v1/instances', { method: 'POST', body: JSON.stringify(instance) }), 400)).toMatchObject({
        field: 'boot.initArgs[0]',
      });
      await expectProblem(await call('/api/v1/api-keys', { method: 'POST', body: '{"name":"a\u0000","role":"viewer"}' }), 400);
    });

    it('in a path id or a query value is a 400 problem, also on GET', async () => {
      for (const path of [
        `/api/v1/hosts/%00`,
        `/api/v1/instances/${hostId}%00/start`,
        `/api/v1/consolidation/plans/%ED%A0%80`,
        '/api/v1/events?kind=%00',
        '/api/v1/instances?placementGroup=a%00b',
      ]) {
        const res = await call(path, { method: path.endsWith('/start') ? 'POST' : 'GET' });
        await expectProblem(res, 400);
      }
      // A malformed percent-encoding is refused the same way.
      await expectProblem(await call('/api/v1/hosts/%E0%A4%A'), 400);
    });
  });
});
