// API keys and roles, walked over every route of the committed OpenAPI document: no key -> 401,
// a role too low -> 403, otherwise the route runs (whatever it then answers); revoked keys stop
// working; per-key rate limit -> 429 with Retry-After; every mutating request is audited; and
// malformed, oversized and hostile bodies on every writing route answer 4xx problem+json.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { startTestApp } from './support/test-app.js';

const tag = `a${process.pid.toString(36)}${Date.now().toString(36)}`;
const newKey = () => `vf_${randomBytes(32).toString('base64url')}`;

/** The auth model, stated once: routes that need admin, and the one write a viewer may make. */
const ADMIN_ONLY = new Set([
  'POST /api/v1/hosts',
  'POST /api/v1/hosts/bulk',
  'PATCH /api/v1/hosts/{id}',
  'DELETE /api/v1/hosts/{id}',
  'POST /api/v1/hosts/{id}/maintenance',
  'POST /api/v1/hosts/{id}/drain',
  'POST /api/v1/hosts/{id}/endpoints',
  'DELETE /api/v1/hosts/{id}/endpoints/{endpointId}',
  'POST /api/v1/reconciler/sweep',
  'POST /api/v1/api-keys',
  'GET /api/v1/api-keys',
  'DELETE /api/v1/api-keys/{id}',
]);
const VIEWER_MAY_POST = new Set(['POST /api/v1/placement/preview']);
const PUBLIC = new Set(['GET /health/live', 'GET /health/ready']);
const STREAMS = new Set(['GET /api/v1/events/stream']);

const spec = JSON.parse(readFileSync('openapi/openapi.json', 'utf8')) as { paths: Record<string, Record<string, unknown>> };
const routes = Object.entries(spec.paths).flatMap(([path, item]) =>
  ['get', 'post', 'patch', 'put', 'delete'].filter((m) => m in item).map((m) => ({ method: m.toUpperCase(), path })),
);

describe('API keys and roles', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const keys = { admin: newKey(), operator: newKey(), viewer: newKey() };

  beforeAll(async () => {
    app = await startTestApp({ API_KEYS_REQUIRED: 'true' });
    http = request(app.getHttpServer());
    const prisma = app.get(PrismaService);
    for (const role of ['admin', 'operator', 'viewer'] as const) {
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

  /** A request that can do no harm: unknown ids, and sweeps scoped to a host that does not exist. */
  function call(method: string, path: string, key?: string) {
    const url = path.replace(/\{[^}]+\}/g, randomUUID());
    const body = path === '/api/v1/reconciler/sweep' ? { hostIds: [randomUUID()] } : {};
    const r = (http as unknown as Record<string, (u: string) => request.Test>)[method.toLowerCase()]!(url);
    if (key) r.set('Authorization', `Bearer ${key}`);
    return method === 'GET' || method === 'DELETE' ? r : r.send(body);
  }

  it('covers every route of the spec', () => {
    expect(routes.length).toBeGreaterThan(25);
    for (const r of [...ADMIN_ONLY, ...VIEWER_MAY_POST, ...PUBLIC]) {
      expect(routes.map((x) => `${x.method} ${x.path}`)).toContain(r);
    }
  });

  it.each(routes.filter((r) => !STREAMS.has(`${r.method} ${r.path}`)))(
    '$method $path: no key, viewer, operator, admin',
    async ({ method, path }) => {
      const id = `${method} ${path}`;
      const allowed = (role: 'viewer' | 'operator' | 'admin') =>
        PUBLIC.has(id) ||
        role === 'admin' ||
        (role === 'operator' && !ADMIN_ONLY.has(id)) ||
        (role === 'viewer' && (method === 'GET' ? !ADMIN_ONLY.has(id) : VIEWER_MAY_POST.has(id)));
      const anonymous = await call(method, path);
      if (PUBLIC.has(id)) {
        expect([200, 503]).toContain(anonymous.status);
      } else {
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
      }
      for (const role of ['viewer', 'operator', 'admin'] as const) {
        const res = await call(method, path, keys[role]);
        if (allowed(role)) {
          // Allowed: the route runs (an unknown id is a 404, an empty body a 400 — anything but 401/403/5xx).
          expect({ role, status: res.status, denied: [401, 403].includes(res.status) || res.status >= 500 }).toEqual({
            role,
            status: res.status,
            denied: false,
          });
        } else {
          expect({ role, status: res.status }).toEqual({ role, status: 403 });
          expect(res.body.requiredRole).toBeDefined();
        }
      }
    },
  );

  it('rejects an unknown key, and a revoked key at once', async () => {
    expect((await http.get('/api/v1/hosts').set('Authorization', `Bearer ${newKey()}`)).status).toBe(401);
    const created = await http
      .post('/api/v1/api-keys')
      .set('Authorization', `Bearer ${keys.admin}`)
      .send({ name: `${tag}-temp`, role: 'operator' })
      .expect(201);
    await http.get('/api/v1/hosts').set('X-API-Key', created.body.key).expect(200);
    await http.delete(`/api/v1/api-keys/${created.body.id}`).set('Authorization', `Bearer ${keys.admin}`).expect(204);
    expect((await http.get('/api/v1/hosts').set('X-API-Key', created.body.key)).status).toBe(401);
  });

  it('audits every mutating request with key, role, route, target and result', async () => {
    const target = randomUUID();
    const last = await app.get(PrismaService).event.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    await http.post(`/api/v1/instances/${target}/start`).set('Authorization', `Bearer ${keys.operator}`).send({}).expect(404);
    const audits = (
      await http
        .get(`/api/v1/events?kind=audit&after=${last?.id ?? 0}`)
        .set('Authorization', `Bearer ${keys.viewer}`)
        .expect(200)
    ).body.items;
    const mine = audits.find((e: { data: { target?: string } }) => e.data.target === target);
    expect(mine).toMatchObject({
      actor: `key:${tag}-operator`,
      data: { method: 'POST', route: '/api/v1/instances/:id/start', status: 404, result: 'error', role: 'operator' },
    });
    expect(mine.data.requestId).toBeTruthy();
  });

  it('audits requests whose path decodes to NUL or other text PostgreSQL cannot store (one row each)', async () => {
    const prisma = app.get(PrismaService);
    const cases: Array<[string, string]> = [
      ['post', '/api/v1/instances/%00/start'],
      ['post', '/api/v1/instances/a%00b/stop'],
      ['patch', '/api/v1/hosts/%00'],
      ['delete', '/api/v1/instances/%00%00'],
      ['post', '/api/v1/hosts/x%00%F0%9F%91%8B/drain'],
    ];
    for (const [method, path] of cases) {
      const res = await http[method as 'post' | 'patch' | 'delete'](path).set('Authorization', `Bearer ${keys.admin}`).send({});
      expect(res.status).toBeLessThan(500);
      const rows = await prisma.event.findMany({
        where: { kind: 'audit', data: { path: ['requestId'], equals: res.headers['x-request-id'] } },
      });
      expect({ path, rows: rows.length }).toEqual({ path, rows: 1 });
      expect(rows[0]!.data).toMatchObject({ status: res.status, method: method.toUpperCase() });
    }
  });

  it('audits writing requests answered before any handler: bad JSON, unknown or weak keys, unknown routes, undecodable paths (one row each)', async () => {
    const prisma = app.get(PrismaService);
    const rowsOf = async (requestId: string) => {
      // These rows are appended after the answer (nothing was changed): wait for them briefly.
      for (let n = 0; n < 40; n++) {
        const rows = await prisma.event.findMany({ where: { kind: 'audit', data: { path: ['requestId'], equals: requestId } } });
        if (rows.length > 0) return rows;
        await new Promise((r) => setTimeout(r, 50));
      }
      return [];
    };
    const cases: Array<{ what: string; send: () => request.Test; status: number }> = [
      {
        what: 'malformed JSON',
        status: 400,
        send: () =>
          http.post('/api/v1/hosts').set('Authorization', `Bearer ${keys.admin}`).set('content-type', 'application/json').send('{"name": '),
      },
      {
        what: 'unknown key',
        status: 401,
        send: () =>
          http
            .post('/api/v1/hosts')
            .set('Authorization', `Bearer vf_${'x'.repeat(43)}`)
            .send({}),
      },
      { what: 'role too low', status: 403, send: () => http.post('/api/v1/hosts').set('Authorization', `Bearer ${keys.viewer}`).send({}) },
      {
        what: 'unknown route',
        status: 404,
        send: () => http.post('/api/v1/no-such-thing').set('Authorization', `Bearer ${keys.admin}`).send({}),
      },
      {
        what: 'path that is not UTF-8',
        status: 400,
        send: () => http.post('/api/v1/instances/%ED%A0%80/start').set('Authorization', `Bearer ${keys.admin}`).send({}),
      },
    ];
    for (const c of cases) {
      const res = await c.send();
      expect({ what: c.what, status: res.status }).toEqual({ what: c.what, status: c.status });
      const rows = await rowsOf(String(res.headers['x-request-id']));
      expect({ what: c.what, rows: rows.length }).toEqual({ what: c.what, rows: 1 });
      expect(rows[0]!.data).toMatchObject({ method: 'POST', status: c.status, result: 'error' });
    }
  });

  it('never answers 5xx to malformed, oversized or hostile bodies on any writing route', async () => {
    const hostile = [
      '</name><devices>',
      "'; DROP TABLE hosts; --",
      '${jndi:ldap://x}',
      '\u0000',
      'x'.repeat(10_000),
      '../../etc/passwd',
      '<!ENTITY x SYSTEM "file:///etc/passwd">',
    ];
    const values: unknown[] = [null, true, -1, 0, 1e308, 3.5, [], [1, 'a'], {}, { $gt: '' }, ...hostile];
    const writes = routes.filter(
      (r) => r.method !== 'GET' && r.method !== 'DELETE' && !PUBLIC.has(`${r.method} ${r.path}`) && r.path !== '/api/v1/reconciler/sweep',
    );
    const fields = [
      'name',
      'uri',
      'driverKind',
      'vcpus',
      'memoryMiB',
      'boot',
      'labels',
      'hostId',
      'policy',
      'role',
      'hostIds',
      'mode',
      'enabled',
      'timeoutSeconds',
      'cpuRatio',
    ];
    // A fixed quarter of the combinations: test/fuzz.e2e-spec.ts covers this class at depth
    // (10,000+ spec-driven cases); this keeps a cheap check on every writing route.
    let cases = 0;
    let combination = 0;
    for (const r of writes) {
      for (const field of fields) {
        for (const value of values) {
          if (combination++ % 4 !== 0) continue;
          const res = await http[r.method.toLowerCase() as 'post' | 'patch'](r.path.replace(/\{[^}]+\}/g, randomUUID()))
            .set('Authorization', `Bearer ${keys.admin}`)
            .send({ [field]: value, surplus: value });
          cases++;
          if (res.status >= 500 || (res.status >= 400 && !/^application\/problem\+json/.test(String(res.headers['content-type'])))) {
            throw new Error(
              `${r.method} ${r.path} with ${field}=${JSON.stringify(value)?.slice(0, 40)} answered ${res.status} ${res.headers['content-type']}`,
            );
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(500);
  }, 180_000);
});

describe('per-key rate limit', () => {
  let app: INestApplication;
  const key = newKey();

  beforeAll(async () => {
    app = await startTestApp({ API_KEYS_REQUIRED: 'true', RATE_LIMIT_PER_MINUTE: '3' });
    await app.get(PrismaService).apiKey.create({
      data: {
        name: `${tag}-limited`,
        role: 'viewer',
        secretHash: createHash('sha256').update(key).digest('hex'),
        prefix: key.slice(0, 10),
        createdBy: 'test',
      },
    });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers 429 with Retry-After once the bucket is empty', async () => {
    const http = request(app.getHttpServer());
    for (let i = 0; i < 3; i++) await http.get('/api/v1/hosts?limit=1').set('Authorization', `Bearer ${key}`).expect(200);
    const limited = await http.get('/api/v1/hosts?limit=1').set('Authorization', `Bearer ${key}`).expect(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});

describe('scraper keys', () => {
  let app: INestApplication;
  const scraper = newKey();
  const viewer = newKey();

  beforeAll(async () => {
    app = await startTestApp({ API_KEYS_REQUIRED: 'true', RATE_LIMIT_PER_MINUTE: '3' });
    const prisma = app.get(PrismaService);
    for (const [name, role, key] of [
      ['scraper', 'scraper', scraper],
      ['scrape-viewer', 'viewer', viewer],
    ] as const) {
      await prisma.apiKey.create({
        data: {
          name: `${tag}-${name}`,
          role,
          secretHash: createHash('sha256').update(key).digest('hex'),
          prefix: key.slice(0, 10),
          createdBy: 'test',
        },
      });
    }
  });

  afterAll(async () => {
    await app.close();
  });

  it('scrape /metrics without counting against the API rate limit, and read nothing else', async () => {
    const http = request(app.getHttpServer());
    // Twice the per-key API limit: a scraper's scrapes draw on their own bucket.
    for (let i = 0; i < 6; i++) await http.get('/metrics').set('Authorization', `Bearer ${scraper}`).expect(200);
    const refused = await http.get('/api/v1/hosts?limit=1').set('Authorization', `Bearer ${scraper}`).expect(403);
    expect(refused.body).toMatchObject({ status: 403, requiredRole: 'viewer', role: 'scraper' });
    // Any other key's scrapes are requests like the rest.
    for (let i = 0; i < 3; i++) await http.get('/metrics').set('Authorization', `Bearer ${viewer}`).expect(200);
    await http.get('/metrics').set('Authorization', `Bearer ${viewer}`).expect(429);
  });

  it('can be created through the API', async () => {
    const admin = newKey();
    await app.get(PrismaService).apiKey.create({
      data: {
        name: `${tag}-scr-admin`,
        role: 'admin',
        secretHash: createHash('sha256').update(admin).digest('hex'),
        prefix: admin.slice(0, 10),
        createdBy: 'test',
      },
    });
    const created = await request(app.getHttpServer())
      .post('/api/v1/api-keys')
      .set('Authorization', `Bearer ${admin}`)
      .send({ name: `${tag}-prom`, role: 'scraper' })
      .expect(201);
    expect(created.body.role).toBe('scraper');
  });
});
