// Hosts through the HTTP API, against real PostgreSQL and real libvirt (test driver hosts, and
// the private libvirtd for a driver/host mismatch).
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startTestApp } from './support/test-app.js';
import { simulatedHostUri } from './support/simulated-hosts.js';
import { LIBVIRTD_SOCKET_DIR, QEMU_URI, SKIP_LIBVIRTD } from './support/libvirtd.js';
import { waitForOperation } from './support/api.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { hostReaching } from './support/shared-hosts.js';

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
    const res = await http
      .post('/api/v1/hosts')
      .send({ name: `${tag}-a`, uri, driverKind: 'qemu-kvm', diskGiB: 200, cpuRatio: 2, labels: { rack: 'r1' }, traits: ['ssd'] })
      .expect(201);
    expect(res.body).toMatchObject({
      name: `${tag}-a`,
      state: 'enabled',
      simulated: true,
      capacity: { vcpus: 12, memoryMiB: 8192, diskGiB: 200 },
      usable: { vcpus: 24, memoryMiB: 8192, diskGiB: 200 },
      allocated: { vcpus: 0, memoryMiB: 0, diskGiB: 0 },
      labels: { rack: 'r1' },
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
    const res = await http
      .post('/api/v1/hosts')
      .send({ name: `${tag}-dead`, uri: 'qemu+tcp://127.0.0.1:1/system', driverKind: 'qemu-kvm' })
      .expect(422);
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
    const res = await http
      .post('/api/v1/hosts')
      .send({ name: `${tag}-mismatch`, uri: QEMU_URI, driverKind: 'lxc' })
      .expect(422);
    expect(problem(res).detail).toMatch(/offers no guest type the lxc driver can run/);
  });

  it.each([
    ['test:///etc/shadow', /simulated hosts must be/],
    ['qemu+unix:///system?socket=/home/user/evil.sock', /socket must lie under/],
    ['qemu:///system?keyfile=/etc/shadow', /keyfile or known_hosts only goes with the ssh transport/],
  ])('refuses %s before libvirt ever sees it (400)', async (uri, message) => {
    const res = await http
      .post('/api/v1/hosts')
      .send({ name: `${tag}-bad-uri`, uri, driverKind: 'qemu-kvm' })
      .expect(400);
    expect(problem(res).detail).toMatch(message);
  });

  it('refuses a duplicate name or URI with 409', async () => {
    const uri = simulatedHostUri();
    await http
      .post('/api/v1/hosts')
      .send({ name: `${tag}-dup`, uri, driverKind: 'xen' })
      .expect(201);
    const res = await http
      .post('/api/v1/hosts')
      .send({ name: `${tag}-dup`, uri: simulatedHostUri(), driverKind: 'xen' })
      .expect(409);
    expect(problem(res).status).toBe(409);
  });

  it('updates ratios with If-Match: the current ETag wins, a stale one gets 412', async () => {
    const created = await http
      .post('/api/v1/hosts')
      .send({ name: `${tag}-upd`, uri: simulatedHostUri({ cpus: 8 }), driverKind: 'lxc' })
      .expect(201);
    const id = created.body.id;
    const ok = await http
      .patch(`/api/v1/hosts/${id}`)
      .set('If-Match', created.headers.etag)
      .send({ cpuRatio: 3, labels: { zone: 'b' } })
      .expect(200);
    expect(ok.body).toMatchObject({ ratios: { cpu: 3 }, usable: { vcpus: 24 }, labels: { zone: 'b' }, version: 2 });
    expect(ok.headers.etag).toBe('W/"2"');
    const stale = await http.patch(`/api/v1/hosts/${id}`).set('If-Match', created.headers.etag).send({ cpuRatio: 1 }).expect(412);
    expect(problem(stale).currentVersion).toBe(2);
  });

  it('switches maintenance on and off and filters the list by state', async () => {
    const created = await http
      .post('/api/v1/hosts')
      .send({ name: `${tag}-mnt`, uri: simulatedHostUri(), driverKind: 'qemu-kvm' })
      .expect(201);
    const on = await http.post(`/api/v1/hosts/${created.body.id}/maintenance`).send({ enabled: true }).expect(200);
    expect(on.body.state).toBe('maintenance');
    const listed = await http.get('/api/v1/hosts?state=maintenance&limit=200').expect(200);
    expect(listed.body.items.map((h: { id: string }) => h.id)).toContain(created.body.id);
    const off = await http.post(`/api/v1/hosts/${created.body.id}/maintenance`).send({ enabled: false }).expect(200);
    expect(off.body.state).toBe('enabled');
  });

  it('finds a host by name (a page of one or none); a malformed name is a 400', async () => {
    const created = await http
      .post('/api/v1/hosts')
      .send({ name: `${tag}-byname`, uri: simulatedHostUri(), driverKind: 'lxc' })
      .expect(201);
    const found = await http.get(`/api/v1/hosts?name=${tag}-byname`).expect(200);
    expect(found.body.items.map((h: { id: string }) => h.id)).toEqual([created.body.id]);
    expect((await http.get(`/api/v1/hosts?name=${tag}-nosuch`).expect(200)).body.items).toEqual([]);
    await http.get('/api/v1/hosts?name=Not%20A%20Name').expect(400);
  });

  it('pages through hosts with a cursor: every host once, pages no larger than asked', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 3; i++)
      mine.push(
        (
          await http
            .post('/api/v1/hosts')
            .send({ name: `${tag}-p${i}`, uri: simulatedHostUri(), driverKind: 'xen' })
            .expect(201)
        ).body.id,
      );
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

  it('PATCH changes only the fields it names: labels keep disk capacity, ratios and traits, even with disk allocations', async () => {
    const created = await http
      .post('/api/v1/hosts')
      .send({
        name: `${tag}-patch`,
        uri: simulatedHostUri({ cpus: 8 }),
        driverKind: 'qemu-kvm',
        diskGiB: 200,
        cpuRatio: 2,
        memoryRatio: 1.5,
        diskRatio: 1.25,
        traits: ['ssd'],
      })
      .expect(201);
    const id = created.body.id;
    const vm = await http
      .post('/api/v1/instances')
      .send({
        name: `${tag}-patch-vm`,
        driverKind: 'qemu-kvm',
        vcpus: 1,
        memoryMiB: 64,
        diskGiB: 40,
        boot: { guestType: 'hvm' },
        hostId: id,
        start: false,
      })
      .expect(202);
    expect((await waitForOperation(http, vm.body.operationId)).status).toBe('succeeded');
    const patched = await http
      .patch(`/api/v1/hosts/${id}`)
      .send({ labels: { rack: 'r1' } })
      .expect(200);
    expect(patched.body).toMatchObject({
      labels: { rack: 'r1' },
      capacity: { diskGiB: 200 },
      ratios: { cpu: 2, memory: 1.5, disk: 1.25 },
      allocated: { diskGiB: 40 },
      version: 2,
    });
    expect(patched.body.traits).toEqual(created.body.traits);
    expect(patched.body.traits).toEqual(expect.arrayContaining(['ssd', 'sim', 'driver:qemu-kvm']));
    // Replacing operator traits keeps virtfleet's own, and operators cannot set those.
    const retraited = await http
      .patch(`/api/v1/hosts/${id}`)
      .send({ traits: ['nvme'] })
      .expect(200);
    expect(retraited.body.traits).toEqual(expect.arrayContaining(['nvme', 'sim', 'driver:qemu-kvm']));
    expect(retraited.body.traits).not.toContain('ssd');
    expect(retraited.body.capacity.diskGiB).toBe(200);
    for (const traits of [['cap:live-migrate'], ['sim']]) {
      expect(problem(await http.patch(`/api/v1/hosts/${id}`).send({ traits }).expect(400)).detail).toMatch(/set by virtfleet/);
    }
    await http
      .delete(`/api/v1/instances/${vm.body.instance.id}`)
      .expect(202)
      .then((r) => waitForOperation(http, r.body.operationId));
  });

  it.each([{ diskGiB: null }, { cpuRatio: null }, { labels: null }, { traits: null }])(
    'PATCH %j is a 400, not a 500, and changes nothing',
    async (body) => {
      const created = await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-null${Object.keys(body)[0]!.toLowerCase()}`, uri: simulatedHostUri(), driverKind: 'xen', diskGiB: 50 })
        .expect(201);
      const p = problem(await http.patch(`/api/v1/hosts/${created.body.id}`).send(body).expect(400));
      expect(JSON.stringify(p.errors)).toContain(Object.keys(body)[0]);
      expect((await http.get(`/api/v1/hosts/${created.body.id}`).expect(200)).body).toMatchObject({
        version: 1,
        capacity: { diskGiB: 50 },
      });
    },
  );

  it.each([{ cpuRatio: null }, { labels: null }, { traits: null }, { connection: null, uri: 'test:///default' }])(
    'POST with %j is a 400, not a 500',
    async (body) => {
      const p = problem(
        await http
          .post('/api/v1/hosts')
          .send({ name: `${tag}-nullpost`, uri: simulatedHostUri(), driverKind: 'xen', ...body })
          .expect(400),
      );
      expect(JSON.stringify(p.errors)).toContain(Object.keys(body)[0]);
    },
  );

  it('removes an empty host (204); unknown ids get 404, malformed ids 400', async () => {
    const created = await http
      .post('/api/v1/hosts')
      .send({ name: `${tag}-rm`, uri: simulatedHostUri(), driverKind: 'qemu-kvm' })
      .expect(201);
    await http.delete(`/api/v1/hosts/${created.body.id}`).expect(204);
    problem(await http.get(`/api/v1/hosts/${created.body.id}`).expect(404));
    problem(await http.get('/api/v1/hosts/not-a-uuid').expect(400));
  });

  describe('bulk registration', () => {
    it('registers each host as POST /hosts would, reporting every refusal beside the successes, in request order', async () => {
      const uris = Array.from({ length: 12 }, (_, i) => simulatedHostUri({ cpus: 4 + i }));
      const hosts = [
        ...uris.map((uri, i) => ({ name: `${tag}-bulk${i}`, uri, driverKind: 'xen' })),
        { name: `${tag}-bulk-dead`, uri: 'qemu+tcp://127.0.0.1:1/system', driverKind: 'qemu-kvm' },
        { name: `${tag}-bulk-again`, uri: uris[0], driverKind: 'xen' },
        { name: `${tag}-bulk0`, uri: simulatedHostUri(), driverKind: 'xen' },
        { name: `${tag}-bulk-shadow`, uri: 'test:///etc/shadow', driverKind: 'xen' },
      ];
      const res = await http.post('/api/v1/hosts/bulk').send({ hosts }).expect(200);
      expect(res.body.registered).toBe(12);
      expect(res.body.failed).toBe(4);
      const results = res.body.results as Array<{
        index: number;
        name: string;
        status: number;
        host?: { name: string; capacity: { vcpus: number } };
        problem?: { status: number; detail: string };
      }>;
      expect(results.map((r) => r.index)).toEqual(hosts.map((_, i) => i));
      results.slice(0, 12).forEach((r, i) => {
        expect(r).toMatchObject({ status: 201, name: `${tag}-bulk${i}`, host: { name: `${tag}-bulk${i}`, capacity: { vcpus: 4 + i } } });
      });
      expect(results[12]).toMatchObject({ status: 422, problem: { status: 422, detail: expect.stringMatching(/could not be probed/) } });
      expect(results[13]).toMatchObject({ status: 409, problem: { status: 409 } });
      expect(results[14]).toMatchObject({ status: 409, problem: { status: 409 } });
      expect(results[15]).toMatchObject({
        status: 400,
        problem: { status: 400, detail: expect.stringMatching(/simulated hosts must be/) },
      });
      const names = ((await http.get('/api/v1/hosts?limit=200').expect(200)).body.items as Array<{ name: string }>).map((h) => h.name);
      expect(names.filter((n) => n.startsWith(`${tag}-bulk`)).sort()).toEqual(uris.map((_, i) => `${tag}-bulk${i}`).sort());
    });

    it.each([
      [{}, /hosts must be an array/],
      [{ hosts: [] }, /hosts must contain at least 1 elements/],
      [{ hosts: [{ name: 'Bad_Name', uri: 'test:///default', driverKind: 'xen' }] }, /name must be/],
      [
        { hosts: Array.from({ length: 1001 }, (_, i) => ({ name: `${tag}-many${i}`, uri: 'test:///default', driverKind: 'xen' })) },
        /hosts must contain no more than 1000 elements/,
      ],
    ])('refuses a malformed body %# with 400 and registers nothing', async (body, message) => {
      const before = (await http.get('/api/v1/hosts?limit=200').expect(200)).body.items.length;
      const res = await http.post('/api/v1/hosts/bulk').send(body).expect(400);
      expect(JSON.stringify(problem(res).errors)).toMatch(message);
      expect((await http.get('/api/v1/hosts?limit=200').expect(200)).body.items.length).toBe(before);
    });
  });

  describe('connections', () => {
    it('registers a host from structured fields and shows both the fields and the URI it built', async () => {
      const nodeFile = simulatedHostUri({ cpus: 4 }).slice('test://'.length);
      const res = await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-conn`, connection: { driver: 'test', transport: 'local', nodeFile }, driverKind: 'lxc' })
        .expect(201);
      expect(res.body).toMatchObject({
        uri: `test://${nodeFile}`,
        connection: { driver: 'test', transport: 'local', nodeFile },
        capacity: { vcpus: 4 },
      });
      // The URI form of the same connection is the same host.
      const again = await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-conn2`, uri: `test://${nodeFile}`, driverKind: 'lxc' })
        .expect(409);
      expect(problem(again).status).toBe(409);
    });

    (SKIP_LIBVIRTD ? it.skip : it)(
      'reaches the private libvirtd through an allowed socket: the fields build exactly the URI tests use',
      async () => {
        const socket = /socket=([^&]+)/.exec(QEMU_URI)![1]!;
        expect(socket.startsWith(`${LIBVIRTD_SOCKET_DIR}/`)).toBe(true);
        const expected = { driver: 'qemu', transport: 'unix', socket, scope: 'system' };
        // Other suites may have registered the daemon already (by URI): then the same fields are
        // a duplicate of that host, which shows they build the same URI.
        // (The daemon is one host: its QEMU endpoint may be that host's first endpoint or another.)
        const existing = await hostReaching(http, QEMU_URI);
        // The libvirt driver defaults to the one of driverKind.
        const res = await http
          .post('/api/v1/hosts')
          .send({ name: `${tag}-real`, connection: { transport: 'unix', socket }, driverKind: 'qemu-kvm' });
        if (existing) {
          expect(res.status).toBe(409);
          expect(existing).toMatchObject({ simulated: false });
          expect(existing.endpoints!.find((e) => e.uri === QEMU_URI)).toMatchObject({ connection: expected });
          return;
        }
        expect(res.status).toBe(201);
        try {
          expect(res.body).toMatchObject({ uri: QEMU_URI, simulated: false, connection: expected });
          expect(res.body.traits).not.toContain('sim');
        } finally {
          await http.delete(`/api/v1/hosts/${res.body.id}`).expect(204);
        }
      },
    );

    it.each([
      [{ connection: { driver: 'test', transport: 'local' }, uri: 'test:///default' }, /exactly one of connection/],
      [{}, /exactly one of connection/],
      [
        { connection: { driver: 'qemu', transport: 'tcp', hostname: '10.77.0.11', command: '/bin/sh' } },
        /property command should not exist/,
      ],
      [{ connection: { driver: 'qemu', transport: 'ext' } }, /transport must be one of/],
      [{ connection: { driver: 'qemu', transport: 'tcp', hostname: 'h1', port: 70000 } }, /port must not be greater than 65535/],
      [{ uri: 'qemu+tcp://10.77.0.11/system?no_verify=1' }, /query parameter "no_verify" is not accepted/],
      [{ uri: 'qemu+tcp://10.77.0.11:016509/system' }, /port must be/],
    ])('refuses connection input %# with 400 problem+json', async (body, message) => {
      const res = await http
        .post('/api/v1/hosts')
        .send({ name: `${tag}-badconn`, driverKind: 'qemu-kvm', ...body })
        .expect(400);
      const p = problem(res);
      expect(`${p.detail} ${JSON.stringify(p.errors ?? '')}`).toMatch(message);
    });
  });

  describe('a host URI cannot make libvirt run a command (issue 14.1)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-uri-attack-'));
    const marker = path.join(dir, 'ran');
    const script = path.join(dir, 'evil.sh');
    writeFileSync(script, `#!/bin/sh\ntouch ${marker}\nexit 1\n`);
    chmodSync(script, 0o755);

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const attacks: [string, Record<string, unknown>][] = [
      ['; after socket', { uri: `qemu+ssh://127.0.0.1/system?socket=/run/x;command=${script}` }],
      ['a second ?', { uri: `qemu+ssh://127.0.0.1/system?socket=/run/x?&command=${script}` }],
      ['& after socket', { uri: `qemu+ssh://127.0.0.1/system?socket=/run/libvirt/x&command=${script}` }],
      ['%3B after socket', { uri: `qemu+ssh://127.0.0.1/system?socket=/run/x%3Bcommand=${script}` }],
      ['%26 after socket', { uri: `qemu+ssh://127.0.0.1/system?socket=/run/x%26command=${script}` }],
      ['netcat', { uri: `qemu+ssh://127.0.0.1/system?netcat=${script}` }],
      ['the ext transport', { uri: `qemu+ext:///system?command=${script}` }],
      ['a socket outside /run through ..', { uri: `qemu+unix:///system?socket=/run/../${dir.slice(1)}/sock` }],
      ['command in a structured socket', { connection: { driver: 'qemu', transport: 'unix', socket: `/run/libvirt/x;command=${script}` } }],
      [
        'command in a structured hostname',
        { connection: { driver: 'qemu', transport: 'ssh', hostname: `127.0.0.1/system?command=${script}` } },
      ],
    ];

    it.each(attacks.filter(([, b]) => 'uri' in b).map(([what, b]) => [what, b.uri as string]))(
      'the libvirt layer refuses %s too when it was written to the database by other means (readiness, reconciler)',
      async (_what, uri) => {
        const prisma = app.get(PrismaService);
        const host = await prisma.host.create({
          data: { name: `${tag}-planted`, uri, driverKind: 'qemu_kvm', cpus: 1, memoryMiB: 1024, diskGiB: 0 },
        });
        try {
          await http.get('/health/ready');
          const sweep = await http
            .post('/api/v1/reconciler/sweep')
            .send({ hostIds: [host.id] })
            .expect(200);
          expect(sweep.body.unreachableHosts).toEqual([`${tag}-planted`]);
          expect(existsSync(marker)).toBe(false);
        } finally {
          await prisma.host.delete({ where: { id: host.id } });
        }
      },
    );

    it.each(attacks)('refuses %s with 400 problem+json; the command never runs and nothing is written', async (_what, body) => {
      const name = `${tag}-attack`;
      const res = await http.post('/api/v1/hosts').send({ name, driverKind: 'qemu-kvm', ...body });
      expect(res.status).toBe(400);
      problem(res);
      expect(existsSync(marker)).toBe(false);
      const list = await http.get('/api/v1/hosts?limit=200').expect(200);
      expect(list.body.items.some((h: { name: string }) => h.name === name)).toBe(false);
    });
  });
});
