// Prisma 6 CLI config for the offline migration route: the `js` engine drives PostgreSQL
// through @prisma/adapter-pg, and the WebAssembly schema engine bundled in prisma@6 computes
// and applies migrations, so no native engine has to be downloaded.
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';

const here = import.meta.dirname;

export default {
  experimental: { adapter: true },
  engine: 'js',
  // A copy of ../../prisma/schema.prisma with `url = env("DATABASE_URL")` added (Prisma 6 needs it),
  // written by migrate.mjs before each run.
  schema: path.join(here, '.work', 'schema.prisma'),
  migrations: { path: path.join(here, '..', 'migrations') },
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL, idleTimeoutMillis: 50 }),
};
