// Consolidation as an auditable job: snapshot -> pure planner (in a worker thread) -> persisted
// plan (dry run) -> step-by-step execution (plan-executor.ts) -> freed hosts to standby.
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConflictError } from '../common/domain-errors.js';
import type { Page, PageQuery } from '../common/pagination.js';
import { actorOfRequest } from '../events/events.service.js';
import { RunnerIdentityService } from '../operations/runner-identity.service.js';
import type { CreatePlanDto, PlanDto } from './dto/plan.dto.js';
import { planInWorker } from './planner-worker-runner.js';
import type { ConsolidationPolicy, ConsolidationSnapshot } from './planner-types.js';
import { ConsolidationStore } from './consolidation-store.js';
import { PlanExecutor } from './plan-executor.js';
import { toPlanDto } from './plan-mapper.js';

@Injectable()
export class ConsolidationService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Consolidation');
  /** Stops planning workers at shutdown: a plan being computed is not worth waiting for. */
  private readonly shutdown = new AbortController();

  constructor(
    private readonly store: ConsolidationStore,
    private readonly executor: PlanExecutor,
    private readonly runner: RunnerIdentityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Plans left executing (or aborting) by a process that died are ended as failed: their
   * executor is gone, and an instance mid-step is finished by the reconciler's task watchdog.
   * Without this a crashed executor would block the scheduled job forever.
   */
  async recoverOrphanedPlans(): Promise<string[]> {
    const recovered: string[] = [];
    for (const p of await this.store.inFlight()) {
      if (this.executor.runs(p.id) || !(await this.runner.isDead(p.runner))) continue;
      await this.store.finishPlan(p.id, 'failed', { message: 'the process executing this plan is gone; re-plan' });
      recovered.push(p.id);
    }
    return recovered;
  }

  /** Whether any plan is executing or aborting. */
  async anyInFlight(): Promise<boolean> {
    return (await this.store.inFlight()).length > 0;
  }

  policyFrom(dto: CreatePlanDto): ConsolidationPolicy {
    return {
      allowColdMigration: dto.allowColdMigration ?? this.config.consolidation.allowColdMigration,
      migrationBudget: dto.migrationBudget ?? this.config.consolidation.migrationBudget,
      cooldownMs: (dto.cooldownSeconds ?? this.config.consolidation.cooldownSeconds) * 1000,
      maxUtilisation: dto.maxUtilisation ?? this.config.consolidation.maxUtilisation,
    };
  }

  snapshot(hostIds?: string[]): Promise<ConsolidationSnapshot> {
    return this.store.snapshot(hostIds);
  }

  /**
   * Dry run: compute and persist a plan. Nothing moves. The planner runs in a worker thread
   * (the HTTP process stays answerable), bounded by CONSOLIDATION_PLAN_TIMEOUT_MS.
   */
  async propose(dto: CreatePlanDto, trigger: 'api' | 'schedule'): Promise<PlanDto> {
    const policy = this.policyFrom(dto);
    const snapshot = await this.snapshot(dto.hostIds);
    const started = Date.now();
    const plan = await planInWorker(snapshot, policy, {
      timeoutMs: this.config.consolidation.planTimeoutMs,
      signal: this.shutdown.signal,
      onProgress: (stage, elapsedMs) =>
        this.logger.debug({ msg: 'planning', stage, elapsedMs, hosts: snapshot.hosts.length, instances: snapshot.instances.length }),
    });
    this.logger.log({
      msg: 'plan computed',
      ms: Date.now() - started,
      hosts: snapshot.hosts.length,
      instances: snapshot.instances.length,
      moves: plan.moves.length,
    });
    const actor = trigger === 'schedule' ? 'scheduler' : actorOfRequest();
    return toPlanDto(await this.store.save({ hostIds: dto.hostIds, trigger, actor }, policy, plan));
  }

  /** Newest first. */
  list(q: PageQuery): Promise<Page<PlanDto>> {
    return this.store.list(q, toPlanDto);
  }

  async get(id: string): Promise<PlanDto> {
    return toPlanDto(await this.store.find(id));
  }

  /** Start executing a proposed plan in the background (202). */
  async execute(id: string): Promise<PlanDto> {
    if (!(await this.store.claimForExecution(id, this.runner.bootId))) {
      const plan = await this.store.find(id);
      throw new ConflictError(`plan ${id} is ${plan.status}; only a proposed plan can be executed`, { planStatus: plan.status });
    }
    await this.store.recordEvent(id, `plan ${id} execution started`);
    this.executor.start(id);
    return this.get(id);
  }

  /** Ask an executing plan to stop after its current step. */
  async abort(id: string): Promise<PlanDto> {
    // A proposed plan is cancelled outright; an executing one is asked to stop, and its
    // executor (on whichever replica runs it) ends it after the current step.
    if (await this.store.markAborting(id, 'proposed')) {
      await this.store.finishPlan(id, 'aborted');
    } else if (!(await this.store.markAborting(id, 'executing'))) {
      const plan = await this.store.find(id);
      throw new ConflictError(`plan ${id} is ${plan.status}; nothing to abort`, { planStatus: plan.status });
    }
    await this.store.recordEvent(id, `plan ${id} abort requested`);
    return this.get(id);
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort();
  }
}
