// Attaching and detaching data volumes: each an instance operation (task `reconfiguring`, so no
// start, migration or delete runs meanwhile). The request checks and claims (the volume row is
// marked attached in the transaction that creates the operation, so two attaches of one volume
// cannot both win); the instance's worker rebuilds the definition from the stored spec with the
// disk added or removed and writes the new spec only once libvirt took it. A failed attach
// releases its claim: nothing dangles.
import { Injectable } from '@nestjs/common';
import type { Prisma, Volume } from '../generated/prisma/client.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../common/domain-errors.js';
import { EventsService } from '../events/events.service.js';
import { InstanceWorkflows } from '../instances/instance-workflows.js';
import type { BootSpec } from '../instances/guest-spec.js';
import { domainSpecOf } from '../instances/instance-mapper.js';
import { OperationsService } from '../operations/operations.service.js';
import { fromDbPowerState } from '../prisma/enum-mapping.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { AcceptedVolumeOperationDto, AttachVolumeDto } from './dto/volume.dto.js';
import { attachProblem, newDataVolumeOf } from './disk-attachment.js';
import { fieldsUsing } from './volume-usage.js';

/** How long an attach or detach may stay in flight before the watchdog fails it. */
const RECONFIGURE_DEADLINE_MS = 2 * 60_000;

type Tx = Prisma.TransactionClient;

@Injectable()
export class VolumeAttachmentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly operations: OperationsService,
    private readonly events: EventsService,
    private readonly workflows: InstanceWorkflows,
  ) {}

  /**
   * Attach a data disk to instance `instanceId`: managed file volume `dto.volumeId` of the
   * instance's host, or a new volume `dto.name` the operation creates in pool `dto.pool` of that
   * host first. A running guest gets it at its next start (the persistent definition is rebuilt now).
   */
  async attach(instanceId: string, dto: AttachVolumeDto): Promise<AcceptedVolumeOperationDto> {
    const create = newDataVolumeOf(dto);
    const { operationId, volumeId } = await this.prisma.$transaction(async (tx) => {
      const i = await this.idleInstance(tx, instanceId, 'attach a volume to');
      if (create) {
        const problem = attachProblem(i.bootSpec as BootSpec, i.id, {
          ...create,
          path: '',
          instanceId: null,
          attachedInstanceId: null,
          isImage: false,
        });
        if (problem) throw new UnprocessableError(`cannot attach: ${problem.message}`);
        const taken = await tx.volume.findUnique({
          where: { hostId_pool_name: { hostId: i.hostId, pool: create.pool, name: create.name } },
        });
        if (taken)
          throw new ConflictError(`the instance's host already has volume "${create.name}" in pool "${create.pool}"`, {
            volumeId: taken.id,
          });
        return { operationId: await this.begin(tx, i, 'attach-volume', create.name, null), volumeId: null };
      }
      const volume = await this.volumeOf(tx, dto.volumeId!, i.hostId);
      const image = await tx.image.findUnique({ where: { volumeId: volume.id }, select: { id: true } });
      const problem = attachProblem(i.bootSpec as BootSpec, i.id, { ...volume, isImage: image !== null });
      if (problem) {
        const extras = { volumeId: volume.id, instanceId, attachedInstanceId: volume.attachedInstanceId };
        throw problem.status === 409
          ? new ConflictError(`cannot attach: ${problem.message}`, extras)
          : new UnprocessableError(`cannot attach: ${problem.message}`, extras);
      }
      // A guest that names the volume by path in its own boot spec (not attached through us).
      const users = await this.specUsers(tx, i.hostId, volume);
      if (users.length > 0)
        throw new ConflictError(`cannot attach: volume "${volume.name}" is a disk of instance ${users.join(', ')}`, { usedBy: users });
      const opId = await this.begin(tx, i, 'attach-volume', volume.name, volume.id);
      const claimed = await tx.volume.updateMany({
        where: { id: volume.id, attachedInstanceId: null },
        data: { attachedInstanceId: i.id },
      });
      if (claimed.count === 0) throw new ConflictError(`volume "${volume.name}" was attached elsewhere meanwhile`);
      return { operationId: opId, volumeId: volume.id };
    });
    this.workflows.launch(operationId, instanceId, {
      volumeChange: volumeId ? { volumeId, attach: true } : { create: create!, attach: true },
    });
    return { operationId, instanceId, volumeId };
  }

  /**
   * Detach volume `volumeId` from instance `instanceId`: only while the guest is not running
   * (the driver cannot unplug a disk from a running guest, and a definition without it would let
   * the volume be deleted under the guest). The volume stays, managed and free.
   */
  async detach(instanceId: string, volumeId: string): Promise<AcceptedVolumeOperationDto> {
    const operationId = await this.prisma.$transaction(async (tx) => {
      const i = await this.idleInstance(tx, instanceId, 'detach a volume from');
      const volume = await this.volumeOf(tx, volumeId, i.hostId);
      if (volume.attachedInstanceId !== i.id)
        throw new ConflictError(`volume "${volume.name}" is not attached to instance ${i.name}`, {
          volumeId,
          attachedInstanceId: volume.attachedInstanceId,
        });
      const state = fromDbPowerState(i.observedState);
      if (state !== 'shutoff' && state !== 'crashed')
        throw new ConflictError(`instance ${i.name} is ${state}; stop it before detaching a volume (no hot-unplug)`, {
          currentState: state,
        });
      return this.begin(tx, i, 'detach-volume', volume.name, volume.id);
    });
    this.workflows.launch(operationId, instanceId, { volumeChange: { volumeId, attach: false } });
    return { operationId, instanceId, volumeId };
  }

  /** The instance, placed and with no task in flight (409 otherwise). */
  private async idleInstance(tx: Tx, id: string, what: string) {
    const i = await tx.instance.findUnique({ where: { id } });
    if (!i) throw new NotFoundError(`instance ${id} does not exist`);
    if (i.task) throw new ConflictError(`cannot ${what} instance ${i.name}: it is busy (${i.task})`, { task: i.task });
    if (!i.hostId) throw new ConflictError(`instance ${i.name} has no host`);
    return { ...i, hostId: i.hostId };
  }

  /** Volume `id`: 404 when unknown, 422 when it is not on the instance's host. */
  private async volumeOf(tx: Tx, id: string, hostId: string): Promise<Volume> {
    const volume = await tx.volume.findUnique({ where: { id } });
    if (!volume) throw new NotFoundError(`volume ${id} does not exist`);
    if (volume.hostId !== hostId)
      throw new UnprocessableError(`volume "${volume.name}" is on another host than the instance; a disk is local to its host`, {
        volumeId: id,
        volumeHostId: volume.hostId,
        instanceHostId: hostId,
      });
    return volume;
  }

  /** Instances on (or moving to) the host whose spec names the volume's path outside any attachment. */
  private async specUsers(tx: Tx, hostId: string, volume: Volume): Promise<string[]> {
    const users = await tx.instance.findMany({ where: { OR: [{ hostId }, { allocations: { some: { hostId } } }] } });
    return users.filter((u) => fieldsUsing(domainSpecOf(u), volume.path).length > 0).map((u) => u.name);
  }

  /** The operation and the instance's `reconfiguring` task, written together; its id. */
  private async begin(
    tx: Tx,
    i: { id: string; name: string; version: number; hostId: string },
    kind: 'attach-volume' | 'detach-volume',
    volumeName: string,
    volumeId: string | null,
  ): Promise<string> {
    const deadline = new Date(Date.now() + RECONFIGURE_DEADLINE_MS);
    const op = await this.operations.create(tx, { kind, targetType: 'instance', targetId: i.id, deadline });
    await tx.operation.update({ where: { id: op.id }, data: { result: { volumeId, volumeName } } });
    const won = await tx.instance.updateMany({
      where: { id: i.id, version: i.version, task: null },
      data: { task: 'reconfiguring', taskDeadline: deadline, taskOperationId: op.id, version: { increment: 1 } },
    });
    if (won.count === 0) throw new ConflictError(`instance ${i.name} changed concurrently; retry`);
    await this.events.record(tx, {
      kind: 'instance.task',
      instanceId: i.id,
      hostId: i.hostId,
      operationId: op.id,
      message: `${kind === 'attach-volume' ? 'attach' : 'detach'} of volume "${volumeName}" ${kind === 'attach-volume' ? 'to' : 'from'} ${i.name} accepted`,
      data: { action: kind, volumeId, volumeName },
    });
    return op.id;
  }
}
