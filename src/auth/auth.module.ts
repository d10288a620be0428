import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuditLog } from './audit-log.js';
import { AuditInterceptor } from './audit.interceptor.js';

@Global()
@Module({
  controllers: [ApiKeysController],
  providers: [ApiKeysService, AuditLog, { provide: APP_GUARD, useClass: ApiKeyGuard }, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
  exports: [ApiKeysService],
})
export class AuthModule {}
