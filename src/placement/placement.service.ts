// Nest shell around the pure placement core: keeps a snapshot of the fleet from PostgreSQL (read
// whole, then refreshed by what changed: placement-store.ts) and ranks it; the claim itself is one SQL statement in which the database's `pick_host` locks the
// candidate host rows and takes the first that still has room with committed data. Group rules
// are serialised by an advisory lock per group, so concurrent claims can neither overcommit a
// host nor break an anti-affinity group. (A trigger re-checks capacity on every allocation.)
import { Injectable, Logger } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { NoValidHostError, NotFoundError } from '../common/domain-errors.js';
import type { Resources } from '../common/resources.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { NoValidHostExplanation, rankHosts } from './rank-hosts.js';
import { chooseHosts, type HostChoice } from './choose-hosts.js';
import { FleetIndex } from './fleet-index.js';
import type { HostCandidate, PlacementDecision, PlacementOptions, PlacementRequest } from './placement-types.js';
import { LockId, advisoryXactLock } from '../common/advisory-locks.js';
import type { DriverKind } from '../hypervisor/capabilities.js';
import type { OverheadCharges } from '../overhead/overhead-charges.js';
import { compareTechniques, type TechniqueOption } from './technique-comparison.js';
import { changesSince, fixedFactsDiffer, pruneChangeLog, readHostCandidates } from './placement-store.js';

type Tx = Prisma.TransactionClient;

export interface ClaimRequest extends PlacementRequest {
  /** Pinned placement: only this host is considered (filters still apply and explain). */
  hostId?: string;
}

/** Hosts a claim statement may take, best first, and the fleet snapshot they were ranked on. */
export interface Candidates {
  hostIds: string[];
  rankedOn: FleetIndex;
  /** The placement group the claim joins, recorded with it on `rankedOn`. */
  group?: string;
}

/** How many ranked candidates are tried when a concurrent claim took the chosen one first. */
const CLAIM_ATTEMPTS = 5;

/**
 * How long a fleet snapshot may be reused for ranking. Ranking on a slightly stale snapshot
 * only costs choice quality, never correctness: the claim re-checks the chosen host under its
 * row lock with committed data (and the database trigger checks again).
 */
const SNAPSHOT_TTL_MS = 500;

/**
 * The longest an incremental refresh goes on before the fleet is read whole again: a safety net,
 * well within the change log's retention (CHANGE_LOG_RETENTION_MS).
 */
const FULL_REFRESH_MS = 120_000;

/** How often a process deletes old change-log rows. */
const CHANGE_LOG_PRUNE_MS = 60_000;

interface Tracked {
  fleet: FleetIndex;
  /** Each host's last reading, in the index's order. */
  hosts: Map<string, HostCandidate>;
  /** Change-log position of the last read (see placement-store.ts). */
  watermark: string;
  fullAt: number;
}

/** A full decision's choice, or the 409 with per-filter rejection counts when it chose no host. */
function choiceOrNoValidHost(decision: PlacementDecision): HostChoice {
  if (decision.chosen === null) {
    const why = NoValidHostExplanation.of(decision)!;
    throw new NoValidHostError(why.sentence, { reason: decision.reason, rejections: decision.rejections });
  }
  return { chosen: decision.chosen, tiedHostIds: decision.tiedHostIds, candidates: decision.candidates };
}

@Injectable()
export class PlacementService {
  private cached: { at: number; fleet: FleetIndex } | null = null;
  /** The snapshot the incremental refresh keeps current, and where in the change log it stands. */
  private tracked: Tracked | null = null;
  /** Bumped whenever `tracked` moves on: a refresh that read meanwhile drops its reading. */
  private trackedVersion = 0;
  /** Hosts this process claimed on since the last refresh: read again (a claim may roll back, leaving no change behind). */
  private readonly claimedHere = new Set<string>();
  private prunedAt = 0;
  /** The refresh under way, shared by every claim that finds the snapshot stale meanwhile. */
  private refreshing: Promise<FleetIndex> | null = null;
  /** Bumped by `invalidate`, so a refresh that began before it is not kept. */
  private generation = 0;

  private readonly logger = new Logger(PlacementService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly metrics: MetricsService,
  ) {
    metrics.readFleetFrom(() => this.snapshot());
  }

  /** Forget the cached snapshot (hosts changed, or a claim lost a race). */
  invalidate(): void {
    this.cached = null;
    this.refreshing = null; // a refresh begun before this must not serve later claims
    this.generation++;
  }

  private async rankingFleet(db: Tx, request: ClaimRequest): Promise<FleetIndex> {
    // Group rules and pinned hosts are decided on fresh data read under the group lock.
    if (request.group || request.hostId) return new FleetIndex(await this.snapshot(db, { hostId: request.hostId }));
    if (this.cached && Date.now() - this.cached.at <= SNAPSHOT_TTL_MS) return this.cached.fleet;
    // Inside a transaction, read through it: a transaction that held its connection while
    // waiting for a read that needs a second one could exhaust the pool under a burst.
    if (db !== this.prisma) return this.refresh(db);
    // Outside one, a burst that finds the snapshot stale waits for one refresh, not one each.
    if (!this.refreshing) {
      const refreshing = this.refresh(this.prisma).finally(() => {
        if (this.refreshing === refreshing) this.refreshing = null;
      });
      this.refreshing = refreshing;
    }
    return this.refreshing;
  }

  private async refresh(db: Tx): Promise<FleetIndex> {
    const at = Date.now();
    const generation = this.generation;
    const base = this.tracked;
    const fleet = base && at - base.fullAt < FULL_REFRESH_MS ? await this.refreshChanged(db, base) : await this.refreshWhole(db);
    if (generation === this.generation && (!this.cached || this.cached.at < at)) this.cached = { at, fleet };
    if (at - this.prunedAt > CHANGE_LOG_PRUNE_MS) {
      this.prunedAt = at;
      void pruneChangeLog(this.prisma).catch((error: unknown) =>
        this.logger.warn({ msg: 'placement change log not pruned', error: String(error) }),
      );
    }
    return fleet;
  }

  /** The whole fleet read afresh, and the watermark the next incremental refresh starts from. */
  private async refreshWhole(db: Tx): Promise<FleetIndex> {
    // The watermark first: whatever commits after it is at or past it in the change log.
    const { watermark } = await changesSince(db, null);
    const hosts = await readHostCandidates(db, null);
    const fleet = new FleetIndex(hosts);
    this.tracked = { fleet, hosts: new Map(hosts.map((h) => [h.id, h])), watermark, fullAt: Date.now() };
    this.trackedVersion++;
    return fleet;
  }

  /**
   * Only the hosts changed since `base` was read (the change log, plus hosts this process
   * claimed on, whose claims may have rolled back) are read again. Usage changes are written into
   * the index in place; a host added, removed or changed otherwise rebuilds the index from the
   * hosts in memory (no fleet read).
   */
  private async refreshChanged(db: Tx, base: Tracked): Promise<FleetIndex> {
    const version = this.trackedVersion;
    const claimedHere = [...this.claimedHere];
    this.claimedHere.clear();
    const since = await changesSince(db, base.watermark);
    const watermark = since.watermark;
    const changed = new Set([...since.hostIds, ...claimedHere]);
    const fresh = changed.size === 0 ? [] : await readHostCandidates(db, [...changed]);
    if (version !== this.trackedVersion || this.tracked !== base) {
      // Another refresh moved on meanwhile: its reading is as recent as ours; ours is dropped.
      for (const id of claimedHere) this.claimedHere.add(id);
      return this.tracked?.fleet ?? base.fleet;
    }
    const byId = new Map(fresh.map((h) => [h.id, h]));
    let rebuild = false;
    for (const id of changed) {
      const before = base.hosts.get(id);
      const after = byId.get(id);
      if (before === undefined && after === undefined) continue;
      if (before === undefined || after === undefined || fixedFactsDiffer(before, after)) rebuild = true;
      if (after === undefined) base.hosts.delete(id);
      else base.hosts.set(id, after);
    }
    if (rebuild) {
      base.fleet = new FleetIndex([...base.hosts.values()]);
    } else {
      for (const h of fresh) {
        const foreign = h.foreign ?? { vcpus: 0, memoryMiB: 0, diskGiB: 0 };
        base.fleet.refreshUsage(
          h.id,
          {
            vcpus: h.used.vcpus + foreign.vcpus,
            memoryMiB: h.used.memoryMiB + foreign.memoryMiB,
            diskGiB: h.used.diskGiB + foreign.diskGiB,
          },
          h.groupMembers,
        );
      }
    }
    base.watermark = watermark;
    this.trackedVersion++;
    return base.fleet;
  }

  /** Hosts as placement sees them: capacity, ratios, claimed resources, foreign guests' usage, group membership. */
  async snapshot(tx: Tx = this.prisma, only?: { hostId?: string }): Promise<HostCandidate[]> {
    const hosts = await readHostCandidates(tx, only?.hostId ? [only.hostId] : null);
    // A pinned host that does not exist is the caller's mistake (404), not a full fleet (409).
    if (only?.hostId && hosts.length === 0) throw new NotFoundError(`host ${only.hostId} does not exist`, { hostId: only.hostId });
    return hosts;
  }

  /** Dry run: the ranked candidates with scores, and why the others were rejected. */
  async preview(request: ClaimRequest, options: PlacementOptions): Promise<PlacementDecision> {
    const hosts = await this.snapshot(this.prisma, { hostId: request.hostId });
    // Ties are reported, not broken at random: the preview names the set a create draws from.
    return rankHosts(hosts, request, { ...options, tieBreak: 'first', listTop: options.listTop ?? 10 });
  }

  /** The request ranked as each of `driverKinds`, each charged its own overhead (the preview's "which technique?"). */
  async compareTechniques(
    request: ClaimRequest,
    driverKinds: DriverKind[],
    overhead: OverheadCharges,
    options: PlacementOptions,
  ): Promise<TechniqueOption[]> {
    const hosts = await this.snapshot(this.prisma, { hostId: request.hostId });
    return compareTechniques(hosts, request, driverKinds, overhead, options);
  }

  /**
   * Candidate hosts for `request`, best first (at most CLAIM_ATTEMPTS), for a claim statement
   * built with `pickHost` to choose from under the row locks. Throws NoValidHostError (409)
   * with per-filter rejection counts when nothing fits. With a placement group, `db` must be a
   * transaction: the group's lock is taken here and held until the claim commits.
   */
  async candidates(db: Tx, request: ClaimRequest, options: PlacementOptions): Promise<Candidates> {
    if (request.group) await advisoryXactLock(db, LockId.PlacementGroup, request.group.name);
    const fleet = await this.rankingFleet(db, request);
    const started = performance.now();
    let choice: HostChoice;
    try {
      choice = this.choose(fleet, request, { ...options, listTop: CLAIM_ATTEMPTS });
    } catch (error) {
      if (error instanceof NoValidHostError) this.metrics.claimEnded('no_valid_host');
      throw error;
    } finally {
      this.metrics.decisionTook((performance.now() - started) / 1000);
    }
    const { chosen, candidates } = choice;
    return {
      hostIds: [chosen, ...candidates.map((c) => c.hostId).filter((id) => id !== chosen)],
      rankedOn: fleet,
      group: request.group?.name,
    };
  }

  /**
   * chooseHosts pays off on the shared snapshot, whose per-flavour rankings serve many claims;
   * an index read for one request alone (a group's, a pinned host's) is ranked by one rankHosts
   * scan instead. chooseHosts has no rejection counts: when it finds nothing, rankHosts says why.
   */
  private choose(fleet: FleetIndex, request: ClaimRequest, options: PlacementOptions): HostChoice {
    const shared = fleet === this.cached?.fleet;
    if (shared) {
      const choice = chooseHosts(fleet, request, options);
      if (choice) return choice;
    }
    const decision = rankHosts(fleet, request, options);
    if (shared && decision.chosen !== null) {
      // They must agree (a property test says they do); if not, the full decision wins.
      this.logger.error({ msg: 'chooseHosts found no host where rankHosts found one', chosen: decision.chosen });
    }
    return choiceOrNoValidHost(decision);
  }

  /**
   * What a claim statement calls to choose its host: the first of `candidates` that still has
   * room for `resources` (besides `instanceId`'s own allocation there), judged under the host
   * row locks with committed data by the database's `pick_host`; NULL when none has.
   */
  pickHost(candidates: Candidates, instanceId: string, r: Resources): Prisma.Sql {
    return Prisma.sql`pick_host(${candidates.hostIds}::uuid[], ${r.vcpus}::int, ${r.memoryMiB}::int, ${r.diskGiB}::int, ${instanceId}::uuid)`;
  }

  /** The outcome of a claim statement: the host it allocated on, or a 409 when concurrent claims filled every candidate. */
  claimed(hostId: string | null | undefined, candidates: Candidates, r: Resources): string {
    if (!hostId) {
      this.metrics.claimEnded('raced');
      this.invalidate();
      throw new NoValidHostError('no valid host: every candidate was filled or changed by concurrent requests; retry', {
        reason: 'raced',
        candidates: candidates.hostIds,
      });
    }
    // Keep the cached snapshot roughly current between refreshes, but only the snapshot this
    // claim was ranked on: a newer one may have read the claim already. (If the claim's
    // transaction rolls back later, the next refresh corrects it.)
    if (this.cached?.fleet === candidates.rankedOn) candidates.rankedOn.claim(hostId, r, candidates.group);
    this.claimedHere.add(hostId);
    this.metrics.claimEnded('placed');
    return hostId;
  }

  /**
   * Choose a host for `request` and write `instanceId`'s allocation there, inside `tx`, in one
   * statement (for an instance that exists already: a migration target's reservation, kept
   * beside the claim on its source until it has moved). New instances are claimed by the
   * statement that creates them (InstancesService.create).
   */
  async claim(tx: Tx, instanceId: string, request: ClaimRequest, options: PlacementOptions): Promise<string> {
    const candidates = await this.candidates(tx, request, options);
    const r = request.resources;
    const rows = await tx.$queryRaw<{ host_id: string }[]>`
      INSERT INTO allocations (instance_id, host_id, vcpus, memory_mib, disk_gib)
      SELECT ${instanceId}::uuid, picked.host_id, ${r.vcpus}, ${r.memoryMiB}, ${r.diskGiB}
        FROM (SELECT ${this.pickHost(candidates, instanceId, r)} AS host_id) picked
       WHERE picked.host_id IS NOT NULL
      ON CONFLICT (instance_id, host_id) DO UPDATE SET vcpus = EXCLUDED.vcpus,
        memory_mib = EXCLUDED.memory_mib, disk_gib = EXCLUDED.disk_gib
      RETURNING host_id::text`;
    return this.claimed(rows[0]?.host_id, candidates, r);
  }
}
