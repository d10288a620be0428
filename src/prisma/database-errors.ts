// What a failed Prisma call means, read from Prisma's error shapes: database facts that stores,
// batchers and the HTTP problem filter all act on, so they live with the Prisma client, not in
// the HTTP layer. Pure: no Nest, no I/O.

export function isPrismaKnownError(e: unknown): e is { code: string; message: string; meta?: Record<string, unknown> } {
  return (
    typeof e === 'object' &&
    e !== null &&
    'code' in e &&
    typeof (e as { code: unknown }).code === 'string' &&
    /^P\d{4}$/.test((e as { code: string }).code) &&
    (e as object).constructor?.name === 'PrismaClientKnownRequestError'
  );
}

/** A raw SQL statement's SQLSTATE: Prisma reports its failure as P2010 with the state in the message. */
export function rawSqlStateOf(exception: unknown): string | undefined {
  return isPrismaKnownError(exception) && exception.code === 'P2010' ? /Code: `(\w{5})`/.exec(exception.message)?.[1] : undefined;
}

/**
 * Whether a raw statement failed on what it was given: SQLSTATE class 22 (data exception) or 23
 * (integrity constraint violation). Such a failure is a row's fault, not the database's.
 */
export function isDataError(exception: unknown): boolean {
  return /^2[23]/.test(rawSqlStateOf(exception) ?? '');
}
