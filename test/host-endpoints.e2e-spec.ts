// Issue 15 item 1: one machine is one host, however it is reached. The private libvirtd (QEMU and
// LXC drivers of one daemon) registered for QEMU and then for LXC is one host with two driver
// endpoints and one capacity; a QEMU guest and an LXC container both count against it. A
// simulated physical host (lvhost) reached by qemu+tcp and through its unix socket is a 409.
// A database of its own: it registers the shared daemons, which other suites register too.
import { symlinkSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startTestApp } from './support/test-app.js';
import { type OwnDatabase, ownDatabase } from './support/own-database.js';
import { expectProblem, waitForOperation } from './support/api.js';
import { LXC_URI, QEMU_URI, TEST_HOST_SOCKET_DIRS, describeWithLibvirtd } from './support/libvirtd.js';
import { LVHOST_URIS } from './support/lvhosts.js';
import { simulatedHostUri } from './support/simulated-hosts.js';

const tag = `he${process.pid.toString(36)}${Date.now().toString(36)}`;
const LVHOSTS_DIR = process.env.VIRTFLEET_LVHOSTS_DIR ?? '/run/virtfleet-lvhosts';
/** lvhost n's own daemon through its unix socket (scripts/lvhosts.sh). */
const lvhostSocketUri = (n: number) => `qemu+unix:///system?socket=${LVHOSTS_DIR}/h${n}/run/libvirt-sock`;

describeWithLibvirtd('a physical host with driver endpoints', () => {
  let app: INestApplication;
  let database: OwnDatabase;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    database = await ownDatabase('hostep');
    app = await startTestApp({
      DATABASE_URL: database.url,
      HOST_SOCKET_DIRS: `${TEST_HOST_SOCKET_DIRS},${[1, 2, 3, 4, 5].map((n) => `${LVHOSTS_DIR}/h${n}/run`).join(',')}`,
    });
    http = request(app.getHttpServer());
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const hostsReaching = async (uri: string) =>
    ((await http.get('/api/v1/hosts?limit=200').expect(200)).body.items as Array<{ id: string; endpoints: Array<{ uri: string }> }>).filter(
      (h) => h.endpoints.some((e) => e.uri === uri),
    );

  it('counts one daemon registered for QEMU and for LXC once: one host, two endpoints, one capacity', async () => {
    const qemu = (
      await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-d`, uri: QEMU_URI, driverKind: 'qemu-kvm' })
        .expect(201)
    ).body;
    // The finding: the LXC driver of the same daemon was accepted as a second host.
    const asHost = await http.post('/api/v1/hosts').send({ name: `${tag}-d-lxc`, uri: LXC_URI, driverKind: 'lxc' });
    const refused = expectProblem(asHost, 409);
    expect(qemu.machineId).toMatch(/^uuid:[0-9a-f-]{36}$/);
    expect(qemu.endpoints).toEqual([expect.objectContaining({ driverKind: 'qemu-kvm', uri: QEMU_URI })]);
    expect(refused).toMatchObject({
      hostId: qemu.id,
      hostName: qemu.name,
      machineId: qemu.machineId,
      addEndpoint: `/api/v1/hosts/${qemu.id}/endpoints`,
    });
    expect(String(refused.detail)).toContain(`POST /api/v1/hosts/${qemu.id}/endpoints`);
    // The same driver again, under another name: a duplicate naming the existing host.
    expect(
      expectProblem(
        await http.post('/api/v1/hosts').send({
          name: `${tag}-d-again`,
          connection: { transport: 'unix', socket: /socket=([^&]+)/.exec(QEMU_URI)![1] },
          driverKind: 'qemu-kvm',
        }),
        409,
      ),
    ).toMatchObject({ hostId: qemu.id, existingUri: QEMU_URI });

    const both = (await http.post(`/api/v1/hosts/${qemu.id}/endpoints`).send({ uri: LXC_URI, driverKind: 'lxc' }).expect(201)).body;
    expect(both.endpoints.map((e: { driverKind: string; uri: string }) => [e.driverKind, e.uri])).toEqual([
      ['qemu-kvm', QEMU_URI],
      ['lxc', LXC_URI],
    ]);
    expect(both.capacity).toEqual(qemu.capacity);
    expect(both.traits).toEqual(expect.arrayContaining(['driver:qemu-kvm', 'driver:lxc', 'guest:hvm', 'guest:container']));
    // Twice the same driver, or the host listed twice: no.
    expectProblem(await http.post(`/api/v1/hosts/${qemu.id}/endpoints`).send({ uri: LXC_URI, driverKind: 'lxc' }), 409);
    expect(await hostsReaching(LXC_URI)).toHaveLength(1);
    expect((await http.get('/api/v1/hosts?driverKind=lxc&limit=200').expect(200)).body.items.map((h: { id: string }) => h.id)).toEqual([
      qemu.id,
    ]);

    // A QEMU guest and an LXC container, each placed by driver kind alone, both land on it and count against its one capacity.
    const vm = await http
      .post('/api/v1/instances')
      .send({ name: `${tag}-vm`, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 128, boot: { guestType: 'hvm' } })
      .expect(202);
    const ct = await http
      .post('/api/v1/instances')
      .send({
        name: `${tag}-ct`,
        driverKind: 'lxc',
        vcpus: 1,
        memoryMiB: 64,
        boot: { guestType: 'container', init: '/bin/sleep', initArgs: ['3600'] },
      })
      .expect(202);
    for (const res of [vm, ct]) {
      expect(res.body.instance.hostId).toBe(qemu.id);
      expect((await waitForOperation(http, res.body.operationId, 120)).status).toBe('succeeded');
    }
    const loaded = (await http.get(`/api/v1/hosts/${qemu.id}`).expect(200)).body;
    expect(loaded).toMatchObject({ instanceCount: 2, allocated: { vcpus: 2, memoryMiB: 192 } });

    // The sweep lists both endpoints: neither guest is "missing", neither is unknown to it.
    const sweep = (
      await http
        .post('/api/v1/reconciler/sweep')
        .send({ hostIds: [qemu.id] })
        .expect(200)
    ).body;
    expect(sweep.unreachableHosts).toEqual([]);
    expect(sweep.unknownGuests.filter((g: string) => g.endsWith(`/${tag}-vm`) || g.endsWith(`/${tag}-ct`))).toEqual([]);
    for (const res of [vm, ct]) {
      expect((await http.get(`/api/v1/instances/${res.body.instance.id}`).expect(200)).body).toMatchObject({
        observedState: 'running',
        hostId: qemu.id,
      });
    }

    // The LXC endpoint cannot go while a container runs under it; the last endpoint never.
    const lxcEndpoint = both.endpoints.find((e: { driverKind: string }) => e.driverKind === 'lxc');
    const qemuEndpoint = both.endpoints.find((e: { driverKind: string }) => e.driverKind === 'qemu-kvm');
    expect(expectProblem(await http.delete(`/api/v1/hosts/${qemu.id}/endpoints/${lxcEndpoint.id}`), 409).driverKind).toBe('lxc');

    for (const res of [vm, ct]) {
      const del = await http.delete(`/api/v1/instances/${res.body.instance.id}`).expect(202);
      expect((await waitForOperation(http, del.body.operationId, 120)).status).toBe('succeeded');
    }
    const qemuOnly = (await http.delete(`/api/v1/hosts/${qemu.id}/endpoints/${lxcEndpoint.id}`).expect(200)).body;
    expect(qemuOnly.endpoints.map((e: { driverKind: string }) => e.driverKind)).toEqual(['qemu-kvm']);
    expect(qemuOnly.traits).not.toContain('driver:lxc');
    expectProblem(await http.delete(`/api/v1/hosts/${qemu.id}/endpoints/${qemuEndpoint.id}`), 409);
    await http.delete(`/api/v1/hosts/${qemu.id}`).expect(204);
  }, 300_000);

  it('refuses one simulated physical host reached over qemu+tcp and through its unix socket', async () => {
    const [tcp1, tcp2] = [LVHOST_URIS[0]!, LVHOST_URIS[1]!];
    const host = (
      await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-lv1`, uri: tcp1, driverKind: 'qemu-kvm' })
        .expect(201)
    ).body;
    try {
      // The finding: the same libvirtd through its unix socket was accepted as a second host.
      const bySocket = await http.post('/api/v1/hosts').send({ name: `${tag}-lv1-sock`, uri: lvhostSocketUri(1), driverKind: 'qemu-kvm' });
      expect(expectProblem(bySocket, 409)).toMatchObject({ hostId: host.id, existingUri: tcp1, machineId: host.machineId });
      // Its LXC driver over tcp: the same machine, so an endpoint of it, not a host.
      expect(
        expectProblem(
          await http.post('/api/v1/hosts').send({ name: `${tag}-lv1-lxc`, uri: tcp1.replace(/^qemu\+/, 'lxc+'), driverKind: 'lxc' }),
          409,
        ),
      ).toMatchObject({ hostId: host.id, addEndpoint: `/api/v1/hosts/${host.id}/endpoints` });
      // Another machine is no endpoint of this one.
      expect(
        expectProblem(
          await http.post(`/api/v1/hosts/${host.id}/endpoints`).send({ uri: tcp2.replace(/^qemu\+/, 'lxc+'), driverKind: 'lxc' }),
          422,
        ).detail,
      ).toMatch(/another machine/);
      // Another machine is a host of its own.
      const other = (
        await http
          .post('/api/v1/hosts')
          .send({ name: `${tag}-lv2`, uri: tcp2, driverKind: 'qemu-kvm' })
          .expect(201)
      ).body;
      expect(other.machineId).not.toBe(host.machineId);
      await http.delete(`/api/v1/hosts/${other.id}`).expect(204);
    } finally {
      await http.delete(`/api/v1/hosts/${host.id}`).expect(204);
    }
  }, 120_000);

  it('keeps each simulated node file its own host, though the test driver reports one hostname for all', async () => {
    const a = (
      await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-sim-a`, uri: simulatedHostUri(), driverKind: 'qemu-kvm' })
        .expect(201)
    ).body;
    const b = (
      await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-sim-b`, uri: simulatedHostUri(), driverKind: 'qemu-kvm' })
        .expect(201)
    ).body;
    expect(a.machineId).toBe(`simulated:${a.uri}`);
    expect(b.machineId).not.toBe(a.machineId);
    // A link to a's node file reaches the same simulated machine.
    const link = `${a.uri.slice('test://'.length).replace(/\.xml$/, '')}-link.xml`;
    symlinkSync(a.uri.slice('test://'.length), link);
    expect(
      expectProblem(await http.post('/api/v1/hosts').send({ name: `${tag}-sim-link`, uri: `test://${link}`, driverKind: 'qemu-kvm' }), 409),
    ).toMatchObject({ hostId: a.id });
    // The test driver serves every driver on its one URI: a container endpoint of the same file.
    const withLxc = (await http.post(`/api/v1/hosts/${a.id}/endpoints`).send({ uri: a.uri, driverKind: 'lxc' }).expect(201)).body;
    expect(withLxc.endpoints.map((e: { driverKind: string }) => e.driverKind)).toEqual(['qemu-kvm', 'lxc']);
    expect(withLxc.traits).toContain('sim');
  });
});
