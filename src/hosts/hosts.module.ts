import { Module } from '@nestjs/common';
import { HostsController } from './hosts.controller.js';
import { HostsService } from './hosts.service.js';
import { PlacementModule } from '../placement/placement.module.js';
import { InstancesModule } from '../instances/instances.module.js';

@Module({ imports: [InstancesModule, PlacementModule], controllers: [HostsController], providers: [HostsService], exports: [HostsService] })
export class HostsModule {}
