// Every route needs an API key with a sufficient role, except @Public ones (health). The key
// comes as "Authorization: Bearer <key>" (or X-API-Key). Missing/invalid: 401; role too low:
// 403; over the per-key rate: 429 with Retry-After. All answers are problem+json.
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../common/domain-errors.js';
import { setCurrentCaller } from '../common/request-context.js';
import { ApiKeysService } from './api-keys.service.js';
import { type ApiRoleName, defaultRoleFor, PUBLIC_KEY, ROLE_KEY, roleAllows } from './roles.js';

/** Token bucket per key: `perMinute` tokens, refilled continuously. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number) {}

  /** Seconds to wait, or 0 when the request may go ahead now. */
  take(id: string, now = Date.now()): number {
    const b = this.buckets.get(id) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + ((now - b.at) * this.perMinute) / 60_000);
    b.at = now;
    this.buckets.set(id, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) * 60) / this.perMinute);
  }
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.limiter = new RateLimiter(config.rateLimitPerMinute);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const need = this.reflector.getAllAndOverride<ApiRoleName>(ROLE_KEY, targets) ?? defaultRoleFor(req.method);
    if (!this.config.apiKeysRequired) {
      setCurrentCaller({ keyId: null, name: 'anonymous', role: 'admin' });
      return true;
    }
    const header = req.header('authorization');
    const secret = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? req.header('x-api-key');
    if (!secret) throw new UnauthorizedError('send an API key as "Authorization: Bearer <key>"');
    const key = await this.keys.verify(secret);
    if (!key) throw new UnauthorizedError('the API key is unknown or revoked');
    setCurrentCaller({ keyId: key.id, name: key.name, role: key.role });
    const wait = this.limiter.take(key.id);
    if (wait > 0) throw new TooManyRequestsError(`key ${key.name} exceeded ${this.config.rateLimitPerMinute} requests per minute`, wait);
    if (!roleAllows(key.role, need)) {
      throw new ForbiddenError(`this route needs the ${need} role; key ${key.name} has ${key.role}`, { requiredRole: need, role: key.role });
    }
    return true;
  }
}
