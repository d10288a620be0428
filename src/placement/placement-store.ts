// The SQL of placement: hosts as placement sees them, read in plain SQL (only the columns
// placement needs, usage summed in the database), for the whole fleet or for the hosts named;
// the change log that says which hosts changed since a read (the migration
// 20261202141000_placement_changes explains the watermark); and a claim's database pick.
import { Prisma } from '../generated/prisma/client.js';
import { hostCapacityOf, type HostCapacityColumns, type Resources } from '../common/resources.js';
import type { DriverKind } from '../hypervisor/capabilities.js';
import type { HostCandidate, HostState } from './placement-types.js';

type Db = Prisma.TransactionClient;

/** Change-log rows are kept this long; a reader whose last read is older re-reads the fleet. */
export const CHANGE_LOG_RETENTION_MS = 10 * 60_000;

/** The capacity columns come under the Prisma model's names, so that `hostCapacityOf` reads them as it reads a model. */
interface HostRow extends HostCapacityColumns {
  id: string;
  name: string;
  state: HostState;
  driver_kind: DriverKind;
  traits: string[];
  labels: Record<string, string>;
  used_vcpus: number;
  used_memory_mib: number;
  used_disk_gib: number;
}

/**
 * The hosts changed by transactions from `watermark` on (some may have been seen already), and
 * the watermark of a read that comes after this statement: the oldest transaction still running
 * as of it. Null `watermark`: only the new watermark (before a full read). One round trip.
 */
export async function changesSince(db: Db, watermark: string | null): Promise<{ watermark: string; hostIds: string[] }> {
  const rows =
    watermark === null
      ? await db.$queryRaw<
          { xmin: string; hosts: string[] }[]
        >`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, '{}'::text[] AS hosts`
      : await db.$queryRaw<{ xmin: string; hosts: string[] }[]>`
        SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
               array(SELECT DISTINCT host_id::text FROM placement_changes WHERE xid >= ${watermark}::xid8) AS hosts`;
  return { watermark: rows[0]!.xmin, hostIds: rows[0]!.hosts };
}

/** Deletes change-log rows older than the retention (any replica may; a short DELETE). */
export async function pruneChangeLog(db: Db): Promise<number> {
  return db.$executeRaw`
    DELETE FROM placement_changes WHERE changed_at < now() - make_interval(secs => ${CHANGE_LOG_RETENTION_MS / 1000}::float8)`;
}

/**
 * Hosts as placement sees them (capacity, ratios, claimed resources, foreign guests' usage,
 * group membership): every host when `ids` is null, else those of `ids` that exist.
 */
export async function readHostCandidates(db: Db, ids: readonly string[] | null): Promise<HostCandidate[]> {
  // Two statement shapes, not one with "all OR id = ANY": each keeps its own plan (index look-ups for a few ids).
  const hostsWhere = ids === null ? Prisma.empty : Prisma.sql`WHERE h.id = ANY(${ids}::uuid[])`;
  const allocationsWhere = ids === null ? Prisma.empty : Prisma.sql`WHERE host_id = ANY(${ids}::uuid[])`;
  const membersWhere = ids === null ? Prisma.empty : Prisma.sql`AND a.host_id = ANY(${ids}::uuid[])`;
  const [hosts, groups] = await Promise.all([
    db.$queryRaw<HostRow[]>`
      SELECT h.id::text, h.name, h.state::text AS state, h.driver_kind::text AS driver_kind, h.traits, h.labels,
             h.cpus, h.memory_mib AS "memoryMiB", h.disk_gib AS "diskGiB", h.cpu_ratio AS "cpuRatio", h.memory_ratio AS "memoryRatio",
             h.disk_ratio AS "diskRatio", h.foreign_vcpus AS "foreignVcpus", h.foreign_memory_mib AS "foreignMemoryMiB",
             coalesce(u.vcpus, 0)::int AS used_vcpus, coalesce(u.memory_mib, 0)::int AS used_memory_mib, coalesce(u.disk_gib, 0)::int AS used_disk_gib
        FROM hosts h
        LEFT JOIN (SELECT host_id, sum(vcpus) AS vcpus, sum(memory_mib) AS memory_mib, sum(disk_gib) AS disk_gib
                     FROM allocations ${allocationsWhere} GROUP BY host_id) u ON u.host_id = h.id
       ${hostsWhere}
       ORDER BY h.created_at, h.id`,
    // Members counted where they hold capacity, not only where `host_id` points: a member
    // being migrated counts on its target too (its reservation), so no group create can
    // slip onto that target while it moves.
    db.$queryRaw<{ host_id: string; placement_group: string; members: number }[]>`
      SELECT a.host_id::text, i.placement_group, count(*)::int AS members
        FROM allocations a JOIN instances i ON i.id = a.instance_id
       WHERE i.placement_group IS NOT NULL ${membersWhere}
       GROUP BY a.host_id, i.placement_group`,
  ]);
  const groupsBy = new Map<string, Map<string, number>>();
  for (const g of groups) {
    const m = groupsBy.get(g.host_id) ?? new Map<string, number>();
    m.set(g.placement_group, g.members);
    groupsBy.set(g.host_id, m);
  }
  return hosts.map((h) => {
    const { physical, ratios, foreign } = hostCapacityOf(h);
    return {
      id: h.id,
      name: h.name,
      state: h.state,
      driverKind: h.driver_kind,
      traits: h.traits,
      labels: h.labels,
      physical,
      ratios,
      used: { vcpus: h.used_vcpus, memoryMiB: h.used_memory_mib, diskGiB: h.used_disk_gib },
      groupMembers: groupsBy.get(h.id) ?? new Map(),
      foreign,
    };
  });
}

/** Whether two readings of a host differ in more than usage and group membership (an index must then be rebuilt). */
export function fixedFactsDiffer(a: HostCandidate, b: HostCandidate): boolean {
  return (
    a.name !== b.name ||
    a.state !== b.state ||
    a.driverKind !== b.driverKind ||
    a.physical.vcpus !== b.physical.vcpus ||
    a.physical.memoryMiB !== b.physical.memoryMiB ||
    a.physical.diskGiB !== b.physical.diskGiB ||
    a.ratios.cpu !== b.ratios.cpu ||
    a.ratios.memory !== b.ratios.memory ||
    a.ratios.disk !== b.ratios.disk ||
    a.traits.length !== b.traits.length ||
    a.traits.some((t, i) => t !== b.traits[i]) ||
    JSON.stringify(a.labels) !== JSON.stringify(b.labels)
  );
}

/**
 * The SQL expression a claim statement takes its host from: the first of `hostIds` that still has
 * room for `r` (besides `instanceId`'s own allocation there), judged under the host row locks with
 * committed data by the database's `pick_host`; NULL when none has.
 */
export function pickHostSql(hostIds: readonly string[], instanceId: string, r: Resources): Prisma.Sql {
  return Prisma.sql`pick_host(${hostIds}::uuid[], ${r.vcpus}::int, ${r.memoryMiB}::int, ${r.diskGiB}::int, ${instanceId}::uuid)`;
}

/**
 * Writes `instanceId`'s allocation of `r` on the host `pickHost` takes (for an instance that exists
 * already: a migration target's reservation, or an update of it); that host, or undefined when
 * `pickHost` found none with room.
 */
export async function insertAllocation(
  db: Db,
  pickHost: Prisma.Sql,
  instanceId: string,
  r: Resources,
): Promise<{ host_id: string } | undefined> {
  const rows = await db.$queryRaw<{ host_id: string }[]>`
    INSERT INTO allocations (instance_id, host_id, vcpus, memory_mib, disk_gib)
    SELECT ${instanceId}::uuid, picked.host_id, ${r.vcpus}, ${r.memoryMiB}, ${r.diskGiB}
      FROM (SELECT ${pickHost} AS host_id) picked
     WHERE picked.host_id IS NOT NULL
    ON CONFLICT (instance_id, host_id) DO UPDATE SET vcpus = EXCLUDED.vcpus,
      memory_mib = EXCLUDED.memory_mib, disk_gib = EXCLUDED.disk_gib
    RETURNING host_id::text`;
  return rows[0];
}
