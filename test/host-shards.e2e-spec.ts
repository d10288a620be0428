// Hosts sharded across replicas (issue #18): three API processes (dist/main.js) on a database
// of their own share 30 simulated hosts through leases in PostgreSQL. The shares are disjoint
// and cover every host, each replica probes (and sweeps) only its own, a replica killed with
// SIGKILL has its hosts taken over by the others, and one stopped with SIGTERM hands its hosts
// over itself. An admin sweep of a host another replica owns still works.
import path from 'node:path';
import pg from 'pg';
import { type ApiProcess, killHard, startApiProcess } from './support/api-process.js';
import { type OwnDatabase, ownDatabase } from './support/own-database.js';
import { simulatedHostUri } from './support/simulated-hosts.js';

const HOSTS = 30;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('hosts sharded across replicas', () => {
  let database: OwnDatabase;
  let db: pg.Client;
  const replicas: ApiProcess[] = [];
  let simulatedDir = '';
  const hostNames: string[] = [];

  beforeAll(async () => {
    database = await ownDatabase('shards');
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    for (let i = 0; i < HOSTS; i++) {
      const uri = simulatedHostUri({ cpus: 8, memoryMiB: 8192 });
      simulatedDir = path.dirname(uri.slice('test://'.length));
      const name = `shard-${String(i).padStart(2, '0')}`;
      hostNames.push(name);
      await db.query(
        `INSERT INTO hosts (id, name, uri, driver_kind, cpus, memory_mib, disk_gib, simulated, traits, updated_at)
         VALUES (gen_random_uuid(), $1, $2, 'qemu-kvm', 8, 8192, 100, true, '{simulated}', now())`,
        [name, uri],
      );
    }
  }, 60_000);

  afterAll(async () => {
    for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) await killHard(r);
    await db?.end();
    await database?.drop();
  });

  const start = async () => {
    const p = await startApiProcess({
      DATABASE_URL: database.url,
      API_KEYS_REQUIRED: 'false',
      SIMULATED_HOSTS_DIR: simulatedDir,
      RECONCILE_INTERVAL_MS: '1000',
      HOST_LEASE_MS: '3000',
    });
    replicas.push(p);
    return p;
  };

  /** Host names by owner boot id, as the lease table says. */
  async function leases(): Promise<Map<string, string[]>> {
    const rows = (
      await db.query<{ owner: string; name: string }>(
        'SELECT hl.owner, h.name FROM host_leases hl JOIN hosts h ON h.id = hl.host_id ORDER BY h.name',
      )
    ).rows;
    const by = new Map<string, string[]>();
    for (const r of rows) by.set(r.owner, [...(by.get(r.owner) ?? []), r.name]);
    return by;
  }

  /** The hosts a replica probes for readiness (the detailed answer: no API keys here, every caller is admin). */
  async function probedBy(p: ApiProcess): Promise<string[]> {
    const res = await fetch(`${p.baseUrl}/health/ready`);
    const body = (await res.json()) as { details?: { hypervisors?: { hosts?: Record<string, unknown> } } };
    return Object.keys(body.details?.hypervisors?.hosts ?? {}).sort();
  }

  /**
   * Waits until `alive` replicas own every host between them, one share each, and each probes
   * exactly its share; answers the shares.
   */
  async function settledShares(alive: ApiProcess[]): Promise<string[][]> {
    return until(`${alive.length} replicas to share the hosts`, async () => {
      const byOwner = await leases();
      const owners = (await db.query<{ boot_id: string }>('SELECT boot_id FROM replicas')).rows.map((r) => r.boot_id);
      const shares = [...byOwner.values()];
      if (owners.length !== alive.length || byOwner.size !== alive.length || shares.flat().length !== HOSTS) return undefined;
      const probed = await Promise.all(alive.map(probedBy));
      const key = (names: string[]) => names.join(',');
      const leased = new Set(shares.map(key));
      return probed.every((names) => leased.has(key(names))) ? probed : undefined;
    });
  }

  it("gives each of three replicas a disjoint share, together all hosts, and hands a dead replica's hosts over", async () => {
    const a = await start();
    expect(await settledShares([a])).toEqual([hostNames]);

    const b = await start();
    const c = await start();
    const shares = await settledShares([a, b, c]);
    // Disjoint and covering: every host appears exactly once.
    expect(shares.flat().sort()).toEqual(hostNames);
    for (const share of shares) expect(share.length).toBeGreaterThan(0);

    // An operation on a host another replica owns still runs where it is asked.
    const foreignHost = shares[2]![0]!;
    const { rows } = await db.query<{ id: string }>('SELECT id FROM hosts WHERE name = $1', [foreignHost]);
    const sweep = await fetch(`${a.baseUrl}/api/v1/reconciler/sweep`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hostIds: [rows[0]!.id] }),
    });
    expect(sweep.status).toBe(200);
    expect(((await sweep.json()) as { hosts: number }).hosts).toBe(1);

    // SIGKILL: no goodbye; the survivors see its runner lock free and take its hosts.
    const bShare = shares[1]!;
    await killHard(b);
    const afterKill = await settledShares([a, c]);
    expect(afterKill.flat().sort()).toEqual(hostNames);
    // Only the dead replica's hosts moved: what a and c held before they still hold.
    expect(afterKill[0]).toEqual(expect.arrayContaining(shares[0]!));
    expect(afterKill[1]).toEqual(expect.arrayContaining(shares[2]!));
    expect(bShare.every((name) => afterKill.flat().includes(name))).toBe(true);

    // SIGTERM: it releases its hosts on the way out; a takes them all.
    const exited = new Promise((r) => c.child.once('exit', r));
    c.child.kill('SIGTERM');
    await exited;
    expect(await settledShares([a])).toEqual([hostNames]);

    // The periodic sweep reaches every host from the one replica left.
    await until('every host swept', async () => {
      const r = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM hosts WHERE last_heartbeat_at > now() - interval '5 seconds'",
      );
      return r.rows[0]!.n === HOSTS ? true : undefined;
    });
  }, 180_000);
});
