// Long-running actions as rows: created with the state change that starts them, advanced by
// the worker, ended (succeeded/failed/aborted) together with the state change that ends them.
import { Injectable } from '@nestjs/common';
import type { Operation, Prisma } from '../generated/prisma/client.js';
import { CoalescingBatcher } from '../common/coalescing-batcher.js';
import { ConflictError, NotFoundError } from '../common/domain-errors.js';
import { Keyset, type Page } from '../common/pagination.js';
import { isDataError } from '../prisma/database-errors.js';
import { currentRequestId } from '../common/request-context.js';
import { actorOfRequest } from '../events/events.service.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { ListOperationsQuery, OperationDto } from './operation.dto.js';
import { RunnerIdentityService } from './runner-identity.service.js';
import { type StartedOperation, startPendingOperations, writeProgress } from './operations-store.js';

type Tx = Prisma.TransactionClient;

export interface NewOperation {
  kind: string;
  targetType: 'instance' | 'host' | 'plan';
  targetId: string;
  deadline: Date;
}

/**
 * Takes back operation `op` (not ended) on one kind of target, or throws a ConflictError saying
 * why it cannot. Returns once the cancellation is done (pending) or under way (running).
 */
export type OperationCanceller = (op: Operation) => Promise<void>;

const OPERATION_PAGES = new Keyset('operations', 'createdAt');
const ENDED = new Set(['succeeded', 'failed', 'aborted']);

@Injectable()
export class OperationsService {
  /** Workers start operations in bursts (one per create): one UPDATE per batch, not per operation. */
  private readonly starts = new CoalescingBatcher<string, StartedOperation | null>((ids) => this.startAll(ids), {
    isItemError: isDataError,
  });

  /** Who can cancel operations on each target type; registered by the modules that carry them out. */
  private readonly cancellers = new Map<Operation['targetType'], OperationCanceller>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly runner: RunnerIdentityService,
  ) {}

  registerCanceller(targetType: Operation['targetType'], canceller: OperationCanceller): void {
    this.cancellers.set(targetType, canceller);
  }

  async list(q: ListOperationsQuery): Promise<Page<OperationDto>> {
    const filter: Prisma.OperationWhereInput = {
      ...(q.status ? { status: q.status } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.targetType ? { targetType: q.targetType } : {}),
      ...(q.targetId ? { targetId: q.targetId } : {}),
    };
    const filters: Prisma.OperationWhereInput[] = [filter];
    if (q.instanceId) filters.push({ targetType: 'instance', targetId: q.instanceId });
    const { where, ...page } = OPERATION_PAGES.args<Prisma.OperationWhereInput>(q, 'desc');
    const rows = await this.prisma.operation.findMany({ where: { AND: [...filters, where] }, ...page });
    return OPERATION_PAGES.page(rows, q, 'desc', toOperationDto);
  }

  async cancel(id: string): Promise<OperationDto> {
    const op = await this.prisma.operation.findUnique({ where: { id } });
    if (!op) throw new NotFoundError(`operation ${id} does not exist`);
    if (ENDED.has(op.status))
      throw new ConflictError(`operation ${id} has already ended (${op.status}); there is nothing to cancel`, { status: op.status });
    const canceller = this.cancellers.get(op.targetType);
    if (!canceller)
      throw new ConflictError(`a ${op.kind} operation on a ${op.targetType} cannot be cancelled`, { status: op.status, kind: op.kind });
    await canceller(op);
    return this.get(id);
  }

  create(tx: Tx, op: NewOperation): Promise<Operation> {
    return tx.operation.create({ data: { ...op, ...this.provenance() } });
  }

  /** Who asked for an operation and which process runs it (for rows written by hand-made SQL too). */
  provenance(): { actor: string; requestId: string | null; runner: string } {
    return { actor: actorOfRequest(), requestId: currentRequestId() ?? null, runner: this.runner.bootId };
  }

  /**
   * pending -> running: the started operation, or null when it is no longer pending (ended by
   * the watchdog, or started by another worker: exactly one caller gets it).
   */
  start(id: string): Promise<StartedOperation | null> {
    return this.starts.submit(id);
  }

  private async startAll(ids: string[]): Promise<Array<StartedOperation | null>> {
    const started = await startPendingOperations(this.prisma, ids);
    const byId = new Map(started.map((op) => [op.id, op]));
    // One starter per operation, as with one UPDATE each: a repeated id gets null.
    return ids.map((id) => {
      const op = byId.get(id.toLowerCase()) ?? null; // PostgreSQL writes uuids in lower case
      byId.delete(id.toLowerCase());
      return op;
    });
  }

  /** Record progress; true when a cancel was asked of the operation meanwhile (by any replica). */
  progress(id: string, progress: number, detail?: Record<string, unknown>): Promise<boolean> {
    return writeProgress(this.prisma, id, Math.max(0, Math.min(100, Math.round(progress))), detail);
  }

  /** Ask the runner of running operation `id` (another process) to cancel it; false when it is no longer running. */
  async requestCancel(id: string): Promise<boolean> {
    const marked = await this.prisma.operation.updateMany({ where: { id, status: 'running' }, data: { cancelRequestedAt: new Date() } });
    return marked.count === 1;
  }

  async finish(
    tx: Tx,
    id: string,
    outcome: { status: 'succeeded' | 'failed' | 'aborted'; error?: unknown; result?: Record<string, unknown> },
  ): Promise<void> {
    await tx.operation.update({
      where: { id },
      data: {
        status: outcome.status,
        progress: outcome.status === 'succeeded' ? 100 : undefined,
        finishedAt: new Date(),
        error: outcome.error === undefined ? undefined : (errorJson(outcome.error) as Prisma.InputJsonValue),
        result: outcome.result as Prisma.InputJsonValue | undefined,
      },
    });
  }

  async get(id: string): Promise<OperationDto> {
    const op = await this.prisma.operation.findUnique({ where: { id } });
    if (!op) throw new NotFoundError(`operation ${id} does not exist`);
    return toOperationDto(op);
  }

  /** Poll until the operation has ended or `waitSeconds` pass; answers its latest state. */
  async wait(id: string, waitSeconds: number): Promise<OperationDto> {
    const until = Date.now() + waitSeconds * 1000;
    for (;;) {
      const op = await this.get(id);
      if (op.status !== 'pending' && op.status !== 'running') return op;
      if (Date.now() >= until) return op;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export function errorJson(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const extras = (error as { extras?: Record<string, unknown> }).extras ?? {};
    return { type: error.name, message: error.message, ...extras };
  }
  if (typeof error === 'object' && error !== null) return { ...(error as Record<string, unknown>) };
  return { message: String(error) };
}

export function toOperationDto(op: Operation): OperationDto {
  return {
    id: op.id,
    kind: op.kind,
    targetType: op.targetType,
    targetId: op.targetId,
    status: op.status,
    progress: op.progress,
    error: (op.error as Record<string, unknown> | null) ?? null,
    result: (op.result as Record<string, unknown> | null) ?? null,
    actor: op.actor,
    requestId: op.requestId,
    deadline: op.deadline,
    createdAt: op.createdAt,
    startedAt: op.startedAt,
    finishedAt: op.finishedAt,
  };
}
