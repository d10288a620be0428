// Nest shell around the pure placement core: reads a snapshot of the fleet from PostgreSQL,
// ranks it, and claims capacity on the chosen host inside the caller's transaction. The host
// row is locked before its free capacity is re-checked, and group rules are serialised by an
// advisory lock per group, so concurrent claims can neither overcommit a host nor break an
// anti-affinity group. (A trigger in the database re-checks capacity on every allocation.)
import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { NoValidHostError } from '../common/domain-errors.js';
import { fitsWithin, type Resources, usableCapacity } from '../common/resources.js';
import { fromDbDriverKind } from '../prisma/enum-mapping.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { NoValidHostExplanation, rankHosts } from './place.js';
import type { HostCandidate, PlacementDecision, PlacementOptions, PlacementRequest } from './placement-types.js';
import { LockId, advisoryXactLock } from '../common/advisory-locks.js';

type Tx = Prisma.TransactionClient;

export interface ClaimRequest extends PlacementRequest {
  /** Pinned placement: only this host is considered (filters still apply and explain). */
  hostId?: string;
}

/** How many ranked candidates are tried when a concurrent claim took the chosen one first. */
const CLAIM_ATTEMPTS = 5;

@Injectable()
export class PlacementService {
  constructor(private readonly prisma: PrismaService) {}

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
    const hosts = await this.snapshot(tx, { hostId: request.hostId });
    const decision = rankHosts(hosts, request, { ...options, listTop: CLAIM_ATTEMPTS });
    if (decision.chosen === null) {
      const why = NoValidHostExplanation.of(decision)!;
      throw new NoValidHostError(why.sentence, { reason: decision.reason, rejections: decision.rejections });
    }
    const order = [decision.chosen, ...decision.candidates.map((c) => c.hostId).filter((id) => id !== decision.chosen)];
    // Lock every candidate row up front, in id order: two claims locking the same hosts in
    // different (rank) orders would deadlock each other.
    await tx.$queryRaw`SELECT id FROM hosts WHERE id = ANY(${[...order].sort()}::uuid[]) ORDER BY id FOR NO KEY UPDATE`;
    for (const hostId of order) {
      if (await this.tryClaimOn(tx, hostId, instanceId, request.resources)) return hostId;
    }
    throw new NoValidHostError('no valid host: every candidate was filled by concurrent requests; retry', {
      reason: 'raced', candidates: order,
    });
  }

  /** Lock the host row (a no-op when the caller holds it), re-check its free capacity with committed data, then allocate. */
  async tryClaimOn(tx: Tx, hostId: string, instanceId: string, r: Resources): Promise<boolean> {
    const rows = await tx.$queryRaw<{ cpus: number; memory_mib: number; disk_gib: number; cpu_ratio: number; memory_ratio: number; disk_ratio: number; state: string }[]>`
      SELECT cpus, memory_mib, disk_gib, cpu_ratio, memory_ratio, disk_ratio, state::text AS state
        FROM hosts WHERE id = ${hostId}::uuid FOR NO KEY UPDATE`;
    const h = rows[0];
    if (!h || h.state !== 'enabled') return false;
    const sums = await tx.allocation.aggregate({ where: { hostId }, _sum: { vcpus: true, memoryMiB: true, diskGiB: true } });
    const used = { vcpus: sums._sum.vcpus ?? 0, memoryMiB: sums._sum.memoryMiB ?? 0, diskGiB: sums._sum.diskGiB ?? 0 };
    const usable = usableCapacity({ vcpus: h.cpus, memoryMiB: h.memory_mib, diskGiB: h.disk_gib }, { cpu: h.cpu_ratio, memory: h.memory_ratio, disk: h.disk_ratio });
    if (!fitsWithin(r, used, usable)) return false;
    await tx.allocation.upsert({
      where: { instanceId },
      create: { instanceId, hostId, vcpus: r.vcpus, memoryMiB: r.memoryMiB, diskGiB: r.diskGiB },
      update: { hostId, vcpus: r.vcpus, memoryMiB: r.memoryMiB, diskGiB: r.diskGiB },
    });
    return true;
  }
}
