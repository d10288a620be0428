// The one Prisma client of the process, talking to PostgreSQL through @prisma/adapter-pg.
// It connects lazily, so building the app (e.g. to write the OpenAPI file) needs no database.
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/**
 * pg-pool's connection timeout also bounds the wait for a free pooled connection, so it must
 * cover queueing under a burst; a refused connection (PostgreSQL down) still fails at once.
 */
export function postgresAdapter(databaseUrl: string): PrismaPg {
  return new PrismaPg({ connectionString: databaseUrl, connectionTimeoutMillis: 15_000, max: 20 });
}

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

  /** Last in Nest's shutdown order, after workers have drained (beforeApplicationShutdown). */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
