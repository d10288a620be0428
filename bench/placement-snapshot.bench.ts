// The placement snapshot's refresh (issue #18): the full re-read as main had it (Prisma
// findMany + groupBy), the plain-SQL full read that replaces it, and the incremental refresh
// (only the hosts the change log names), each with the index build, at 1,000 and 10,000 hosts
// of ~10 allocations each, on a database of its own; then claims that each pay a refresh (as
// every claim did at 10,000 hosts, where the read outlasted the snapshot's 500 ms lifetime),
// incremental against full, in claims per second and CPU per claim. Ratios are against the
// old full re-read measured in the same run. API CPU is this process's (process.cpuUsage);
// PostgreSQL CPU is every postgres process on the machine (a shared server: other work shows).
// Run: npx tsx bench/placement-snapshot.bench.ts [hosts...]
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import pg from 'pg';
import { loadConfig } from '../src/config/app-config.js';
import { capabilityTraits } from '../src/hypervisor/capabilities.js';
import { FleetIndex } from '../src/placement/fleet-index.js';
import { type ClaimRequest, PlacementService } from '../src/placement/placement.service.js';
import type { HostCandidate } from '../src/placement/placement-types.js';
import type { MetricsService } from '../src/metrics/metrics.service.js';
import { fromDbDriverKind } from '../src/prisma/enum-mapping.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { cpuMeter } from './lib/process-cpu.js';

const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:5432/postgres';
const SIZES = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const FLEET_SIZES = SIZES.length > 0 ? SIZES : [1_000, 10_000];
const ALLOCATIONS_PER_HOST = 10;
/** Claims made elsewhere (another replica) between two incremental refreshes. */
const CHANGES_BETWEEN_REFRESHES = 10;
const CLAIMS = 60;

const REQUEST: ClaimRequest = {
  resources: { vcpus: 1, memoryMiB: 256, diskGiB: 0 },
  driverKind: 'qemu-kvm',
  guestType: 'hvm',
  requiredLabels: { bench: 'snapshot' },
};
const OPTIONS = { weigher: 'spread' as const, tieBreak: 'random' as const };

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

interface Cost {
  wallMs: number;
  apiCpuMs: number;
  pgCpuMs: number;
}

/** Mean wall and CPU milliseconds per run of `fn` over `runs` runs (after one discarded). */
async function measure(runs: number, fn: (i: number) => Promise<unknown>, between?: (i: number) => Promise<unknown>): Promise<Cost> {
  await between?.(-1);
  await fn(-1);
  let wall = 0;
  let api = 0;
  let pgCpu = 0;
  for (let i = 0; i < runs; i++) {
    await between?.(i);
    const pgMeter = cpuMeter('postgres');
    const cpu = process.cpuUsage();
    const started = performance.now();
    await fn(i);
    wall += performance.now() - started;
    const used = process.cpuUsage(cpu);
    api += (used.user + used.system) / 1000;
    pgCpu += pgMeter.stop();
  }
  return { wallMs: wall / runs, apiCpuMs: api / runs, pgCpuMs: pgCpu / runs };
}

/** The snapshot read as main had it before the incremental refresh (Prisma, every column). */
async function oldFullRead(prisma: PrismaService): Promise<HostCandidate[]> {
  const [hosts, used, groups] = await Promise.all([
    prisma.host.findMany(),
    prisma.allocation.groupBy({ by: ['hostId'], _sum: { vcpus: true, memoryMiB: true, diskGiB: true } }),
    prisma.$queryRaw<{ host_id: string; placement_group: string; members: number }[]>`
      SELECT a.host_id::text, i.placement_group, count(*)::int AS members
        FROM allocations a JOIN instances i ON i.id = a.instance_id
       WHERE i.placement_group IS NOT NULL GROUP BY a.host_id, i.placement_group`,
  ]);
  const usedBy = new Map(
    used.map((u) => [u.hostId, { vcpus: u._sum.vcpus ?? 0, memoryMiB: u._sum.memoryMiB ?? 0, diskGiB: u._sum.diskGiB ?? 0 }]),
  );
  const groupsBy = new Map<string, Map<string, number>>();
  for (const g of groups) groupsBy.set(g.host_id, (groupsBy.get(g.host_id) ?? new Map<string, number>()).set(g.placement_group, g.members));
  return hosts.map((h) => ({
    id: h.id,
    name: h.name,
    state: h.state,
    driverKind: fromDbDriverKind(h.driverKind),
    traits: h.traits,
    labels: h.labels as Record<string, string>,
    physical: { vcpus: h.cpus, memoryMiB: h.memoryMiB, diskGiB: h.diskGiB },
    ratios: { cpu: h.cpuRatio, memory: h.memoryRatio, disk: h.diskRatio },
    used: usedBy.get(h.id) ?? { vcpus: 0, memoryMiB: 0, diskGiB: 0 },
    groupMembers: groupsBy.get(h.id) ?? new Map(),
    foreign: { vcpus: h.foreignVcpus, memoryMiB: h.foreignMemoryMiB, diskGiB: 0 },
  }));
}

const fmt = (c: Cost) =>
  `${c.wallMs.toFixed(1).padStart(8)} ms wall ${c.apiCpuMs.toFixed(1).padStart(8)} ms API CPU ${c.pgCpuMs.toFixed(1).padStart(8)} ms PG CPU`;
const ratio = (c: Cost, base: Cost) =>
  `× ${(c.wallMs / base.wallMs).toFixed(3)} wall, × ${(c.apiCpuMs / Math.max(base.apiCpuMs, 0.01)).toFixed(3)} API CPU`;

async function benchFleet(hosts: number): Promise<void> {
  const name = `virtfleet_bench_snapshot_${process.pid}_${hosts}`;
  const url = ADMIN_URL.replace(/\/[^/?]+(\?.*)?$/, `/${name}`);
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${name}"`);
  execFileSync(process.execPath, ['prisma/offline-migrate/migrate.mjs', 'deploy'], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: 'ignore',
  });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const prisma = new PrismaService(loadConfig({ DATABASE_URL: url }));
  try {
    const seeded = performance.now();
    await db.query(
      `
      INSERT INTO hosts (id, name, uri, driver_kind, cpus, memory_mib, disk_gib, simulated, traits, labels, updated_at)
      SELECT gen_random_uuid(), 'bench-' || n, 'test:///tmp/bench-snapshot-' || n || '.xml', 'qemu-kvm', 64, 262144, 2000, true, $2, '{"bench":"snapshot"}', now()
        FROM generate_series(1, $1) n`,
      [hosts, capabilityTraits('qemu-kvm')],
    );
    await db.query(
      `
      WITH i AS (
        INSERT INTO instances (id, name, driver_kind, guest_type, vcpus, memory_mib, disk_gib, host_id, updated_at)
        SELECT gen_random_uuid(), 'seed-' || h.name || '-' || k, 'qemu-kvm', 'hvm', 1, 512, 0, h.id, now()
          FROM hosts h, generate_series(1, $1) k
        RETURNING id, host_id)
      INSERT INTO allocations (instance_id, host_id, vcpus, memory_mib, disk_gib) SELECT id, host_id, 1, 512, 0 FROM i`,
      [ALLOCATIONS_PER_HOST],
    );
    await db.query('ANALYZE');
    console.log(
      `\n${hosts} hosts, ${hosts * ALLOCATIONS_PER_HOST} allocations (seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s); load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );

    const hostIds = (await db.query<{ id: string }>('SELECT id::text FROM hosts')).rows.map((r) => r.id);
    let extra = 0;
    /** Claims made elsewhere: what an incremental refresh has to read. */
    const claimElsewhere = async () => {
      await db.query(
        `
        WITH i AS (
          INSERT INTO instances (id, name, driver_kind, guest_type, vcpus, memory_mib, disk_gib, host_id, updated_at)
          SELECT gen_random_uuid(), 'elsewhere-' || $2 || '-' || k, 'qemu-kvm', 'hvm', 1, 512, 0, ($1::uuid[])[k], now()
            FROM generate_series(1, array_length($1::uuid[], 1)) k
          RETURNING id, host_id)
        INSERT INTO allocations (instance_id, host_id, vcpus, memory_mib, disk_gib) SELECT id, host_id, 1, 512, 0 FROM i`,
        [Array.from({ length: CHANGES_BETWEEN_REFRESHES }, () => hostIds[Math.floor(Math.random() * hostIds.length)]), extra++],
      );
    };
    const metrics = { readFleetFrom() {}, claimEnded() {}, decisionTook() {} } as unknown as MetricsService;
    const placement = new PlacementService(prisma, metrics);
    // The refresh a stale snapshot triggers, without a decision (a bench reaches inside).
    const internals = placement as unknown as { refresh(db: PrismaService): Promise<FleetIndex>; tracked: unknown };
    const runs = hosts >= 10_000 ? 6 : 20;

    const old = await measure(runs, async () => new FleetIndex(await oldFullRead(prisma)));
    const full = await measure(runs, async () => {
      internals.tracked = null;
      return internals.refresh(prisma);
    });
    await internals.refresh(prisma);
    const idle = await measure(runs * 3, () => internals.refresh(prisma));
    const changed = await measure(runs * 3, () => internals.refresh(prisma), claimElsewhere);
    console.log(`snapshot refresh (read + index)`);
    console.log(`  full re-read, Prisma (main before)  ${fmt(old)}  baseline`);
    console.log(`  full re-read, plain SQL              ${fmt(full)}  ${ratio(full, old)}`);
    console.log(`  incremental, nothing changed         ${fmt(idle)}  ${ratio(idle, old)}`);
    console.log(`  incremental, ${CHANGES_BETWEEN_REFRESHES} claims elsewhere      ${fmt(changed)}  ${ratio(changed, old)}`);

    // Claims that each pay a refresh: the snapshot is invalidated before every claim.
    const claimIds = (
      await db.query<{ id: string }>(
        `
      INSERT INTO instances (id, name, driver_kind, guest_type, vcpus, memory_mib, disk_gib, updated_at)
      SELECT gen_random_uuid(), 'claim-' || k, 'qemu-kvm', 'hvm', 1, 256, 0, now() FROM generate_series(1, $1) k RETURNING id::text`,
        [CLAIMS * 3],
      )
    ).rows.map((r) => r.id);
    let next = 0;
    const claim = (forceFull: boolean) => async () => {
      if (forceFull) internals.tracked = null;
      placement.invalidate();
      const id = claimIds[next++]!;
      await prisma.$transaction((tx) => placement.claim(tx, id, REQUEST, OPTIONS));
    };
    const claimsFull = await measure(CLAIMS, claim(true));
    const claimsIncremental = await measure(CLAIMS, claim(false));
    const perSecond = (c: Cost) => (1000 / c.wallMs).toFixed(1);
    console.log(`claims, each paying a refresh (1 client, ${CLAIMS} claims)`);
    console.log(`  full refresh per claim (plain SQL)   ${fmt(claimsFull)}  ${perSecond(claimsFull)} claims/s`);
    console.log(
      `  incremental refresh per claim        ${fmt(claimsIncremental)}  ${perSecond(claimsIncremental)} claims/s  ${ratio(claimsIncremental, claimsFull)} (against full-per-claim)`,
    );
  } finally {
    await prisma.$disconnect();
    await db.end();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

for (const hosts of FLEET_SIZES) await benchFleet(hosts);
