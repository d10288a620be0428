// Every state change is written as an Event row, inside the same transaction as the change
// itself, so history and state cannot disagree after a crash.
import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { currentCaller, currentRequestId } from '../common/request-context.js';

export type EventKind =
  | 'host.registered'
  | 'host.endpoint.added'
  | 'host.endpoint.removed'
  | 'host.updated'
  | 'host.state'
  | 'host.removed'
  | 'host.unreachable'
  | 'host.reachable'
  | 'instance.created'
  | 'instance.state'
  | 'instance.task'
  | 'instance.deleted'
  | 'instance.migrated'
  | 'instance.resized'
  | 'volume.created'
  | 'volume.adopted'
  | 'volume.deleted'
  | 'image.registered'
  | 'image.deleted'
  | 'drift'
  | 'operation'
  | 'audit'
  | 'consolidation';

export interface EventInput {
  kind: EventKind;
  message: string;
  instanceId?: string;
  hostId?: string;
  operationId?: string;
  actor?: string;
  data?: Record<string, unknown>;
}

type Tx = Prisma.TransactionClient;

@Injectable()
export class EventsService {
  /** Append an event within transaction `tx`. */
  async record(tx: Tx, e: EventInput): Promise<void> {
    // Nothing is read back: returning the whole row (and parsing its JSON) doubled the cost of
    // this insert, which every mutating request pays for its audit row.
    await tx.event.create({
      data: {
        kind: e.kind,
        message: e.message,
        instanceId: e.instanceId,
        hostId: e.hostId,
        operationId: e.operationId,
        ...eventProvenance(e),
      },
      select: { id: true },
    });
  }
}

/** The actor and data columns of event `e`, as `record` writes them (for hand-made SQL too). */
export function eventProvenance(e: Pick<EventInput, 'actor' | 'data'>): { actor: string; data: Prisma.InputJsonObject } {
  const requestId = currentRequestId();
  return { actor: e.actor ?? actorOfRequest(), data: { ...(e.data ?? {}), ...(requestId ? { requestId } : {}) } as Prisma.InputJsonObject };
}

/** Who is acting: the API key's name (`key:<name>`), an unauthenticated API call, or the system. */
export function actorOfRequest(): string {
  const caller = currentCaller();
  if (caller) return caller.keyId ? `key:${caller.name}` : caller.name;
  return currentRequestId() ? 'api' : 'system';
}
