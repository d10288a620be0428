// Prisma 7 through @prisma/adapter-pg against real PostgreSQL, and the committed migrations
// against schema.prisma.
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { PrismaService, postgresAdapter, preparedStatementNames } from '../src/prisma/prisma.service.js';
import { TEST_DATABASE_URL, testConfig } from './support/test-app.js';

const serverUrl = TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, '/postgres');
const urlFor = (db: string) => TEST_DATABASE_URL.replace(/\/[^/?]+(\?.*)?$/, `/${db}`);

describe('Prisma client on PostgreSQL', () => {
  const prisma = new PrismaClient({ adapter: postgresAdapter(TEST_DATABASE_URL) });

  afterAll(async () => {
    await prisma.$disconnect();
  });

  it('writes and reads back a row through the generated client', async () => {
    const name = `db-test-${Date.now()}`;
    const created = await prisma.host.create({
      data: { name, uri: `test:///${name}`, driverKind: 'qemu_kvm', cpus: 8, memoryMiB: 16384, diskGiB: 100, labels: { rack: 'r1' } },
    });
    try {
      const read = await prisma.host.findUniqueOrThrow({ where: { id: created.id } });
      expect(read).toMatchObject({
        name,
        uri: `test:///${name}`,
        state: 'enabled',
        driverKind: 'qemu_kvm',
        cpus: 8,
        cpuRatio: 4,
        labels: { rack: 'r1' },
      });
      expect(read.createdAt).toBeInstanceOf(Date);
    } finally {
      await prisma.host.delete({ where: { id: created.id } });
    }
  });

  it('prepares each statement text once per connection and reuses it', async () => {
    const marker = `prepared-${Date.now()}`;
    const prepared = await prisma.$transaction(async (tx) => {
      // One transaction, one connection: the second run finds the statement prepared.
      for (let run = 0; run < 2; run++) await tx.$queryRaw`SELECT ${marker}::text AS marker`;
      return tx.$queryRaw<{ name: string; statement: string }[]>`SELECT name, statement FROM pg_prepared_statements`;
    });
    const ours = prepared.filter((p) => p.statement.includes('AS marker'));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.name).toMatch(/^vf\d+$/);
  });
});

describe('preparedStatementNames', () => {
  it('gives one name per distinct text, the same name to the same text, and none past its limit (said once)', () => {
    let warnings = 0;
    const name = preparedStatementNames(2, () => warnings++);
    const a = name({ sql: 'SELECT 1' });
    const b = name({ sql: 'SELECT 2' });
    expect(a).not.toBe(b);
    expect(name({ sql: 'SELECT 1' })).toBe(a);
    expect(name({ sql: 'SELECT 3' })).toBe(''); // unnamed: parsed each time
    expect(name({ sql: 'SELECT 4' })).toBe('');
    expect(warnings).toBe(1);
    expect(name({ sql: 'SELECT 2' })).toBe(b);
  });

  it('leaves statements with placeholder lists unnamed: their text changes with the list length', () => {
    const name = preparedStatementNames();
    expect(name({ sql: 'SELECT id FROM hosts WHERE id IN ($1,$2,$3)' })).toBe('');
    expect(name({ sql: 'SELECT id FROM hosts WHERE id = ANY($1)' })).toMatch(/^vf\d+$/);
  });
});

describe('PrismaService under a burst', () => {
  const prisma = new PrismaService(testConfig());

  afterAll(async () => {
    await prisma.$disconnect();
  });

  it("a transaction queued behind a busy pool for longer than Prisma's default 2 s still runs", async () => {
    // Every pooled connection (20) is held for 3 s; the transaction asked for meanwhile waits.
    // (`.then` sends the query: a Prisma query is lazy until someone awaits it.)
    const busy = Array.from({ length: 20 }, () => prisma.$queryRaw`SELECT pg_sleep(3)::text AS slept`.then(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const queuedAt = Date.now();
    const answer = await prisma.$transaction(async (tx) => tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one`);
    expect(Date.now() - queuedAt).toBeGreaterThan(2_000);
    expect(answer).toEqual([{ one: 1 }]);
    await Promise.all(busy);
  }, 30_000);
});

describe('PrismaService at shutdown', () => {
  it('runs the writes registered with beforeDisconnect before the pool closes', async () => {
    const prisma = new PrismaService(testConfig());
    const written: number[] = [];
    prisma.beforeDisconnect(async () => {
      await new Promise((r) => setTimeout(r, 50)); // still writing when shutdown begins
      const [row] = await prisma.$queryRaw<{ n: number }[]>`SELECT 41 + 1 AS n`;
      written.push(row!.n);
    });
    await prisma.onApplicationShutdown();
    expect(written).toEqual([42]);
  });
});

describe('committed migrations', () => {
  const stamp = `${process.pid}_${Date.now()}`;
  const fromMigrations = `vf_mig_${stamp}`;
  const fromSchema = `vf_schema_${stamp}`;
  const admin = new pg.Client({ connectionString: serverUrl });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${fromMigrations}"`);
    await admin.query(`CREATE DATABASE "${fromSchema}"`);
  });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${fromMigrations}" WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS "${fromSchema}" WITH (FORCE)`);
    await admin.end();
  });

  /**
   * Tables, columns, types, defaults, keys and indexes: what Prisma's schema diff compares.
   * CHECK constraints and triggers are left out: Prisma cannot express them, they come from the
   * hand-written constraints migration and are tested on their own below.
   */
  async function describeSchema(db: string): Promise<string[]> {
    const c = new pg.Client({ connectionString: urlFor(db) });
    await c.connect();
    try {
      const rows = await c.query<{ line: string }>(`
        SELECT 'column ' || table_name || '.' || column_name || ' ' || udt_name || ' ' || is_nullable || ' ' ||
               coalesce(column_default, '-') || ' ' || coalesce(character_maximum_length::text, '-') AS line
          FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
        UNION ALL
        SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
          FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype NOT IN ('c', 't') AND conrelid::regclass::text <> '_prisma_migrations'
        UNION ALL
        SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
        UNION ALL
        SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
          FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname
        ORDER BY 1`);
      return rows.rows.map((r) => r.line);
    } finally {
      await c.end();
    }
  }

  it('applied to an empty database produce exactly the schema in schema.prisma', async () => {
    const env = { ...process.env, DATABASE_URL: urlFor(fromMigrations) };
    execFileSync(process.execPath, ['prisma/offline-migrate/migrate.mjs', 'deploy'], { env, stdio: 'pipe' });
    const sql = execFileSync(process.execPath, ['prisma/offline-migrate/migrate.mjs', 'sql-from-empty'], { env, encoding: 'utf8' });
    const c = new pg.Client({ connectionString: urlFor(fromSchema) });
    await c.connect();
    await c.query(sql);
    await c.end();

    const migrated = await describeSchema(fromMigrations);
    const expected = await describeSchema(fromSchema);
    expect(migrated.length).toBeGreaterThan(5);
    expect(migrated).toEqual(expected);
  }, 60_000);
});

describe('constraints enforced by PostgreSQL itself', () => {
  const prisma = new PrismaClient({ adapter: postgresAdapter(TEST_DATABASE_URL) });
  const tag = `c${process.pid}${Date.now().toString(36)}`;
  let hostId: string;

  beforeAll(async () => {
    const host = await prisma.host.create({
      data: { name: `${tag}-h`, uri: `test:///${tag}`, driverKind: 'qemu_kvm', cpus: 4, memoryMiB: 4096, diskGiB: 10, cpuRatio: 1 },
    });
    hostId = host.id;
  });

  afterAll(async () => {
    await prisma.instance.deleteMany({ where: { name: { startsWith: tag } } });
    await prisma.host.deleteMany({ where: { name: { startsWith: tag } } });
    await prisma.$disconnect();
  });

  async function instance(n: number) {
    return prisma.instance.create({
      data: { name: `${tag}-i${n}`, driverKind: 'qemu_kvm', guestType: 'hvm', vcpus: 1, memoryMiB: 128 },
    });
  }

  it('rejects nonsense host ratios and names', async () => {
    await expect(
      prisma.host.create({
        data: { name: `${tag}-bad`, uri: `test:///${tag}-bad`, driverKind: 'xen', cpus: 1, memoryMiB: 1, diskGiB: 0, memoryRatio: 0 },
      }),
    ).rejects.toThrow(/hosts_ratios_sane/);
    await expect(
      prisma.host.create({ data: { name: 'Bad Name', uri: `test:///${tag}-bad2`, driverKind: 'xen', cpus: 1, memoryMiB: 1, diskGiB: 0 } }),
    ).rejects.toThrow(/hosts_name_format/);
  });

  it('never lets concurrent allocations exceed a host capacity × ratio', async () => {
    const instances = await Promise.all(Array.from({ length: 12 }, (_, i) => instance(i)));
    // 12 one-vCPU claims race for a host with 4 vCPUs at ratio 1.0, each in its own transaction.
    const results = await Promise.allSettled(
      instances.map((i) => prisma.allocation.create({ data: { instanceId: i.id, hostId, vcpus: 1, memoryMiB: 128, diskGiB: 0 } })),
    );
    const won = results.filter((r) => r.status === 'fulfilled').length;
    expect(won).toBe(4);
    for (const r of results) {
      if (r.status === 'rejected') expect(String(r.reason)).toMatch(/capacity of host/);
    }
    const rows = await prisma.$queryRaw<{ used: bigint }[]>`SELECT sum(vcpus) AS used FROM allocations WHERE host_id = ${hostId}::uuid`;
    expect(Number(rows[0].used)).toBe(4);
  });

  it("pick_host takes a host only while it has room, leaving out just the claiming instance's own allocation", async () => {
    // The host is full (the test above): 4 of 4 vCPUs claimed.
    const [holder] = await prisma.allocation.findMany({ where: { hostId }, take: 1 });
    const pick = async (forInstance: string | null) =>
      (
        await prisma.$queryRaw<
          { host: string | null }[]
        >`SELECT pick_host(ARRAY[${hostId}::uuid], 1, 128, 0, ${forInstance}::uuid)::text AS host`
      )[0]!.host;
    await expect(pick(null)).resolves.toBeNull(); // no instance: every allocation counts
    await expect(pick((await instance(99)).id)).resolves.toBeNull();
    await expect(pick(holder!.instanceId)).resolves.toBe(hostId); // re-claiming its own vCPU fits
  });
});
