// One exception filter for the whole API: every error leaves as RFC 9457 problem+json
// carrying the request id. Unknown errors become a 500 without internals in the body.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DependencyUnavailableError, DomainError } from './domain-errors.js';
import { currentRequestId } from './request-context.js';
import { isPrismaKnownError, rawSqlStateOf } from '../prisma/database-errors.js';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  [extension: string]: unknown;
}

export const PROBLEM_JSON = 'application/problem+json';

const httpTitles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/** Prisma error codes that mean the client asked for something impossible, not a server fault. */
const prismaClientErrors: Record<string, { status: number; title: string }> = {
  P2002: { status: 409, title: 'Conflict: a unique value is already taken' },
  P2003: { status: 409, title: 'Conflict: a referenced record is missing or still in use' },
  P2025: { status: 404, title: 'Not found' },
};

/** The same answers for PostgreSQL's SQLSTATEs, as raw statements report them. */
const rawSqlStates: Record<string, { status: number; title: string }> = {
  '23505': prismaClientErrors.P2002!,
  '23503': prismaClientErrors.P2003!,
};

/** Prisma codes for "the database could not be reached or dropped the connection". */
const PRISMA_CONNECTION_CODES = new Set(['P1000', 'P1001', 'P1002', 'P1008', 'P1011', 'P1017', 'P2024']);
/** What @prisma/adapter-pg says (meta.driverAdapterError.cause.kind) when the connection, not the statement, failed. */
const ADAPTER_CONNECTION_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'DatabaseDoesNotExist',
  'TlsConnectionError',
]);
/** Node's socket errors on a refused, reset or timed-out connection. */
const SOCKET_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** pg's own messages when a pooled client lost its connection or none could be made in time. */
const PG_CONNECTION_MESSAGES =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable|Cannot use a pool after calling end/;

/**
 * Whether `exception` means PostgreSQL was unreachable or cut the connection (down, restarting,
 * out of connection slots), as opposed to refusing the statement: SQLSTATE class 08
 * (connection exception), 57P01-57P03 (admin/crash shutdown, cannot connect now), 53300 (too
 * many connections), Prisma's connection codes and the driver's socket errors. The request did
 * nothing that committed; a retry once the database is back is the answer (503).
 */
export function isDatabaseUnavailable(exception: unknown): boolean {
  if (typeof exception !== 'object' || exception === null) return false;
  const e = exception as {
    code?: unknown;
    message?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; code?: unknown } } };
    cause?: unknown;
    name?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  const cause = e.meta?.driverAdapterError?.cause;
  const prismaCode = isPrismaKnownError(exception);
  const sqlState = [cause?.originalCode, cause?.code, /Code: `(\w{5})`/.exec(message)?.[1], prismaCode ? undefined : code].find(
    (c): c is string => typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c),
  );
  if (sqlState && (/^08/.test(sqlState) || /^57P0[123]$/.test(sqlState) || sqlState === '53300')) return true;
  if (code && (PRISMA_CONNECTION_CODES.has(code) || SOCKET_ERROR_CODES.has(code))) return true;
  if (typeof cause?.kind === 'string' && ADAPTER_CONNECTION_KINDS.has(cause.kind)) return true;
  if (e.name === 'PrismaClientInitializationError' || (exception as object).constructor?.name === 'PrismaClientInitializationError')
    return true;
  if (PG_CONNECTION_MESSAGES.test(message)) return true;
  // AggregateError (a refused connection to every address) and wrapped causes.
  const nested = (exception as { errors?: unknown[] }).errors;
  if (Array.isArray(nested) && nested.length > 0 && nested.every(isDatabaseUnavailable)) return true;
  return e.cause !== undefined && e.cause !== exception && isDatabaseUnavailable(e.cause);
}

/** The answer to any request that failed because the database was unreachable. */
export function databaseUnavailable(): DependencyUnavailableError {
  return new DependencyUnavailableError('The database cannot be reached right now; retry shortly.', {
    dependency: 'database',
    retryAfterSeconds: 2,
  });
}

export function problemFromException(exception: unknown): ProblemDetails {
  if (!(exception instanceof DomainError) && !(exception instanceof HttpException) && isDatabaseUnavailable(exception)) {
    return problemFromException(databaseUnavailable());
  }
  if (exception instanceof DomainError) {
    // Extensions never override the standard members.
    return { ...exception.extras, type: exception.type, title: exception.title, status: exception.status, detail: exception.message };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    let detail = exception.message;
    const extras: Record<string, unknown> = {};
    if (typeof body === 'object' && body !== null) {
      const message = (body as { message?: unknown }).message;
      if (Array.isArray(message)) {
        detail = 'The request body or parameters are invalid.';
        extras.errors = message;
      } else if (typeof message === 'string') {
        detail = message;
      }
      // Health checks (terminus) answer with per-dependency details: keep them.
      for (const key of ['details', 'error'] as const) {
        if (key in body) extras[key] = (body as Record<string, unknown>)[key];
      }
    }
    return { type: 'about:blank', title: httpTitles[status] ?? 'Error', status, detail, ...extras };
  }
  // body-parser errors (malformed JSON, too large, bad charset) carry a status and `expose`.
  if (typeof exception === 'object' && exception !== null && 'status' in exception && (exception as { expose?: boolean }).expose) {
    const e = exception as { status: number; message: string; type?: string };
    const detail = e.type === 'entity.parse.failed' ? 'The request body is not valid JSON.' : e.message;
    return { type: 'about:blank', title: httpTitles[e.status] ?? 'Bad request', status: e.status, detail };
  }
  if (isPrismaKnownError(exception) && /Code: `(40P01|40001)`/.test(exception.message)) {
    // Deadlock or serialization failure: PostgreSQL rolled the transaction back; a retry is safe.
    return {
      type: 'about:blank',
      title: httpTitles[503],
      status: 503,
      detail: 'The request collided with a concurrent one and was rolled back; retry it.',
      retryAfterSeconds: 1,
    };
  }
  if (isPrismaKnownError(exception) && exception.code === 'P2028') {
    // No pooled connection in time (P2028: Prisma's transaction wait or timeout): overload, not a fault.
    return {
      type: 'about:blank',
      title: httpTitles[503],
      status: 503,
      detail: 'The database is overloaded or unreachable; retry shortly.',
      retryAfterSeconds: 2,
    };
  }
  const rawState = rawSqlStateOf(exception);
  if (rawState && rawSqlStates[rawState]) {
    const m = rawSqlStates[rawState];
    // The driver adapter names the constraint (its fields, or the index behind it).
    const constraint = (exception as { meta?: { driverAdapterError?: { cause?: { constraint?: { fields?: string[]; index?: string } } } } })
      .meta?.driverAdapterError?.cause?.constraint;
    const target = constraint?.fields ?? constraint?.index;
    return { type: 'about:blank', title: m.title, status: m.status, detail: target ? `constraint on ${JSON.stringify(target)}` : m.title };
  }
  if (isPrismaKnownError(exception) && prismaClientErrors[exception.code]) {
    const m = prismaClientErrors[exception.code];
    const target = exception.meta?.target ?? exception.meta?.field_name;
    return { type: 'about:blank', title: m.title, status: m.status, detail: target ? `constraint on ${JSON.stringify(target)}` : m.title };
  }
  return {
    type: 'about:blank',
    title: httpTitles[500],
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    detail: 'An unexpected error occurred; it has been logged with the request id.',
  };
}

const logger = new Logger('ProblemDetails');

/**
 * Write `exception` as problem+json. Used by the Nest filter and by the Express handler that
 * catches body-parser failures (they happen before Nest routing), so both answer alike.
 */
export function writeProblem(exception: unknown, req: Request, res: Response): void {
  const problem = problemFromException(exception);
  problem.instance = req.originalUrl;
  problem.requestId = currentRequestId();
  if (problem.status === 500) {
    logger.error(exception instanceof Error ? exception : String(exception), exception instanceof Error ? exception.stack : undefined);
  } else if (problem.status > 500) {
    logger.warn({ msg: problem.detail ?? problem.title, status: problem.status, instance: problem.instance });
  }
  if (res.headersSent) return;
  const retryAfter = (exception as { retryAfterSeconds?: number })?.retryAfterSeconds ?? (problem.retryAfterSeconds as number | undefined);
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="virtfleet"');
  res.status(problem.status).type(PROBLEM_JSON).send(JSON.stringify(problem));
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    writeProblem(exception, ctx.getRequest<Request>(), ctx.getResponse<Response>());
  }
}
