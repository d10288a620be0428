// The events table's hand-written SQL: the column list, the insert other features' one-statement
// writes share (instance create and task end), the audit trail's batched insert and completion,
// the stream reader's queries and retention's batched deletes.
import { Prisma } from '../generated/prisma/client.js';
import { columnNames, insertFields, tableColumns } from '../prisma/table-columns.js';

type Db = Prisma.TransactionClient;

export const EVENTS = tableColumns('events', {
  id: 'id',
  at: 'at',
  kind: 'kind',
  instanceId: 'instance_id',
  hostId: 'host_id',
  operationId: 'operation_id',
  actor: 'actor',
  message: 'message',
  data: 'data',
});

/** The columns of an event written inside another statement (EventsService.record's columns). */
export const EVENT_INSERT = insertFields(EVENTS, 'event of a state change', [
  'kind',
  'instanceId',
  'hostId',
  'operationId',
  'actor',
  'message',
  'data',
] as const);

const AUDIT_INSERT = insertFields(EVENTS, 'audit rows', ['id', 'at', 'kind', 'actor', 'message', 'data'] as const);

/** An event as the stream reader reads it (ids as text: bigint in JSON). */
export interface EventRow {
  id: string;
  at: Date;
  kind: string;
  instanceId: string | null;
  hostId: string | null;
  operationId: string | null;
  actor: string | null;
  message: string;
  data: Record<string, unknown>;
}

const READ = Prisma.raw(
  `e.${EVENTS.columns.id}::text AS "id", ` +
    (['at', 'kind', 'instanceId', 'hostId', 'operationId', 'actor', 'message', 'data'] as const)
      .map((f) => `e.${EVENTS.columns[f]} AS "${f}"`)
      .join(', '),
);

/** An audit row to insert: its JSON data as text. */
export interface AuditRowValues {
  at: string;
  actor: string;
  message: string;
  data: string;
}

/** Insert audit rows in one statement; their ids, in the order of `rows`. */
export async function insertAuditRows(db: Db, rows: AuditRowValues[]): Promise<bigint[]> {
  // The ids are drawn first (one materialised CTE), so each row's id is known by its position.
  const ids = await db.$queryRaw<Array<{ id: bigint; n: bigint }>>`
    WITH r AS MATERIALIZED (
      SELECT nextval(pg_get_serial_sequence('events', 'id')) AS id, r.*
        FROM unnest(${rows.map((r) => r.at)}::timestamptz[], ${rows.map((r) => r.actor)}::text[],
                    ${rows.map((r) => r.message)}::text[], ${rows.map((r) => r.data)}::text[]) WITH ORDINALITY
             AS r(at, actor, message, data, n)
    ), written AS (
      INSERT INTO events (${columnNames(EVENTS, AUDIT_INSERT)})
      SELECT r.id, r.at, 'audit', r.actor, r.message, r.data::jsonb FROM r ORDER BY r.n
    )
    SELECT id, n FROM r`;
  const byPosition = new Map(ids.map((r) => [Number(r.n), r.id]));
  return rows.map((_, i) => byPosition.get(i + 1)!);
}

/** Complete audit rows in one statement: the message replaced, the data merged. */
export async function completeAuditRows(db: Db, done: Array<{ id: bigint; message: string; data: string }>): Promise<void> {
  await db.$executeRaw`
    UPDATE events e SET message = c.message, data = e.data || c.data::jsonb
      FROM unnest(${done.map((c) => c.id)}::bigint[], ${done.map((c) => c.message)}::text[], ${done.map((c) => c.data)}::text[])
           AS c(id, message, data)
     WHERE e.id = c.id`;
}

/** The ids of the newest rows, from `lookback` below the highest. */
export async function newestEventIds(db: Db, lookback: bigint): Promise<bigint[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM events
     WHERE id > (SELECT coalesce(max(id), 0) FROM events) - ${lookback}
     ORDER BY id`;
  return rows.map((r) => BigInt(r.id));
}

/** Rows above `highest` and the rows of `holes` (ids), oldest first, at most `limit`. */
export function eventsAfter(db: Db, highest: bigint, holes: string[], limit: number): Promise<EventRow[]> {
  return db.$queryRaw<EventRow[]>`
    SELECT ${READ}
      FROM events e
     WHERE e.id > ${highest} OR e.id = ANY(${holes}::text[]::int8[])
     ORDER BY e.id
     LIMIT ${limit}`;
}

/** Rows above `after` that match the filter (null: any), oldest first, at most `limit`. */
export function matchingEventsAfter(
  db: Db,
  after: bigint,
  filter: { instanceId: string | null; hostId: string | null; kind: string | null },
  limit: number,
): Promise<EventRow[]> {
  const { instanceId, hostId, kind } = filter;
  return db.$queryRaw<EventRow[]>`
    SELECT ${READ}
      FROM events e
     WHERE e.id > ${after}
       AND (${instanceId}::uuid IS NULL OR e.instance_id = ${instanceId}::uuid)
       AND (${hostId}::uuid IS NULL OR e.host_id = ${hostId}::uuid)
       AND (${kind}::text IS NULL OR starts_with(e.kind, ${kind}::text))
     ORDER BY e.id
     LIMIT ${limit}`;
}

/** Delete at most `limit` of the oldest rows written before `before`, audit rows or the others; how many went. */
export function deleteExpiredEvents(db: Db, before: Date, audit: boolean, limit: number): Promise<number> {
  // Oldest first by primary key; the (kind, at) index finds them.
  return audit
    ? db.$executeRaw`DELETE FROM events WHERE id IN (SELECT id FROM events WHERE kind = 'audit' AND at < ${before} ORDER BY id LIMIT ${limit})`
    : db.$executeRaw`DELETE FROM events WHERE id IN (SELECT id FROM events WHERE kind <> 'audit' AND at < ${before} ORDER BY id LIMIT ${limit})`;
}
