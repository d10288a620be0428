// The scheduled consolidation job: on the configured cron it plans, and per policy executes or
// leaves the plan proposed for approval. One run at a time fleet-wide: the run holds the job
// lock (LockId.ConsolidationJob, taken like the reconciler's sweep lock on this process's own
// connection) and a run that cannot take it skips.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CronJob } from 'cron';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LockId } from '../common/advisory-locks.js';
import { RunnerIdentityService } from '../operations/runner-identity.service.js';
import { ConsolidationService } from './consolidation.service.js';

export type JobOutcome =
  | { ran: false; why: 'another replica holds the lock' | 'a plan is executing' }
  | { ran: true; planId: string; migrations: number; executed: boolean };

@Injectable()
export class ConsolidationJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ConsolidationJob');
  private job: CronJob | null = null;

  constructor(
    private readonly runner: RunnerIdentityService,
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
    const release = await this.runner.tryJobLock(LockId.ConsolidationJob, 'scheduled');
    if (!release) return { ran: false, why: 'another replica holds the lock' };
    try {
      await this.consolidation.recoverOrphanedPlans();
      if (await this.consolidation.anyInFlight()) return { ran: false, why: 'a plan is executing' };
      const plan = await this.consolidation.propose({}, 'schedule');
      const execute = this.config.consolidation.autoExecute && plan.migrations > 0;
      if (execute) await this.consolidation.execute(plan.id);
      return { ran: true, planId: plan.id, migrations: plan.migrations, executed: execute };
    } finally {
      await release();
    }
  }
}
