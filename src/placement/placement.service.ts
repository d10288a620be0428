// Nest shell around the pure placement core: reads a snapshot of the fleet from PostgreSQL,
// ranks it, and claims capacity on the chosen host inside the caller's transaction. The host
// row is locked before its free capacity is re-checked, and group rules are serialised by an
// advisory lock per group, so concurrent claims can neither overcommit a host nor break an
// anti-affinity group. (A trigger in the database re-checks capacity on every allocation.)
import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { NoValidHostError } from '../common/domain-errors.js';
import type { Resources } from '../common/resources.js';
import { fromDbDriverKind } from '../prisma/enum-mapping.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { NoValidHostExplanation, rankHosts } from './place.js';
import { FleetIndex } from './fleet-index.js';
import type { HostCandidate, PlacementDecision, PlacementOptions, PlacementRequest } from './placement-types.js';
import { LockId, advisoryXactLock } from '../common/advisory-locks.js';

type Tx = Prisma.TransactionClient;

export interface ClaimRequest extends PlacementRequest {
  /** Pinned placement: only this host is considered (filters still apply and explain). */
  hostId?: string;
}

/** How many ranked candidates are tried when a concurrent claim took the chosen one first. */
const CLAIM_ATTEMPTS = 5;

/**
 * How long a fleet snapshot may be reused for ranking. Ranking on a slightly stale snapshot
 * only costs choice quality, never correctness: the claim re-checks the chosen host under its
 * row lock with committed data (and the database trigger checks again).
 */
const SNAPSHOT_TTL_MS = 500;

@Injectable()
export class PlacementService {
  private cached: { at: number; fleet: FleetIndex } | null = null;

  constructor(private readonly prisma: PrismaService) {}

  /** Forget the cached snapshot (hosts changed, or a claim lost a race). */
  invalidate(): void {
    this.cached = null;
  }

  private async rankingFleet(tx: Tx, request: ClaimRequest): Promise<FleetIndex> {
    // Group rules and pinned hosts are decided on fresh data read under the group lock.
    if (request.group || request.hostId) return new FleetIndex(await this.snapshot(tx, { hostId: request.hostId }));
    const now = Date.now();
    // Read through `tx`: a transaction that held its connection while asking the pool for a
    // second one could exhaust the pool under a burst (every claim waiting on every other).
    if (!this.cached || now - this.cached.at > SNAPSHOT_TTL_MS) this.cached = { at: now, fleet: new FleetIndex(await this.snapshot(tx)) };
    return this.cached.fleet;
  }

  /** Hosts as placement sees them: capacity, ratios, claimed resources, group membership. */
  async snapshot(tx: Tx = this.prisma, only?: { hostId?: string }): Promise<HostCandidate[]> {
    const [hosts, used, groups] = await Promise.all([
      tx.host.findMany({ where: only?.hostId ? { id: only.hostId } : undefined }),
      tx.allocation.groupBy({ by: ['hostId'], _sum: { vcpus: true, memoryMiB: true, diskGiB: true } }),
      tx.instance.groupBy({ by: ['hostId', 'placementGroup'], where: { placementGroup: { not: null }, hostId: { not: null } }, _count: { _all: true } }),
    ]);
    const usedBy = new Map(used.map((u) => [u.hostId, { vcpus: u._sum.vcpus ?? 0, memoryMiB: u._sum.memoryMiB ?? 0, diskGiB: u._sum.diskGiB ?? 0 }]));
    const groupsBy = new Map<string, Map<string, number>>();
    for (const g of groups) {
      const m = groupsBy.get(g.hostId!) ?? new Map<string, number>();
      m.set(g.placementGroup!, g._count._all);
      groupsBy.set(g.hostId!, m);
    }
    return hosts.map((h) => ({
      id: h.id, name: h.name, state: h.state, driverKind: fromDbDriverKind(h.driverKind), traits: h.traits,
      labels: h.labels as Record<string, string>, physical: { vcpus: h.cpus, memoryMiB: h.memoryMiB, diskGiB: h.diskGiB },
      ratios: { cpu: h.cpuRatio, memory: h.memoryRatio, disk: h.diskRatio },
      used: usedBy.get(h.id) ?? { vcpus: 0, memoryMiB: 0, diskGiB: 0 }, groupMembers: groupsBy.get(h.id) ?? new Map(),
    }));
  }

  /** Dry run: the ranked candidates with scores, and why the others were rejected. */
  async preview(request: ClaimRequest, options: PlacementOptions): Promise<PlacementDecision> {
    const hosts = await this.snapshot(this.prisma, { hostId: request.hostId });
    return rankHosts(hosts, request, { ...options, listTop: Math.max(options.listTop ?? 10, options.topK ?? 1) });
  }

  /**
   * Choose a host for `request` and write `instanceId`'s allocation there, inside `tx`.
   * Throws NoValidHostError (409) with per-filter rejection counts when nothing fits.
   */
  async claim(tx: Tx, instanceId: string, request: ClaimRequest, options: PlacementOptions): Promise<string> {
    if (request.group) await advisoryXactLock(tx, LockId.PlacementGroup, request.group.name);
    const fleet = await this.rankingFleet(tx, request);
    const decision = rankHosts(fleet, request, { ...options, listTop: CLAIM_ATTEMPTS });
    if (decision.chosen === null) {
      const why = NoValidHostExplanation.of(decision)!;
      throw new NoValidHostError(why.sentence, { reason: decision.reason, rejections: decision.rejections });
    }
    const order = [decision.chosen, ...decision.candidates.map((c) => c.hostId).filter((id) => id !== decision.chosen)];
    // Lock every candidate row up front, in id order: two claims locking the same hosts in
    // different (rank) orders would deadlock each other.
    await tx.$queryRaw`SELECT id FROM hosts WHERE id = ANY(${[...order].sort()}::uuid[]) ORDER BY id FOR NO KEY UPDATE`;
    for (const hostId of order) {
      if (await this.tryClaimOn(tx, hostId, instanceId, request.resources)) {
        // Keep the cached snapshot roughly current between refreshes. (If this transaction
        // rolls back later, the next refresh corrects it.)
        if (this.cached?.fleet === fleet) fleet.claim(hostId, request.resources);
        return hostId;
      }
    }
    this.invalidate();
    throw new NoValidHostError('no valid host: every candidate was filled by concurrent requests; retry', {
      reason: 'raced', candidates: order,
    });
  }

  /**
   * Allocate on `hostId` if it is enabled and has room (for a migration this is the target's
   * reservation, beside the claim the instance keeps on its source until it has moved), judged under its row lock with committed
   * data, in one statement (one round trip per candidate). The trigger re-checks capacity.
   */
  async tryClaimOn(tx: Tx, hostId: string, instanceId: string, r: Resources): Promise<boolean> {
    const claimed = await tx.$queryRaw<{ instance_id: string }[]>`
      WITH host AS (
        SELECT id, cpus, memory_mib, disk_gib, cpu_ratio, memory_ratio, disk_ratio
          FROM hosts WHERE id = ${hostId}::uuid AND state = 'enabled' FOR NO KEY UPDATE
      ), used AS (
        SELECT coalesce(sum(vcpus), 0) AS vcpus, coalesce(sum(memory_mib), 0) AS memory_mib, coalesce(sum(disk_gib), 0) AS disk_gib
          FROM allocations WHERE host_id = ${hostId}::uuid AND instance_id <> ${instanceId}::uuid
      )
      INSERT INTO allocations (instance_id, host_id, vcpus, memory_mib, disk_gib)
      SELECT ${instanceId}::uuid, host.id, ${r.vcpus}, ${r.memoryMiB}, ${r.diskGiB} FROM host, used
       WHERE used.vcpus + ${r.vcpus} <= floor(host.cpus * host.cpu_ratio + 1e-9)
         AND used.memory_mib + ${r.memoryMiB} <= floor(host.memory_mib * host.memory_ratio + 1e-9)
         AND used.disk_gib + ${r.diskGiB} <= floor(host.disk_gib * host.disk_ratio + 1e-9)
      ON CONFLICT (instance_id, host_id) DO UPDATE SET vcpus = EXCLUDED.vcpus,
        memory_mib = EXCLUDED.memory_mib, disk_gib = EXCLUDED.disk_gib
      RETURNING instance_id`;
    return claimed.length === 1;
  }
}
