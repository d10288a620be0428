// Live migration of a running QEMU guest between two real libvirtd instances (network
// namespaces on this machine), through the driver and through the API; and what a killed or
// hung libvirtd does to calls and to the connection pool.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DriverRegistry } from '../src/hypervisor/driver-registry.js';
import type { GuestRef, MigrationProgress } from '../src/hypervisor/hypervisor-driver.js';
import { LibvirtConnectionPool } from '../src/hypervisor/libvirt/libvirt-connection-pool.js';
import type { DomainSpec } from '../src/hypervisor/xml/domain-spec.js';
import { DependencyUnavailableError } from '../src/common/domain-errors.js';
import { guestSpecFor } from './support/guest-fixtures.js';
import { describeWithLibvirtd, uniqueName } from './support/libvirtd.js';
import { LVHOST_URIS, LVHOSTS_DIR } from './support/lvhosts.js';
import { startTestApp } from './support/test-app.js';
import { waitForOperation } from './support/api.js';
import { ensureHost } from './support/shared-hosts.js';

const [H1, H2, H3] = LVHOST_URIS;
const VIR_DOMAIN_XML_INACTIVE = 2;
/** A host's / shared into the guest. */
const HOST_ROOT_FILESYSTEM = /<filesystem[^>]*>\s*<source dir='\/'\/>/;

const isRunning = (pid: number) => {
  try {
    return !/State:\s+Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

describeWithLibvirtd('live migration between two real libvirtd hosts', () => {
  const pool = new LibvirtConnectionPool(30_000);
  const registry = new DriverRegistry(pool);
  const qemu = registry.get('qemu-kvm');
  let guest: GuestRef;
  let spec: DomainSpec;

  beforeAll(async () => {
    await registry.probeLibraries();
  });

  beforeEach(async () => {
    spec = guestSpecFor('qemu-kvm', uniqueName('vf-mig'));
    guest = { instanceId: spec.instanceId, name: spec.name };
    await qemu.define(H1!, spec);
    await qemu.start(H1!, guest);
  });

  afterEach(async () => {
    for (const uri of [H1!, H2!]) {
      await qemu.forceStop(uri, guest).catch(() => undefined);
      await qemu.undefine(uri, guest).catch(() => undefined);
    }
  });

  afterAll(async () => {
    await pool.closeAll();
  });

  it('moves a running guest: afterwards it runs on exactly one host, the target', async () => {
    const progress: MigrationProgress[] = [];
    await qemu.liveMigrate(H1!, spec, H2!, { onProgress: (p) => progress.push(p), progressIntervalMs: 200 });
    expect(await qemu.observe(H2!, guest)).toEqual({ state: 'running', reason: 'migrated' });
    expect(await qemu.observe(H1!, guest)).toEqual({ state: 'missing', reason: 'not-defined' });
    expect(progress[0]).toEqual({ phase: 'started' });
    expect(progress.at(-1)).toEqual({ phase: 'completed' });
  }, 60_000);

  it("the target runs and persists our builder's definition of the spec, not the source's (changed) one", async () => {
    // Something rewrote the guest's next-boot definition on the source behind our back. With
    // VIR_MIGRATE_PERSIST_DEST libvirt would carry that definition over to the target as is.
    const inactive = (uri: string) =>
      pool.run(uri, 'reading a definition', async (s) =>
        s.hypervisor.domainGetXMLDesc(await s.hypervisor.domainLookupByUUIDString(guest.instanceId), VIR_DOMAIN_XML_INACTIVE),
      );
    const hostRoot = "<filesystem type='mount' accessmode='passthrough'><source dir='/'/><target dir='host'/></filesystem>";
    const changed = (await inactive(H1!)).replace('</devices>', `${hostRoot}</devices>`);
    await pool.run(H1!, 'changing the source definition', (s) => s.hypervisor.domainDefineXML(changed));
    expect(await inactive(H1!)).toMatch(HOST_ROOT_FILESYSTEM);

    await qemu.liveMigrate(H1!, spec, H2!);

    expect(await qemu.observe(H2!, guest)).toEqual({ state: 'running', reason: 'migrated' });
    const persisted = await inactive(H2!);
    expect(persisted).not.toMatch(HOST_ROOT_FILESYSTEM);
    // Exactly what our builder makes of the spec, as the target's libvirt keeps it (the
    // migration re-indents the metadata, so whitespace between elements does not count).
    await qemu.define(H2!, spec);
    const elementsOnly = (xml: string) => xml.replace(/>\s+</g, '><');
    expect(elementsOnly(persisted)).toBe(elementsOnly(await inactive(H2!)));
  }, 60_000);

  it('an abort leaves the guest running on exactly one host (the source when libvirt took the abort)', async () => {
    const abort = new AbortController();
    // Abort as soon as libvirt reports the job (bandwidth capped to keep it slow). libvirt
    // can be too late: a short migration may finish before its job answers queries, and then
    // the guest is legitimately on the target.
    const migration = qemu.liveMigrate(H1!, spec, H2!, {
      signal: abort.signal,
      bandwidthMiBs: 1,
      progressIntervalMs: 50,
      onProgress: (p) => {
        if (p.phase === 'transferring') abort.abort();
      },
    });
    const outcome = await migration.then(
      () => 'completed',
      (e: Error) => e.message,
    );
    const [onSource, onTarget] = [await qemu.observe(H1!, guest), await qemu.observe(H2!, guest)];
    if (outcome === 'completed') {
      expect([onSource.state, onTarget.state]).toEqual(['missing', 'running']);
    } else {
      expect(outcome).toMatch(/abort/i);
      expect([onSource.state, onTarget.state]).toEqual(['running', 'missing']);
    }
  }, 60_000);
});

describeWithLibvirtd('a killed or hung libvirtd', () => {
  // Short call timeout so a hung daemon is reported quickly.
  const pool = new LibvirtConnectionPool(3_000);
  const qemu = new DriverRegistry(pool).get('qemu-kvm');
  const pidOf = () => Number(readFileSync(`${LVHOSTS_DIR}/h3/libvirtd.pid`, 'utf8'));

  afterAll(async () => {
    await pool.closeAll();
  });

  it('a hung daemon fails calls within the timeout; the pool recovers when it answers again', async () => {
    expect((await qemu.probe(H3!)).hostname).toBe('vfhost3');
    const pid = pidOf();
    process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      await expect(qemu.probe(H3!)).rejects.toBeInstanceOf(DependencyUnavailableError);
      expect(Date.now() - started).toBeLessThan(6_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect((await qemu.probe(H3!)).hostname).toBe('vfhost3');
  }, 60_000);

  it("a shorter timeout than the pool's bounds connecting too (the readiness probe's case)", async () => {
    const fresh = new LibvirtConnectionPool(3_000); // no session yet: connecting is what hangs
    const pid = pidOf();
    process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      await expect(fresh.run(H3!, 'probe', (s) => s.hypervisor.connectGetHostname(), 300)).rejects.toThrow(
        /connecting to .* did not answer within 300 ms/,
      );
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(await fresh.run(H3!, 'probe', (s) => s.hypervisor.connectGetHostname())).toBe('vfhost3');
    await fresh.closeAll();
  }, 60_000);

  it('a killed daemon fails calls with a clear error; the connection comes back after it restarts', async () => {
    expect((await qemu.probe(H3!)).hostname).toBe('vfhost3');
    const pid = pidOf();
    process.kill(pid, 'SIGKILL');
    await expect(qemu.probe(H3!)).rejects.toThrow(/unreachable|did not answer|connect/i);
    while (isRunning(pid)) await new Promise((r) => setTimeout(r, 50));
    execFileSync('bash', ['scripts/lvhosts.sh', 'up', '3'], { stdio: 'pipe' });
    expect(pidOf()).not.toBe(pid);
    expect((await qemu.probe(H3!)).hostname).toBe('vfhost3');
  }, 90_000);
});

describeWithLibvirtd('live migration through the API', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const tag = `m${process.pid.toString(36)}${Date.now().toString(36)}`;
  const hostIds: string[] = [];
  const pool = new LibvirtConnectionPool(30_000);
  const qemu = new DriverRegistry(pool).get('qemu-kvm');

  beforeAll(async () => {
    app = await startTestApp();
    http = request(app.getHttpServer());
    for (const [n, uri] of [H1!, H2!].entries()) {
      hostIds.push((await ensureHost(http, uri, 'qemu-kvm', { name: `${tag}-h${n + 1}` })).id);
    }
  });

  afterAll(async () => {
    await app.close();
    await pool.closeAll();
  });

  it('migrates a running instance live; libvirt and PostgreSQL agree on where it runs', async () => {
    const created = await http
      .post('/api/v1/instances')
      .send({ name: `${tag}-vm`, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 64, boot: { guestType: 'hvm' }, hostId: hostIds[0] })
      .expect(202);
    expect((await waitForOperation(http, created.body.operationId)).status).toBe('succeeded');
    const id = created.body.instance.id;
    const allocatedOn = async (hostId: string) =>
      (await http.get(`/api/v1/hosts/${hostId}`).expect(200)).body.allocated.memoryMiB as number;
    const [sourceBefore, targetBefore] = [await allocatedOn(hostIds[0]!), await allocatedOn(hostIds[1]!)];
    const mig = await http.post(`/api/v1/instances/${id}/migrate`).send({ mode: 'auto', targetHostId: hostIds[1] }).expect(202);
    // While it moves, the target holds a reservation and the source keeps its claim.
    expect(await allocatedOn(hostIds[1]!)).toBe(targetBefore + 64);
    expect(await allocatedOn(hostIds[0]!)).toBe(sourceBefore);
    const op = await waitForOperation(http, mig.body.operationId, 120);
    expect(op).toMatchObject({ status: 'succeeded', result: { mode: 'live', fromHostId: hostIds[0], toHostId: hostIds[1] } });
    const after = (await http.get(`/api/v1/instances/${id}`).expect(200)).body;
    expect(after).toMatchObject({ hostId: hostIds[1], observedState: 'running', observedReason: 'migrated' });
    expect(await allocatedOn(hostIds[0]!)).toBe(sourceBefore - 64);
    expect(await allocatedOn(hostIds[1]!)).toBe(targetBefore + 64);
    const g = { instanceId: id, name: `${tag}-vm` };
    expect((await qemu.observe(H2!, g)).state).toBe('running');
    expect((await qemu.observe(H1!, g)).state).toBe('missing');
    const del = await http.delete(`/api/v1/instances/${id}`).expect(202);
    expect((await waitForOperation(http, del.body.operationId)).status).toBe('succeeded');
  }, 180_000);
});

describeWithLibvirtd('cancelling a live migration through the API', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  /** A second replica on the same database: it does not run the migration. */
  let replica: INestApplication;
  const tag = `c${process.pid.toString(36)}${Date.now().toString(36)}`;
  const hostIds: string[] = [];
  const pool = new LibvirtConnectionPool(30_000);
  const qemu = new DriverRegistry(pool).get('qemu-kvm');

  beforeAll(async () => {
    // 1 MiB/s and a 2 GiB guest (mostly zero pages, which travel cheaply): the copy takes
    // long enough for a cancel to reach libvirt's job, also one relayed by another replica.
    app = await startTestApp({ MIGRATION_BANDWIDTH_MIBS: '1' });
    http = request(app.getHttpServer());
    replica = await startTestApp();
    for (const [n, uri] of [H1!, H2!].entries()) {
      hostIds.push((await ensureHost(http, uri, 'qemu-kvm', { name: `${tag}-h${n + 1}` })).id);
    }
  });

  afterAll(async () => {
    await replica?.close();
    await app.close();
    await pool.closeAll();
  });

  it.each(['the process that runs it', 'another replica'])(
    'cancelled through %s, it ends aborted with the guest running on the source; a finished operation cannot be cancelled',
    async (through) => {
      const canceller = through === 'another replica' ? request(replica.getHttpServer()) : http;
      const name = `${tag}-${through === 'another replica' ? 'r' : 'p'}`;
      const created = await http
        .post('/api/v1/instances')
        .send({ name, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 6144, boot: { guestType: 'hvm' }, hostId: hostIds[0] })
        .expect(202);
      expect((await waitForOperation(http, created.body.operationId)).status).toBe('succeeded');
      const id = created.body.instance.id;
      const g = { instanceId: id, name };
      const allocatedOn = async (hostId: string) =>
        (await http.get(`/api/v1/hosts/${hostId}`).expect(200)).body.allocated.memoryMiB as number;
      const targetBefore = await allocatedOn(hostIds[1]!);
      const mig = await http.post(`/api/v1/instances/${id}/migrate`).send({ mode: 'live', targetHostId: hostIds[1] }).expect(202);
      // 6 GiB of (zero) guest memory at 1 MiB/s: ~15 s of migration, long enough for a cancel that
      // another replica asks for to reach the runner (at its next progress write) before the end.
      // Wait until libvirt's migration job runs (5 % is written when it first reports), then cancel.
      for (let tries = 0; ; tries++) {
        const op = (await http.get(`/api/v1/operations/${mig.body.operationId}`).expect(200)).body;
        if (op.status === 'running' && op.progress >= 5) break;
        expect(op.status).toMatch(/pending|running/);
        if (tries > 600) throw new Error('the migration never reported progress');
        await new Promise((r) => setTimeout(r, 100));
      }
      const cancelled = await canceller.post(`/api/v1/operations/${mig.body.operationId}/cancel`).expect(202);
      expect(cancelled.body.id).toBe(mig.body.operationId);
      const op = await waitForOperation(http, mig.body.operationId, 120);
      expect(op.status).toBe('aborted');
      expect((await qemu.observe(H1!, g)).state).toBe('running');
      expect((await qemu.observe(H2!, g)).state).toBe('missing');
      const after = (await http.get(`/api/v1/instances/${id}`).expect(200)).body;
      expect(after).toMatchObject({ hostId: hostIds[0], observedState: 'running', task: null });
      // The target's reservation is released.
      expect(await allocatedOn(hostIds[1]!)).toBe(targetBefore);
      // It has ended: a second cancel is 409.
      const again = await canceller.post(`/api/v1/operations/${mig.body.operationId}/cancel`).expect(409);
      expect(again.body.detail).toMatch(/aborted/);
      const listed = (await http.get('/api/v1/operations').query({ targetId: id, kind: 'migrate' }).expect(200)).body.items;
      expect(listed.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([[mig.body.operationId, 'aborted']]);
      const del = await http.delete(`/api/v1/instances/${id}`).expect(202);
      expect((await waitForOperation(http, del.body.operationId)).status).toBe('succeeded');
    },
    240_000,
  );
});
