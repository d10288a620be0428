// Every request that may change something (not GET/HEAD) is recorded as an audit event: who
// (key id, name, role), what (method, route, target id), the answer's status, the request id.
// The row is written before the handler runs and completed before the answer is sent, so a
// change never commits without its row (see AuditLog).
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { catchError, concatMap, from, map, type Observable, switchMap, throwError } from 'rxjs';
import { problemFromException } from '../common/problem-details.filter.js';
import { currentCaller } from '../common/request-context.js';
import { type AuditEntry, AuditLog, type AuditTicket } from './audit-log.js';
import { markAudited } from './unaudited-answers.middleware.js';

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    if (req.method === 'GET' || req.method === 'HEAD') return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    markAudited(res);
    const entry = (status: number | null): AuditEntry => {
      const caller = currentCaller();
      const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
      const result = status === null ? 'pending' : status < 400 ? 'ok' : 'error';
      return {
        message: `${req.method} ${route} -> ${status ?? 'in progress'}`,
        data: {
          method: req.method,
          route,
          path: req.originalUrl,
          target: req.params?.id ?? null,
          status,
          result,
          keyId: caller?.keyId ?? null,
          role: caller?.role ?? null,
        },
      };
    };
    let ticket: AuditTicket | undefined;
    const record = (status: number) => (ticket ? this.audit.finish(ticket, entry(status)) : this.audit.append(entry(status)));
    return from(this.audit.begin(entry(null))).pipe(
      switchMap((t) => {
        ticket = t;
        return next.handle();
      }),
      concatMap((body: unknown) => from(record(res.statusCode)).pipe(map(() => body))),
      catchError((error: unknown) => from(record(problemFromException(error).status)).pipe(switchMap(() => throwError(() => error)))),
    );
  }
}
