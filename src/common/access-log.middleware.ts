// One JSON access-log line per answered request: method, route pattern, status, duration,
// request id and the API key's id, so an operator can follow a request id or a key through the
// logs. The path is logged as its route pattern (ids in paths stay out of log aggregation keys);
// the raw path is kept beside it, truncated.
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { currentRequestContext } from './request-context.js';

const logger = new Logger('Access');
const MAX_PATH_LENGTH = 512;

export function accessLogMiddleware(req: Request, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  // Taken now, inside the request's context: the 'finish' event may fire outside it.
  const context = currentRequestContext();
  res.once('finish', () => {
    const pattern = (req.route as { path?: string } | undefined)?.path;
    logger.log({
      msg: 'request',
      method: req.method,
      route: pattern === undefined ? null : `${req.baseUrl}${pattern}`,
      path: req.originalUrl.slice(0, MAX_PATH_LENGTH),
      status: res.statusCode,
      durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
      requestId: context?.requestId ?? null,
      keyId: context?.caller?.keyId ?? null,
    });
  });
  next();
}
