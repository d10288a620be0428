// The one Prisma client of the process, talking to PostgreSQL through @prisma/adapter-pg.
// It connects lazily, so building the app (e.g. to write the OpenAPI file) needs no database.
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

// Short connect timeout: readiness must answer 503 quickly when PostgreSQL is gone.
export function postgresAdapter(databaseUrl: string): PrismaPg {
  return new PrismaPg({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000, max: 10 });
}

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({ adapter: postgresAdapter(config.databaseUrl) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
