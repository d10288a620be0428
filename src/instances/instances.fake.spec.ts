// The instance workflows (create, start, stop, reboot, delete) through the real services and the
// real PostgreSQL, on fake hosts: each operation's outcome in the database and on the host.
import { startFakeApp, type FakeApp } from '../../test/support/fake-app.js';
import { HostsService } from '../hosts/hosts.service.js';
import { OperationsService } from '../operations/operations.service.js';
import { DriversService } from '../hypervisor/hypervisor.module.js';
import { ConflictError, NotFoundError } from '../common/domain-errors.js';
import { InstancesService } from './instances.service.js';
import type { CreateInstanceDto } from './dto/instance.dto.js';

describe('instance workflows on a fake host', () => {
  let fake: FakeApp;
  let instances: InstancesService;
  let operations: OperationsService;
  let hostUri: string;
  let hostId: string;

  beforeAll(async () => {
    fake = await startFakeApp('fake_instances');
    instances = fake.app.get(InstancesService);
    operations = fake.app.get(OperationsService);
    hostUri = fake.fleet.addHost('node-1', { cpus: 8, memoryMiB: 8192 });
    hostId = (await fake.app.get(HostsService).register({ name: 'node-1', uri: hostUri, driverKind: 'qemu-kvm' })).id;
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
  });

  const driver = () => fake.app.get(DriversService).get('qemu-kvm');
  const onHost = (id: string) => driver().observe(hostUri, { instanceId: id, name: id });

  async function done(accepted: { operationId: string }) {
    const op = await operations.wait(accepted.operationId, 10);
    if (op.status !== 'succeeded') throw new Error(`operation ${op.kind} ${op.status}: ${JSON.stringify(op.error)}`);
    return op;
  }

  function vm(name: string, extra: Partial<CreateInstanceDto> = {}): CreateInstanceDto {
    return { name, driverKind: 'qemu-kvm', vcpus: 1, memoryMiB: 256, boot: { guestType: 'hvm' }, hostId, ...extra } as CreateInstanceDto;
  }

  it('creates a running instance: defined and started on the host, observed running', async () => {
    const accepted = await instances.create(vm('web-1'));
    await done(accepted);
    const id = accepted.instance.id;
    expect(await onHost(id)).toEqual({ state: 'running', reason: 'booted' });
    expect(await instances.get(id)).toMatchObject({ hostId, desiredState: 'running', observedState: 'running', task: null });
    expect((await driver().listGuests(hostUri)).find((g) => g.instanceId === id)).toMatchObject({ name: 'web-1', managed: true, vcpus: 1 });
  });

  it('creates a stopped instance when asked not to start it', async () => {
    const accepted = await instances.create(vm('web-2', { start: false }));
    await done(accepted);
    expect(await onHost(accepted.instance.id)).toMatchObject({ state: 'shutoff' });
    expect(await instances.get(accepted.instance.id)).toMatchObject({ desiredState: 'stopped', observedState: 'shutoff' });
  });

  it('force-stops, starts and reboots through the workflow; a stop the guest ignores fails and says so', async () => {
    const { instance } = await instances.create(vm('web-3')).then(async (a) => (await done(a), a));
    await done(await instances.act(instance.id, 'force-stop'));
    expect(await onHost(instance.id)).toEqual({ state: 'shutoff', reason: 'destroyed' });
    expect(await instances.get(instance.id)).toMatchObject({ desiredState: 'stopped', observedState: 'shutoff' });

    await done(await instances.act(instance.id, 'start'));
    expect(await onHost(instance.id)).toEqual({ state: 'running', reason: 'booted' });
    expect(await instances.get(instance.id)).toMatchObject({ desiredState: 'running', observedState: 'running' });

    const before = fake.fleet.domainIdOf(hostUri, instance.id);
    await done(await instances.act(instance.id, 'reboot'));
    expect(fake.fleet.domainIdOf(hostUri, instance.id)).not.toBe(before);

    // The fake's guests ignore a graceful shutdown by default: the stop says so and leaves it running.
    const ignored = await operations.wait((await instances.act(instance.id, 'stop', { stopTimeoutSeconds: 1 })).operationId, 10);
    expect(ignored).toMatchObject({ status: 'failed', error: { type: 'ConflictError', state: 'running' } });
    expect(JSON.stringify(ignored.error)).toMatch(/did not shut down within 1 s.*use force-stop/);
    expect(await onHost(instance.id)).toMatchObject({ state: 'running' });
  });

  it('stops gracefully a guest that acts on the request', async () => {
    const uri = fake.fleet.addHost('node-2', { guestsHonourShutdown: true });
    const node2 = (await fake.app.get(HostsService).register({ name: 'node-2', uri, driverKind: 'qemu-kvm' })).id;
    const { instance } = await instances.create(vm('web-7', { hostId: node2 })).then(async (a) => (await done(a), a));
    await done(await instances.act(instance.id, 'stop', { stopTimeoutSeconds: 5 }));
    expect(await driver().observe(uri, { instanceId: instance.id, name: instance.name })).toEqual({ state: 'shutoff', reason: 'shutdown' });
    expect(await instances.get(instance.id)).toMatchObject({ desiredState: 'stopped', observedState: 'shutoff' });
  });

  it('suspends and resumes', async () => {
    const { instance } = await instances.create(vm('web-4')).then(async (a) => (await done(a), a));
    await done(await instances.act(instance.id, 'suspend'));
    expect(await onHost(instance.id)).toMatchObject({ state: 'paused' });
    await done(await instances.act(instance.id, 'resume'));
    expect(await onHost(instance.id)).toEqual({ state: 'running', reason: 'unpaused' });
  });

  it('deletes: stopped and undefined on the host, the row gone', async () => {
    const { instance } = await instances.create(vm('web-5')).then(async (a) => (await done(a), a));
    await done(await instances.act(instance.id, 'delete'));
    expect(await onHost(instance.id)).toEqual({ state: 'missing', reason: 'not-defined' });
    await expect(instances.get(instance.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses an action the desired state forbids before touching the host', async () => {
    const { instance } = await instances.create(vm('web-6')).then(async (a) => (await done(a), a));
    await expect(instances.act(instance.id, 'resume')).rejects.toBeInstanceOf(ConflictError);
    expect(await onHost(instance.id)).toEqual({ state: 'running', reason: 'booted' });
  });
});
