// Times every HTTP answer for the metrics, labelled by route pattern (/api/v1/instances/:id),
// never by the raw path: ids in paths would make one time series per instance.
import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from './metrics.service.js';

export function httpMetricsMiddleware(metrics: MetricsService) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      // Set by the router once a route matched (unknown API paths match Nest's not-found route,
      // "/api*path"); requests that failed before routing (e.g. bad JSON) share "unmatched".
      const pattern = (req.route as { path?: string } | undefined)?.path;
      const route = pattern === undefined ? 'unmatched' : `${req.baseUrl}${pattern}`;
      metrics.observeHttp(req.method, route, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
