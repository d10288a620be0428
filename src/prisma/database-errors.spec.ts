import { Prisma } from '../generated/prisma/client.js';
import { isDataError, rawSqlStateOf } from './database-errors.js';

const prismaError = (code: string, message: string) =>
  new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: Prisma.prismaVersion.client });

describe('isDataError', () => {
  it("is a raw statement's data exception (class 22) or integrity violation (class 23): the row's fault", () => {
    expect(isDataError(prismaError('P2010', 'Raw query failed. Code: `22P05`. Message: `unsupported Unicode escape sequence`'))).toBe(true);
    expect(isDataError(prismaError('P2010', 'Raw query failed. Code: `23505`. Message: `duplicate key value`'))).toBe(true);
  });

  it('is not a connection failure, a typed query error or any other error', () => {
    expect(isDataError(prismaError('P2010', 'Raw query failed. Code: `08006`. Message: `connection failure`'))).toBe(false);
    expect(isDataError(prismaError('P2002', 'Unique constraint failed'))).toBe(false);
    expect(isDataError(new Error('Raw query failed. Code: `22P05`'))).toBe(false);
  });

  it("reads the SQLSTATE only from Prisma's raw-query failures", () => {
    expect(rawSqlStateOf(prismaError('P2010', 'Raw query failed. Code: `40P01`. Message: `deadlock detected`'))).toBe('40P01');
    expect(rawSqlStateOf(prismaError('P2002', 'Code: `23505`'))).toBeUndefined();
  });
});
