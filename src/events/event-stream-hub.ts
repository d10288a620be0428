// One PostgreSQL listener per process serves every event stream. A trigger (migration
// events_notify) notifies the channel at each commit that wrote events, naming the ids; the
// listener reads those rows once per batch on its own connection and hands each stream the
// ones its filter wants. Streams cost no query of their own, however many are open (each used
// to poll every 250 ms, which starved the connection pool for every other request).
// Commits arrive out of id order (ids come from a sequence, commits finish when they finish);
// a notification names its own ids, so a late commit is read when it lands. After the listener
// loses its connection (a PostgreSQL restart), it reconnects with backoff and reads everything
// above the last id seen minus a lookback window, skipping what it already delivered.
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TooManyRequestsError } from '../common/domain-errors.js';
import { outsideRequest } from '../common/request-context.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { EventDto } from './dto/event.dto.js';
import { batchRanges, eventMatches, type IdRange, parseNotification, type StreamFilter } from './event-stream.js';

/** The channel the events_notify trigger notifies. */
const CHANNEL = 'virtfleet_events';
/** The listener's application_name, as pg_stat_activity shows it. */
export const LISTENER_APPLICATION_NAME = 'virtfleet-events';
/** How far below the last id seen a reconnected listener looks for commits it missed. */
const LOOKBACK_IDS = 1000n;
/** Ids one query may cover, so a huge insert is read in bounded pieces. */
const MAX_IDS_PER_QUERY = 1000n;
const PAGE_ROWS = 500;
const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 5_000;
/** What a client refused for too many streams is told to wait: a stream's end frees a place. */
const STREAM_CAP_RETRY_AFTER_S = 10;

const COLUMNS = 'e.id::text AS id, e.at, e.kind, e.instance_id, e.host_id, e.operation_id, e.actor, e.message, e.data';

interface EventRow {
  id: string;
  at: Date;
  kind: string;
  instance_id: string | null;
  host_id: string | null;
  operation_id: string | null;
  actor: string | null;
  message: string;
  data: Record<string, unknown>;
}

const toDto = (r: EventRow): EventDto => ({
  id: r.id, at: r.at, kind: r.kind, instanceId: r.instance_id, hostId: r.host_id, operationId: r.operation_id, actor: r.actor, message: r.message, data: r.data,
});

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
}

@Injectable()
export class EventStreamHub implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('EventStream');
  private readonly subscribers = new Set<Subscriber>();
  private readonly streamsByOwner = new Map<string, number>();
  private streams = 0;

  private client: pg.Client | null = null;
  private readonly lostClients = new WeakSet<pg.Client>();
  private started = false;
  private stopped = false;
  private listening!: Promise<void>;
  private markListening: () => void = () => undefined;
  private reconnectDelayMs = RECONNECT_FIRST_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;

  /** The highest id delivered (or, at first connect, the newest row then). */
  private highest: bigint | null = null;
  /** Ids delivered within the lookback window below `highest`. */
  private readonly delivered = new Set<bigint>();
  private pending: IdRange[] = [];
  private catchUpNeeded = false;
  private draining: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
  ) {
    this.resetListening();
  }

  /**
   * Takes a place for one more stream of `owner` (an API key), or throws 429 when the key or the
   * process holds its most. Returns the function that frees the place (once).
   */
  admit(owner: { id: string; name: string }): () => void {
    const { perKey, max } = this.config.eventStreams;
    const held = this.streamsByOwner.get(owner.id) ?? 0;
    if (held >= perKey) throw new TooManyRequestsError(`${owner.name} holds ${held} event streams, the most one API key may (EVENT_STREAMS_PER_KEY)`, STREAM_CAP_RETRY_AFTER_S);
    if (this.streams >= max) throw new TooManyRequestsError(`this API process serves ${max} event streams, its most (EVENT_STREAMS_MAX)`, STREAM_CAP_RETRY_AFTER_S);
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
    this.start();
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
    for (const s of this.subscribers) s.sink.complete();
    this.subscribers.clear();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      this.lostClients.add(client);
      await client.end().catch(() => undefined);
    }
  }

  /** What a resumed stream missed: read page by page once the listener listens, then the live events that waited. */
  private async replay(subscriber: Subscriber): Promise<void> {
    await this.listening;
    const { instanceId = null, hostId = null, kind = null } = subscriber.filter;
    let after = subscriber.filter.after!;
    for (;;) {
      if (!this.subscribers.has(subscriber)) return;
      const rows = await this.prisma.$queryRaw<EventRow[]>`
        SELECT e.id::text AS id, e.at, e.kind, e.instance_id, e.host_id, e.operation_id, e.actor, e.message, e.data
          FROM events e
         WHERE e.id > ${after}
           AND (${instanceId}::uuid IS NULL OR e.instance_id = ${instanceId}::uuid)
           AND (${hostId}::uuid IS NULL OR e.host_id = ${hostId}::uuid)
           AND (${kind}::text IS NULL OR starts_with(e.kind, ${kind}::text))
         ORDER BY e.id
         LIMIT ${PAGE_ROWS}`;
      for (const row of rows) {
        subscriber.replay!.replayed.add(row.id);
        subscriber.sink.next(toDto(row));
      }
      if (rows.length < PAGE_ROWS) break;
      after = BigInt(rows.at(-1)!.id);
    }
    const { waiting, replayed } = subscriber.replay!;
    subscriber.replay = null;
    for (const e of waiting) if (!replayed.has(e.id)) subscriber.sink.next(e);
  }

  private resetListening(): void {
    this.listening = new Promise<void>((resolve) => {
      this.markListening = resolve;
    });
  }

  private start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    // The first stream's request starts the listener, which outlives it.
    outsideRequest(() => void this.connect());
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.config.databaseUrl, application_name: LISTENER_APPLICATION_NAME, keepAlive: true });
    client.on('notification', (n) => this.onNotification(n.payload));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      // Listening before reading the newest id: whatever commits later is notified.
      if (this.highest === null) {
        const newest = await client.query<{ max: string | null }>('SELECT max(id)::text AS max FROM events');
        this.highest = BigInt(newest.rows[0]?.max ?? '0');
      } else {
        this.catchUpNeeded = true;
        this.logger.log({ msg: 'event listener reconnected; catching up', afterId: String(this.catchUpFloor()) });
      }
      if (this.lostClients.has(client) || this.stopped) return;
      this.client = client;
      this.reconnectDelayMs = RECONNECT_FIRST_MS;
      this.markListening();
      this.drainSoon();
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: pg.Client, error?: unknown): void {
    if (this.lostClients.has(client)) return;
    this.lostClients.add(client);
    if (this.client === client) {
      this.client = null;
      this.resetListening();
    }
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn({ msg: 'event listener lost its PostgreSQL connection; reconnecting', error: error === undefined ? 'connection ended' : String(error), retryInMs: this.reconnectDelayMs });
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), this.reconnectDelayMs);
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, RECONNECT_MAX_MS);
  }

  private onNotification(payload: string | undefined): void {
    const range = parseNotification(payload);
    if (!range) return;
    this.pending.push(range);
    this.drainSoon();
  }

  /** One reader at a time: notifications that arrive while it reads are read together next. */
  private drainSoon(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.client && (this.catchUpNeeded || this.pending.length > 0)) {
      const client = this.client;
      const ranges = this.pending;
      this.pending = [];
      const catchUp = this.catchUpNeeded;
      this.catchUpNeeded = false;
      try {
        if (catchUp) await this.catchUp(client);
        for (const batch of batchRanges(ranges, MAX_IDS_PER_QUERY)) {
          const rows = await client.query<EventRow>(
            `SELECT ${COLUMNS} FROM unnest($1::int8[], $2::int8[]) AS r(lo, hi) JOIN events e ON e.id BETWEEN r.lo AND r.hi ORDER BY e.id`,
            [batch.map((r) => r.lo.toString()), batch.map((r) => r.hi.toString())],
          );
          this.deliver(rows.rows);
        }
      } catch (error) {
        // Read again later: after a reconnect (the usual cause), or with the next notification.
        this.pending.push(...ranges);
        this.catchUpNeeded ||= catchUp;
        if (this.client === client) this.logger.warn({ msg: 'reading new events failed', error: String(error) });
        return;
      }
    }
  }

  private async catchUp(client: pg.Client): Promise<void> {
    let after = this.catchUpFloor();
    for (;;) {
      const rows = await client.query<EventRow>(`SELECT ${COLUMNS} FROM events e WHERE e.id > $1 ORDER BY e.id LIMIT ${PAGE_ROWS}`, [after.toString()]);
      this.deliver(rows.rows);
      if (rows.rows.length < PAGE_ROWS) return;
      after = BigInt(rows.rows.at(-1)!.id);
    }
  }

  /** A reconnected listener reads every id above this: the last one seen, less the lookback window. */
  private catchUpFloor(): bigint {
    const highest = this.highest ?? 0n;
    return highest > LOOKBACK_IDS ? highest - LOOKBACK_IDS : 0n;
  }

  private deliver(rows: readonly EventRow[]): void {
    for (const row of rows) {
      const id = BigInt(row.id);
      if (this.delivered.has(id)) continue;
      this.delivered.add(id);
      if (this.highest === null || id > this.highest) this.highest = id;
      const event = toDto(row);
      for (const s of this.subscribers) {
        if (!eventMatches(s.filter, event)) continue;
        if (s.replay) s.replay.waiting.push(event);
        else s.sink.next(event);
      }
    }
    if (this.highest !== null && this.delivered.size > Number(LOOKBACK_IDS)) {
      for (const id of this.delivered) if (id <= this.highest - LOOKBACK_IDS) this.delivered.delete(id);
    }
  }
}
