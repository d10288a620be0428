// History (audit, state changes, drift) as a filtered list, and as a server-sent-events stream
// that follows new rows through the process's one PostgreSQL listener (EventStreamHub), so it
// sees events of every replica.
import { Controller, Get, Inject, MessageEvent, Query, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import type { Event, Prisma } from '../generated/prisma/client.js';
import { ApiProblemResponses, ApiKeyProtected } from '../common/api-problem-responses.js';
import { Keyset } from '../common/pagination.js';
import { currentCaller } from '../common/request-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { EventFilterQuery, EventPageDto, ListEventsQuery, type EventDto } from './dto/event.dto.js';
import type { StreamFilter } from './event-stream.js';
import { EventStreamHub } from './event-stream-hub.js';

const EVENT_PAGES = new Keyset('events', 'id', 'bigint');

const toDto = (e: Event): EventDto => ({
  id: e.id.toString(),
  at: e.at,
  kind: e.kind,
  instanceId: e.instanceId,
  hostId: e.hostId,
  operationId: e.operationId,
  actor: e.actor,
  message: e.message,
  data: e.data as Record<string, unknown>,
});

@ApiTags('events')
@ApiKeyProtected()
@Controller({ path: 'events', version: '1' })
export class EventsController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly hub: EventStreamHub,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Events, filtered: newest first for browsing, or oldest first (`order=asc`, the default with `after`) to follow on from a point. */
  @Get()
  @ApiProblemResponses(400)
  async list(@Query() q: ListEventsQuery): Promise<EventPageDto> {
    const order = q.order ?? (q.after ? 'asc' : 'desc');
    const { where, ...page } = EVENT_PAGES.args<Prisma.EventWhereInput>(q, order);
    const rows = await this.prisma.event.findMany({ where: { AND: [whereOf(q), where] }, ...page });
    return EVENT_PAGES.page(rows, q, order, toDto);
  }

  /**
   * Server-sent events: every new event matching the filter, as it is written (by any replica or
   * process). An idle stream gets a comment line (`: heartbeat`) every
   * EVENT_STREAM_HEARTBEAT_SECONDS. One API key may hold EVENT_STREAMS_PER_KEY streams, the
   * process EVENT_STREAMS_MAX; past either, 429.
   */
  @Sse('stream')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'One message per event: `id` is the event id, `event` its kind, `data` the event as JSON (the shape of an EventPage item). Comment lines (`: heartbeat`) keep an idle connection open.',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiProblemResponses(400)
  stream(@Query() q: EventFilterQuery): Observable<MessageEvent> {
    const caller = currentCaller();
    const owner = caller?.keyId ? { id: caller.keyId, name: `API key ${caller.name}` } : { id: 'anonymous', name: 'anonymous callers' };
    const filter: StreamFilter = { after: q.after ? BigInt(q.after) : undefined, instanceId: q.instanceId, hostId: q.hostId, kind: q.kind };
    return new Observable<MessageEvent>((subscriber) => {
      let release: () => void;
      try {
        release = this.hub.admit(owner);
      } catch (error) {
        // Before any header is sent: the exception filter still answers (429 problem+json).
        subscriber.error(error);
        return undefined;
      }
      const unsubscribe = this.hub.subscribe(filter, {
        next: (e) => subscriber.next({ id: e.id, type: e.kind, data: e }),
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      // A write to a client that is gone fails, which ends the stream; proxies see traffic.
      const heartbeat = setInterval(
        () => subscriber.next({ comment: 'heartbeat' } as MessageEvent),
        this.config.eventStreams.heartbeatSeconds * 1000,
      );
      heartbeat.unref();
      return () => {
        clearInterval(heartbeat);
        unsubscribe();
        release();
      };
    });
  }
}

function whereOf(q: EventFilterQuery): Prisma.EventWhereInput {
  return {
    ...(q.after ? { id: { gt: BigInt(q.after) } } : {}),
    ...(q.instanceId ? { instanceId: q.instanceId } : {}),
    ...(q.hostId ? { hostId: q.hostId } : {}),
    ...(q.kind ? { kind: { startsWith: q.kind } } : {}),
  };
}
