// Every request that may change something (not GET/HEAD) is recorded as an audit event: who
// (key id, name, role), what (method, route, target id), the answer's status, the request id.
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { catchError, from, type Observable, switchMap, tap, throwError } from 'rxjs';
import { problemFromException } from '../common/problem-details.filter.js';
import { currentCaller } from '../common/request-context.js';
import { EventsService } from '../events/events.service.js';
import { PrismaService } from '../prisma/prisma.service.js';

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly prisma: PrismaService,
    private readonly events: EventsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    if (req.method === 'GET' || req.method === 'HEAD') return next.handle();
    const res = context.switchToHttp().getResponse<Response>();
    const record = (status: number) => {
      const caller = currentCaller();
      const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
      // One insert: no transaction needed (and none to pay for on every write request).
      return this.events.record(this.prisma, {
        kind: 'audit',
        message: `${req.method} ${route} -> ${status}`,
        data: { method: req.method, route, path: req.originalUrl, target: req.params?.id ?? null, status, result: status < 400 ? 'ok' : 'error', keyId: caller?.keyId ?? null, role: caller?.role ?? null },
      }).catch(() => undefined); // the answer is not held hostage by its audit row
    };
    return next.handle().pipe(
      tap({ complete: () => void record(res.statusCode) }),
      catchError((error: unknown) => from(record(problemFromException(error).status)).pipe(switchMap(() => throwError(() => error)))),
    );
  }
}
