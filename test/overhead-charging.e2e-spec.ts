// Overhead charging end to end: two hosts of the same size, one for VMs (qemu-kvm) and one for
// containers (lxc), filled with guests of the same size. Each claim reserves the guest's size
// plus its technique's measured overhead (src/overhead/measured-defaults.ts), so the VM host is
// full after fewer guests. The instances show the asked and the charged size, the allocations
// hold the charged size, and the placement preview compares the techniques side by side.
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { APP_CONFIG, type AppConfig } from '../src/config/app-config.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { startTestApp } from './support/test-app.js';
import { simulatedHostUri } from './support/simulated-hosts.js';

const tag = `ovh${process.pid.toString(36)}${Date.now().toString(36)}`;
const HOST_MEMORY_MIB = 1024;
const GUEST = { vcpus: 1, memoryMiB: 64 };
const BOOT = { 'qemu-kvm': { guestType: 'hvm' }, lxc: { guestType: 'container', init: '/bin/sleep', initArgs: ['60'] } } as const;

describe('overhead charging', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let config: AppConfig;
  const hosts: Record<'qemu-kvm' | 'lxc', string> = { 'qemu-kvm': '', lxc: '' };

  beforeAll(async () => {
    app = await startTestApp({ OVERHEAD_CHARGING: 'true' });
    http = request(app.getHttpServer());
    config = app.get<AppConfig>(APP_CONFIG);
    for (const kind of ['qemu-kvm', 'lxc'] as const) {
      const h = await http
        .post('/api/v1/hosts')
        .send({
          name: `${tag}-${kind}`,
          uri: simulatedHostUri({ cpus: 8, memoryMiB: HOST_MEMORY_MIB }),
          driverKind: kind,
          memoryRatio: 1,
          labels: { suite: tag, kind },
        })
        .expect(201);
      hosts[kind] = h.body.id;
    }
  });

  afterAll(async () => {
    await app.close();
  });

  /** Creates same-size guests of `kind` on its host until the host refuses one; returns the accepted creates. */
  async function fill(kind: 'qemu-kvm' | 'lxc'): Promise<request.Response[]> {
    const accepted: request.Response[] = [];
    for (let n = 0; n < 64; n++) {
      const r = await http.post('/api/v1/instances').send({
        name: `${tag}-${kind === 'lxc' ? 'ct' : 'vm'}${n}`,
        driverKind: kind,
        ...GUEST,
        start: false,
        boot: BOOT[kind],
        requiredHostLabels: { suite: tag, kind },
      });
      if (r.status === 409) {
        expect(r.body.type).toBe('https://virtfleet.dev/problems/no-valid-host');
        return accepted;
      }
      expect(r.status).toBe(202);
      accepted.push(r);
    }
    throw new Error(`the ${kind} host never filled up`);
  }

  it('fills a host earlier with VMs than with containers of the same size, because each VM is charged more overhead', async () => {
    const vmOverhead = config.overhead.overheadMiB('qemu-kvm', GUEST);
    const containerOverhead = config.overhead.overheadMiB('lxc', GUEST);
    expect(vmOverhead).toBeGreaterThan(containerOverhead);
    expect(containerOverhead).toBeGreaterThan(0);

    const vms = await fill('qemu-kvm');
    const containers = await fill('lxc');
    // Without charging both would hold 1024 / 64 = 16 guests (vCPUs are ample: 8 × 4).
    expect(vms.length).toBe(Math.floor(HOST_MEMORY_MIB / (GUEST.memoryMiB + vmOverhead)));
    expect(containers.length).toBe(Math.floor(HOST_MEMORY_MIB / (GUEST.memoryMiB + containerOverhead)));
    expect(vms.length).toBeLessThan(containers.length);
    expect(containers.length).toBeLessThan(HOST_MEMORY_MIB / GUEST.memoryMiB);

    // The API shows both sizes; the allocation holds the charged one.
    const vm = vms[0]!.body.instance;
    expect(vm).toMatchObject({
      vcpus: 1,
      memoryMiB: 64,
      charged: { vcpus: 1, memoryMiB: 64 + vmOverhead, diskGiB: 0, overheadMiB: vmOverhead },
    });
    const read = await http.get(`/api/v1/instances/${vm.id}`).expect(200);
    expect(read.body.charged.memoryMiB).toBe(64 + vmOverhead);
    const used = await app.get(PrismaService).$queryRaw<{ host_id: string; memory_mib: bigint }[]>`
      SELECT host_id::text, sum(memory_mib) AS memory_mib FROM allocations WHERE host_id = ANY(${Object.values(hosts)}::uuid[]) GROUP BY host_id`;
    const usedOn = new Map(used.map((u) => [u.host_id, Number(u.memory_mib)]));
    expect(usedOn.get(hosts['qemu-kvm'])).toBe(vms.length * (64 + vmOverhead));
    expect(usedOn.get(hosts.lxc)).toBe(containers.length * (64 + containerOverhead));
  }, 120_000);

  it('answers "which technique?" in the placement preview: hosts and charged size per driver, side by side', async () => {
    // Fresh, empty hosts of each kind, so the room counted is the whole host's.
    const label = `${tag}-cmp`;
    for (const kind of ['qemu-kvm', 'lxc'] as const) {
      await http
        .post('/api/v1/hosts')
        .send({
          name: `${label}-${kind}`,
          uri: simulatedHostUri({ cpus: 8, memoryMiB: HOST_MEMORY_MIB }),
          driverKind: kind,
          labels: { suite: label },
        })
        .expect(201);
    }
    const preview = await http
      .post('/api/v1/placement/preview')
      .send({
        driverKind: 'qemu-kvm',
        guestType: 'hvm',
        ...GUEST,
        requiredHostLabels: { suite: label },
        compareDriverKinds: ['qemu-kvm', 'lxc'],
      })
      .expect(200);
    const vmOverhead = config.overhead.overheadMiB('qemu-kvm', GUEST);
    const containerOverhead = config.overhead.overheadMiB('lxc', GUEST);
    expect(preview.body.asked).toEqual({ vcpus: 1, memoryMiB: 64, diskGiB: 0 });
    expect(preview.body.charged).toEqual({ vcpus: 1, memoryMiB: 64 + vmOverhead, diskGiB: 0, overheadMiB: vmOverhead });
    const [asVm, asContainer] = preview.body.techniques;
    expect(asVm).toMatchObject({
      driverKind: 'qemu-kvm',
      guestType: 'hvm',
      validHostCount: 1,
      overheadSource: 'measured',
      guestsThatFit: Math.floor(HOST_MEMORY_MIB / (64 + vmOverhead)),
    });
    expect(asContainer).toMatchObject({
      driverKind: 'lxc',
      guestType: 'container',
      validHostCount: 1,
      overheadSource: 'measured',
      charged: { memoryMiB: 64 + containerOverhead, overheadMiB: containerOverhead },
      guestsThatFit: Math.floor(HOST_MEMORY_MIB / (64 + containerOverhead)),
    });
    expect(asContainer.guestsThatFit).toBeGreaterThan(asVm.guestsThatFit);
    expect(asVm.candidates[0].hostName).toBe(`${label}-qemu-kvm`);
    expect(asContainer.candidates[0].hostName).toBe(`${label}-lxc`);
  });
});
