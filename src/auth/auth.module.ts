import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { AuditLog } from './audit-log.js';
import { AuditInterceptor } from './audit.interceptor.js';
import { IdempotencyInterceptor } from '../common/idempotency.interceptor.js';

@Global()
@Module({
  controllers: [ApiKeysController],
  providers: [
    ApiKeysService,
    AuditLog,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    // In this order, outermost first: the audit row is written before anything else may act or
    // fail (an Idempotency-Key claim included), so every answered request has its row.
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [ApiKeysService],
})
export class AuthModule {}
