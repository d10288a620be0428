// The reconciler's sweep against out-of-band changes made to fake hosts behind the services'
// back (what test/reconciler.e2e-spec.ts does to libvirt's test driver with the binding), through
// the real services and the real PostgreSQL.
import { startFakeApp, type FakeApp } from '../../test/support/fake-app.js';
import { HostsService } from '../hosts/hosts.service.js';
import type { CreateInstanceDto } from '../instances/dto/instance.dto.js';
import { InstancesService } from '../instances/instances.service.js';
import { OperationsService } from '../operations/operations.service.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { ReconcilerService } from './reconciler.service.js';

describe('reconciler sweep over fake hosts', () => {
  let fake: FakeApp;
  let instances: InstancesService;
  let reconciler: ReconcilerService;
  let hostUri: string;
  let hostId: string;

  beforeAll(async () => {
    fake = await startFakeApp('fake_reconciler');
    instances = fake.app.get(InstancesService);
    reconciler = fake.app.get(ReconcilerService);
    hostUri = fake.fleet.addHost('sweep-1', { cpus: 8, memoryMiB: 8192 });
    hostId = (await fake.app.get(HostsService).register({ name: 'sweep-1', uri: hostUri, driverKind: 'lxc' })).id;
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
  });

  async function createRunning(name: string) {
    const dto = {
      name,
      driverKind: 'lxc',
      vcpus: 1,
      memoryMiB: 64,
      boot: { guestType: 'container', init: '/bin/sleep', initArgs: ['600'] },
      hostId,
    } as CreateInstanceDto;
    const accepted = await instances.create(dto);
    expect(await fake.app.get(OperationsService).wait(accepted.operationId, 10)).toMatchObject({ status: 'succeeded' });
    return accepted.instance;
  }

  const sweep = () => reconciler.sweep('admin', { hostIds: [hostId] });

  it('records a guest destroyed out of band as drift and shows it shut off', async () => {
    const i = await createRunning('oob-stop');
    fake.fleet.setState(hostUri, i.id, 'shutoff', 'destroyed');
    const report = await sweep();
    expect(report.drift).toEqual(expect.arrayContaining([expect.objectContaining({ instance: i.name, kind: 'stopped-out-of-band' })]));
    expect(await instances.get(i.id)).toMatchObject({ observedState: 'shutoff', observedReason: 'destroyed', desiredState: 'running' });
  });

  it('records a guest that crashed as drift', async () => {
    const i = await createRunning('oob-crash');
    fake.fleet.setState(hostUri, i.id, 'crashed', 'panicked');
    const report = await sweep();
    expect(report.drift.some((d) => d.instance === i.name)).toBe(true);
    expect(await instances.get(i.id)).toMatchObject({ observedState: 'crashed', desiredState: 'running' });
  });

  it('marks a vanished guest "missing" and never recreates or deletes anything', async () => {
    const i = await createRunning('oob-gone');
    fake.fleet.vanish(hostUri, i.id);
    const report = await sweep();
    expect(report.drift).toEqual(expect.arrayContaining([expect.objectContaining({ instance: i.name, kind: 'vanished' })]));
    expect(await instances.get(i.id)).toMatchObject({ observedState: 'missing' });
    expect((await fake.app.get(PrismaService).instance.findUnique({ where: { id: i.id } }))?.id).toBe(i.id);
    const again = await sweep();
    expect(again.drift.filter((d) => d.instance === i.name)).toEqual([]);
  });

  it('reports a foreign guest with what it takes, and leaves it alone', async () => {
    const id = '6f0c2a51-7d1c-4c3e-9a55-000000000f00';
    fake.fleet.addForeignGuest(hostUri, { instanceId: id, name: 'theirs', vcpus: 2, memoryMiB: 512, running: true });
    const report = await sweep();
    expect(report.foreignGuests).toEqual(expect.arrayContaining([expect.objectContaining({ host: 'sweep-1', name: 'theirs' })]));
    const host = await fake.app.get(PrismaService).host.findUniqueOrThrow({ where: { id: hostId } });
    expect(host).toMatchObject({ foreignVcpus: 2, foreignMemoryMiB: 512 });
    fake.fleet.vanish(hostUri, id);
  });

  it('takes an unreachable host offline and its instances to "unknown", never "stopped"; back when it answers', async () => {
    const i = await createRunning('partition');
    fake.fleet.setReachable(hostUri, false);
    try {
      const report = await sweep();
      expect(report.unreachableHosts).toEqual(['sweep-1']);
      expect(await fake.app.get(HostsService).get(hostId)).toMatchObject({ state: 'offline' });
      expect(await instances.get(i.id)).toMatchObject({ observedState: 'unknown', observedReason: 'host-unreachable' });
    } finally {
      fake.fleet.setReachable(hostUri, true);
    }
    await sweep();
    expect(await fake.app.get(HostsService).get(hostId)).toMatchObject({ state: 'enabled', lastError: null });
    expect(await instances.get(i.id)).toMatchObject({ observedState: 'running' });
  });
});
