import { Module } from '@nestjs/common';
import { InstancesModule } from '../instances/instances.module.js';
import { PlacementModule } from '../placement/placement.module.js';
import { ReconcilerController } from './reconciler.controller.js';
import { ReconcilerService } from './reconciler.service.js';

@Module({
  imports: [InstancesModule, PlacementModule],
  controllers: [ReconcilerController],
  providers: [ReconcilerService],
  exports: [ReconcilerService],
})
export class ReconcilerModule {}
