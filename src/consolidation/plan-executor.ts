// Executes a stored plan step by step through the same migrate path as the API
// (POST /instances/{id}/migrate), awaiting each migration's worker before the next step. A
// failed step halts the plan; every instance stays on exactly one host, as recorded.
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { PlanStep } from '../generated/prisma/client.js';
import { ConflictError } from '../common/domain-errors.js';
import { InstancesService } from '../instances/instances.service.js';
import { InstanceWorkflows } from '../instances/instance-workflows.js';
import { OperationsService } from '../operations/operations.service.js';
import type { OperationDto } from '../operations/operation.dto.js';
import { ConsolidationStore } from './consolidation-store.js';

/** Beyond its deadline, how long a migration's worker is awaited before the step fails. */
const DEADLINE_GRACE_MS = 30_000;

@Injectable()
export class PlanExecutor implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Consolidation');
  private readonly executing = new Map<string, Promise<void>>();

  constructor(
    private readonly store: ConsolidationStore,
    private readonly instances: InstancesService,
    private readonly workflows: InstanceWorkflows,
    private readonly operations: OperationsService,
  ) {}

  /** Whether this process executes plan `planId`. */
  runs(planId: string): boolean {
    return this.executing.has(planId);
  }

  /** Executes a plan already claimed for execution, in the background. */
  start(planId: string): void {
    const run = this.run(planId).catch((error: unknown) =>
      this.logger.error({ msg: 'plan executor crashed', planId, error: String(error) }),
    );
    this.executing.set(planId, run);
    void run.finally(() => this.executing.delete(planId));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.executing.values()]);
  }

  private async run(planId: string): Promise<void> {
    const plan = await this.store.find(planId);
    for (const step of plan.steps.sort((a, b) => a.seq - b.seq)) {
      if ((await this.store.status(planId)) !== 'executing') return this.store.finishPlan(planId, 'aborted');
      const ok = await this.runStep(step);
      if (!ok)
        return this.store.finishPlan(planId, 'failed', { message: `step ${step.seq} (${step.instanceName}) failed; the plan halted` });
    }
    await this.store.finishPlan(planId, 'completed');
  }

  /** One migration; true when it succeeded. */
  private async runStep(step: PlanStep): Promise<boolean> {
    await this.store.stepStarted(step.id);
    try {
      if ((await this.store.hostOf(step.instanceId)) !== step.fromHostId)
        throw new ConflictError(`${step.instanceName} is no longer on the host the plan saw; re-plan`);
      const accepted = await this.instances.act(step.instanceId, 'migrate', {
        migrate: { targetHostId: step.toHostId, mode: step.mode as 'live' | 'cold' },
      });
      await this.store.stepOperation(step.id, accepted.operationId);
      const done = await this.ended(accepted.operationId);
      if (done.status !== 'succeeded') throw Object.assign(new Error(`migration ${done.status}`), { extras: done.error ?? {} });
      await this.store.stepEnded(step.id, { status: 'succeeded' });
      return true;
    } catch (error) {
      const e =
        error instanceof Error ? { message: error.message, ...((error as { extras?: object }).extras ?? {}) } : { message: String(error) };
      await this.store.stepEnded(step.id, { status: 'failed', error: e });
      return false;
    }
  }

  /**
   * The operation once its worker has ended. `act` launched the worker in this process, so it
   * is awaited here (no polling), up to the operation's deadline and a grace period.
   */
  private async ended(operationId: string): Promise<OperationDto> {
    const accepted = await this.operations.get(operationId);
    const deadline = accepted.deadline ? new Date(accepted.deadline).getTime() : Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => (timer = setTimeout(() => resolve(true), deadline - Date.now() + DEADLINE_GRACE_MS)));
    const late = await Promise.race([this.workflows.settled(operationId).then(() => false as const), timedOut]);
    clearTimeout(timer);
    const op = await this.operations.get(operationId);
    if (op.status === 'pending' || op.status === 'running') {
      throw new Error(
        late
          ? `migration did not end by its deadline (operation ${operationId} still ${op.status})`
          : `the migration's worker stopped without ending operation ${operationId} (still ${op.status}); the task watchdog ends it`,
      );
    }
    return op;
  }
}
