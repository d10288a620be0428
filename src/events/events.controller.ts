// History (audit, state changes, drift) as a filtered list, and as a server-sent-events stream
// that follows new rows. The stream polls PostgreSQL, so it sees events of every replica.
import { Controller, Get, MessageEvent, Query, Sse } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import type { Event, Prisma } from '../generated/prisma/client.js';
import { ApiProblemResponses, ApiKeyProtected } from '../common/api-problem-responses.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { EventPageDto, ListEventsQuery, type EventDto } from './dto/event.dto.js';

const toDto = (e: Event): EventDto => ({
  id: e.id.toString(), at: e.at, kind: e.kind, instanceId: e.instanceId, hostId: e.hostId, operationId: e.operationId,
  actor: e.actor, message: e.message, data: e.data as Record<string, unknown>,
});

@ApiTags('events')
@ApiKeyProtected()
@Controller({ path: 'events', version: '1' })
export class EventsController {
  constructor(private readonly prisma: PrismaService) {}

  /** Events in id order, filtered. */
  @Get()
  @ApiProblemResponses(400)
  async list(@Query() q: ListEventsQuery): Promise<EventPageDto> {
    const rows = await this.prisma.event.findMany({ where: whereOf(q), orderBy: { id: 'asc' }, take: q.limit ?? 100 });
    return { items: rows.map(toDto) };
  }

  /** Server-sent events: every new event matching the filter, as it is written. */
  @Sse('stream')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'One message per event: `id` is the event id, `event` its kind, `data` the event as JSON (the shape of an EventPage item).',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiProblemResponses(400)
  stream(@Query() q: ListEventsQuery): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      let after = q.after ? BigInt(q.after) : null;
      let stopped = false;
      const poll = async () => {
        while (!stopped) {
          if (after === null) {
            const last = await this.prisma.event.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
            after = last?.id ?? 0n;
          }
          const rows = await this.prisma.event.findMany({ where: { ...whereOf(q), id: { gt: after } }, orderBy: { id: 'asc' }, take: 200 });
          for (const e of rows) {
            after = e.id;
            subscriber.next({ id: e.id.toString(), type: e.kind, data: toDto(e) });
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      };
      poll().catch((error: unknown) => subscriber.error(error));
      return () => {
        stopped = true;
      };
    });
  }
}

function whereOf(q: ListEventsQuery): Prisma.EventWhereInput {
  return {
    ...(q.after ? { id: { gt: BigInt(q.after) } } : {}),
    ...(q.instanceId ? { instanceId: q.instanceId } : {}),
    ...(q.hostId ? { hostId: q.hostId } : {}),
    ...(q.kind ? { kind: { startsWith: q.kind } } : {}),
  };
}
