// Hosts sharded across replicas (issue #18): every API process that runs the periodic sweep
// owns a share of the hosts, and only its own share is swept, probed for readiness and kept
// connected. Every lease period / 3 it heartbeats, reaps replicas that are gone (runner lock
// free: at once; heartbeat older than the lease time: a hung or cut-off process), and
// rebalances (host-lease-store.ts). So a replica that joins gets its share within two turns,
// and a dead replica's hosts are taken within one turn of a survivor (SIGKILL) or the lease time
// plus one turn (hung). Operations on any host still run wherever they are asked: ownership
// decides only who does the periodic work.
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LibvirtPoolService } from '../hypervisor/hypervisor.module.js';
import { RunnerIdentityService } from '../operations/runner-identity.service.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { HostLeaseStore, type OwnedHost } from './host-lease-store.js';

/** A connection to a host this replica does not own is closed once idle this long. */
const FOREIGN_CONNECTION_IDLE_MS = 60_000;

@Injectable()
export class HostOwnershipService implements BeforeApplicationShutdown {
  /** Replicas with a periodic sweep take part; the others (admin tools, tests) own nothing and watch every host. */
  readonly sharded: boolean;
  private readonly logger = new Logger('HostOwnership');
  private readonly store: HostLeaseStore;
  private readonly turnMs: number;
  private owned = new Map<string, string>();
  /** performance.now() until which the owned set holds: the last heartbeat's start + the lease time. */
  private validUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private turning: Promise<void> | null = null;
  private started: Promise<void> | null = null;
  private stopped = false;

  constructor(
    prisma: PrismaService,
    private readonly runner: RunnerIdentityService,
    private readonly pool: LibvirtPoolService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.sharded = config.reconcileIntervalMs > 0;
    this.store = new HostLeaseStore(prisma, config.hostLeaseMs);
    this.turnMs = Math.max(300, Math.floor(config.hostLeaseMs / 3));
  }

  /** Joins the replicas and takes a first share (once; later calls wait for that). */
  start(): Promise<void> {
    if (!this.sharded) return Promise.resolve();
    this.started ??= this.turn().then(() => this.schedule());
    return this.started;
  }

  /** Ids of the hosts this replica owns now; null when it does not take part (every host is its concern). */
  ownedHostIds(): string[] | null {
    if (!this.sharded) return null;
    return performance.now() < this.validUntil ? [...this.owned.keys()] : [];
  }

  /** Hosts this replica owns now (id and URI); null when it does not take part. */
  ownedHosts(): OwnedHost[] | null {
    if (!this.sharded) return null;
    return performance.now() < this.validUntil ? [...this.owned].map(([id, uri]) => ({ id, uri })) : [];
  }

  /** One heartbeat-reap-rebalance turn now (also what the timer runs). */
  turn(): Promise<void> {
    this.turning ??= this.turnOnce().finally(() => {
      this.turning = null;
    });
    return this.turning;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.sharded || this.started === null) return;
    await this.turning?.catch(() => undefined);
    this.owned.clear();
    this.validUntil = 0;
    // Hand the hosts over now rather than after the lease time.
    await this.store
      .leave(this.runner.bootId)
      .catch((error: unknown) => this.logger.warn({ msg: 'could not release host leases', error: String(error) }));
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.turn().finally(() => this.schedule()), this.turnMs);
    this.timer.unref();
  }

  private async turnOnce(): Promise<void> {
    if (this.stopped) return;
    const began = performance.now();
    const me = this.runner.bootId;
    try {
      // Registered first: the others must never see our heartbeat without our runner lock.
      if (!(await this.runner.ensureRegistered())) throw new Error('runner lock not held (PostgreSQL unreachable)');
      await this.store.heartbeat(me);
      const others = await this.store.otherReplicas(me);
      const dead: string[] = [];
      for (const o of others) if (await this.runner.isDead(o.bootId)) dead.push(o.bootId);
      const reaped = await this.store.reap(
        dead,
        others.filter((o) => o.stale && !dead.includes(o.bootId)).map((o) => o.bootId),
      );
      if (reaped > 0) this.logger.log({ msg: 'replicas gone; their hosts are being taken over', replicas: reaped });
      const hosts = await this.store.rebalance(me);
      const before = this.owned.size;
      this.owned = new Map(hosts.map((h) => [h.id, h.uri]));
      this.validUntil = began + this.config.hostLeaseMs;
      if (this.owned.size !== before) this.logger.log({ msg: 'host share changed', owned: this.owned.size, was: before });
      const uris = new Set(this.owned.values());
      this.pool.closeIdle((uri) => !uris.has(uri), FOREIGN_CONNECTION_IDLE_MS);
    } catch (error) {
      this.logger.warn({ msg: 'host lease turn failed', error: String(error) });
    }
  }
}
