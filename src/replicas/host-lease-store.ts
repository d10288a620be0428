// The SQL of host ownership (tables "replicas" and "host_leases", see the migration
// 20261202140000_host_leases). Which replica should own a host is rendezvous hashing over the
// live replicas: every replica computes the same answer from the same rows, and a replica that
// joins or leaves moves only its own share (~1/N of the hosts). A lease row is the ownership
// itself: at most one per host (the primary key), so shares are disjoint even while replicas
// disagree on who is live; a host passes to its new owner only once the old one released it
// or was reaped.
import { Prisma } from '../generated/prisma/client.js';
import type { PrismaService } from '../prisma/prisma.service.js';

export interface OwnedHost {
  id: string;
  uri: string;
}

export interface OtherReplica {
  bootId: string;
  /** Its heartbeat is older than the lease time. */
  stale: boolean;
}

export class HostLeaseStore {
  constructor(
    private readonly db: PrismaService,
    private readonly leaseMs: number,
  ) {}

  private get leaseInterval(): Prisma.Sql {
    return Prisma.sql`make_interval(secs => ${this.leaseMs / 1000}::float8)`;
  }

  /** Announce (or renew) `bootId` as a live replica. */
  async heartbeat(bootId: string): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO replicas (boot_id) VALUES (${bootId})
      ON CONFLICT (boot_id) DO UPDATE SET heartbeat_at = now()`;
  }

  async otherReplicas(bootId: string): Promise<OtherReplica[]> {
    const rows = await this.db.$queryRaw<{ boot_id: string; stale: boolean }[]>`
      SELECT boot_id, heartbeat_at < now() - ${this.leaseInterval} AS stale FROM replicas WHERE boot_id <> ${bootId}`;
    return rows.map((r) => ({ bootId: r.boot_id, stale: r.stale }));
  }

  /**
   * Remove replicas and, with them (ON DELETE CASCADE), their leases: `dead` ones outright (their
   * runner lock is free: the process is gone), `stale` ones only if their heartbeat is still old.
   */
  async reap(dead: string[], stale: string[]): Promise<number> {
    if (dead.length === 0 && stale.length === 0) return 0;
    return this.db.$executeRaw`
      DELETE FROM replicas
       WHERE boot_id = ANY(${dead}::varchar[])
          OR (boot_id = ANY(${stale}::varchar[]) AND heartbeat_at < now() - ${this.leaseInterval})`;
  }

  /** Leave: every lease of `bootId` is released at once (the others take them at their next turn). */
  async leave(bootId: string): Promise<void> {
    await this.db.$executeRaw`DELETE FROM replicas WHERE boot_id = ${bootId}`;
  }

  /**
   * Release the leases `bootId` should no longer hold, take the free ones it should, and answer
   * what it holds now. Both in one statement: one snapshot of hosts and live replicas.
   */
  async rebalance(bootId: string): Promise<OwnedHost[]> {
    await this.db.$executeRaw`
      WITH live AS (SELECT boot_id FROM replicas WHERE heartbeat_at >= now() - ${this.leaseInterval}),
      mine AS (
        SELECT host_id FROM (
          SELECT DISTINCT ON (h.id) h.id AS host_id, l.boot_id AS owner
            FROM hosts h CROSS JOIN live l
           ORDER BY h.id, hashtext(h.id::text || l.boot_id) DESC, l.boot_id
        ) desired WHERE owner = ${bootId}
      ),
      released AS (
        DELETE FROM host_leases hl WHERE hl.owner = ${bootId} AND hl.host_id NOT IN (SELECT host_id FROM mine)
      )
      INSERT INTO host_leases (host_id, owner)
      SELECT host_id, ${bootId} FROM mine
      ON CONFLICT (host_id) DO NOTHING`;
    const rows = await this.db.$queryRaw<{ id: string; uri: string }[]>`
      SELECT h.id::text AS id, h.uri FROM host_leases hl JOIN hosts h ON h.id = hl.host_id WHERE hl.owner = ${bootId}`;
    return rows;
  }
}
