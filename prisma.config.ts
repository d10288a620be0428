// Prisma 7 CLI configuration (generate). Migrations are applied by scripts/db-migrate.sh
// through Prisma's WebAssembly schema engine (see tools/prisma-migrate/README.md).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/virtfleet' },
});
