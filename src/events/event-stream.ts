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
  return (filter.after === undefined || BigInt(e.id) > filter.after)
    && (!filter.instanceId || e.instanceId === filter.instanceId)
    && (!filter.hostId || e.hostId === filter.hostId)
    && (!filter.kind || e.kind.startsWith(filter.kind));
}

export interface IdRange {
  lo: bigint;
  hi: bigint;
}

/** The range "<min> <max>" a notification carries, or null for anything else. */
export function parseNotification(payload: string | undefined): IdRange | null {
  const m = /^(\d{1,19}) (\d{1,19})$/.exec(payload ?? '');
  if (!m) return null;
  const lo = BigInt(m[1]!);
  const hi = BigInt(m[2]!);
  return lo <= hi ? { lo, hi } : null;
}

/**
 * `ranges` sorted, overlapping or adjacent ones joined, then cut into pieces of at most
 * `maxSpan` ids, so one query never reads an unbounded number of rows.
 */
export function mergeRanges(ranges: readonly IdRange[], maxSpan: bigint): IdRange[] {
  const sorted = [...ranges].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const merged: IdRange[] = [];
  for (const r of sorted) {
    const last = merged.at(-1);
    if (last && r.lo <= last.hi + 1n) {
      if (r.hi > last.hi) last.hi = r.hi;
    } else {
      merged.push({ ...r });
    }
  }
  return merged.flatMap((r) => {
    const pieces: IdRange[] = [];
    for (let lo = r.lo; lo <= r.hi; lo += maxSpan) pieces.push({ lo, hi: lo + maxSpan - 1n < r.hi ? lo + maxSpan - 1n : r.hi });
    return pieces;
  });
}

/**
 * Groups `ranges` (merged and cut) into batches of at most `maxSpan` ids in all: one query each.
 */
export function batchRanges(ranges: readonly IdRange[], maxSpan: bigint): IdRange[][] {
  const batches: IdRange[][] = [];
  let span = 0n;
  for (const r of mergeRanges(ranges, maxSpan)) {
    const size = r.hi - r.lo + 1n;
    if (batches.length === 0 || span + size > maxSpan) {
      batches.push([]);
      span = 0n;
    }
    batches.at(-1)!.push(r);
    span += size;
  }
  return batches;
}
