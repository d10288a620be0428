// Converges PostgreSQL (desired state, tasks) with libvirt (observed state). Per host: writes
// what libvirt says back, records drift as events, marks unreachable hosts offline and their
// instances `unknown` (never "stopped" on one missed report), ends tasks whose runner died (or
// whose worker in this process gave up) or whose deadline passed. It never destroys or
// undefines a guest on uncertainty; it only carries out what was decided: the roll-back of a
// create that did not finish (a failed create leaves no instance), a delete or clean-up left
// pending, and the removal of a domain that one of our creates defined but whose row is gone.
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Host, Instance, Prisma } from '../generated/prisma/client.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LockId } from '../common/advisory-locks.js';
import { DriversService } from '../hypervisor/hypervisor.module.js';
import { isLocallyBusy, type ObservedGuest, type ObservedState, type PowerState } from '../hypervisor/hypervisor-driver.js';
import { EventsService } from '../events/events.service.js';
import { InstanceWorkflows } from '../instances/instance-workflows.js';
import { guestRefOf } from '../instances/instance-mapper.js';
import { RunnerIdentityService } from '../operations/runner-identity.service.js';
import { fromDbDriverKind, fromDbPowerState, toDbPowerState } from '../prisma/enum-mapping.js';
import { throughEndpoint } from '../hosts/host-endpoints.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { driftOf } from './drift.js';
import { PlacementService } from '../placement/placement.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { type ForeignGuest, foreignGuestsOf, foreignUsage, isActiveForeignState } from '../hosts/foreign-guests.js';
import { HostOwnershipService } from '../replicas/host-ownership.service.js';
import { GuestWatches } from './guest-watches.js';
import { mapBounded } from '../common/bounded-map.js';

/**
 * A task of this process that no worker here carries out is orphaned, but only once it is
 * older than this: an operation is committed a moment before its worker is registered, and a
 * resize runs inline in its request.
 */
const OWN_TASK_GRACE_MS = 15_000;

/** Hosts whose rows a sweep reads at once (see sweepLocked). */
const SWEEP_CHUNK = 64;

export interface ReconcileReport {
  hosts: number;
  unreachableHosts: string[];
  stateChanges: number;
  drift: Array<{ instance: string; kind: string; detail: string }>;
  resolvedTasks: Array<{ instance: string; task: string; outcome: string }>;
  /** "host/guest" for every guest the database has no instance for: ours by metadata but without a row, or foreign. */
  unknownGuests: string[];
  /** Domains a create of ours defined whose row is gone: removed. */
  removedOrphans: string[];
  /** Guests virtfleet did not define, per host, with what they take (see hosts/foreign-guests.ts). */
  foreignGuests: Array<{ host: string; hostId: string } & ForeignGuest>;
  skipped?: 'another replica is sweeping';
  /** The process began shutting down; hosts after this many were left for the next sweep. */
  stoppedEarly?: { sweptHosts: number; totalHosts: number };
}

@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Reconciler');
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;
  /** Set at shutdown: a sweep stops at the next host boundary (a fleet sweep can take minutes). */
  private stopping = false;
  /** Lifecycle events of this replica's own hosts (see guest-watches.ts); the sweep is the safety net. */
  private readonly watches = new GuestWatches((hostId, ids) => this.guestsChanged(hostId, ids));
  private watchTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly prisma: PrismaService,
    private readonly drivers: DriversService,
    private readonly events: EventsService,
    private readonly workflows: InstanceWorkflows,
    private readonly runner: RunnerIdentityService,
    private readonly placement: PlacementService,
    private readonly metrics: MetricsService,
    private readonly ownership: HostOwnershipService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.ensureRegistered();
    if (this.config.reconcileIntervalMs <= 0) return;
    // The periodic sweep covers this replica's own hosts (src/replicas): a first share is
    // taken before the first pass, without holding up the boot.
    void this.ownership.start().then(() => this.startPeriodicWork());
  }

  private startPeriodicWork(): void {
    if (this.stopping) return;
    // First pass right away: it finishes whatever a crashed process left in flight.
    const tick = () => {
      this.sweeping ??= this.sweep('timer', { owned: true })
        .catch((error: unknown) => this.logger.error({ msg: 'sweep failed', error: String(error) }))
        .finally(() => {
          this.sweeping = null;
        });
    };
    tick();
    this.timer = setInterval(tick, this.config.reconcileIntervalMs);
    this.timer.unref();
    // Watches follow the share (and reconnect) at the ownership's pace, not the sweep's.
    const syncWatches = () =>
      void this.syncWatches().catch((error: unknown) => this.logger.warn({ msg: 'guest watches not synced', error: String(error) }));
    syncWatches();
    this.watchTimer = setInterval(
      syncWatches,
      Math.min(this.config.reconcileIntervalMs, Math.max(1000, Math.floor(this.config.hostLeaseMs / 3))),
    );
    this.watchTimer.unref();
  }

  private syncing: Promise<void> | null = null;

  private syncWatches(): Promise<void> {
    this.syncing ??= (async () => {
      const owned = this.ownership.ownedHostIds();
      // Only hosts that answered last time: opening a connection to one that does not answer
      // holds one of libuv's few threads until libvirt gives up, whatever our timeout says.
      const hosts =
        owned === null || this.stopping
          ? []
          : await this.prisma.host.findMany({
              where: { id: { in: owned }, lastError: null, lastHeartbeatAt: { not: null } },
              select: { id: true, uri: true, driverKind: true },
            });
      await this.watches.sync(hosts.map((h) => ({ id: h.id, uri: h.uri, driver: this.drivers.get(fromDbDriverKind(h.driverKind)) })));
    })().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  /**
   * Guests a lifecycle event named: each instance without a task in flight is observed afresh
   * and its state written like a sweep would (drift included). Tasks are their workers' (and
   * the sweep's watchdog's); guests without a row are left to the sweep.
   */
  private async guestsChanged(hostId: string, instanceIds: string[]): Promise<void> {
    if (this.stopping) return;
    const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const instances = await this.prisma.instance.findMany({
      where: { id: { in: instanceIds.filter((id) => uuidLike.test(id)) }, hostId, task: null },
      include: { host: true },
    });
    const report = emptyReport();
    for (const i of instances) {
      if (!i.host || this.stopping) continue;
      const seen = await this.drivers
        .get(fromDbDriverKind(i.driverKind))
        .observe(i.host.uri, guestRefOf(i))
        .catch(() => null);
      if (seen && seen.state !== 'unknown') await this.observe(i, seen, report);
    }
    if (report.drift.length > 0) this.logger.log({ msg: 'drift seen from lifecycle events', drift: report.drift });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    // Not waiting for a sync under way: subscribing to unreachable hosts takes the call timeout.
    await this.watches.stopAll();
    // Waits only for the host being swept: each host's sweep is whole, the rest are left to
    // the next sweep (of this replica or another).
    await this.sweeping;
  }

  /** One sweep over all hosts (or the given ones). Skipped when another replica is sweeping. */
  async sweep(trigger: 'timer' | 'admin', only?: { hostIds?: string[]; owned?: true }): Promise<ReconcileReport> {
    // One sweep at a time in this process (session locks are re-entrant), one per scope
    // fleet-wide: the lock sits on this process's own connection, not on a pooled one held
    // open in a transaction for the length of the sweep.
    const run = this.queue.then(async () => {
      const started = process.hrtime.bigint();
      const report = await this.sweepLocked(trigger, only);
      if (!report.skipped)
        this.metrics.sweepEnded(
          trigger,
          Number(process.hrtime.bigint() - started) / 1e9,
          report.drift.map((d) => d.kind),
        );
      return report;
    });
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private queue: Promise<void> = Promise.resolve();

  private async sweepLocked(trigger: 'timer' | 'admin', scope?: { hostIds?: string[]; owned?: true }): Promise<ReconcileReport> {
    const report = emptyReport();
    // A replica's own share is its own (leases are disjoint); null: it takes no part, every host.
    const owned = scope?.owned ? this.ownership.ownedHostIds() : null;
    const only = owned ? { hostIds: owned } : scope;
    const lockName = owned ? `owned:${this.runner.bootId}` : (only?.hostIds?.slice().sort().join(',') ?? 'all');
    const release = await this.runner.tryJobLock(LockId.ReconcilerSweep, lockName);
    if (!release) return { ...report, skipped: 'another replica is sweeping' as const };
    try {
      const hosts = await this.prisma.host.findMany({ where: only?.hostIds ? { id: { in: only.hostIds } } : undefined });
      // Hosts are taken in chunks: each chunk's instances and extra endpoints are read in two
      // queries (not two per host), late enough that the rows are fresh when their host is
      // listed, and the chunk's hosts are swept a few at a time.
      for (let start = 0; start < hosts.length && !this.stopping; start += SWEEP_CHUNK) {
        const chunk = hosts.slice(start, start + SWEEP_CHUNK);
        const ids = chunk.map((h) => h.id);
        const instancesOf = groupBy(await this.prisma.instance.findMany({ where: { hostId: { in: ids } } }), (i) => i.hostId!);
        const endpointsOf = groupBy(
          await this.prisma.hostEndpoint.findMany({
            where: { hostId: { in: ids } },
            orderBy: { createdAt: 'asc' },
            select: { hostId: true, driverKind: true, uri: true },
          }),
          (e) => e.hostId,
        );
        await mapBounded(chunk, this.config.reconcileHostConcurrency, async (host) => {
          if (this.stopping) return;
          report.hosts++;
          try {
            await this.sweepHost(host, instancesOf.get(host.id) ?? [], endpointsOf.get(host.id) ?? [], report);
          } catch (error) {
            // One host's trouble must not stop the sweep of the others.
            this.logger.error({ msg: 'host sweep failed', host: host.name, error: String(error) });
            await this.prisma.host
              .update({ where: { id: host.id }, data: { lastError: `sweep failed: ${String(error)}`.slice(0, 2000) } })
              .catch(() => undefined);
          }
        });
      }
      if (this.stopping && report.hosts < hosts.length) {
        report.stoppedEarly = { sweptHosts: report.hosts, totalHosts: hosts.length };
        this.logger.log({ msg: 'sweep stopped for shutdown', ...report.stoppedEarly });
      }
      if (trigger === 'admin' || report.drift.length > 0 || report.resolvedTasks.length > 0) {
        await this.events.record(this.prisma, { kind: 'audit', message: `reconcile sweep (${trigger})`, data: { ...report } });
      }
      return report;
    } finally {
      await release();
    }
  }

  /**
   * Every driver endpoint of the host is listed: one machine's guests are those of all its
   * drivers (a QEMU+LXC daemon), and its foreign guests are counted once, for the machine.
   */
  private async sweepHost(
    host: Host,
    instances: Instance[],
    endpointRows: Array<{ driverKind: Host['driverKind']; uri: string }>,
    report: ReconcileReport,
  ): Promise<void> {
    // The host row carries its first endpoint (as throughEndpoint reads it); the others are rows of their own.
    const endpoints = [{ driverKind: host.driverKind, uri: host.uri }, ...endpointRows.filter((e) => e.driverKind !== host.driverKind)];
    // A guest seen through several endpoints (libvirt's test driver serves every driver on one URI) is one guest.
    const seen = new Map<string, { guest: ObservedGuest; kind: Host['driverKind'] }>();
    const failed: Array<{ kind: Host['driverKind']; error: unknown }> = [];
    for (const endpoint of endpoints) {
      try {
        for (const guest of await this.drivers.get(fromDbDriverKind(endpoint.driverKind)).listGuests(endpoint.uri)) {
          if (!seen.has(guest.instanceId)) seen.set(guest.instanceId, { guest, kind: endpoint.driverKind });
        }
      } catch (error) {
        failed.push({ kind: endpoint.driverKind, error });
      }
    }
    if (failed.length > 0 && failed.every((f) => isLocallyBusy(f.error))) {
      // This process had no connection slot free for it: the host is left as it is, for the next sweep.
      this.logger.warn({ msg: 'host not swept: no connection slot free', host: host.name });
      return;
    }
    if (failed.length > 0) {
      report.unreachableHosts.push(host.name);
      // Unknown is said only of the instances behind an endpoint that did not answer; the host
      // goes offline only when none did.
      const failedKinds = new Set(failed.map((f) => f.kind));
      await this.hostUnreachable(
        host,
        instances.filter((i) => failedKinds.has(i.driverKind)),
        failed[0]!.error,
        failed.length === endpoints.length,
      );
      if (failed.length === endpoints.length) return;
      // The answering endpoints' guests are still reconciled; foreign usage waits for a full listing.
      await this.reconcileGuests(
        host,
        instances.filter((i) => !failedKinds.has(i.driverKind)),
        seen,
        report,
        false,
      );
      return;
    }
    await this.reconcileGuests(host, instances, seen, report, true);
  }

  private async reconcileGuests(
    host: Host,
    instances: Instance[],
    seen: Map<string, { guest: ObservedGuest; kind: Host['driverKind'] }>,
    report: ReconcileReport,
    complete: boolean,
  ): Promise<void> {
    const guests = [...seen.values()].map((s) => s.guest);
    // A complete listing is the host's heartbeat and its foreign guests, written together; an
    // incomplete one writes nothing here (hostUnreachable wrote what is known).
    if (complete) await this.hostAnswered(host, guests, report);
    const byId = new Map(guests.map((g) => [g.instanceId, g]));
    // Instances seen as they were recorded only get their observedAt moved, in one write.
    const unchanged: string[] = [];
    for (const i of instances) {
      try {
        if (i.task) {
          await this.watchTask(i, report);
          continue;
        }
        const g = byId.get(i.id);
        const state: ObservedState = g ? { state: g.state, reason: g.reason } : { state: 'missing', reason: 'not-defined' };
        if (sameObservation(i, state)) unchanged.push(i.id);
        else await this.observe(i, state, report);
      } catch (error) {
        this.logger.error({ msg: 'instance reconcile failed', instance: i.name, error: String(error) });
      }
    }
    if (unchanged.length > 0) await this.prisma.instance.updateMany({ where: { id: { in: unchanged } }, data: { observedAt: new Date() } });
    const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    // Managed guests this host's rows do not account for: usually none, so usually no query.
    const onHost = new Set(instances.map((i) => i.id));
    const unaccounted = guests.filter((g) => g.managed && !onHost.has(g.instanceId));
    const lookup = unaccounted.map((g) => g.instanceId).filter((id) => uuidLike.test(id));
    const known =
      lookup.length === 0
        ? new Set<string>()
        : new Set((await this.prisma.instance.findMany({ where: { id: { in: lookup } }, select: { id: true } })).map((r) => r.id));
    const strays = unaccounted.filter((g) => !known.has(g.instanceId));
    // A stray that one of our creates defined (this database has its create operation) is an
    // orphan of a create whose row is gone: removed. Any other (another deployment's, or
    // defined by hand) is reported and left alone.
    const strayIds = strays.map((g) => g.instanceId).filter((id) => uuidLike.test(id));
    const createdHere = new Set(
      strayIds.length === 0
        ? []
        : (
            await this.prisma.operation.findMany({
              where: { kind: 'create', targetType: 'instance', targetId: { in: strayIds } },
              select: { targetId: true },
            })
          ).map((o) => o.targetId),
    );
    for (const g of strays) {
      if (createdHere.has(g.instanceId) && (await this.removeOrphan(host, seen.get(g.instanceId)!.kind, g))) {
        report.removedOrphans.push(`${host.name}/${g.name}`);
        continue;
      }
      report.unknownGuests.push(`${host.name}/${g.name}`);
      await this.prisma.$transaction((tx) =>
        this.events.record(tx, {
          kind: 'drift',
          hostId: host.id,
          message: `guest ${g.name} on ${host.name} carries virtfleet metadata but has no instance row`,
          data: { guest: g.name, instanceId: g.instanceId, state: g.state },
        }),
      );
    }
  }

  /**
   * The host listed all its guests: its heartbeat, and the guests without virtfleet metadata.
   * Those are not ours: never touched, but their size is stored on the host (what the active
   * ones take counts against its capacity) and they are reported. Only "offline" is the
   * reconciler's own verdict, so only it is lifted here; maintenance, draining and standby are
   * the operator's and survive a blip. One UPDATE of the host row; a transaction only when an
   * event goes with it.
   */
  private async hostAnswered(host: Host, guests: ObservedGuest[], report: ReconcileReport): Promise<void> {
    const foreign: ForeignGuest[] = guests
      .filter((g) => !g.managed)
      .map((g) => ({
        uuid: g.instanceId,
        name: g.name,
        state: g.state,
        vcpus: g.vcpus,
        memoryMiB: g.memoryMiB,
        active: isActiveForeignState(g.state),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const g of foreign) {
      report.unknownGuests.push(`${host.name}/${g.name}`);
      report.foreignGuests.push({ host: host.name, hostId: host.id, ...g });
    }
    const kind = fromDbDriverKind(host.driverKind);
    const usage = host.simulated ? { vcpus: 0, memoryMiB: 0 } : foreignUsage(foreign, (g) => this.config.overhead.overheadMiB(kind, g));
    // Compared field by field: JSONB does not keep key order.
    const summary = (list: ForeignGuest[]) =>
      list
        .map((g) => `${g.uuid} ${g.name} ${g.state} ${g.vcpus} ${g.memoryMiB}`)
        .sort()
        .join('\n');
    const changed = summary(foreignGuestsOf(host)) !== summary(foreign);
    const usageChanged = usage.vcpus !== host.foreignVcpus || usage.memoryMiB !== host.foreignMemoryMiB;
    const reachableAgain = host.state === 'offline';
    const now = new Date();
    const data: Prisma.HostUpdateInput = {
      lastHeartbeatAt: now,
      lastError: null,
      foreignGuests: foreign as unknown as Prisma.InputJsonValue,
      foreignVcpus: usage.vcpus,
      foreignMemoryMiB: usage.memoryMiB,
      foreignObservedAt: now,
      ...(reachableAgain ? { state: 'enabled', version: { increment: 1 } } : {}),
    };
    if (!reachableAgain && !changed) {
      await this.prisma.host.update({ where: { id: host.id }, data });
    } else {
      await this.prisma.$transaction(async (tx) => {
        await tx.host.update({ where: { id: host.id }, data });
        if (reachableAgain) {
          await this.events.record(tx, {
            kind: 'host.reachable',
            hostId: host.id,
            message: `host ${host.name} answers again: offline -> enabled`,
          });
        }
        if (changed) {
          await this.events.record(tx, {
            kind: 'drift',
            hostId: host.id,
            message: `host ${host.name}: ${foreign.length} guest(s) virtfleet did not define, taking ${usage.vcpus} vCPUs / ${usage.memoryMiB} MiB`,
            data: { foreignGuests: foreign.map((g) => ({ name: g.name, uuid: g.uuid, state: g.state })), foreignUsage: usage },
          });
        }
      });
    }
    // This process's placement snapshot must not rank on the old free capacity (pick_host would
    // still refuse an overfull host, but as a lost race instead of "no valid host").
    if (usageChanged) this.placement.invalidate();
  }

  /** Remove an orphan domain (re-checking that no row appeared meanwhile); true when it is gone. */
  private async removeOrphan(host: Host, kind: Host['driverKind'], g: ObservedGuest): Promise<boolean> {
    if (await this.prisma.instance.findUnique({ where: { id: g.instanceId }, select: { id: true } })) return false;
    const gone = await this.workflows.removeDomain(host, fromDbDriverKind(kind), { id: g.instanceId, name: g.name });
    await this.prisma.$transaction((tx) =>
      this.events.record(tx, {
        kind: 'drift',
        hostId: host.id,
        message: gone
          ? `orphan guest ${g.name} on ${host.name} (defined by a create whose instance row is gone) removed`
          : `orphan guest ${g.name} on ${host.name} could not be removed yet`,
        data: { drift: 'orphan', guest: g.name, instanceId: g.instanceId, state: g.state, removed: gone },
      }),
    );
    return gone;
  }

  private async observe(i: Instance, seen: ObservedState, report: ReconcileReport): Promise<void> {
    const before = fromDbPowerState(i.observedState);
    if (sameObservation(i, seen)) {
      await this.prisma.instance.update({ where: { id: i.id }, data: { observedAt: new Date() } });
      return;
    }
    const drift = driftOf(i.desiredState, before, seen.state);
    await this.prisma.$transaction(async (tx) => {
      const won = await tx.instance.updateMany({
        where: { id: i.id, version: i.version, task: null },
        data: {
          observedState: toDbPowerState(seen.state),
          observedReason: seen.reason.slice(0, 64),
          observedAt: new Date(),
          version: { increment: 1 },
        },
      });
      if (won.count === 0) return; // an action started meanwhile; its own outcome will be written
      report.stateChanges++;
      await this.events.record(tx, {
        kind: 'instance.state',
        instanceId: i.id,
        hostId: i.hostId ?? undefined,
        message: `${i.name}: ${before} -> ${seen.state} (observed)`,
        data: { from: before, to: seen.state, reason: seen.reason },
      });
      if (drift) {
        report.drift.push({ instance: i.name, kind: drift.kind, detail: drift.detail });
        await this.events.record(tx, {
          kind: 'drift',
          instanceId: i.id,
          hostId: i.hostId ?? undefined,
          message: `${i.name}: ${drift.detail}`,
          data: { drift: drift.kind, desired: i.desiredState, observed: seen.state },
        });
      }
    });
  }

  private async hostUnreachable(host: Host, instances: Instance[], error: unknown, whollyUnreachable = true): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.prisma.$transaction(async (tx) => {
      const takeOffline = whollyUnreachable && host.state === 'enabled';
      await tx.host.update({
        where: { id: host.id },
        data: { lastError: message.slice(0, 2000), ...(takeOffline ? { state: 'offline', version: { increment: 1 } } : {}) },
      });
      if (host.lastError === null) {
        await this.events.record(tx, {
          kind: 'host.unreachable',
          hostId: host.id,
          message: `host ${host.name} unreachable${takeOffline ? ': enabled -> offline' : ` (stays ${host.state})`}`,
          data: { error: message },
        });
      }
      for (const i of instances) {
        if (i.task || i.observedState === 'unknown') continue;
        // We do not know what the guests do; "unknown", not "stopped".
        await tx.instance.update({
          where: { id: i.id },
          data: { observedState: 'unknown', observedReason: 'host-unreachable', observedAt: new Date(), version: { increment: 1 } },
        });
        await this.events.record(tx, {
          kind: 'instance.state',
          instanceId: i.id,
          hostId: host.id,
          message: `${i.name}: ${fromDbPowerState(i.observedState)} -> unknown (host unreachable)`,
        });
      }
    });
  }

  /** A task whose runner died, or whose deadline passed, is ended from what libvirt observes. */
  private async watchTask(i: Instance, report: ReconcileReport): Promise<void> {
    const op = i.taskOperationId ? await this.prisma.operation.findUnique({ where: { id: i.taskOperationId } }) : null;
    const overdue = i.taskDeadline !== null && i.taskDeadline.getTime() < Date.now();
    const ownIdle =
      op !== null &&
      op.runner === this.runner.bootId &&
      !this.workflows.isInFlight(op.id) &&
      Date.now() - op.createdAt.getTime() > OWN_TASK_GRACE_MS;
    const orphaned = ownIdle || (await this.runner.isDead(op?.runner ?? null));
    if (!overdue && !orphaned) return;
    const why = ownIdle
      ? 'interrupted: its worker stopped before finishing it'
      : orphaned
        ? 'interrupted: the process running it is gone'
        : `deadline ${i.taskDeadline?.toISOString()} passed`;
    const outcome = await this.resolveTask(i, why);
    report.resolvedTasks.push({ instance: i.name, task: i.task!, outcome });
  }

  /** Decide an unfinished task from libvirt's truth. Returns what was decided. */
  async resolveTask(i: Instance, why: string): Promise<string> {
    const driver = this.drivers.get(fromDbDriverKind(i.driverKind));
    const opId = i.taskOperationId!;
    if (i.task === 'migrating') await this.workflows.settleMigration(i, opId);
    // An attach that did not end: its volume's claim goes unless the stored spec names the disk.
    if (i.task === 'reconfiguring') await this.workflows.releaseUnusedAttachments(i.id);
    const current = await this.prisma.instance.findUniqueOrThrow({ where: { id: i.id }, include: { host: true } });
    const through = current.host ? await throughEndpoint(this.prisma, current.host, i.driverKind).catch(() => null) : null;
    const seen: ObservedState = through ? await driver.observe(through.uri, guestRefOf(i)) : { state: 'unknown', reason: 'no host' };
    if (seen.state === 'unknown') return 'left in place: host unreachable'; // decide when we can see
    // A delete (or a failed create's clean-up) is carried through: it was decided.
    if (i.task === 'deleting') return this.workflows.finishDeleting(i, opId, `${i.task} ${why}`);
    const reached = taskReached(i.task!, i.desiredState, seen.state);
    if (i.task === 'creating' && !reached) {
      // A create that did not get where it was asked to is rolled back like a failed one: its
      // operation says failed, so no instance (and no domain) may stay behind.
      const outcome = await this.workflows.rollBackCreate(current, opId, { message: why });
      return outcome === 'rolled back' ? `failed and rolled back (${seen.state})` : 'failed; clean-up pending';
    }
    await this.workflows.finishTask(
      i.id,
      opId,
      seen,
      reached ? 'succeeded' : 'failed',
      `${i.name}: ${i.task} ${why}; libvirt says ${seen.state}`,
      reached ? undefined : { message: why },
    );
    return reached ? `succeeded (${seen.state})` : `failed (${seen.state})`;
  }
}

/** Whether what libvirt shows is what the task was for. */
function taskReached(task: string, desired: string, seen: PowerState): boolean {
  switch (task) {
    case 'creating':
      return desired === 'running' ? seen === 'running' : seen === 'shutoff';
    case 'starting':
    case 'resuming':
    case 'rebooting':
      return seen === 'running';
    case 'stopping':
      return seen === 'shutoff';
    case 'suspending':
      return seen === 'paused';
    default:
      return false;
  }
}

/** A report with nothing in it yet, filled in as hosts are swept. */
/** libvirt says what the row says already: only the time it was last seen changes. */
function sameObservation(i: Instance, seen: ObservedState): boolean {
  return fromDbPowerState(i.observedState) === seen.state && (i.observedReason ?? '') === seen.reason.slice(0, 64);
}

function groupBy<T>(rows: T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

function emptyReport(): ReconcileReport {
  return {
    hosts: 0,
    unreachableHosts: [],
    stateChanges: 0,
    drift: [],
    resolvedTasks: [],
    unknownGuests: [],
    removedOrphans: [],
    foreignGuests: [],
  };
}
