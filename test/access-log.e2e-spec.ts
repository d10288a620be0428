// The API process writes one JSON access-log line per answered request (real PostgreSQL). A
// database of its own, so the configured bootstrap key is the admin key there.
import { type ApiProcess, killHard, startApiProcess } from './support/api-process.js';
import { type OwnDatabase, ownDatabase } from './support/own-database.js';

const ADMIN_KEY = `vf_${'a'.repeat(42)}L`;

describe('access log', () => {
  let api: ApiProcess;
  let database: OwnDatabase;

  beforeAll(async () => {
    database = await ownDatabase('access');
    api = await startApiProcess({
      DATABASE_URL: database.url,
      LOG_LEVEL: 'log',
      RECONCILE_INTERVAL_MS: '0',
      BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
    });
  }, 60_000);
  afterAll(async () => {
    await killHard(api);
    await database.drop();
  });

  const accessLines = () =>
    api
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.context === 'Access');

  it('logs method, route pattern, status, duration, request id and key id of each request', async () => {
    const keys = await fetch(`${api.baseUrl}/api/v1/api-keys`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const keyId = (await keys.json()) as { items?: { id: string; name: string }[] } | { id: string; name: string }[];
    const list = Array.isArray(keyId) ? keyId : (keyId.items ?? []);
    expect(list.some((k) => k.name === 'bootstrap-admin')).toBe(true);
    const requestId = `access-log-${process.pid}`;
    const res = await fetch(`${api.baseUrl}/api/v1/instances/00000000-0000-4000-8000-000000000000`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'x-request-id': requestId },
    });
    expect(res.status).toBe(404);
    await new Promise((r) => setTimeout(r, 200));
    const line = accessLines().find((e) => e.requestId === requestId);
    expect(line).toMatchObject({
      level: 'log',
      msg: 'request',
      method: 'GET',
      route: '/api/v1/instances/:id',
      status: 404,
      path: '/api/v1/instances/00000000-0000-4000-8000-000000000000',
      keyId: list.find((k) => k.name === 'bootstrap-admin')?.id,
    });
    expect(typeof line!.durationMs).toBe('number');
  });

  it('logs requests refused before routing too, without a key', async () => {
    const requestId = `access-log-anon-${process.pid}`;
    const res = await fetch(`${api.baseUrl}/api/v1/hosts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: '{"bad json',
    });
    expect(res.status).toBe(400);
    await new Promise((r) => setTimeout(r, 200));
    expect(accessLines().find((e) => e.requestId === requestId)).toMatchObject({ method: 'POST', status: 400, keyId: null });
  });
});
