import { Global, Module } from '@nestjs/common';
import { HostOwnershipService } from './host-ownership.service.js';

@Global()
@Module({ providers: [HostOwnershipService], exports: [HostOwnershipService] })
export class ReplicasModule {}
