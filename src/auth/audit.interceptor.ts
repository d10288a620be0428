// Every request that may change something (not GET/HEAD) is recorded as an audit event: who
// (key id, name, role), what (method, route, target id), the answer's status, the request id.
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { catchError, from, type Observable, switchMap, tap, throwError } from 'rxjs';
import { problemFromException } from '../common/problem-details.filter.js';
import { currentCaller } from '../common/request-context.js';
import { AuditLog } from './audit-log.js';

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditLog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    if (req.method === 'GET' || req.method === 'HEAD') return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    const record = (status: number) => {
      const caller = currentCaller();
      const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
      return this.audit.append({
        message: `${req.method} ${route} -> ${status}`,
        data: { method: req.method, route, path: req.originalUrl, target: req.params?.id ?? null, status, result: status < 400 ? 'ok' : 'error', keyId: caller?.keyId ?? null, role: caller?.role ?? null },
      });
    };
    return next.handle().pipe(
      tap({ complete: () => void record(res.statusCode) }),
      catchError((error: unknown) => from(record(problemFromException(error).status)).pipe(switchMap(() => throwError(() => error)))),
    );
  }
}
