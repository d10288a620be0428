// Hosts through the HTTP API, against real PostgreSQL and real libvirt (test driver hosts, and
// the private libvirtd for a driver/host mismatch).
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startTestApp } from './support/test-app.js';
import { simulatedHostUri } from './support/simulated-hosts.js';
import { QEMU_URI, SKIP_LIBVIRTD } from './support/libvirtd.js';

const tag = `h${process.pid.toString(36)}${Date.now().toString(36)}`;

describe('hosts API', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startTestApp();
    http = request(app.getHttpServer());
  });

  afterAll(async () => {
    await app.close();
  });

  const problem = (res: request.Response) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return res.body;
  };

  it('registers a host after probing it, with capacity from libvirt and capability traits', async () => {
    const uri = simulatedHostUri({ cpus: 12, memoryMiB: 8192 });
    const res = await http.post('/api/v1/hosts').send({ name: `${tag}-a`, uri, driverKind: 'qemu-kvm', diskGiB: 200, cpuRatio: 2, labels: { rack: 'r1' }, traits: ['ssd'] }).expect(201);
    expect(res.body).toMatchObject({
      name: `${tag}-a`, state: 'enabled', simulated: true, capacity: { vcpus: 12, memoryMiB: 8192, diskGiB: 200 },
      usable: { vcpus: 24, memoryMiB: 8192, diskGiB: 200 }, allocated: { vcpus: 0, memoryMiB: 0, diskGiB: 0 }, labels: { rack: 'r1' },
    });
    expect(res.body.traits).toEqual(expect.arrayContaining(['driver:qemu-kvm', 'guest:hvm', 'cap:cold-migrate', 'ssd']));
    // libvirt's test driver cannot migrate: a simulated host never advertises live migration.
    expect(res.body.traits).not.toContain('cap:live-migrate');
    expect(res.headers.etag).toBe('W/"1"');
    const got = await http.get(`/api/v1/hosts/${res.body.id}`).expect(200);
    expect(got.body.id).toBe(res.body.id);
    const events = await http.get(`/api/v1/hosts/${res.body.id}`).expect(200);
    expect(events.body.hostname).toBeTruthy();
  });

  it('refuses an unreachable URI with 422 problem+json and writes nothing', async () => {
    const res = await http.post('/api/v1/hosts').send({ name: `${tag}-dead`, uri: 'qemu+tcp://127.0.0.1:1/system', driverKind: 'qemu-kvm' }).expect(422);
    expect(problem(res).detail).toMatch(/could not be probed/);
    const list = await http.get('/api/v1/hosts?limit=200').expect(200);
    expect(list.body.items.some((h: { name: string }) => h.name === `${tag}-dead`)).toBe(false);
  });

  it.each([
    [{ name: 'Bad_Name', uri: 'test:///default', driverKind: 'qemu-kvm' }, /name must be/],
    [{ name: `${tag}-x`, uri: 'http://example.com', driverKind: 'qemu-kvm' }, /uri must be a libvirt URI/],
    [{ name: `${tag}-x`, uri: 'test:///default', driverKind: 'vmware' }, /driverKind must be one of/],
    [{ name: `${tag}-x`, uri: 'test:///default', driverKind: 'xen', cpuRatio: 0 }, /cpuRatio must not be less than/],
    [{ name: `${tag}-x`, uri: 'test:///default', driverKind: 'xen', labels: { ok: 1 } }, /labels must be an object/],
    [{ name: `${tag}-x`, uri: 'test:///default', driverKind: 'xen', surprise: true }, /property surprise should not exist/],
  ])('rejects bad input %# with 400 naming the field', async (body, message) => {
    const res = await http.post('/api/v1/hosts').send(body).expect(400);
    expect(JSON.stringify(problem(res).errors)).toMatch(message);
  });

  (SKIP_LIBVIRTD ? it.skip : it)('refuses a driver the host cannot serve (LXC driver on a QEMU URI) with 422', async () => {
    const res = await http.post('/api/v1/hosts').send({ name: `${tag}-mismatch`, uri: QEMU_URI, driverKind: 'lxc' }).expect(422);
    expect(problem(res).detail).toMatch(/offers no guest type the lxc driver can run/);
  });

  it.each([
    ['test:///etc/shadow', /simulated hosts must be/],
    ['qemu+unix:///system?socket=/home/user/evil.sock', /query parameter "socket"/],
    ['qemu:///system?keyfile=/etc/shadow', /query parameter "keyfile"/],
  ])('refuses %s before libvirt ever sees it (400)', async (uri, message) => {
    const res = await http.post('/api/v1/hosts').send({ name: `${tag}-bad-uri`, uri, driverKind: 'qemu-kvm' }).expect(400);
    expect(problem(res).detail).toMatch(message);
  });

  it('refuses a duplicate name or URI with 409', async () => {
    const uri = simulatedHostUri();
    await http.post('/api/v1/hosts').send({ name: `${tag}-dup`, uri, driverKind: 'xen' }).expect(201);
    const res = await http.post('/api/v1/hosts').send({ name: `${tag}-dup`, uri: simulatedHostUri(), driverKind: 'xen' }).expect(409);
    expect(problem(res).status).toBe(409);
  });

  it('updates ratios with If-Match: the current ETag wins, a stale one gets 412', async () => {
    const created = await http.post('/api/v1/hosts').send({ name: `${tag}-upd`, uri: simulatedHostUri({ cpus: 8 }), driverKind: 'lxc' }).expect(201);
    const id = created.body.id;
    const ok = await http.patch(`/api/v1/hosts/${id}`).set('If-Match', created.headers.etag).send({ cpuRatio: 3, labels: { zone: 'b' } }).expect(200);
    expect(ok.body).toMatchObject({ ratios: { cpu: 3 }, usable: { vcpus: 24 }, labels: { zone: 'b' }, version: 2 });
    expect(ok.headers.etag).toBe('W/"2"');
    const stale = await http.patch(`/api/v1/hosts/${id}`).set('If-Match', created.headers.etag).send({ cpuRatio: 1 }).expect(412);
    expect(problem(stale).currentVersion).toBe(2);
  });

  it('switches maintenance on and off and filters the list by state', async () => {
    const created = await http.post('/api/v1/hosts').send({ name: `${tag}-mnt`, uri: simulatedHostUri(), driverKind: 'qemu-kvm' }).expect(201);
    const on = await http.post(`/api/v1/hosts/${created.body.id}/maintenance`).send({ enabled: true }).expect(200);
    expect(on.body.state).toBe('maintenance');
    const listed = await http.get('/api/v1/hosts?state=maintenance&limit=200').expect(200);
    expect(listed.body.items.map((h: { id: string }) => h.id)).toContain(created.body.id);
    const off = await http.post(`/api/v1/hosts/${created.body.id}/maintenance`).send({ enabled: false }).expect(200);
    expect(off.body.state).toBe('enabled');
  });

  it('pages through hosts with a cursor: every host once, pages no larger than asked', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 3; i++) mine.push((await http.post('/api/v1/hosts').send({ name: `${tag}-p${i}`, uri: simulatedHostUri(), driverKind: 'xen' }).expect(201)).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await http.get(`/api/v1/hosts?limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((h: { id: string }) => h.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(mine));
  });

  it('removes an empty host (204); unknown ids get 404, malformed ids 400', async () => {
    const created = await http.post('/api/v1/hosts').send({ name: `${tag}-rm`, uri: simulatedHostUri(), driverKind: 'qemu-kvm' }).expect(201);
    await http.delete(`/api/v1/hosts/${created.body.id}`).expect(204);
    problem(await http.get(`/api/v1/hosts/${created.body.id}`).expect(404));
    problem(await http.get('/api/v1/hosts/not-a-uuid').expect(400));
  });
});
