// Lifecycle-event subscriptions on the hosts this replica owns (issue #18): a guest started,
// stopped or crashed behind virtfleet's back is observed within moments instead of at the next
// sweep. Events only say "look at this guest"; what it is comes from libvirt again (observe),
// and the periodic sweep stays the safety net for events lost with a connection. Events are
// gathered per host for a short while, so a burst costs one look per guest.
import { Logger } from '@nestjs/common';
import type { GuestWatch, HypervisorDriver } from '../hypervisor/hypervisor-driver.js';

/** Events for one host are gathered this long before its guests are looked at. */
const GATHER_MS = 100;

/** Subscriptions opened in parallel by one sync: fewer than libuv's threads (4 by default), which the sweep needs too. */
const SUBSCRIBING_AT_ONCE = 2;

export interface WatchedHost {
  id: string;
  uri: string;
  driver: HypervisorDriver;
}

export class GuestWatches {
  private readonly logger = new Logger('GuestWatches');
  private readonly watches = new Map<string, { uri: string; watch: GuestWatch }>();
  private readonly pending = new Map<string, Set<string>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** One batch at a time per process: events never fan out into unbounded parallel work. */
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly onGuestsChanged: (hostId: string, instanceIds: string[]) => Promise<void>) {}

  /** Watch exactly `hosts`: new ones (and ones whose connection ended) are subscribed, others stopped. */
  async sync(hosts: WatchedHost[]): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map(hosts.map((h) => [h.id, h]));
    for (const [hostId, w] of this.watches) {
      const host = wanted.get(hostId);
      if (host && host.uri === w.uri && w.watch.active()) continue;
      this.watches.delete(hostId);
      await w.watch.stop();
    }
    // A few at a time: an unreachable host takes the call timeout to fail.
    const missing = hosts.filter((h) => !this.watches.has(h.id));
    const subscribe = async () => {
      for (let host = missing.shift(); host !== undefined && !this.stopped; host = missing.shift()) {
        try {
          const id = host.id;
          const watch = await host.driver.watchGuests(host.uri, (instanceId) => this.changed(id, instanceId));
          if (this.stopped) await watch.stop();
          else this.watches.set(host.id, { uri: host.uri, watch });
        } catch (error) {
          // Unreachable now: the sweep marks it so, and the next sync tries again.
          this.logger.debug({ msg: 'cannot watch host', hostId: host.id, error: String(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: SUBSCRIBING_AT_ONCE }, subscribe));
  }

  get watched(): number {
    return this.watches.size;
  }

  /** Stops every watch; a sync under way stops subscribing (one host's attempt may still finish on its own). */
  async stopAll(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    const all = [...this.watches.values()];
    this.watches.clear();
    await Promise.all(all.map((w) => w.watch.stop()));
    await this.queue;
  }

  private changed(hostId: string, instanceId: string): void {
    if (this.stopped) return;
    let ids = this.pending.get(hostId);
    if (!ids) this.pending.set(hostId, (ids = new Set()));
    ids.add(instanceId);
    if (this.timers.has(hostId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(hostId);
      const batch = [...(this.pending.get(hostId) ?? [])];
      this.pending.delete(hostId);
      this.queue = this.queue
        .then(() => this.onGuestsChanged(hostId, batch))
        .catch((error: unknown) => {
          this.logger.warn({ msg: 'reacting to guest events failed', hostId, error: String(error) });
        });
    }, GATHER_MS);
    timer.unref();
    this.timers.set(hostId, timer);
  }
}
