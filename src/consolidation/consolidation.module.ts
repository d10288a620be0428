import { Module } from '@nestjs/common';
import { InstancesModule } from '../instances/instances.module.js';
import { ConsolidationController } from './consolidation.controller.js';
import { ConsolidationJob } from './consolidation.job.js';
import { ConsolidationService } from './consolidation.service.js';
import { ConsolidationStore } from './consolidation-store.js';
import { PlanExecutor } from './plan-executor.js';

@Module({
  imports: [InstancesModule],
  controllers: [ConsolidationController],
  providers: [ConsolidationService, ConsolidationJob, ConsolidationStore, PlanExecutor],
  exports: [ConsolidationService, ConsolidationJob],
})
export class ConsolidationModule {}
