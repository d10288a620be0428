// Every route needs an API key with a sufficient role, except @Public ones (health), where a key
// is optional (it unlocks details). The key comes as "Authorization: Bearer <key>" (or
// X-API-Key). Missing/invalid: 401; role too low: 403; over the per-key rate: 429 with
// Retry-After. All answers are problem+json.
// Each unknown key costs a database look-up, so failed checks are also counted per client
// address (req.ip: the TCP peer, or X-Forwarded-For from a TRUST_PROXY peer): past
// AUTH_FAILURES_PER_MINUTE, that address gets 429 before any look-up. Keys this process has
// verified before still pass from such an address (a flood from behind a shared NAT or proxy
// does not lock out its legitimate clients); a valid key it has never seen waits with the rest.
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../common/domain-errors.js';
import { BoundedLru } from '../common/bounded-lru.js';
import { setCurrentCaller } from '../common/request-context.js';
import type { ApiKey } from '../generated/prisma/client.js';
import { ApiKeysService } from './api-keys.service.js';
import { addressBucket } from './client-address.js';
import { type ApiRoleName, defaultRoleFor, PUBLIC_KEY, ROLE_KEY, roleAllows, SCRAPE_KEY } from './roles.js';

/** Scrapes per minute a scraper key may make (one every half second: far above any scrape interval). */
const SCRAPES_PER_MINUTE = 120;

/**
 * Token bucket per id: `perMinute` tokens, refilled continuously. At most `maxBuckets` ids are
 * tracked (least recently used forgotten first), so ids chosen by clients cannot exhaust memory.
 */
export class RateLimiter {
  private readonly buckets: BoundedLru<string, { tokens: number; at: number }>;

  constructor(
    private readonly perMinute: number,
    maxBuckets = 100_000,
  ) {
    this.buckets = new BoundedLru(maxBuckets);
  }

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

  /** Gives back a token taken for a request that turned out not to count. */
  refund(id: string): void {
    const b = this.buckets.get(id);
    if (b) b.tokens = Math.min(this.perMinute, b.tokens + 1);
  }
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly limiter: RateLimiter;
  private readonly scrapes = new RateLimiter(SCRAPES_PER_MINUTE);
  private readonly failures: RateLimiter;

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.limiter = new RateLimiter(config.rateLimitPerMinute);
    this.failures = new RateLimiter(config.authFailuresPerMinute);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) ?? false;
    const req = context.switchToHttp().getRequest<Request>();
    const need = this.reflector.getAllAndOverride<ApiRoleName>(ROLE_KEY, targets) ?? defaultRoleFor(req.method);
    if (!this.config.apiKeysRequired) {
      setCurrentCaller({ keyId: null, name: 'anonymous', role: 'admin' });
      return true;
    }
    const header = req.header('authorization');
    const secret = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? req.header('x-api-key');
    if (!secret) {
      if (isPublic) return true;
      throw new UnauthorizedError('send an API key as "Authorization: Bearer <key>"');
    }
    const key = await this.authenticate(secret, addressBucket(req.ip));
    setCurrentCaller({ keyId: key.id, name: key.name, role: key.role });
    // A scraper key on a scrape route draws on its own bucket: Prometheus never starves the API
    // callers of the key's share, nor they it.
    const scrape = key.role === 'scraper' && this.reflector.getAllAndOverride<boolean>(SCRAPE_KEY, targets) === true;
    const wait = scrape ? this.scrapes.take(key.id) : this.limiter.take(key.id);
    if (wait > 0)
      throw new TooManyRequestsError(
        `key ${key.name} exceeded ${scrape ? SCRAPES_PER_MINUTE : this.config.rateLimitPerMinute} ${scrape ? 'scrapes' : 'requests'} per minute`,
        wait,
      );
    if (!isPublic && !roleAllows(key.role, need)) {
      throw new ForbiddenError(`this route needs the ${need} role; key ${key.name} has ${key.role}`, {
        requiredRole: need,
        role: key.role,
      });
    }
    return true;
  }

  /** The active key for `secret`; a failure costs `address` a token, and none left means 429 unasked. */
  private async authenticate(secret: string, address: string): Promise<ApiKey> {
    const known = this.keys.recall(secret);
    if (known.verdict === 'valid') return known.key;
    // The token is taken before the look-up, so concurrent requests cannot all get past an
    // almost empty bucket; a key that turns out valid gives it back.
    const charged = !(known.verdict === 'ask' && known.seenValid);
    if (charged) {
      const wait = this.failures.take(address);
      if (wait > 0)
        throw new TooManyRequestsError(
          `too many failed API key checks from this address (${this.config.authFailuresPerMinute} per minute)`,
          wait,
        );
    }
    const key = known.verdict === 'invalid' ? null : await this.keys.verify(secret);
    if (!key) throw new UnauthorizedError('the API key is unknown or revoked');
    if (charged) this.failures.refund(address);
    return key;
  }
}
