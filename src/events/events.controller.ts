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
      // Ids come from a sequence, but transactions commit out of order: an event with a lower id
      // can become visible after a higher one was sent. So each poll looks back a window of ids
      // and skips the ones already sent, instead of following "id > last".
      let highest = q.after ? BigInt(q.after) : null;
      const sent = new Set<bigint>();
      let stopped = false;
      const poll = async () => {
        while (!stopped) {
          if (highest === null) {
            const last = await this.prisma.event.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
            highest = last?.id ?? 0n;
          }
          const floor = q.after && highest - LOOKBACK_IDS < BigInt(q.after) ? BigInt(q.after) : highest - LOOKBACK_IDS;
          const filter = whereOf({ ...q, after: undefined });
          const [late, fresh] = await Promise.all([
            this.prisma.event.findMany({ where: { ...filter, id: { gt: floor, lte: highest } }, orderBy: { id: 'asc' } }),
            this.prisma.event.findMany({ where: { ...filter, id: { gt: highest } }, orderBy: { id: 'asc' }, take: 500 }),
          ]);
          for (const e of [...late, ...fresh]) {
            if (sent.has(e.id)) continue;
            sent.add(e.id);
            if (e.id > highest) highest = e.id;
            subscriber.next({ id: e.id.toString(), type: e.kind, data: toDto(e) });
          }
          for (const id of sent) if (id <= highest - LOOKBACK_IDS) sent.delete(id);
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

/** How far back each stream poll looks for events that committed late. */
const LOOKBACK_IDS = 1000n;

function whereOf(q: ListEventsQuery): Prisma.EventWhereInput {
  return {
    ...(q.after ? { id: { gt: BigInt(q.after) } } : {}),
    ...(q.instanceId ? { instanceId: q.instanceId } : {}),
    ...(q.hostId ? { hostId: q.hostId } : {}),
    ...(q.kind ? { kind: { startsWith: q.kind } } : {}),
  };
}
