// Nest shell around the pure placement core: keeps a snapshot of the fleet from PostgreSQL (read
// whole, then refreshed by what changed: placement-store.ts) and ranks it; a claim (claimHost)
// is candidates -> one SQL statement in which the database's `pick_host` locks the candidate
// host rows and takes the first that still has room with committed data -> recording the
// outcome. Group rules are serialised by an advisory lock per group, so concurrent claims can
// neither overcommit a host nor break an anti-affinity group. (A trigger re-checks capacity on
// every allocation.)
import { Injectable, Logger } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { NoValidHostError, NotFoundError } from '../common/domain-errors.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { NoValidHostExplanation, rankHosts } from './rank-hosts.js';
import { chooseHosts, type HostChoice } from './choose-hosts.js';
import { PlacementClaim, claimPathOf, type ClaimPath } from './placement-claim.js';
import { FleetIndex } from './fleet-index.js';
import type { HostCandidate, PlacementDecision, PlacementOptions, PlacementRequest } from './placement-types.js';
import { LockId, advisoryXactLock } from '../common/advisory-locks.js';
import type { DriverKind } from '../hypervisor/capabilities.js';
import type { OverheadCharges } from '../overhead/overhead-charges.js';
import { compareTechniques, type TechniqueOption } from './technique-comparison.js';
import { changesSince, fixedFactsDiffer, insertAllocation, pickHostSql, pruneChangeLog, readHostCandidates } from './placement-store.js';

type Tx = Prisma.TransactionClient;

/** What a claim asks: a placement request whose resources are the charged size. */
export type ClaimRequest = PlacementRequest;

/** What a service's claim statement is told, and does (see `claimHost`). */
export interface ClaimStatement<Row extends { host_id: string }> {
  /**
   * Narrows the ranked candidates before the pick, keeping their order (e.g. to the hosts that can
   * reach a guest's storage); throws when none is left.
   */
  narrow?: (hostIds: readonly string[]) => Promise<readonly string[]>;
  /**
   * Runs the statement that writes the claim, taking its host from the SQL expression `pickHost`
   * (NULL when every candidate is full); its row, or undefined when it wrote none.
   */
  write: (pickHost: Prisma.Sql) => Promise<Row | undefined>;
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

  /** The snapshot `path` ranks on: one read for this request alone, or the shared one. */
  private async rankingFleet(db: Tx, request: ClaimRequest, path: ClaimPath): Promise<FleetIndex> {
    // Group rules and pinned hosts are decided on fresh data read under the group lock.
    if (path === 'rank-hosts') return new FleetIndex(await this.snapshot(db, { hostId: request.hostId }));
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
   * Claims a host for `instanceId`, in three steps: the candidates for `request` (best first), the
   * caller's statement that writes the claim on the first of them that still has room (the
   * database's `pick_host`, under the row locks), and recording the outcome. Returns the
   * statement's row; NoValidHostError (409) when no host fits, with per-filter rejection
   * counts, or when concurrent claims filled every candidate. With a placement group, `db` must
   * be a transaction: the group's lock is taken here and held until the claim commits.
   */
  async claimHost<Row extends { host_id: string }>(
    db: Tx,
    instanceId: string,
    request: ClaimRequest,
    options: PlacementOptions,
    statement: ClaimStatement<Row>,
  ): Promise<Row> {
    let claim = await this.candidates(db, request, options);
    if (statement.narrow) claim = claim.narrowedTo(await statement.narrow(claim.hostIds));
    const row = await statement.write(pickHostSql(claim.hostIds, instanceId, claim.resources));
    this.record(row?.host_id, claim);
    return row!;
  }

  /**
   * Claims a host for an instance that exists already (a migration target's reservation, kept
   * beside the claim on its source until it has moved) by writing its allocation there, inside
   * `tx`. New instances are claimed by the statement that creates them (InstancesService.create).
   */
  async claim(tx: Tx, instanceId: string, request: ClaimRequest, options: PlacementOptions): Promise<string> {
    const claimed = await this.claimHost(tx, instanceId, request, options, {
      write: (pickHost) => insertAllocation(tx, pickHost, instanceId, request.resources),
    });
    return claimed.host_id;
  }

  /**
   * A claim's first step: the candidate hosts for `request`, best first (at most
   * CLAIM_ATTEMPTS). Throws NoValidHostError (409) with per-filter rejection counts when nothing
   * fits. Takes a placement group's lock (see `claimHost`).
   */
  async candidates(db: Tx, request: ClaimRequest, options: PlacementOptions): Promise<PlacementClaim> {
    if (request.group) await advisoryXactLock(db, LockId.PlacementGroup, request.group.name);
    const path = claimPathOf(request);
    const fleet = await this.rankingFleet(db, request, path);
    const started = performance.now();
    let choice: HostChoice;
    try {
      choice = this.choose(path, fleet, request, { ...options, listTop: CLAIM_ATTEMPTS });
    } catch (error) {
      if (error instanceof NoValidHostError) this.metrics.claimEnded('no_valid_host');
      throw error;
    } finally {
      this.metrics.decisionTook((performance.now() - started) / 1000);
    }
    const { chosen, candidates } = choice;
    const hostIds = [chosen, ...candidates.map((c) => c.hostId).filter((id) => id !== chosen)];
    return new PlacementClaim(hostIds, fleet, path, request.resources, request.group?.name);
  }

  /** The decision on `path` (see ClaimPath). chooseHosts has no rejection counts: when it finds nothing, rankHosts says why. */
  private choose(path: ClaimPath, fleet: FleetIndex, request: ClaimRequest, options: PlacementOptions): HostChoice {
    if (path === 'choose-hosts') {
      const choice = chooseHosts(fleet, request, options);
      if (choice) return choice;
    }
    const decision = rankHosts(fleet, request, options);
    if (path === 'choose-hosts' && decision.chosen !== null) {
      // They must agree (a property test says they do); if not, the full decision wins.
      this.logger.error({ msg: 'chooseHosts found no host where rankHosts found one', chosen: decision.chosen });
    }
    return choiceOrNoValidHost(decision);
  }

  /** A claim's last step: the outcome of its statement — the host it took, or a 409 when concurrent claims filled every candidate. */
  private record(hostId: string | null | undefined, claim: PlacementClaim): void {
    if (!hostId) {
      this.metrics.claimEnded('raced');
      this.invalidate();
      throw new NoValidHostError('no valid host: every candidate was filled or changed by concurrent requests; retry', {
        reason: 'raced',
        candidates: claim.hostIds,
      });
    }
    // Keep the cached snapshot roughly current between refreshes, but only the snapshot this
    // claim was ranked on: a newer one may have read the claim already. (If the claim's
    // transaction rolls back later, the next refresh corrects it.)
    if (this.cached?.fleet === claim.rankedOn) claim.rankedOn.claim(hostId, claim.resources, claim.group);
    this.claimedHere.add(hostId);
    this.metrics.claimEnded('placed');
  }
}
