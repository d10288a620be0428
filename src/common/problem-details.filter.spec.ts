import { Prisma } from '../generated/prisma/client.js';
import { isDatabaseUnavailable, problemFromException } from './problem-details.filter.js';

const prismaError = (code: string, message: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: Prisma.prismaVersion.client, meta });

describe('problemFromException for database errors', () => {
  it('answers an exhausted connection pool (Prisma P2028) with 503 and Retry-After', () => {
    expect(
      problemFromException(prismaError('P2028', 'Transaction API error: Unable to start a transaction in the given time.')),
    ).toMatchObject({ status: 503, retryAfterSeconds: 2 });
  });

  it("answers a raw statement's unique and foreign-key violations as the typed queries' 409s", () => {
    // As @prisma/adapter-pg reports a raw INSERT into instances with a taken name.
    const taken = prismaError(
      'P2010',
      'Raw query failed. Code: `23505`. Message: `duplicate key value violates unique constraint "instances_name_key"`',
      {
        driverAdapterError: {
          name: 'DriverAdapterError',
          cause: {
            originalCode: '23505',
            kind: 'UniqueConstraintViolation',
            constraint: { index: 'instances_name_key' },
            table: 'instances',
          },
        },
      },
    );
    expect(problemFromException(taken)).toMatchObject({
      status: 409,
      title: 'Conflict: a unique value is already taken',
      detail: 'constraint on "instances_name_key"',
    });
    expect(problemFromException(prismaError('P2010', 'Raw query failed. Code: `23503`. Message: `violates foreign key`'))).toMatchObject({
      status: 409,
    });
  });

  it('answers a deadlock with 503 (retry is safe) and anything else unknown with 500', () => {
    expect(problemFromException(prismaError('P2010', 'Raw query failed. Code: `40P01`. Message: `deadlock detected`'))).toMatchObject({
      status: 503,
    });
    expect(problemFromException(prismaError('P2010', 'Raw query failed. Code: `XX000`. Message: `internal`'))).toMatchObject({
      status: 500,
    });
  });
});

describe('problemFromException when PostgreSQL is down or restarting', () => {
  // As @prisma/adapter-pg reported them while a real cluster was stopped and started under load.
  const adapterCause = (cause: Record<string, unknown>) => ({ driverAdapterError: { name: 'DriverAdapterError', cause } });
  const outage: Array<[string, unknown]> = [
    [
      'P1001 (cannot reach the server)',
      prismaError(
        'P1001',
        "Can't reach database server at 127.0.0.1:5433",
        adapterCause({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5433 }),
      ),
    ],
    [
      'P1017 (server closed the connection)',
      prismaError('P1017', 'Server has closed the connection.', adapterCause({ kind: 'ConnectionClosed' })),
    ],
    [
      'a raw statement cut by the shutdown (57P01)',
      prismaError(
        'P2010',
        'Raw query failed. Code: `57P01`. Message: `terminating connection due to administrator command`',
        adapterCause({ originalCode: '57P01', kind: 'postgres', code: '57P01' }),
      ),
    ],
    [
      'a typed query cut by the shutdown (P2039 57P01)',
      prismaError(
        'P2039',
        'Database error. Code: `57P01`. Message: `terminating connection due to administrator command`',
        adapterCause({ originalCode: '57P01', kind: 'postgres', code: '57P01' }),
      ),
    ],
    [
      'the server starting up (57P03)',
      prismaError(
        'P2039',
        'Database error. Code: `57P03`. Message: `the database system is starting up`',
        adapterCause({ originalCode: '57P03', kind: 'postgres', code: '57P03' }),
      ),
    ],
    ['a connection exception (class 08)', prismaError('P2010', 'Raw query failed. Code: `08006`. Message: `connection failure`')],
    ['P2024 (pool timeout)', prismaError('P2024', 'Timed out fetching a new connection from the connection pool.')],
    ['a raw refused socket', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' })],
    ['a pooled client that lost its connection', new Error('Client has encountered a connection error and is not queryable')],
    ['pg-pool giving up on connecting', new Error('timeout exceeded when trying to connect')],
  ];

  it.each(outage)('answers %s with 503, Retry-After and the dependency-unavailable type', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(problemFromException(error)).toMatchObject({
      status: 503,
      type: 'https://virtfleet.dev/problems/dependency-unavailable',
      retryAfterSeconds: 2,
      dependency: 'database',
    });
  });

  it('keeps statement errors apart: bad data is not an outage', () => {
    expect(
      isDatabaseUnavailable(prismaError('P2010', 'Raw query failed. Code: `22P05`. Message: `unsupported Unicode escape sequence`')),
    ).toBe(false);
    expect(isDatabaseUnavailable(prismaError('P2002', 'Unique constraint failed'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
  });
});
