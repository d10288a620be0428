import { Global, Module } from '@nestjs/common';
import { OperationsController } from './operations.controller.js';
import { OperationsService } from './operations.service.js';
import { RunnerIdentityService } from './runner-identity.service.js';

@Global()
@Module({
  controllers: [OperationsController],
  providers: [OperationsService, RunnerIdentityService],
  exports: [OperationsService, RunnerIdentityService],
})
export class OperationsModule {}
