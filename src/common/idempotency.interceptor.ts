// Idempotency-Key on POST: the first request with a key runs and its answer is stored; a retry
// with the same key and the same request gets that answer again (header Idempotent-Replayed),
// without running twice. The key is claimed before the work starts, so two concurrent copies
// cannot both run. A failed request frees its key: nothing was done, a retry may run.
// A claim is never left behind by a database outage: when the release (or the storing of the
// answer) meets one, it is retried in the background until PostgreSQL is back, so a retry
// after the outage runs (or gets the stored answer) instead of 409 for the whole lease.
import { createHash } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, type Observable, of, switchMap, catchError, throwError } from 'rxjs';
import { ConflictError, UnprocessableError, ValidationError } from './domain-errors.js';
import { retryThroughOutage } from './outage-retry.js';
import { actorOfRequest } from '../events/events.service.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/**
 * Headers of the first answer that a replay repeats: the ETag names the version the stored body
 * shows (so If-Match with it works, and no other ETag may stand in), Location the operation.
 */
const REPLAYED_HEADERS = ['etag', 'location'] as const;

function replayableHeaders(stored: unknown): Record<string, string> {
  if (typeof stored !== 'object' || stored === null) return {};
  const out: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = (stored as Record<string, unknown>)[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}
/** How long a claimed key may stay unanswered before a retry may take it over. */
const CLAIM_LEASE_MS = 5 * 60_000;
/** How long a release or a stored answer keeps waiting for the database to come back. */
const OUTAGE_RETRY_MS = CLAIM_LEASE_MS;
/** At shutdown, pending releases get this long; after that the lease frees their keys. */
const SHUTDOWN_WAIT_MS = 5_000;

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor, BeforeApplicationShutdown {
  private readonly logger = new Logger(IdempotencyInterceptor.name);
  private readonly retrying = new Set<Promise<void>>();

  constructor(private readonly prisma: PrismaService) {}

  async beforeApplicationShutdown(): Promise<void> {
    const wait = new Promise((r) => setTimeout(r, SHUTDOWN_WAIT_MS).unref());
    await Promise.race([Promise.allSettled([...this.retrying]), wait]);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next.handle();
    if (!KEY_PATTERN.test(key)) throw new ValidationError('Idempotency-Key must be 1-255 printable ASCII characters');
    const actor = actorOfRequest();
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
      .digest('hex');
    return from(this.claim(actor, key, requestHash, req)).pipe(
      switchMap((replay) => {
        if (replay) {
          res.status(replay.status).setHeader('Idempotent-Replayed', 'true');
          for (const [name, value] of Object.entries(replay.headers)) res.setHeader(name, value);
          return of(replay.body);
        }
        return next.handle().pipe(
          // Once the work has succeeded the key is never released: until its answer is stored
          // (retried through an outage) a retry gets 409 rather than running twice.
          switchMap((body) => from(this.settle('store', () => this.store(actor, key, res, body))).pipe(switchMap(() => of(body)))),
          catchError((error: unknown) =>
            from(this.settle('release', () => this.release(actor, key))).pipe(switchMap(() => throwError(() => error))),
          ),
        );
      }),
    );
  }

  /** Claim the key, or answer the stored response of an earlier identical request. */
  private async claim(
    actor: string,
    key: string,
    requestHash: string,
    req: Request,
  ): Promise<{ status: number; body: unknown; headers: Record<string, string> } | null> {
    const inserted = await this.prisma.idempotencyRecord.createMany({
      data: [{ actor, key, method: req.method, path: req.originalUrl.slice(0, 1024), requestHash, responseStatus: 0, responseBody: {} }],
      skipDuplicates: true,
    });
    if (inserted.count === 1) return null;
    const existing = await this.prisma.idempotencyRecord.findUnique({ where: { actor_key: { actor, key } } });
    if (!existing) return this.claim(actor, key, requestHash, req); // freed meanwhile: claim again
    if (existing.requestHash !== requestHash) {
      throw new UnprocessableError('this Idempotency-Key was already used for a different request', { idempotencyKey: key });
    }
    if (existing.responseStatus === 0) {
      // A claim older than the lease belongs to a request whose process died: take it over.
      if (Date.now() - existing.createdAt.getTime() > CLAIM_LEASE_MS) {
        await this.prisma.idempotencyRecord.deleteMany({ where: { actor, key, responseStatus: 0, createdAt: existing.createdAt } });
        return this.claim(actor, key, requestHash, req);
      }
      throw new ConflictError('a request with this Idempotency-Key is still in progress; retry later', { idempotencyKey: key });
    }
    return { status: existing.responseStatus, body: existing.responseBody, headers: replayableHeaders(existing.responseHeaders) };
  }

  /** Run `write` now; if the database is away, keep retrying it in the background. Never rejects. */
  private async settle(what: 'store' | 'release', write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch {
      const p = retryThroughOutage(write, { forMs: OUTAGE_RETRY_MS }).catch((error: unknown) =>
        this.logger.error({ msg: `idempotency ${what} not written; the key waits for its lease`, error: String(error) }),
      );
      this.retrying.add(p);
      void p.finally(() => this.retrying.delete(p));
    }
  }

  private async store(actor: string, key: string, res: Response, body: unknown): Promise<void> {
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = res.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    await this.prisma.idempotencyRecord.update({
      where: { actor_key: { actor, key } },
      data: {
        responseStatus: res.statusCode,
        responseBody: JSON.parse(JSON.stringify(body ?? null)) as Prisma.InputJsonValue,
        responseHeaders: headers,
      },
    });
  }

  private async release(actor: string, key: string): Promise<void> {
    await this.prisma.idempotencyRecord.deleteMany({ where: { actor, key, responseStatus: 0 } });
  }
}
