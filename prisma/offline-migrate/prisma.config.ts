// Prisma 6 CLI config for the offline migration route: the `js` engine drives PostgreSQL
// through @prisma/adapter-pg, and the WebAssembly schema engine bundled in prisma@6 computes
// and applies migrations, so no native engine has to be downloaded.
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';

const here = import.meta.dirname;

/**
 * adapter-pg runs a migration script by splitting it on every `;`, which breaks PL/pgSQL
 * function bodies (and comments containing `;`). PostgreSQL itself runs a multi-statement
 * script in one simple-protocol query, as psql and Prisma's native engine do, so do that.
 */
function wholeScriptAdapter(factory: PrismaPg): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const internals = adapter as unknown as { client: { query(sql: string): Promise<unknown> }; onError(e: unknown): never };
    adapter.executeScript = async (script: string) => {
      try {
        await internals.client.query(script);
      } catch (error) {
        internals.onError(error);
      }
    };
    return adapter;
  };
  return factory;
}

export default {
  experimental: { adapter: true },
  engine: 'js',
  // A copy of ../../prisma/schema.prisma with `url = env("DATABASE_URL")` added (Prisma 6 needs it),
  // written by migrate.mjs before each run.
  schema: path.join(here, '.work', 'schema.prisma'),
  migrations: { path: path.join(here, '..', 'migrations') },
  adapter: async () => wholeScriptAdapter(new PrismaPg({ connectionString: process.env.DATABASE_URL, allowExitOnIdle: true })),
};
