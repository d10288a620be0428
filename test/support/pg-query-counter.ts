// Counts the statements this process sends to PostgreSQL, whoever sends them (Prisma's pool and
// any dedicated client both go through pg.Client#query), so a test can state "no look-up" or
// "one query per batch" about the real traffic without mocking the database.
import pg from 'pg';

export interface QueryCounter {
  /** Statements sent since the counter started (or was reset) whose text matches `pattern`. */
  count(pattern: RegExp): number;
  reset(): void;
  restore(): void;
}

export function countQueries(ignore: ReadonlySet<pg.Client> = new Set()): QueryCounter {
  const original = pg.Client.prototype.query;
  let texts: string[] = [];
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === 'string' ? first : first?.text;
    if (text && !ignore.has(this)) texts.push(text);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  return {
    count: (pattern) => texts.filter((t) => pattern.test(t)).length,
    reset: () => {
      texts = [];
    },
    restore: () => {
      pg.Client.prototype.query = original;
    },
  };
}
