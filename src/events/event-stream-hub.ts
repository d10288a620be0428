// One reader per process follows the events table for every event stream: each tick it asks
// PostgreSQL once for rows above the newest id it has seen and for the holes below it (late
// commits), and hands each stream the rows its filter wants. A stream costs no query of its own
// however many are open (each used to poll twice every 250 ms, which starved the connection
// pool for every other request). Polling sees rows whoever wrote them (another replica, a
// script). LISTEN/NOTIFY was measured and rejected: a transaction that notifies holds a
// cluster-wide lock through its commit's WAL flush, which took event-writing commits from
// 2,400–4,800/s to 420–600/s with 20 writers here, and every mutating request writes an event.
// The reader uses the shared pool, so it rides out PostgreSQL restarts: a failed tick is
// retried with backoff and then catches up from where it stood.
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TooManyRequestsError } from '../common/domain-errors.js';
import { outsideRequest } from '../common/request-context.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { EventDto } from './dto/event.dto.js';
import { EventCursor, eventMatches, type StreamFilter } from './event-stream.js';
import { eventsAfter, matchingEventsAfter, newestEventIds } from './events-store.js';

/** How often the reader asks for new rows while any stream is open. */
export const EVENT_POLL_INTERVAL_MS = 250;
/** How far below the newest id seen a late commit is still waited for. */
const LOOKBACK_IDS = 1000n;
const PAGE_ROWS = 500;
const RETRY_MAX_MS = 5_000;
/** What a client refused for too many streams is told to wait: a stream's end frees a place. */
const STREAM_CAP_RETRY_AFTER_S = 10;

export interface EventSink {
  next(event: EventDto): void;
  error(error: unknown): void;
  complete(): void;
}

interface Subscriber {
  filter: StreamFilter;
  sink: EventSink;
  /** While a resumed stream replays what was written before it opened: live events wait here. */
  replay: { waiting: EventDto[]; replayed: Set<string> } | null;
  /** Replayed ids the reader has yet to pass (late commits it still waits for): not to be sent twice. */
  skip?: Set<string>;
}

@Injectable()
export class EventStreamHub implements BeforeApplicationShutdown {
  private readonly logger = new Logger('EventStream');
  private readonly subscribers = new Set<Subscriber>();
  private readonly streamsByOwner = new Map<string, number>();
  private streams = 0;

  /** Null while no stream is open: an idle process asks nothing. */
  private cursor: EventCursor | null = null;
  private ready!: Promise<void>;
  private markReady: () => void = () => undefined;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
  ) {
    this.resetReady();
  }

  /**
   * Takes a place for one more stream of `owner` (an API key), or throws 429 when the key or the
   * process holds its most. Returns the function that frees the place (once).
   */
  admit(owner: { id: string; name: string }): () => void {
    const { perKey, max } = this.config.eventStreams;
    const held = this.streamsByOwner.get(owner.id) ?? 0;
    if (held >= perKey)
      throw new TooManyRequestsError(
        `${owner.name} holds ${held} event streams, the most one API key may (EVENT_STREAMS_PER_KEY)`,
        STREAM_CAP_RETRY_AFTER_S,
      );
    if (this.streams >= max)
      throw new TooManyRequestsError(
        `this API process serves ${max} event streams, its most (EVENT_STREAMS_MAX)`,
        STREAM_CAP_RETRY_AFTER_S,
      );
    this.streamsByOwner.set(owner.id, held + 1);
    this.streams++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.streams--;
      const left = (this.streamsByOwner.get(owner.id) ?? 1) - 1;
      if (left > 0) this.streamsByOwner.set(owner.id, left);
      else this.streamsByOwner.delete(owner.id);
    };
  }

  /** Sends `sink` every new event matching `filter` (first those after `filter.after`, if set). Returns the unsubscribe. */
  subscribe(filter: StreamFilter, sink: EventSink): () => void {
    const subscriber: Subscriber = { filter, sink, replay: filter.after === undefined ? null : { waiting: [], replayed: new Set() } };
    this.subscribers.add(subscriber);
    // The first stream's request starts the reader, which outlives it (and must not log as it).
    if (!this.timer && !this.stopped) outsideRequest(() => this.schedule(0));
    if (subscriber.replay) {
      this.replay(subscriber).catch((error: unknown) => {
        if (this.subscribers.delete(subscriber)) sink.error(error);
      });
    }
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  beforeApplicationShutdown(): void {
    // Open streams would hold the HTTP server's close; end them first.
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const s of this.subscribers) s.sink.complete();
    this.subscribers.clear();
  }

  private resetReady(): void {
    this.ready = new Promise<void>((resolve) => {
      this.markReady = resolve;
    });
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.subscribers.size === 0) {
      // Idle: forget the position, so the next first stream starts from the newest row.
      this.timer = null;
      this.cursor = null;
      this.resetReady();
      return;
    }
    let full = false;
    try {
      if (!this.cursor) {
        this.cursor = await this.start();
        this.markReady();
      }
      full = (await this.readNew(this.cursor)) === PAGE_ROWS;
      if (this.failures > 0) this.logger.log({ msg: 'event reader reads again', failedTicks: this.failures });
      this.failures = 0;
    } catch (error) {
      if (this.failures === 0) this.logger.warn({ msg: 'event reader cannot read PostgreSQL; retrying', error: String(error) });
      this.failures++;
    }
    if (this.stopped) return;
    // A full page means more is waiting: read on at once. After failures, back off.
    this.schedule(
      full ? 0 : this.failures > 0 ? Math.min(EVENT_POLL_INTERVAL_MS * 2 ** this.failures, RETRY_MAX_MS) : EVENT_POLL_INTERVAL_MS,
    );
  }

  /** The cursor after the newest row, waiting for the holes below it (transactions still in flight). */
  private async start(): Promise<EventCursor> {
    return EventCursor.after(await newestEventIds(this.prisma, LOOKBACK_IDS), LOOKBACK_IDS);
  }

  /** One query for every stream: rows above the newest seen, and the holes that filled. Returns the rows read. */
  private async readNew(cursor: EventCursor): Promise<number> {
    const holes = cursor.waitingFor().map(String);
    const rows = await eventsAfter(this.prisma, cursor.highest, holes, PAGE_ROWS);
    const fresh = new Set(cursor.accept(rows.map((r) => BigInt(r.id))).map(String));
    for (const row of rows) {
      if (!fresh.has(row.id)) continue;
      const event: EventDto = row;
      for (const s of this.subscribers) {
        if (!eventMatches(s.filter, event)) continue;
        if (s.replay) s.replay.waiting.push(event);
        else if (!s.skip?.delete(event.id)) s.sink.next(event);
      }
    }
    return rows.length;
  }

  /** What a resumed stream missed, page by page once the reader has its position; then the live events that waited. */
  private async replay(subscriber: Subscriber): Promise<void> {
    await this.ready;
    const { instanceId = null, hostId = null, kind = null } = subscriber.filter;
    let after = subscriber.filter.after!;
    for (;;) {
      if (!this.subscribers.has(subscriber)) return;
      const rows = await matchingEventsAfter(this.prisma, after, { instanceId, hostId, kind }, PAGE_ROWS);
      for (const row of rows) {
        subscriber.replay!.replayed.add(row.id);
        subscriber.sink.next(row);
      }
      if (rows.length < PAGE_ROWS) break;
      after = BigInt(rows.at(-1)!.id);
    }
    const { waiting, replayed } = subscriber.replay!;
    subscriber.replay = null;
    for (const e of waiting) if (!replayed.has(e.id)) subscriber.sink.next(e);
    const cursor = this.cursor;
    if (cursor) {
      const holes = new Set(cursor.waitingFor().map(String));
      subscriber.skip = new Set([...replayed].filter((id) => BigInt(id) > cursor.highest || holes.has(id)));
    }
  }
}
