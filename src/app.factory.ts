// Builds the configured Nest application. main.ts, the e2e tests and the OpenAPI writer all
// use this, so what is tested and documented is exactly what is served.
import 'reflect-metadata';
import { type INestApplication, RequestMethod, ValidationPipe, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { JsonLogger } from './common/json-logger.js';
import { ProblemDetailsFilter, writeProblem } from './common/problem-details.filter.js';
import { requestContextMiddleware } from './common/request-context.js';
import { accessLogMiddleware } from './common/access-log.middleware.js';
import { applyApiConventions } from './common/openapi-conventions.js';
import { AuditLog } from './auth/audit-log.js';
import { unauditedAnswersMiddleware } from './auth/unaudited-answers.middleware.js';
import { verifyJsonShape, writeClientErrorProblem } from './common/input-guards.js';
import { StorableTextPipe } from './common/storable-text.pipe.js';
import { MetricsService } from './metrics/metrics.service.js';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware.js';
import { consoleStatic } from './console/console-static.js';

export interface CreateAppOptions {
  /** Middleware that runs before all others and so sees every response (the tests' contract check). */
  firstMiddleware?: readonly ((req: Request, res: Response, next: NextFunction) => void)[];
}

export async function createApp(
  config: AppConfig,
  logger = new JsonLogger(config.logLevel),
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.with(config), { logger, bodyParser: false });
  for (const middleware of options.firstMiddleware ?? []) app.use(middleware);
  app.getHttpServer().on('clientError', writeClientErrorProblem);
  // req.ip is the TCP peer unless the peer is a configured proxy; then X-Forwarded-For counts.
  // ETags are ours only (W/"<version>" of a versioned row, see common/etag.ts): Express's
  // automatic body hash would look like one and then fail every If-Match.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy.length > 0 ? [...config.trustProxy] : false);
  app.use(requestContextMiddleware);
  app.use(accessLogMiddleware);
  app.use(unauditedAnswersMiddleware(app.get(AuditLog)));
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  // The web console's static files, before the body parser: they take no body and no key.
  app.use('/console', consoleStatic());
  app.use(
    express.json({ limit: config.bodyLimit, strict: true, type: ['application/json', 'application/*+json'], verify: verifyJsonShape }),
  );
  // Body-parser failures (the JSON shape check among them) happen before Nest routing, so they
  // need their own problem writer.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    writeProblem(error, req, res);
  });
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health/*path', method: RequestMethod.ALL },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalPipes(
    new StorableTextPipe(),
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
  );
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('virtfleet admin API')
    .setDescription('One control plane over QEMU/KVM, Xen and LXC hosts through libvirt. Errors are RFC 9457 application/problem+json.')
    .setVersion('1')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'API key (vf_…), as "Authorization: Bearer <key>". Roles: admin, operator, viewer.' },
      'api-key',
    )
    .addTag('api-keys', 'API keys with roles (admin, operator, viewer); the secret is shown once.')
    .addTag('hosts', 'Physical servers: registration, overcommit ratios, labels, traits, maintenance.')
    .addTag(
      'volumes',
      'Managed storage volumes of a host: the only storage guests may use. Create empty ones, or (admin) adopt existing ones.',
    )
    .addTag('images', 'Images: managed file volumes registered under a name; instance root disks are qcow2 overlays of them.')
    .addTag('instances', 'Virtual machines and containers: create, resize, power actions, migration. Changes run as operations.')
    .addTag('operations', 'Asynchronous work started by instance requests; poll with `?wait=N`.')
    .addTag(
      'placement',
      'Host selection: preview where an instance would land and why other hosts were rejected. Simulated hosts (trait `sim`) are chosen only when a request pins one (`hostId`) or requires host labels.',
    )
    .addTag('consolidation', 'Plans that pack instances onto fewer hosts; dry run first, then execute or abort.')
    .addTag('reconciler', 'Desired versus observed state: forced sweeps.')
    .addTag('events', 'History of audit entries, state changes and drift, as a list or a server-sent-events stream.')
    .addTag('health', 'Liveness and readiness probes (outside /api/v1).')
    .addTag('metrics', "Prometheus metrics (outside /api/v1): HTTP answers, placement claims, the fleet's capacity and load.")
    .build();
  // DocumentBuilder.setContact demands a URL and an e-mail address; a name is all there is to give.
  config.info.contact = { name: 'virtfleet maintainers' };
  const doc = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
  });
  return applyApiConventions(doc);
}
