// Crash safety under dependency faults, on real parts: a private libvirtd killed (SIGKILL) in
// the middle of creates, and a second PostgreSQL cluster stopped and started under a burst of
// requests. Whatever dies, afterwards: no orphan domain, no operation stuck past recovery, no
// accepted mutation without its audit row, no idempotency key left blocked, and every failed
// answer during the outage a 503 problem with Retry-After (never a 500).
import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import * as libvirt from '@unraid/libvirt';
import pg from 'pg';
import { TEST_DATABASE_URL } from './support/test-app.js';
import { type ApiProcess, killHard, startApiProcess } from './support/api-process.js';
import { describeWithLibvirtd, QEMU_URI, openLibvirtd } from './support/libvirtd.js';
import { type PrivateLibvirtd, startPrivateLibvirtd } from './support/private-libvirtd.js';

const run = promisify(execFile);

// Response bodies are checked field by field below; `any` keeps that terse.

type Answer = { status: number; body: any; headers: Headers };

async function call(p: ApiProcess, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${p.baseUrl}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 40_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const settled = (status: string) => status !== 'pending' && status !== 'running';

/** A database of this suite's own on cluster `url` (postgres db), migrated. */
async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = serverUrl.replace(/\/[^/?]+(\?.*)?$/, `/${name}`);
  execFileSync(process.execPath, ['prisma/offline-migrate/migrate.mjs', 'deploy'], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: 'pipe',
  });
  return url;
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

const mainServer = TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, '/postgres');
const guest = (name: string, hostId: string, start: boolean) =>
  JSON.stringify({ name, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 64, boot: { guestType: 'hvm' }, hostId, start });

describeWithLibvirtd('crash safety: libvirtd killed mid-create (private real libvirtd)', () => {
  const dbName = `vf_crash_lvd_${process.pid}`;
  let daemon: PrivateLibvirtd;
  let api: ApiProcess | undefined;
  let dbUrl: string;

  beforeAll(async () => {
    dbUrl = await freshDatabase(mainServer, dbName);
    daemon = await startPrivateLibvirtd();
  }, 90_000);

  afterAll(async () => {
    if (api) await killHard(api);
    await daemon?.remove();
    await dropDatabase(mainServer, dbName);
  }, 90_000);

  it('leaves no orphan domain: creates whose host died keep their row until the domain is removed', async () => {
    // Every create pauses after defining its domain; libvirtd dies during the pause, so the
    // start (and the roll-back's look at the host) meet a dead daemon.
    api = await startApiProcess({
      DATABASE_URL: dbUrl,
      RECONCILE_INTERVAL_MS: '500',
      API_KEYS_REQUIRED: 'false',
      VIRTFLEET_FAULT_PAUSE: 'create:defined',
      VIRTFLEET_FAULT_PAUSE_MS: '2500',
    });
    const host = await call(api, '/api/v1/hosts', {
      method: 'POST',
      body: JSON.stringify({ name: 'lvd-crash', uri: daemon.uri, driverKind: 'qemu-kvm' }),
    });
    expect(host.status).toBe(201);
    const accepted: Array<{ operationId: string; instance: { id: string } }> = [];
    for (let n = 0; n < 5; n++) {
      const r = await call(api, '/api/v1/instances', { method: 'POST', body: guest(`lvd-crash-${process.pid}-${n}`, host.body.id, true) });
      expect(r.status).toBe(202);
      accepted.push(r.body);
    }
    const lv = await openLibvirtd(daemon.uri);
    await until('every domain to be defined', async () => ((await lv.connectListAllDomains()).length >= 5 ? true : undefined));
    await lv.connectClose().catch(() => undefined);
    await daemon.kill();

    // The creates fail; while the host cannot be asked, the instances stay (cleaning up).
    for (const a of accepted) {
      const op = await until('the create to end', async () => {
        const r = await call(api!, `/api/v1/operations/${a.operationId}`);
        return settled(r.body.status) ? r.body : undefined;
      });
      expect(op.status).toBe('failed');
      const i = await call(api, `/api/v1/instances/${a.instance.id}`);
      expect(i.status).toBe(200);
      expect(i.body.task).toBe('deleting');
    }

    await daemon.start();
    // Once libvirtd answers, the clean-up finishes: no row, and no domain at all.
    for (const a of accepted)
      await until('the instance to be removed', async () =>
        (await call(api!, `/api/v1/instances/${a.instance.id}`)).status === 404 ? true : undefined,
      );
    const lv2 = await openLibvirtd(daemon.uri);
    try {
      expect(await lv2.connectListAllDomains()).toEqual([]);
    } finally {
      await lv2.connectClose();
    }
    // The names are free again: a create with the same name succeeds.
    const again = await call(api, '/api/v1/instances', { method: 'POST', body: guest(`lvd-crash-${process.pid}-0`, host.body.id, false) });
    expect(again.status).toBe(202);
  }, 120_000);
});

describeWithLibvirtd('crash safety: PostgreSQL restarted under a burst (second cluster)', () => {
  const dbName = `vf_crash_pg_${process.pid}`;
  let server: string;
  let dbUrl: string;
  let api: ApiProcess | undefined;
  let lv: libvirt.Hypervisor;
  const names: string[] = [];

  beforeAll(async () => {
    // Never the shared cluster: this suite stops and starts its own (created once, idempotent).
    server = (await run('bash', ['scripts/pg-test-cluster.sh', 'up'], { timeout: 60_000 })).stdout.trim().split('\n').pop()!;
    dbUrl = await freshDatabase(server, dbName);
    lv = await openLibvirtd(QEMU_URI);
  }, 90_000);

  afterAll(async () => {
    if (api) await killHard(api);
    for (const name of names) {
      const d = await lv.domainLookupByName(name).catch(() => null);
      if (d) await lv.domainUndefine(d).catch(() => undefined);
    }
    await lv?.connectClose();
    await run('bash', ['scripts/pg-test-cluster.sh', 'up']).catch(() => undefined);
    await dropDatabase(server, dbName).catch(() => undefined);
  }, 90_000);

  it('answers 503 (never 500) during the outage, and afterwards has no stuck operation, no unaudited mutation, no blocked key', async () => {
    // Creates pause after defining their domain, so their closing writes fall into the outage.
    api = await startApiProcess({
      DATABASE_URL: dbUrl,
      RECONCILE_INTERVAL_MS: '1000',
      API_KEYS_REQUIRED: 'false',
      VIRTFLEET_FAULT_PAUSE: 'create:defined',
      VIRTFLEET_FAULT_PAUSE_MS: '2500',
    });
    const host = await call(api, '/api/v1/hosts', {
      method: 'POST',
      body: JSON.stringify({ name: `pg-crash-${process.pid}`, uri: QEMU_URI, driverKind: 'qemu-kvm' }),
    });
    expect(host.status).toBe(201);
    const creates: Array<{ operationId: string; instanceId: string }> = [];
    for (let n = 0; n < 3; n++) {
      const name = `pg-crash-${process.pid}-${n}`;
      names.push(name);
      const r = await call(api, '/api/v1/instances', { method: 'POST', body: guest(name, host.body.id, false) });
      expect(r.status).toBe(202);
      creates.push({ operationId: r.body.operationId, instanceId: r.body.instance.id });
    }

    // 8 clients send cheap mutations (each with an Idempotency-Key) while PostgreSQL goes away.
    const answers: Array<Answer & { key: string; path: string; init: RequestInit }> = [];
    let stop = false;
    const client = async (c: number) => {
      for (let n = 0; !stop; n++) {
        const key = `burst-${c}-${n}-${randomUUID()}`;
        const [path, init]: [string, RequestInit] =
          n % 2 === 0
            ? [`/api/v1/hosts/${host.body.id}`, { method: 'PATCH', body: JSON.stringify({ labels: { client: String(c), n: String(n) } }) }]
            : [`/api/v1/instances/${randomUUID()}/start`, { method: 'POST', body: '{}', headers: { 'idempotency-key': key } }];
        const a = await call(api!, path, init).catch(() => null);
        if (a) answers.push({ ...a, key, path, init });
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const burst = Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(client));
    await new Promise((r) => setTimeout(r, 300));
    await run('bash', ['scripts/pg-test-cluster.sh', 'stop']);
    // Long enough that the clients' requests meet the outage: with 3 s, a run occasionally saw
    // every request wait it out (no 5xx at all), which says nothing about the answers.
    await new Promise((r) => setTimeout(r, 6_000));
    await run('bash', ['scripts/pg-test-cluster.sh', 'start']);
    await new Promise((r) => setTimeout(r, 1_500));
    stop = true;
    await burst;

    // During the outage: 503 with Retry-After as problem+json, never a 500.
    const failed = answers.filter((a) => a.status >= 500);
    expect(failed.length).toBeGreaterThan(0); // the outage was seen
    for (const a of failed) {
      expect({ status: a.status, body: a.body }).toMatchObject({ status: 503, body: { status: 503 } });
      expect(a.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(a.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }

    // The creates in flight finish as soon as the database is back, not at their deadline.
    for (const c of creates) {
      const op = await until(
        'the create to end',
        async () => {
          const r = await call(api!, `/api/v1/operations/${c.operationId}`);
          return r.status === 200 && settled(r.body.status) ? r.body : undefined;
        },
        30_000,
      );
      expect(op.status).toBe('succeeded');
      expect((await call(api, `/api/v1/instances/${c.instanceId}`)).body).toMatchObject({ task: null, observedState: 'shutoff' });
    }

    // Every answered mutation (2xx, 404s, 503s alike) has exactly one audit row with its status.
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    try {
      const answered = answers.filter((a) => a.headers.get('x-request-id'));
      const unaudited = async () => {
        const { rows } = await db.query<{ request_id: string; n: string; status: number | null }>(
          `SELECT data->>'requestId' AS request_id, count(*) AS n, max((data->>'status')::int) AS status FROM events WHERE kind = 'audit' GROUP BY 1`,
        );
        const byId = new Map(rows.map((r) => [r.request_id, r]));
        return answered.flatMap((a) => {
          const row = byId.get(a.headers.get('x-request-id')!);
          return !row || Number(row.n) !== 1 || row.status !== a.status ? [{ status: a.status, path: a.path, row }] : [];
        });
      };
      await until(
        'audit rows of the outage to be written',
        async () => ((await unaudited()).length === 0 ? true : undefined),
        20_000,
      ).catch(() => undefined);
      expect(await unaudited()).toEqual([]);
    } finally {
      await db.end();
    }

    // A key whose request failed in the outage is free again: its retry runs (404 here), no 409.
    for (const a of failed.filter((x) => x.init.headers)) {
      const retry = await call(api, a.path, a.init);
      expect(retry.status).toBe(404);
    }
  }, 120_000);
});
