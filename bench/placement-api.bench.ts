// End-to-end claimed placements per second through the HTTP API against real PostgreSQL:
// 50 concurrent clients creating instances, against a baseline of one client measured in the
// same run on the same fleet. Run: `npx nest build && npx tsx bench/placement-api.bench.ts`
// (the app is loaded from dist/: decorator metadata needs the tsc build). Target: ≥ 300/s.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';
const DB = `virtfleet_bench_${process.pid}`;
const DB_URL = ADMIN_URL.replace(/\/[^/?]+(\?.*)?$/, `/${DB}`);
const HOSTS = 20;
const BASELINE_REQUESTS = 150;
const CONCURRENT_CLIENTS = 50;
const CONCURRENT_REQUESTS = 1500;

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function simulatedHost(n: number): string {
  const dir = path.join(tmpdir(), `virtfleet-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `host${n}.xml`);
  writeFileSync(file, `<node><cpu><mhz>2600</mhz><model>bench</model><active>64</active><nodes>1</nodes><sockets>1</sockets><cores>64</cores><threads>1</threads></cpu><memory>${512 * 1024 * 1024}</memory></node>`);
  return `test://${file}`;
}

interface Run {
  requests: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p95ms: number;
  status: Record<number, number>;
}

async function drive(base: string, clients: number, requests: number, prefix: string): Promise<Run> {
  let next = 0;
  const latencies: number[] = [];
  const status: Record<number, number> = {};
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const i = next++;
        if (i >= requests) return;
        const t = performance.now();
        const res = await fetch(`${base}/api/v1/instances`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: `${prefix}-${i}`, driverKind: 'lxc', vcpus: 1, memoryMiB: 64, start: false, boot: { guestType: 'container', init: '/bin/true' } }),
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        status[res.status] = (status[res.status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests, seconds, perSecond: requests / seconds, p50ms: latencies[Math.floor(latencies.length * 0.5)]!, p95ms: latencies[Math.floor(latencies.length * 0.95)]!, status };
}

async function main(): Promise<void> {
  await admin(`CREATE DATABASE "${DB}"`);
  try {
    execFileSync(process.execPath, ['prisma/offline-migrate/migrate.mjs', 'deploy'], { env: { ...process.env, DATABASE_URL: DB_URL }, stdio: 'pipe' });
    // Loaded from the tsc build (decorator metadata); the path is computed so tsc does not resolve it.
    const dist = path.resolve('dist');
    const { createApp } = (await import(path.join(dist, 'app.factory.js'))) as { createApp: Function };
    const { loadConfig } = (await import(path.join(dist, 'config', 'app-config.js'))) as { loadConfig: Function };
    const { JsonLogger } = (await import(path.join(dist, 'common', 'json-logger.js'))) as { JsonLogger: new (l: string) => unknown };
    const app = await createApp(loadConfig({ DATABASE_URL: DB_URL, DEMO_HOST_URI: '', LOG_LEVEL: 'error', RECONCILE_INTERVAL_MS: '0', API_KEYS_REQUIRED: 'false', SIMULATED_HOSTS_DIR: tmpdir(), ALLOW_HOST_ROOT_CONTAINERS: 'true' }), new JsonLogger('error'));
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
    for (let n = 0; n < HOSTS; n++) {
      const r = await fetch(`${base}/api/v1/hosts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `bench-h${n}`, uri: simulatedHost(n), driverKind: 'lxc' }) });
      if (r.status !== 201) throw new Error(`host registration failed: ${r.status} ${await r.text()}`);
    }
    await drive(base, 4, 40, 'warm'); // JIT, connection pool, prepared statements
    const baseline = await drive(base, 1, BASELINE_REQUESTS, 'serial');
    const concurrent = await drive(base, CONCURRENT_CLIENTS, CONCURRENT_REQUESTS, 'burst');
    // Let the background define operations finish before checking and closing.
    const pgc = new pg.Client({ connectionString: DB_URL });
    await pgc.connect();
    for (;;) {
      const r = await pgc.query<{ n: string }>(`SELECT count(*) AS n FROM operations WHERE status IN ('pending', 'running')`);
      if (r.rows[0]!.n === '0') break;
      await new Promise((res) => setTimeout(res, 200));
    }
    const over = await pgc.query(`SELECT h.name FROM hosts h JOIN allocations a ON a.host_id = h.id GROUP BY h.id
      HAVING sum(a.vcpus) > floor(h.cpus * h.cpu_ratio) OR sum(a.memory_mib) > floor(h.memory_mib * h.memory_ratio)`);
    await pgc.end();
    await app.close();

    const row = (label: string, r: Run) =>
      `${label.padEnd(22)} ${String(r.requests).padStart(6)} ${r.seconds.toFixed(2).padStart(8)} s ${r.perSecond.toFixed(0).padStart(8)}/s ${r.p50ms.toFixed(1).padStart(8)} ms ${r.p95ms.toFixed(1).padStart(8)} ms  ${JSON.stringify(r.status)}`;
    console.log(`placement through the API: ${HOSTS} simulated hosts, real PostgreSQL, creates with start=false (claim + operation + define)`);
    console.log(`${'clients'.padEnd(22)} ${'reqs'.padStart(6)} ${'time'.padStart(10)} ${'claims'.padStart(10)} ${'p50'.padStart(11)} ${'p95'.padStart(11)}  statuses`);
    console.log(row('1 (baseline)', baseline));
    console.log(row(`${CONCURRENT_CLIENTS} concurrent`, concurrent));
    console.log(`ratio concurrent/baseline: ${(concurrent.perSecond / baseline.perSecond).toFixed(2)}x; target >= 300/s: ${concurrent.perSecond >= 300 ? 'met' : 'NOT met'}; hosts over capacity: ${over.rowCount}`);
  } finally {
    await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
