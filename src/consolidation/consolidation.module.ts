import { Module } from '@nestjs/common';
import { InstancesModule } from '../instances/instances.module.js';
import { ConsolidationController } from './consolidation.controller.js';
import { ConsolidationJob } from './consolidation.job.js';
import { ConsolidationService } from './consolidation.service.js';

@Module({
  imports: [InstancesModule],
  controllers: [ConsolidationController],
  providers: [ConsolidationService, ConsolidationJob],
  exports: [ConsolidationService, ConsolidationJob],
})
export class ConsolidationModule {}
