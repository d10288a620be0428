// The pure parts of following new events: which stream wants which event, and which id ranges
// the notifications of a batch name (see the events_notify migration).
import type { EventDto } from './dto/event.dto.js';

export interface StreamFilter {
  /** Only ids above this (a resumed stream). */
  after?: bigint;
  instanceId?: string;
  hostId?: string;
  /** Event kind or kind prefix. */
  kind?: string;
}

export function eventMatches(filter: StreamFilter, e: EventDto): boolean {
  return (
    (filter.after === undefined || BigInt(e.id) > filter.after) &&
    (!filter.instanceId || e.instanceId === filter.instanceId) &&
    (!filter.hostId || e.hostId === filter.hostId) &&
    (!filter.kind || e.kind.startsWith(filter.kind))
  );
}

/**
 * Where a follower of the events table stands: it has seen every id up to `highest` except the
 * holes. Ids come from a sequence but transactions commit out of order, so a hole is a row still
 * in flight (it will appear) or one that rolled back (it never will). Holes are watched within
 * `window` ids below `highest`; a commit later than that is not waited for.
 */
export class EventCursor {
  private readonly holes = new Set<bigint>();

  private constructor(
    private top: bigint,
    readonly window: bigint,
  ) {}

  /** The cursor after the rows `present` (ascending ids, all within `window` of the newest). */
  static after(present: readonly bigint[], window: bigint): EventCursor {
    const cursor = new EventCursor(0n, window);
    cursor.accept(present);
    return cursor;
  }

  get highest(): bigint {
    return this.top;
  }

  /** The holes still waited for, ascending. */
  waitingFor(): bigint[] {
    return [...this.holes].sort((a, b) => (a < b ? -1 : 1));
  }

  /** Takes the ids of rows read (ascending) and answers those not seen before, in order. */
  accept(ids: readonly bigint[]): bigint[] {
    const fresh: bigint[] = [];
    for (const id of ids) {
      if (id > this.top) {
        const from = id - this.window + 1n > this.top + 1n ? id - this.window + 1n : this.top + 1n;
        for (let hole = from; hole < id; hole++) this.holes.add(hole);
        this.top = id;
        fresh.push(id);
      } else if (this.holes.delete(id)) {
        fresh.push(id);
      }
    }
    for (const hole of this.holes) if (hole <= this.top - this.window) this.holes.delete(hole);
    return fresh;
  }
}
