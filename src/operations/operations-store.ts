// The operations table's hand-written SQL: the column list, the insert other features'
// one-statement writes share (an instance create writes its operation), the batched start and
// the progress write.
import type { Operation, Prisma } from '../generated/prisma/client.js';
import { insertFields, tableColumns } from '../prisma/table-columns.js';

type Db = Prisma.TransactionClient;

export const OPERATIONS = tableColumns('operations', {
  id: 'id',
  kind: 'kind',
  targetType: 'target_type',
  targetId: 'target_id',
  status: 'status',
  progress: 'progress',
  error: 'error',
  result: 'result',
  actor: 'actor',
  requestId: 'request_id',
  runner: 'runner',
  deadline: 'deadline',
  createdAt: 'created_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  cancelRequestedAt: 'cancel_requested_at',
});

/** The columns of a pending operation written inside another statement (OperationsService.create's columns). */
export const OPERATION_INSERT = insertFields(OPERATIONS, 'pending operation', [
  'id',
  'kind',
  'targetType',
  'targetId',
  'actor',
  'requestId',
  'runner',
  'deadline',
] as const);

export type StartedOperation = Pick<Operation, 'id' | 'kind'>;

/** pending -> running for those of `ids` still pending, in one statement; the ones it started. */
export function startPendingOperations(db: Db, ids: string[]): Promise<StartedOperation[]> {
  // Rows are locked in id order, so a batch never waits in a circle with another writer.
  return db.$queryRaw<StartedOperation[]>`
    UPDATE operations SET status = 'running', started_at = now()
     WHERE id IN (SELECT id FROM operations WHERE id = ANY(${ids}::uuid[]) AND status = 'pending' ORDER BY id FOR UPDATE)
       AND status = 'pending'
    RETURNING id::text, kind`;
}

/** Write the progress (and detail, when given) of running operation `id`; whether a cancel was asked meanwhile. */
export async function writeProgress(db: Db, id: string, progress: number, detail?: Record<string, unknown>): Promise<boolean> {
  const rows = await db.$queryRaw<{ cancel: boolean }[]>`
    UPDATE operations SET progress = ${progress}::int,
           result = coalesce(${detail === undefined ? null : JSON.stringify(detail)}::jsonb, result)
     WHERE id = ${id}::uuid AND status = 'running'
    RETURNING cancel_requested_at IS NOT NULL AS cancel`;
  return rows[0]?.cancel ?? false;
}
