// The one Prisma client of the process, talking to PostgreSQL through @prisma/adapter-pg.
// It connects lazily, so building the app (e.g. to write the OpenAPI file) needs no database.
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/**
 * pg-pool's connection timeout also bounds the wait for a free pooled connection, so it must
 * cover queueing under a burst; a refused connection (PostgreSQL down) still fails at once.
 */
export function postgresAdapter(databaseUrl: string): PrismaPg {
  return new PrismaPg(
    { connectionString: databaseUrl, connectionTimeoutMillis: 15_000, max: 20 },
    { statementNameGenerator: preparedStatementNames() },
  );
}

/** Distinct statement texts given a name; beyond this, statements run unnamed ('', parsed each time). */
const NAMED_STATEMENTS_LIMIT = 1_000;

/** Prisma writes `IN ($1,$2,...)`: one text per list length, so such texts are left unnamed. */
const PLACEHOLDER_LIST = /\bIN \(\$\d+(?:,\s*\$\d+)*\)/i;

/**
 * Names each distinct SQL text, so that every pooled connection parses and plans it once and
 * then only binds and executes it (a named prepared statement). Without names, PostgreSQL parsed
 * and planned every statement afresh, a third of its CPU on a create. One name per text, never
 * reused for another: pg refuses a name prepared with a different text. Texts whose number
 * varies with the data (IN lists) stay unnamed, and the limit guards against any other such
 * family; reaching it is logged once.
 * A named statement outlives a migration that changes the type of a column it returns
 * (PostgreSQL then answers "cached plan must not change result type"): restart API processes
 * after such a migration.
 */
export function preparedStatementNames(
  limit = NAMED_STATEMENTS_LIMIT,
  onLimit = () => logger.warn({ msg: 'prepared statement names used up; new statement texts run unnamed', limit }),
): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  let warned = false;
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined) {
      if (PLACEHOLDER_LIST.test(sql)) return '';
      if (names.size >= limit) {
        if (!warned) onLimit();
        warned = true;
        return '';
      }
      name = `vf${names.size}`;
      names.set(sql, name);
    }
    return name;
  };
}

const logger = new Logger('Prisma');

/**
 * Every interactive transaction waits up to `maxWait` for a pooled connection. Under a burst of
 * requests the pool is busy for a while, and Prisma's default of 2 s would fail work that was
 * merely queued: a worker's closing transaction timing out rolled back a create whose domain
 * had already been defined. Shorter than the pool's own connection timeout, so an overloaded
 * pool always surfaces as Prisma's P2028, which answers 503.
 */
const TRANSACTION_OPTIONS = { maxWait: 12_000, timeout: 20_000 } as const;

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({ adapter: postgresAdapter(config.databaseUrl), transactionOptions: TRANSACTION_OPTIONS });
  }

  private readonly lastWrites: Array<() => Promise<void>> = [];

  /**
   * `flush` runs at shutdown just before the connection pool closes: for writes queued by
   * requests that were answered while the HTTP server was closing (after every
   * beforeApplicationShutdown hook had run).
   */
  beforeDisconnect(flush: () => Promise<void>): void {
    this.lastWrites.push(flush);
  }

  /** Last in Nest's shutdown order, after workers have drained (beforeApplicationShutdown) and the HTTP server has closed. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.lastWrites.map((flush) => flush()));
    await this.$disconnect();
  }
}
