// End-to-end claimed placements per second through the HTTP API against real PostgreSQL:
// 50 concurrent clients creating instances, against a baseline of one client measured in the
// same run on the same fleet. Run: `npx nest build && npx tsx bench/placement-api.bench.ts`
// (the app is loaded from dist/: decorator metadata needs the tsc build). Target: ≥ 300/s.
//
// The API runs in this process; the clients run in a child process (a load generator sharing
// the API's event loop would slow it down). Besides claims per second (wall clock, which moves
// with whatever else the machine runs) it reports the CPU each claim cost the API process and
// PostgreSQL's backends, which barely moves with load, and the rate at which every create's
// background define also finished ("sustained").
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { cpuMeter, processCpuMs } from './lib/process-cpu.js';

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';
const DB = `virtfleet_bench_${process.pid}`;
const DB_URL = ADMIN_URL.replace(/\/[^/?]+(\?.*)?$/, `/${DB}$1`);
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

/** The bench's hosts are simulated: placement takes them only for requests that select them (here by label). */
const BENCH_HOST_LABELS = { bench: 'placement-api' };

function simulatedHost(n: number): string {
  const dir = path.join(tmpdir(), `virtfleet-bench-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `host${n}.xml`);
  writeFileSync(
    file,
    `<node><cpu><mhz>2600</mhz><model>bench</model><active>64</active><nodes>1</nodes><sockets>1</sockets><cores>64</cores><threads>1</threads></cpu><memory>${512 * 1024 * 1024}</memory></node>`,
  );
  return `test://${file}`;
}

interface Load {
  base: string;
  clients: number;
  requests: number;
  prefix: string;
  /** What each request is: a create (default), or a GET of this path (the stack's floor). */
  get?: string;
}

interface Run {
  requests: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p95ms: number;
  status: Record<number, number>;
  /** CPU the load generator spent per request: taken from the same two cores as the API. */
  clientCpuMsPerRequest: number;
}

/**
 * One request over `agent`'s kept-alive connections; answers the status once the body is read.
 * node:http rather than fetch: on this machine fetch (undici's WHATWG streams) cost the load
 * generator about twice the CPU per request, taken from the same two cores as the API.
 */
function request(agent: http.Agent, url: URL, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        agent,
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The load generator (child process): `clients` loops creating instances until `requests` are sent. */
async function drive({ base, clients, requests, prefix, get }: Load): Promise<Run> {
  let next = 0;
  const latencies: number[] = [];
  const status: Record<number, number> = {};
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const i = next++;
        if (i >= requests) return;
        const t = performance.now();
        const code = get
          ? await request(agent, new URL(`${base}${get}`))
          : await request(
              agent,
              new URL(`${base}/api/v1/instances`),
              JSON.stringify({
                name: `${prefix}-${i}`,
                driverKind: 'lxc',
                vcpus: 1,
                memoryMiB: 64,
                start: false,
                boot: { guestType: 'container', init: '/bin/true' },
                requiredHostLabels: BENCH_HOST_LABELS,
              }),
            );
        latencies.push(performance.now() - t);
        status[code] = (status[code] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests,
    seconds,
    perSecond: requests / seconds,
    p50ms: latencies[Math.floor(latencies.length * 0.5)]!,
    p95ms: latencies[Math.floor(latencies.length * 0.95)]!,
    status,
    clientCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / requests,
  };
}

/** Runs `load` in the client process and answers its result. */
function inClientProcess(load: Load): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--client'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (run) => resolve(run as Run));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`client process exited with ${code}`)));
    child.send(load);
  });
}

interface Measured extends Run {
  apiCpuMsPerClaim: number;
  postgresCpuMsPerClaim: number;
  /** Claims per second counted until every create's background work had finished too. */
  sustainedPerSecond: number;
}

async function measure(load: Load, pgc: pg.Client): Promise<Measured> {
  const apiBefore = processCpuMs(process.pid);
  const postgres = cpuMeter('postgres');
  const started = performance.now();
  const run = await inClientProcess(load);
  await settled(pgc);
  const settledSeconds = (performance.now() - started) / 1000;
  return {
    ...run,
    apiCpuMsPerClaim: (processCpuMs(process.pid) - apiBefore) / load.requests,
    postgresCpuMsPerClaim: postgres.stop() / load.requests,
    sustainedPerSecond: load.requests / settledSeconds,
  };
}

/** Waits until no operation is pending or running (every background define has finished). */
async function settled(pgc: pg.Client): Promise<void> {
  for (;;) {
    const r = await pgc.query<{ n: string }>(`SELECT count(*) AS n FROM operations WHERE status IN ('pending', 'running')`);
    if (r.rows[0]!.n === '0') return;
    await new Promise((res) => setTimeout(res, 50));
  }
}

async function main(): Promise<void> {
  await admin(`CREATE DATABASE "${DB}"`);
  try {
    execFileSync(process.execPath, ['prisma/offline-migrate/migrate.mjs', 'deploy'], {
      env: { ...process.env, DATABASE_URL: DB_URL },
      stdio: 'pipe',
    });
    // Loaded from the tsc build (decorator metadata); the path is computed so tsc does not resolve it.
    const dist = path.resolve('dist');
    const { createApp } = (await import(path.join(dist, 'app.factory.js'))) as {
      createApp: (config: unknown, logger: unknown) => Promise<import('@nestjs/common').INestApplication>;
    };
    const { loadConfig } = (await import(path.join(dist, 'config', 'app-config.js'))) as {
      loadConfig: (env: Record<string, string>) => unknown;
    };
    const { JsonLogger } = (await import(path.join(dist, 'common', 'json-logger.js'))) as { JsonLogger: new (l: string) => unknown };
    const app = await createApp(
      loadConfig({
        DATABASE_URL: DB_URL,
        DEMO_HOST_URI: '',
        LOG_LEVEL: 'error',
        RECONCILE_INTERVAL_MS: '0',
        API_KEYS_REQUIRED: 'false',
        SIMULATED_HOSTS_DIR: tmpdir(),
        ALLOW_HOST_ROOT_CONTAINERS: 'true',
      }),
      new JsonLogger('error'),
    );
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
    for (let n = 0; n < HOSTS; n++) {
      const r = await fetch(`${base}/api/v1/hosts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `bench-h${n}`, uri: simulatedHost(n), driverKind: 'lxc', labels: BENCH_HOST_LABELS }),
      });
      if (r.status !== 201) throw new Error(`host registration failed: ${r.status} ${await r.text()}`);
    }
    const pgc = new pg.Client({ connectionString: DB_URL });
    await pgc.connect();
    await measure({ base, clients: 4, requests: 40, prefix: 'warm' }, pgc); // JIT, connection pool, plans
    const baseline = await measure({ base, clients: 1, requests: BASELINE_REQUESTS, prefix: 'serial' }, pgc);
    const concurrent = await measure({ base, clients: CONCURRENT_CLIENTS, requests: CONCURRENT_REQUESTS, prefix: 'burst' }, pgc);
    // The floor of this stack and harness, in the same run: a request that does no work at all.
    const floor = await measure(
      { base, clients: CONCURRENT_CLIENTS, requests: CONCURRENT_REQUESTS, prefix: 'floor', get: '/health/live' },
      pgc,
    );
    const over = await pgc.query(`SELECT h.name FROM hosts h JOIN allocations a ON a.host_id = h.id GROUP BY h.id
      HAVING sum(a.vcpus) > floor(h.cpus * h.cpu_ratio) OR sum(a.memory_mib) > floor(h.memory_mib * h.memory_ratio)`);
    await pgc.end();
    await app.close();

    const row = (label: string, r: Measured) =>
      `${label.padEnd(15)} ${String(r.requests).padStart(5)} ${r.seconds.toFixed(2).padStart(6)} s ${r.perSecond.toFixed(0).padStart(6)}/s ${r.sustainedPerSecond.toFixed(0).padStart(9)}/s ` +
      `${r.p50ms.toFixed(1).padStart(7)} ms ${r.p95ms.toFixed(1).padStart(7)} ms ${r.apiCpuMsPerClaim.toFixed(2).padStart(7)} ms ${r.postgresCpuMsPerClaim.toFixed(2).padStart(7)} ms ${r.clientCpuMsPerRequest.toFixed(2).padStart(7)} ms  ${JSON.stringify(r.status)}`;
    console.log(
      `placement through the API: ${HOSTS} simulated hosts, real PostgreSQL, creates with start=false (claim + operation + define)`,
    );
    console.log(
      `${'clients'.padEnd(15)} ${'reqs'.padStart(5)} ${'time'.padStart(8)} ${'claims'.padStart(8)} ${'sustained'.padStart(11)} ${'p50'.padStart(10)} ${'p95'.padStart(10)} ${'API cpu'.padStart(10)} ${'PG cpu'.padStart(10)} ${'client cpu'.padStart(10)}  statuses`,
    );
    console.log(row('1 (baseline)', baseline));
    console.log(row(`${CONCURRENT_CLIENTS} concurrent`, concurrent));
    console.log(row(`${CONCURRENT_CLIENTS} no-op GETs`, floor));
    console.log(
      `ratio concurrent/baseline: ${(concurrent.perSecond / baseline.perSecond).toFixed(2)}x; claims/no-op requests: ${(concurrent.perSecond / floor.perSecond).toFixed(2)}; ` +
        `target >= 300/s: ${concurrent.perSecond >= 300 ? 'met' : 'NOT met'}; hosts over capacity: ${over.rowCount}`,
    );
  } finally {
    await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  }
}

if (process.argv.includes('--client')) {
  process.once('message', (load) => {
    drive(load as Load).then(
      (run) => process.send!(run, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
