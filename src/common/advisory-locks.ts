// Every PostgreSQL advisory lock virtfleet takes, from one list, so no two features can pick
// the same number by accident. Two-key locks: (LockId, hash of a name) where a name is needed.
import type { Prisma } from '../generated/prisma/client.js';

export enum LockId {
  /** Serialises claims that read and change one placement group. */
  PlacementGroup = 7301,
  /** One reconciler sweep at a time across replicas. */
  ReconcilerSweep = 7302,
  /** One consolidation job run at a time across replicas. */
  ConsolidationJob = 7303,
  /** Held for its whole life by each API process on its boot id: "this runner is alive". */
  Runner = 7304,
  /** One event retention run at a time across replicas. */
  EventRetention = 7305,
}

/** Transaction-scoped lock: released at commit or rollback. */
export async function advisoryXactLock(tx: Prisma.TransactionClient, id: LockId, name = ''): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${id}::int, hashtext(${name}))`;
}
