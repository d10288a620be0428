import { Module } from '@nestjs/common';
import { OperationsModule } from '../operations/operations.module.js';
import { EventRetentionJob } from './event-retention.job.js';

/** Apart from EventsModule (global, used by OperationsModule): the job needs the runner's lock connection. */
@Module({ imports: [OperationsModule], providers: [EventRetentionJob], exports: [EventRetentionJob] })
export class EventRetentionModule {}
