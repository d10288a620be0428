// SIGTERM during a long reconciler sweep (issue #18): the API process (dist/main.js) exits
// within 10 s instead of waiting for the sweep over the whole fleet. The sweep is made long by
// hosts that accept a TCP connection and never answer (loopback listeners of this test), so each
// takes the hypervisor call timeout. A database of its own: its sweep must see only these hosts.
import { spawnSync } from 'node:child_process';
import { type Server, type Socket, createServer } from 'node:net';
import pg from 'pg';
import { type ApiProcess, killHard, startApiProcess } from './support/api-process.js';
import { TEST_DATABASE_URL } from './support/test-app.js';

const dbName = `vf_shutdown_${process.pid}`;
const dbUrl = TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, `/${dbName}`);
const SILENT_HOSTS = 20;
const CALL_TIMEOUT_MS = 2_000;

async function onDatabase(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return await db.query(sql, params);
  } finally {
    await db.end();
  }
}
const onServer = (sql: string) => onDatabase(TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, '/postgres'), sql);

describe('shutdown during a reconciler sweep', () => {
  let api: ApiProcess | undefined;
  const listeners: Server[] = [];
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    await onServer(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await onServer(`CREATE DATABASE "${dbName}"`);
    const migrated = spawnSync(process.execPath, ['prisma/offline-migrate/migrate.mjs', 'deploy'], {
      env: { ...process.env, DATABASE_URL: dbUrl },
      encoding: 'utf8',
    });
    if (migrated.status !== 0) throw new Error(`migrations failed: ${migrated.stderr}`);
    for (let i = 0; i < SILENT_HOSTS; i++) {
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      listeners.push(server);
      const port = (server.address() as { port: number }).port;
      await onDatabase(
        dbUrl,
        `INSERT INTO hosts (id, name, uri, driver_kind, cpus, memory_mib, disk_gib, updated_at) VALUES (gen_random_uuid(), $1, $2, 'qemu-kvm', 8, 8192, 100, now())`,
        [`silent-${String(i).padStart(2, '0')}`, `qemu+tcp://127.0.0.1:${port}/system`],
      );
    }
  }, 60_000);

  afterAll(async () => {
    // killHard waits for an exit that already happened when the process ended on a signal.
    if (api && api.child.exitCode === null && api.child.signalCode === null) await killHard(api);
    for (const socket of sockets) socket.destroy();
    await Promise.all(listeners.map((server) => new Promise((resolve) => server.close(resolve))));
    await onServer(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  });

  it('exits within 10 s of SIGTERM mid-sweep; the hosts not reached are left for the next sweep', async () => {
    api = await startApiProcess({
      DATABASE_URL: dbUrl,
      API_KEYS_REQUIRED: 'false',
      LOG_LEVEL: 'log',
      RECONCILE_INTERVAL_MS: '600000',
      HYPERVISOR_CALL_TIMEOUT_MS: String(CALL_TIMEOUT_MS),
    });
    // The first sweep starts at boot; wait until it has marked a first silent host unreachable.
    const swept = async () => Number((await onDatabase(dbUrl, 'SELECT count(*) FROM hosts WHERE last_error IS NOT NULL')).rows[0].count);
    const until = Date.now() + 30_000;
    while ((await swept()) === 0) {
      if (Date.now() > until) throw new Error(`the sweep never reached a host: ${api.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const exited = new Promise<number>((resolve) => api!.child.once('exit', () => resolve(Date.now())));
    const signalled = Date.now();
    api.child.kill('SIGTERM');
    let giveUp: NodeJS.Timeout | undefined;
    const exitedAt = await Promise.race([exited, new Promise<number>((resolve) => (giveUp = setTimeout(() => resolve(Infinity), 30_000)))]);
    clearTimeout(giveUp);
    // A whole sweep here takes SILENT_HOSTS × the call timeout (40 s or more).
    expect(exitedAt - signalled).toBeLessThan(10_000);
    expect(await swept()).toBeLessThan(SILENT_HOSTS);
    expect(api.output()).toMatch(/sweep stopped for shutdown/);
  }, 90_000);
});
