// The scheduled consolidation job: on the configured cron it plans, and per policy executes or
// leaves the plan proposed for approval. One replica at a time: the run holds an advisory lock
// (LockId.ConsolidationJob) and a replica that cannot take it skips its run.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CronJob } from 'cron';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LockId, tryAdvisoryXactLock } from '../common/advisory-locks.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { ConsolidationService } from './consolidation.service.js';

export type JobOutcome =
  | { ran: false; why: 'another replica holds the lock' | 'a plan is executing' }
  | { ran: true; planId: string; migrations: number; executed: boolean };

@Injectable()
export class ConsolidationJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ConsolidationJob');
  private job: CronJob | null = null;

  constructor(
    private readonly prisma: PrismaService,
    private readonly consolidation: ConsolidationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const schedule = this.config.consolidation.schedule;
    if (!schedule) return;
    this.job = CronJob.from({
      cronTime: schedule,
      onTick: () =>
        void this.runOnce().then(
          (o) => this.logger.log({ msg: 'scheduled consolidation', ...o }),
          (error: unknown) => this.logger.error({ msg: 'scheduled consolidation failed', error: String(error) }),
        ),
      start: true,
    });
  }

  onApplicationShutdown(): void {
    void this.job?.stop();
  }

  async runOnce(): Promise<JobOutcome> {
    return this.prisma.$transaction(
      async (tx) => {
        if (!(await tryAdvisoryXactLock(tx, LockId.ConsolidationJob)))
          return { ran: false, why: 'another replica holds the lock' } as const;
        await this.consolidation.recoverOrphanedPlans();
        if ((await tx.consolidationPlan.count({ where: { status: { in: ['executing', 'aborting'] } } })) > 0)
          return { ran: false, why: 'a plan is executing' } as const;
        const plan = await this.consolidation.propose({}, 'schedule');
        const execute = this.config.consolidation.autoExecute && plan.migrations > 0;
        if (execute) await this.consolidation.execute(plan.id);
        return { ran: true, planId: plan.id, migrations: plan.migrations, executed: execute } as const;
      },
      { timeout: 120_000, maxWait: 5_000 },
    );
  }
}
