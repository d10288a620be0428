import { Module } from '@nestjs/common';
import { InstancesModule } from '../instances/instances.module.js';
import { VolumeAttachmentsController } from './volume-attachments.controller.js';
import { VolumeAttachmentsService } from './volume-attachments.service.js';
import { VolumesController } from './volumes.controller.js';
import { VolumesService } from './volumes.service.js';

@Module({
  imports: [InstancesModule],
  controllers: [VolumesController, VolumeAttachmentsController],
  providers: [VolumesService, VolumeAttachmentsService],
})
export class VolumesModule {}
