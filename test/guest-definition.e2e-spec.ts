// Through the HTTP API on real libvirtd: what a guest is made of comes from the stored spec and
// our builder only. Issue #14: an LXC env value that libvirt 9.0 writes back unescaped turned
// into a <filesystem> sharing the host's / once a cold migration defined the source's XML on
// the target. Issue #15: a reboot that libvirt reported done while nothing restarted.
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DriverRegistry } from '../src/hypervisor/driver-registry.js';
import { LibvirtConnectionPool } from '../src/hypervisor/libvirt/libvirt-connection-pool.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { expectProblem, waitForOperation } from './support/api.js';
import { guestPid } from './support/guest-processes.js';
import { describeWithLibvirtd, LXC_URI, QEMU_URI } from './support/libvirtd.js';
import { LVHOST_URIS } from './support/lvhosts.js';
import { startTestApp } from './support/test-app.js';
import { ensureHost } from './support/shared-hosts.js';

const VIR_DOMAIN_XML_INACTIVE = 2;
/** A host's / handed to the guest. */
const HOST_ROOT_FILESYSTEM = /<filesystem[^>]*>\s*<source dir='\/'\/>/;
const FILESYSTEM = "<filesystem type='mount'><source dir='/'/><target dir='/host'/></filesystem>";
/** Issue #14's value: closes <initenv> and <os>, opens <devices> with the host's / in it. */
const INJECTION = `x</initenv></os><devices>${FILESYSTEM}</devices><os><initenv name='B'>y`;

describeWithLibvirtd('guest definitions and reboots through the API on real libvirtd', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  const tag = `g${process.pid.toString(36)}${Date.now().toString(36)}`;
  const pool = new LibvirtConnectionPool(30_000);
  const lxc = new DriverRegistry(pool).get('lxc');
  // The private libvirtd runs containers; simulated physical host 1 defines them (a second LXC host).
  const LXC_PEER_URI = LVHOST_URIS[0]!.replace(/^qemu\+/, 'lxc+');
  const hostIds: Record<string, string> = {};

  const container = (name: string, env: Record<string, string> = { GREETING: 'hello' }) => ({
    name: `${tag}-${name}`,
    driverKind: 'lxc',
    vcpus: 1,
    memoryMiB: 64,
    labels: { suite: tag },
    boot: { guestType: 'container', init: '/bin/sleep', initArgs: ['3600'], env },
  });

  const definitionOn = (uri: string, instanceId: string) =>
    pool.run(uri, 'reading a definition', async (s) =>
      s.hypervisor.domainGetXMLDesc(await s.hypervisor.domainLookupByUUIDString(instanceId), VIR_DOMAIN_XML_INACTIVE),
    );

  async function create(body: Record<string, unknown>, hostId: string) {
    const res = await http
      .post('/api/v1/instances')
      .send({ ...body, hostId })
      .expect(202);
    expect((await waitForOperation(http, res.body.operationId)).status).toBe('succeeded');
    return res.body.instance as { id: string; name: string };
  }

  async function act(id: string, action: string, body: object = {}) {
    const res = await http.post(`/api/v1/instances/${id}/${action}`).send(body).expect(202);
    return waitForOperation(http, res.body.operationId, 120);
  }

  beforeAll(async () => {
    app = await startTestApp();
    http = request(app.getHttpServer());
    for (const [key, uri, driverKind] of [
      ['lxc', LXC_URI, 'lxc'],
      ['peer', LXC_PEER_URI, 'lxc'],
      ['qemu', QEMU_URI, 'qemu-kvm'],
    ] as const) {
      hostIds[key] = (await ensureHost(http, uri, driverKind, { name: `${tag}-${key}` })).id;
    }
  });

  afterAll(async () => {
    const prisma = app.get(PrismaService);
    for (const i of await prisma.instance.findMany({ where: { name: { startsWith: `${tag}-` } }, include: { host: true } })) {
      const guest = { instanceId: i.id, name: i.name };
      for (const uri of [LXC_URI, LXC_PEER_URI, QEMU_URI]) {
        const driver = new DriverRegistry(pool).get(uri === QEMU_URI ? 'qemu-kvm' : 'lxc');
        await driver.forceStop(uri, guest).catch(() => undefined);
        await driver.undefine(uri, guest).catch(() => undefined);
      }
    }
    await app.close();
    await pool.closeAll();
  });

  it("refuses issue #14's env value with a 400 problem naming the field, and writes nothing", async () => {
    const body = expectProblem(
      await http.post('/api/v1/instances').send({ ...container('inject', { A: INJECTION }), hostId: hostIds.lxc }),
      400,
    );
    expect(JSON.stringify(body)).toContain('boot.env[\\"A\\"]');
    expect(String(body.detail)).toMatch(/libvirt writes environment values back unescaped/);
    for (const value of ['a<b', 'a>b', 'a&amp;b']) {
      expectProblem(await http.post('/api/v1/instances').send({ ...container('inject', { A: value }), hostId: hostIds.lxc }), 400);
    }
    expect(await app.get(PrismaService).instance.count({ where: { name: `${tag}-inject` } })).toBe(0);
  });

  it("cold migration defines the stored spec on the target, whatever the source's libvirt reports", async () => {
    const instance = await create({ ...container('moved'), start: false }, hostIds.lxc!);
    // The source's definition now carries the injection the API refuses (defined by other means:
    // virsh, a row from before the refusal); libvirt reads it back as a real <filesystem>.
    const source = await definitionOn(LXC_URI, instance.id);
    const escaped = INJECTION.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    await pool.run(LXC_URI, 'changing the source definition', (s) =>
      s.hypervisor.domainDefineXML(source.replace('</os>', `<initenv name='A'>${escaped}</initenv></os>`)),
    );
    expect(await definitionOn(LXC_URI, instance.id)).toMatch(HOST_ROOT_FILESYSTEM);

    const op = await act(instance.id, 'migrate', { mode: 'cold', targetHostId: hostIds.peer });
    expect(op).toMatchObject({ status: 'succeeded', result: { mode: 'cold', toHostId: hostIds.peer } });
    expect((await http.get(`/api/v1/instances/${instance.id}`).expect(200)).body).toMatchObject({
      hostId: hostIds.peer,
      observedState: 'shutoff',
    });

    const migrated = await definitionOn(LXC_PEER_URI, instance.id);
    expect(migrated).not.toMatch(HOST_ROOT_FILESYSTEM);
    expect(migrated).toContain("<initenv name='GREETING'>hello</initenv>");
    expect(migrated).not.toContain("initenv name='A'");
    // Exactly what our builder makes of the stored spec, as the target's libvirt keeps it.
    await lxc.define(
      LXC_PEER_URI,
      (await import('../src/instances/instance-mapper.js')).domainSpecOf(
        await app.get(PrismaService).instance.findUniqueOrThrow({ where: { id: instance.id } }),
      ),
    );
    expect(migrated).toBe(await definitionOn(LXC_PEER_URI, instance.id));
  });

  it('a stored spec that no longer validates is not migrated, and the guest keeps running where it is', async () => {
    const instance = await create(container('legacy'), hostIds.lxc!);
    // A row written before env values refused markup (the definition on the host is harmless).
    const prisma = app.get(PrismaService);
    const row = await prisma.instance.findUniqueOrThrow({ where: { id: instance.id } });
    await prisma.instance.update({
      where: { id: instance.id },
      data: { bootSpec: { ...(row.bootSpec as object), env: { A: INJECTION } } },
    });

    const op = await act(instance.id, 'migrate', { mode: 'cold', targetHostId: hostIds.peer });
    expect(op.status).toBe('failed');
    expect(op.error?.message).toMatch(/env\["A"\]: must not contain '<', '>' or '&'/);
    expect((await http.get(`/api/v1/instances/${instance.id}`).expect(200)).body).toMatchObject({
      hostId: hostIds.lxc,
      observedState: 'running',
      task: null,
    });
    expect(await lxc.observe(LXC_URI, { instanceId: instance.id, name: instance.name })).toMatchObject({ state: 'running' });
    expect(await lxc.observe(LXC_PEER_URI, { instanceId: instance.id, name: instance.name })).toEqual({
      state: 'missing',
      reason: 'not-defined',
    });
  });

  it('a container reboot restarts its init (a new PID) and is reported only then', async () => {
    const instance = await create(container('reboot'), hostIds.lxc!);
    const before = await guestPid('lxc', instance.name);
    const op = await act(instance.id, 'reboot');
    expect({ status: op.status, error: op.error }).toEqual({ status: 'succeeded', error: null });
    expect((await http.get(`/api/v1/instances/${instance.id}`).expect(200)).body).toMatchObject({ observedState: 'running', task: null });
    expect(await guestPid('lxc', instance.name)).not.toBe(before);
  });

  it('a reboot that cannot start the guest again fails the operation, and the instance says it is shut off', async () => {
    const instance = await create(container('unbootable'), hostIds.lxc!);
    // Its next-boot definition changed behind our back: the init it names does not exist.
    const current = await definitionOn(LXC_URI, instance.id);
    await pool.run(LXC_URI, 'breaking the next boot', (s) =>
      s.hypervisor.domainDefineXML(current.replace('<init>/bin/sleep</init>', '<init>/nonexistent/init</init>')),
    );
    const op = await act(instance.id, 'reboot');
    expect(op.status).toBe('failed');
    expect(op.error?.message).toMatch(/rebooting .*: it was stopped but could not be started again/);
    expect((await http.get(`/api/v1/instances/${instance.id}`).expect(200)).body).toMatchObject({ observedState: 'shutoff', task: null });
    expect(await lxc.observe(LXC_URI, { instanceId: instance.id, name: instance.name })).toMatchObject({ state: 'shutoff' });
  });

  it('a QEMU guest without an OS is rebooted by restarting QEMU (a new process)', async () => {
    const instance = await create(
      { name: `${tag}-vm`, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 64, labels: { suite: tag }, boot: { guestType: 'hvm' } },
      hostIds.qemu!,
    );
    const before = await guestPid('qemu-kvm', instance.name);
    const op = await act(instance.id, 'reboot');
    expect({ status: op.status, error: op.error }).toEqual({ status: 'succeeded', error: null });
    expect((await http.get(`/api/v1/instances/${instance.id}`).expect(200)).body).toMatchObject({ observedState: 'running', task: null });
    expect(await guestPid('qemu-kvm', instance.name)).not.toBe(before);
  });
});
