// What host ownership (src/replicas) costs a replica per turn at 1,000 and 10,000 hosts: the
// rebalance statement (rendezvous hashing over live replicas, release, take, read the share)
// when three replicas join one after another, in the steady state (nothing moves), and when
// one of three dies and the other two take its share. Prints each replica's share (how even
// rendezvous hashing splits) and the statement's time, against the steady-state turn at 1,000
// hosts in the same run. Database of its own. Run: npx tsx bench/host-leases.bench.ts [hosts...]
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import pg from 'pg';
import { loadConfig } from '../src/config/app-config.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { HostLeaseStore } from '../src/replicas/host-lease-store.js';

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';
const SIZES = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const FLEET_SIZES = SIZES.length > 0 ? SIZES : [1_000, 10_000];
const REPLICAS = ['replica-a', 'replica-b', 'replica-c'];

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, value };
}

let baselineMs = 0;

async function benchFleet(hosts: number): Promise<void> {
  const name = `virtfleet_bench_leases_${process.pid}_${hosts}`;
  const url = ADMIN_URL.replace(/\/[^/?]+(\?.*)?$/, `/${name}`);
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${name}"`);
  execFileSync(process.execPath, ['prisma/offline-migrate/migrate.mjs', 'deploy'], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: 'ignore',
  });
  const prisma = new PrismaService(loadConfig({ DATABASE_URL: url }));
  const store = new HostLeaseStore(prisma, 15_000);
  try {
    await prisma.$executeRawUnsafe(`
      INSERT INTO hosts (id, name, uri, driver_kind, cpus, memory_mib, disk_gib, simulated, updated_at)
      SELECT gen_random_uuid(), 'lease-' || n, 'test:///tmp/lease-' || n || '.xml', 'qemu-kvm', 64, 262144, 2000, true, now()
        FROM generate_series(1, ${hosts}) n`);
    await prisma.$executeRawUnsafe('ANALYZE');
    console.log(
      `\n${hosts} hosts; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const joined: string[] = [];
    for (const replica of REPLICAS) {
      await store.heartbeat(replica);
      joined.push(replica);
      // The newcomer first (takes what is free), then the others (release), then the newcomer again (takes what they released).
      const first = await timed(() => store.rebalance(replica));
      for (const other of joined.filter((r) => r !== replica)) await store.rebalance(other);
      const settled = await timed(() => store.rebalance(replica));
      const shares = await Promise.all(joined.map(async (r) => (await store.rebalance(r)).length));
      console.log(
        `  ${replica} joins: its turns ${first.ms.toFixed(1)} ms then ${settled.ms.toFixed(1)} ms; shares ${shares.join(' / ')} (ideal ${(hosts / joined.length).toFixed(0)})`,
      );
    }
    const runs = 10;
    let steady = 0;
    let steadyCpu = 0;
    for (let i = 0; i < runs; i++) {
      for (const r of REPLICAS) await store.heartbeat(r);
      const t = await timed(() => store.rebalance(REPLICAS[0]!));
      steady += t.ms;
      steadyCpu += t.cpuMs;
    }
    steady /= runs;
    if (baselineMs === 0) baselineMs = steady;
    console.log(
      `  steady turn (nothing moves): ${steady.toFixed(1)} ms wall, ${(steadyCpu / runs).toFixed(1)} ms API CPU  × ${(steady / baselineMs).toFixed(2)} of the ${FLEET_SIZES[0]}-host steady turn`,
    );
    const dead = REPLICAS[2]!;
    const reap = await timed(() => store.reap([dead], []));
    const takeA = await timed(() => store.rebalance(REPLICAS[0]!));
    const takeB = await timed(() => store.rebalance(REPLICAS[1]!));
    console.log(
      `  ${dead} dies: reap ${reap.ms.toFixed(1)} ms, survivors' turns ${takeA.ms.toFixed(1)} / ${takeB.ms.toFixed(1)} ms; shares ${takeA.value.length} / ${takeB.value.length}`,
    );
  } finally {
    await prisma.$disconnect();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

for (const hosts of FLEET_SIZES) await benchFleet(hosts);
