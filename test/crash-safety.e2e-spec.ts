// The API process killed (SIGKILL) in the middle of creating an instance on a real libvirtd:
// after a restart there is no orphan domain and no orphan row, the operation has ended, and
// the instance state is what libvirt says. Runs on a database of its own, so the restarted
// process's reconciler only sees this test's host.
import { execFileSync } from 'node:child_process';
import * as libvirt from '@unraid/libvirt';
import pg from 'pg';
import { TEST_DATABASE_URL } from './support/test-app.js';
import { type ApiProcess, killHard, startApiProcess } from './support/api-process.js';
import { describeWithLibvirtd, openLibvirtd, QEMU_URI, removeDomainQuietly } from './support/libvirtd.js';

const dbName = `vf_crash_${process.pid}`;
const dbUrl = TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, `/${dbName}`);
const admin = () => new pg.Client({ connectionString: TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, '/postgres') });

// Response bodies are checked field by field below; `any` keeps that terse.

async function json(p: ApiProcess, path: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const res = await fetch(`${p.baseUrl}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) },
  }).catch((error: unknown) => {
    // Say why the API stopped answering: its exit code and last words.
    throw new Error(`${String(error)} (API exit code ${p.child.exitCode}; its output ends: ${p.output().slice(-2000)})`);
  });
  return { status: res.status, body: await res.json() };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describeWithLibvirtd('crash safety: the API killed mid-create (real libvirtd)', () => {
  let lv: libvirt.Hypervisor;
  let api: ApiProcess | undefined;
  const created: string[] = [];

  beforeAll(async () => {
    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE "${dbName}"`);
    await c.end();
    execFileSync(process.execPath, ['prisma/offline-migrate/migrate.mjs', 'deploy'], {
      env: { ...process.env, DATABASE_URL: dbUrl },
      stdio: 'pipe',
    });
    lv = await openLibvirtd(QEMU_URI);
  }, 60_000);

  afterEach(async () => {
    if (api) await killHard(api);
    api = undefined;
  });

  afterAll(async () => {
    for (const name of created) await removeDomainQuietly(lv, name);
    await lv?.connectClose();
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await c.end();
  });

  const env = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: dbUrl,
    RECONCILE_INTERVAL_MS: '500',
    API_KEYS_REQUIRED: 'false',
    ...extra,
  });
  // (hvm guests without disks: no host paths involved)

  async function hostOn(p: ApiProcess): Promise<string> {
    const list = await json(p, '/api/v1/hosts');
    if (list.body.items.length > 0) return list.body.items[0].id;
    const r = await json(p, '/api/v1/hosts', {
      method: 'POST',
      body: JSON.stringify({ name: 'crash-host', uri: QEMU_URI, driverKind: 'qemu-kvm' }),
    });
    expect(r.status).toBe(201);
    return r.body.id;
  }

  async function createInstance(p: ApiProcess, name: string) {
    created.push(name);
    const hostId = await hostOn(p);
    const r = await json(p, '/api/v1/instances', {
      method: 'POST',
      body: JSON.stringify({ name, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 64, boot: { guestType: 'hvm' }, hostId }),
    });
    expect(r.status).toBe(202);
    return r.body as { operationId: string; instance: { id: string } };
  }

  async function settledOperation(p: ApiProcess, id: string) {
    return until('the operation to end', async () => {
      const r = await json(p, `/api/v1/operations/${id}`);
      return r.body.status === 'pending' || r.body.status === 'running' ? undefined : r.body;
    });
  }

  it('killed after the domain was defined: the operation fails and the create is rolled back (no row, no domain)', async () => {
    api = await startApiProcess(env({ VIRTFLEET_FAULT_PAUSE: 'create:defined' }));
    const { operationId, instance } = await createInstance(api, `crash-def-${process.pid}`);
    await until(
      'the domain to be defined',
      async () =>
        await lv.domainLookupByUUIDString(instance.id).then(
          () => true,
          () => undefined,
        ),
    );
    await killHard(api);

    api = await startApiProcess(env());
    const op = await settledOperation(api, operationId);
    expect(op.status).toBe('failed');
    expect(op.error.message).toMatch(/interrupted: the process running it is gone/);
    // The operation's outcome and the instance agree: a failed create leaves no instance
    // (not a shut-off guest that should be running) and no domain.
    expect((await json(api, `/api/v1/instances/${instance.id}`)).status).toBe(404);
    await expect(lv.domainLookupByUUIDString(instance.id)).rejects.toThrow(/not found/i);
  }, 120_000);

  it('killed after a create committed but before it was answered: the create has its audit row, and is rolled back', async () => {
    api = await startApiProcess(env({ VIRTFLEET_FAULT_PAUSE: 'create:committed' }));
    const hostId = await hostOn(api);
    const name = `crash-commit-${process.pid}`;
    created.push(name);
    const requestId = `crash-commit-${process.pid}-${Date.now()}`;
    void fetch(`${api.baseUrl}/api/v1/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ name, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 64, boot: { guestType: 'hvm' }, hostId }),
    }).catch(() => undefined);
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    try {
      const instanceId = await until(
        'the create to commit',
        async () => (await db.query<{ id: string }>('SELECT id FROM instances WHERE name = $1', [name])).rows[0]?.id,
      );
      await killHard(api);
      // The mutation committed and nothing answered it: its audit row exists all the same.
      const audit = await db.query(`SELECT data FROM events WHERE kind = 'audit' AND data->>'requestId' = $1`, [requestId]);
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0].data).toMatchObject({ method: 'POST', route: '/api/v1/instances' });

      api = await startApiProcess(env());
      const op = await until('the create to be resolved', async () =>
        (
          await db.query<{ status: string }>(`SELECT status FROM operations WHERE target_id = $1 AND kind = 'create'`, [instanceId])
        ).rows.find((r) => r.status !== 'pending' && r.status !== 'running'),
      );
      expect(op.status).toBe('failed');
      expect((await json(api, `/api/v1/instances/${instanceId}`)).status).toBe(404);
    } finally {
      await db.end();
    }
  }, 120_000);

  it('killed before the domain existed: the row is removed, no domain appears, the operation fails', async () => {
    api = await startApiProcess(env({ VIRTFLEET_FAULT_PAUSE: 'create:claimed' }));
    const { operationId, instance } = await createInstance(api, `crash-claim-${process.pid}`);
    await until('the operation to run', async () =>
      (await json(api!, `/api/v1/operations/${operationId}`)).body.status === 'running' ? true : undefined,
    );
    await killHard(api);

    api = await startApiProcess(env());
    const op = await settledOperation(api, operationId);
    expect(op.status).toBe('failed');
    expect((await json(api, `/api/v1/instances/${instance.id}`)).status).toBe(404);
    await expect(lv.domainLookupByUUIDString(instance.id)).rejects.toThrow(/not found/i);
    // Its capacity is free again.
    const host = (await json(api, '/api/v1/hosts')).body.items[0];
    expect(host.allocated.vcpus).toBe(0); // the first test's create was rolled back too
  }, 120_000);
});
