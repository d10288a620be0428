// The placement snapshot refreshed by what changed (issue #18): after claims made elsewhere (SQL
// standing in for another replica), releases, host changes, new and removed hosts, and a change
// committed by a transaction that was still open when the snapshot was last read, the shared
// snapshot this process ranks on says what a full read says. A database of its own: no other
// suite's hosts change under the comparison.
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { PlacementService } from '../src/placement/placement.service.js';
import type { FleetIndex } from '../src/placement/fleet-index.js';
import type { ClaimRequest } from '../src/placement/placement.service.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { capabilityTraits } from '../src/hypervisor/capabilities.js';
import { type OwnDatabase, ownDatabase } from './support/own-database.js';
import { startTestApp } from './support/test-app.js';

const REQUEST: ClaimRequest = {
  resources: { vcpus: 1, memoryMiB: 256, diskGiB: 0 },
  driverKind: 'qemu-kvm',
  guestType: 'hvm',
  requiredLabels: { suite: 'snapshot' },
};

describe('incremental placement snapshot', () => {
  let database: OwnDatabase;
  let app: INestApplication;
  let placement: PlacementService;
  let prisma: PrismaService;
  let db: pg.Client;
  const hosts: string[] = [];

  beforeAll(async () => {
    database = await ownDatabase('snapshot');
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    for (let i = 0; i < 4; i++) hosts.push(await addHost(`snap-${i}`));
    app = await startTestApp({ DATABASE_URL: database.url });
    placement = app.get(PlacementService);
    prisma = app.get(PrismaService);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await database?.drop();
  });

  async function addHost(name: string): Promise<string> {
    const r = await db.query<{ id: string }>(
      `INSERT INTO hosts (id, name, uri, driver_kind, cpus, memory_mib, disk_gib, simulated, traits, labels, updated_at)
       VALUES (gen_random_uuid(), $1, $2, 'qemu-kvm', 8, 8192, 100, true, $3, '{"suite":"snapshot"}', now()) RETURNING id::text`,
      [name, `test:///tmp/${name}-${process.pid}.xml`, capabilityTraits('qemu-kvm')],
    );
    return r.rows[0]!.id;
  }

  async function addInstance(hostId: string, vcpus: number, group?: string): Promise<string> {
    const r = await db.query<{ id: string }>(
      `INSERT INTO instances (id, name, driver_kind, guest_type, vcpus, memory_mib, disk_gib, host_id, placement_group, group_policy, updated_at)
       VALUES (gen_random_uuid(), 'i-' || substr(md5(random()::text), 1, 12), 'qemu-kvm', 'hvm', $2, 256, 0, $1, $3::varchar, CASE WHEN $3::varchar IS NULL THEN NULL ELSE 'affinity'::"GroupPolicy" END, now()) RETURNING id::text`,
      [hostId, vcpus, group ?? null],
    );
    await db.query('INSERT INTO allocations (instance_id, host_id, vcpus, memory_mib, disk_gib) VALUES ($1, $2, $3, 256, 0)', [
      r.rows[0]!.id,
      hostId,
      vcpus,
    ]);
    return r.rows[0]!.id;
  }

  /** The shared snapshot a claim would rank on now (refreshed, as after the 500 ms lifetime). */
  async function shared(): Promise<FleetIndex> {
    placement.invalidate();
    return (await placement.candidates(prisma, REQUEST, { weigher: 'spread' })).rankedOn;
  }

  /** Every host's usage, state and group members in `fleet`, against a full read. */
  async function expectLikeFullRead(fleet: FleetIndex): Promise<void> {
    const truth = await placement.snapshot();
    expect(fleet.size).toBe(truth.length);
    for (const h of truth) {
      const i = fleet.indexOf(h.id);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(fleet.usedOf(i)).toEqual({
        vcpus: h.used.vcpus + (h.foreign?.vcpus ?? 0),
        memoryMiB: h.used.memoryMiB + (h.foreign?.memoryMiB ?? 0),
        diskGiB: h.used.diskGiB,
      });
      expect(fleet.enabled[i]).toBe(h.state === 'enabled' ? 1 : 0);
      for (const [group, members] of h.groupMembers) expect(fleet.groupPresence(group).perHost[i]).toBe(members);
    }
  }

  it('follows claims, releases, host changes, new and removed hosts', async () => {
    await expectLikeFullRead(await shared());

    const a = await addInstance(hosts[0]!, 3, 'g1');
    await addInstance(hosts[1]!, 2);
    let fleet = await shared();
    await expectLikeFullRead(fleet);
    expect(fleet.groupPresence('g1').hostsWithMembers).toBe(1);

    await db.query('DELETE FROM instances WHERE id = $1', [a]);
    fleet = await shared();
    await expectLikeFullRead(fleet);
    expect(fleet.usedOf(fleet.indexOf(hosts[0]!)).vcpus).toBe(0);
    expect(fleet.groupPresence('g1').hostsWithMembers).toBe(0);

    await db.query("UPDATE hosts SET state = 'maintenance', foreign_vcpus = 5 WHERE id = $1", [hosts[2]]);
    const added = await addHost('snap-new');
    await db.query('DELETE FROM hosts WHERE id = $1', [hosts[3]]);
    fleet = await shared();
    await expectLikeFullRead(fleet);
    expect(fleet.indexOf(added)).toBeGreaterThanOrEqual(0);
    expect(fleet.indexOf(hosts[3]!)).toBe(-1);
  });

  it('sees a change committed by a transaction that was open during the previous read', async () => {
    const slow = new pg.Client({ connectionString: database.url });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      const r = await slow.query<{ id: string }>(
        `INSERT INTO instances (id, name, driver_kind, guest_type, vcpus, memory_mib, disk_gib, host_id, updated_at)
         VALUES (gen_random_uuid(), 'slow-${process.pid}', 'qemu-kvm', 'hvm', 4, 256, 0, $1, now()) RETURNING id::text`,
        [hosts[1]],
      );
      await slow.query('INSERT INTO allocations (instance_id, host_id, vcpus, memory_mib, disk_gib) VALUES ($1, $2, 4, 256, 0)', [
        r.rows[0]!.id,
        hosts[1],
      ]);
      // Read while it is open: the allocation is not visible yet.
      const before = await shared();
      const usedBefore = before.usedOf(before.indexOf(hosts[1]!)).vcpus;
      // A later change commits and is read, moving the watermark past it...
      await addInstance(hosts[0]!, 1);
      await shared();
      // ...then the older transaction commits: the next refresh must still see it.
      await slow.query('COMMIT');
      const after = await shared();
      expect(after.usedOf(after.indexOf(hosts[1]!)).vcpus).toBe(usedBefore + 4);
      await expectLikeFullRead(after);
    } finally {
      await slow.end();
    }
  });

  it("does not count the reconciler's bookkeeping on a host as a change", async () => {
    const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM placement_changes')).rows[0]!.n;
    const before = await count();
    await db.query(
      "UPDATE hosts SET last_heartbeat_at = now(), last_error = NULL, foreign_guests = '[]', foreign_observed_at = now() WHERE id = $1",
      [hosts[0]],
    );
    expect(await count()).toBe(before);
    await db.query('UPDATE hosts SET cpu_ratio = 2 WHERE id = $1', [hosts[0]]);
    expect(await count()).toBe(before + 1);
  });
});
