// The built API (dist/main.js) computes plans in its worker thread from the compiled
// dist/consolidation/planner.worker.js (under Jest the worker runs from the TypeScript sources;
// test/consolidation-scale.e2e-spec.ts covers that path).
import { existsSync } from 'node:fs';
import pg from 'pg';
import { type ApiProcess, killHard, startApiProcess } from './support/api-process.js';
import { TEST_DATABASE_URL } from './support/test-app.js';

const tag = `pwd${process.pid.toString(36)}${Date.now().toString(36)}`;

describe('planner worker in the built API', () => {
  let api: ApiProcess;
  const db = new pg.Client({ connectionString: TEST_DATABASE_URL });

  beforeAll(async () => {
    await db.connect();
    api = await startApiProcess({ DATABASE_URL: TEST_DATABASE_URL, API_KEYS_REQUIRED: 'false', RECONCILE_INTERVAL_MS: '0' });
  }, 60_000);
  afterAll(async () => {
    await killHard(api);
    await db.query('DELETE FROM instances WHERE name LIKE $1', [`${tag}-%`]);
    await db.query('DELETE FROM hosts WHERE name LIKE $1', [`${tag}-%`]);
    await db.end();
  });

  it('plans from dist/consolidation/planner.worker.js', async () => {
    expect(existsSync('dist/consolidation/planner.worker.js')).toBe(true);
    const hostIds: string[] = [];
    for (const n of ['a', 'b']) {
      const host = await db.query<{ id: string }>(
        `INSERT INTO hosts (id, name, uri, driver_kind, cpus, memory_mib, disk_gib, simulated, updated_at) VALUES (gen_random_uuid(), $1, $2, 'qemu-kvm', 8, 8192, 100, true, now()) RETURNING id::text`,
        [`${tag}-${n}`, `test:///${tag}/${n}`],
      );
      hostIds.push(host.rows[0]!.id);
      await db.query(
        `INSERT INTO instances (id, name, driver_kind, guest_type, vcpus, memory_mib, observed_state, host_id, updated_at) VALUES (gen_random_uuid(), $1, 'qemu-kvm', 'hvm', 1, 512, 'running', $2, now())`,
        [`${tag}-${n}`, host.rows[0]!.id],
      );
    }
    const res = await fetch(`${api.baseUrl}/api/v1/consolidation/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hostIds, cooldownSeconds: 0, allowColdMigration: true }),
    });
    const body = (await res.json()) as { hostsBefore: number; hostsAfter: number; migrations: number };
    expect({ httpStatus: res.status, ...body }).toMatchObject({
      httpStatus: 201,
      status: 'proposed',
      hostsBefore: 2,
      hostsAfter: 1,
      migrations: 1,
    });
  });
});
