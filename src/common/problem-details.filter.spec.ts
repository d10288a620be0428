import { Prisma } from '../generated/prisma/client.js';
import { problemFromException } from './problem-details.filter.js';

const prismaError = (code: string, message: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: Prisma.prismaVersion.client, meta });

describe('problemFromException for database errors', () => {
  it('answers an exhausted connection pool (Prisma P2028) with 503 and Retry-After', () => {
    expect(problemFromException(prismaError('P2028', 'Transaction API error: Unable to start a transaction in the given time.'))).toMatchObject({ status: 503, retryAfterSeconds: 2 });
  });

  it('answers a raw statement\'s unique and foreign-key violations as the typed queries\' 409s', () => {
    // As @prisma/adapter-pg reports a raw INSERT into instances with a taken name.
    const taken = prismaError('P2010', 'Raw query failed. Code: `23505`. Message: `duplicate key value violates unique constraint "instances_name_key"`', {
      driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode: '23505', kind: 'UniqueConstraintViolation', constraint: { index: 'instances_name_key' }, table: 'instances' } },
    });
    expect(problemFromException(taken)).toMatchObject({ status: 409, title: 'Conflict: a unique value is already taken', detail: 'constraint on "instances_name_key"' });
    expect(problemFromException(prismaError('P2010', 'Raw query failed. Code: `23503`. Message: `violates foreign key`'))).toMatchObject({ status: 409 });
  });

  it('answers a deadlock with 503 (retry is safe) and anything else unknown with 500', () => {
    expect(problemFromException(prismaError('P2010', 'Raw query failed. Code: `40P01`. Message: `deadlock detected`'))).toMatchObject({ status: 503 });
    expect(problemFromException(prismaError('P2010', 'Raw query failed. Code: `XX000`. Message: `internal`'))).toMatchObject({ status: 500 });
  });
});
