import { Module } from '@nestjs/common';
import { PlacementModule } from '../placement/placement.module.js';
import { InstanceWorkflows } from './instance-workflows.js';
import { InstancesController } from './instances.controller.js';
import { InstancesService } from './instances.service.js';

@Module({
  imports: [PlacementModule],
  controllers: [InstancesController],
  providers: [InstancesService, InstanceWorkflows],
  exports: [InstancesService, InstanceWorkflows],
})
export class InstancesModule {}
