// Every answered request that may change something has exactly one audit row. The audit
// interceptor writes it for requests that reach a handler; this middleware writes it for the
// ones answered before that: refused by the body parser (malformed JSON, the shape scan), by the
// API-key guard (401/403/429), by a route that does not exist, or by Express itself (a path that
// is not valid UTF-8). Nothing was changed by those requests, so their row is appended after the
// answer. The interceptor marks the requests it audits.
import { AsyncResource } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { AuditLog } from './audit-log.js';
import { currentCaller } from '../common/request-context.js';

const AUDITED = Symbol('virtfleet.audited');

/** Called by the audit interceptor: this request's row is its business. */
export function markAudited(res: Response): void {
  (res as unknown as Record<symbol, boolean>)[AUDITED] = true;
}

export function unauditedAnswersMiddleware(audit: AuditLog) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    // Bound to this request's context, so the row names the caller and the request id.
    res.once(
      'finish',
      AsyncResource.bind(() => {
        if ((res as unknown as Record<symbol, boolean>)[AUDITED]) return;
        const caller = currentCaller();
        const route = (req.route as { path?: string } | undefined)?.path ?? null;
        void audit.append({
          message: `${req.method} ${route ?? req.path} -> ${res.statusCode}`,
          data: {
            method: req.method,
            route,
            path: req.originalUrl.slice(0, 1024),
            target: null,
            status: res.statusCode,
            result: res.statusCode < 400 ? 'ok' : 'error',
            answeredBefore: 'handler',
            keyId: caller?.keyId ?? null,
            role: caller?.role ?? null,
          },
        });
      }),
    );
    next();
  };
}
