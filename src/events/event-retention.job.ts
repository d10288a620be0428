// Event retention: the events table grows with every state change, so rows older than
// EVENT_RETENTION_DAYS are deleted on EVENT_RETENTION_SCHEDULE, in batches (short statements,
// no long lock on the table), by one replica at a time (LockId.EventRetention; a replica that
// cannot take it skips its run). Audit events are kept AUDIT_RETENTION_DAYS, never less than
// the rest; 0 keeps a kind forever.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CronJob } from 'cron';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LockId } from '../common/advisory-locks.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { RunnerIdentityService } from '../operations/runner-identity.service.js';
import { deleteExpiredEvents } from './events-store.js';

/** Rows per DELETE: each batch is its own short statement. */
export const EVENT_RETENTION_BATCH = 5_000;

const DAY_MS = 24 * 3600 * 1000;

export type RetentionOutcome =
  | { ran: false; why: 'retention disabled' | 'another replica holds the lock' | 'shutting down' }
  | { ran: true; deleted: number; auditDeleted: number; batches: number };

@Injectable()
export class EventRetentionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventRetention');
  private job: CronJob | null = null;
  private stopping = false;

  constructor(
    private readonly prisma: PrismaService,
    private readonly runner: RunnerIdentityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { schedule, days } = this.config.eventRetention;
    if (!schedule || days === 0) return;
    this.job = CronJob.from({
      cronTime: schedule,
      onTick: () =>
        void this.runOnce().then(
          (o) => this.logger.log({ msg: 'event retention', ...o }),
          (error: unknown) => this.logger.error({ msg: 'event retention failed', error: String(error) }),
        ),
      start: true,
    });
  }

  onApplicationShutdown(): void {
    this.stopping = true;
    void this.job?.stop();
  }

  /** One run: deletes expired events in batches of `batchSize`. */
  async runOnce(now = new Date(), batchSize = EVENT_RETENTION_BATCH): Promise<RetentionOutcome> {
    const { days, auditDays } = this.config.eventRetention;
    if (days === 0) return { ran: false, why: 'retention disabled' };
    const release = await this.runner.tryJobLock(LockId.EventRetention, 'events');
    if (!release) return { ran: false, why: 'another replica holds the lock' };
    try {
      const outcome = { ran: true as const, deleted: 0, auditDeleted: 0, batches: 0 };
      const expired = async (before: Date, audit: boolean) => {
        for (;;) {
          if (this.stopping) return;
          const deleted = await deleteExpiredEvents(this.prisma, before, audit, batchSize);
          outcome.batches++;
          if (audit) outcome.auditDeleted += deleted;
          else outcome.deleted += deleted;
          if (deleted < batchSize) return;
        }
      };
      await expired(new Date(now.getTime() - days * DAY_MS), false);
      if (auditDays > 0) await expired(new Date(now.getTime() - auditDays * DAY_MS), true);
      return outcome;
    } finally {
      await release();
    }
  }
}
