// Managed volumes of a host: created empty through the host's libvirt, or adopted by an admin;
// listed, read, deleted (refused while an instance on the host uses one). The libvirt volume and
// the row come and go together: a volume libvirt created whose row cannot be written is deleted
// again, and a row is deleted only once libvirt no longer has the volume.
import { Injectable, Logger } from '@nestjs/common';
import type { Host, Prisma, Volume } from '../generated/prisma/client.js';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError, ValidationError } from '../common/domain-errors.js';
import { Keyset } from '../common/pagination.js';
import { actorOfRequest, EventsService } from '../events/events.service.js';
import { currentCaller } from '../common/request-context.js';
import { DriversService } from '../hypervisor/hypervisor.module.js';
import type { HostVolume, NewVolume } from '../hypervisor/volumes.js';
import { domainSpecOf } from '../instances/instance-mapper.js';
import { fromDbDriverKind } from '../prisma/enum-mapping.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { CreateVolumeDto, ListVolumesQuery, VolumeDto, VolumePageDto } from './dto/volume.dto.js';
import { fieldsUsing } from './volume-usage.js';

const VOLUME_PAGES = new Keyset('volumes', 'id');

const GiB = 1024 ** 3;

function toDto(v: Volume): VolumeDto {
  return {
    id: v.id,
    hostId: v.hostId,
    pool: v.pool,
    name: v.name,
    kind: v.kind,
    format: v.format,
    capacityBytes: Number(v.capacityBytes),
    key: v.libvirtKey,
    path: v.path,
    adopted: v.adopted,
    attachedInstanceId: v.attachedInstanceId,
    createdBy: v.createdBy,
    createdAt: v.createdAt,
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown })?.code === 'P2002';

/** The new volume `dto` asks for; 400 for fields that do not go together. */
export function newVolumeOf(dto: CreateVolumeDto): NewVolume {
  if (dto.kind === undefined)
    throw new ValidationError('kind is required (file or dir) unless adopt is true', { errors: [{ path: 'kind', message: 'required' }] });
  if (dto.kind === 'dir') {
    const extra = (['format', 'capacityGiB'] as const).filter((k) => dto[k] !== undefined);
    if (extra.length > 0)
      throw new ValidationError(`a dir volume takes no ${extra.join(' or ')}`, {
        errors: extra.map((path) => ({ path, message: 'not allowed for a dir volume' })),
      });
    return { pool: dto.pool, name: dto.name, kind: 'dir' };
  }
  if (dto.capacityGiB === undefined)
    throw new ValidationError('capacityGiB is required for a file volume', { errors: [{ path: 'capacityGiB', message: 'required' }] });
  return { pool: dto.pool, name: dto.name, kind: 'file', format: dto.format ?? 'raw', capacityBytes: dto.capacityGiB * GiB };
}

@Injectable()
export class VolumesService {
  private readonly logger = new Logger(VolumesService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly drivers: DriversService,
    private readonly events: EventsService,
  ) {}

  async create(hostId: string, dto: CreateVolumeDto): Promise<VolumeDto> {
    const host = await this.host(hostId);
    if (dto.adopt) return this.adopt(host, dto);
    const wanted = newVolumeOf(dto);
    await this.refuseTaken(host, wanted.pool, wanted.name);
    const driver = this.drivers.get(fromDbDriverKind(host.driverKind));
    const created = await driver.createVolume(host.uri, wanted);
    try {
      return await this.record(host, created, false);
    } catch (error) {
      // No row, no volume: take back what libvirt just created.
      await driver.deleteVolume(host.uri, created.pool, created.name).catch((e: unknown) =>
        this.logger.error({
          msg: 'volume created but neither recorded nor deleted; it is unmanaged',
          host: host.name,
          pool: created.pool,
          name: created.name,
          error: String(e),
        }),
      );
      throw isUniqueViolation(error)
        ? new ConflictError(`host ${host.name} already manages volume "${created.name}" of pool "${created.pool}"`)
        : error;
    }
  }

  /**
   * Register an existing libvirt volume as managed: admin only, audited. virtfleet cannot see
   * what the volume is on the host (libvirt lists a symbolic link as a volume of its target's
   * type), so the admin vouches for it.
   */
  private async adopt(host: Host, dto: CreateVolumeDto): Promise<VolumeDto> {
    const caller = currentCaller();
    if (caller && caller.role !== 'admin') {
      throw new ForbiddenError(`adopting an existing volume needs the admin role; ${caller.name} has ${caller.role}`, {
        requiredRole: 'admin',
        role: caller.role,
      });
    }
    const extra = (['kind', 'format', 'capacityGiB'] as const).filter((k) => dto[k] !== undefined);
    if (extra.length > 0)
      throw new ValidationError(`adopting takes the volume as the host has it: no ${extra.join(', ')}`, {
        errors: extra.map((path) => ({ path, message: 'not allowed with adopt' })),
      });
    await this.refuseTaken(host, dto.pool, dto.name);
    const found = await this.drivers.get(fromDbDriverKind(host.driverKind)).findVolume(host.uri, dto.pool, dto.name);
    if (!found)
      throw new UnprocessableError(`storage pool "${dto.pool}" on host ${host.name} has no volume "${dto.name}" to adopt`, {
        pool: dto.pool,
        name: dto.name,
      });
    try {
      return await this.record(host, found, true);
    } catch (error) {
      throw isUniqueViolation(error)
        ? new ConflictError(`host ${host.name} already manages volume "${dto.name}" of pool "${dto.pool}"`)
        : error;
    }
  }

  async list(hostId: string, q: ListVolumesQuery): Promise<VolumePageDto> {
    await this.host(hostId);
    const { where, ...page } = VOLUME_PAGES.args<Prisma.VolumeWhereInput>(q, 'asc');
    return VOLUME_PAGES.page(await this.prisma.volume.findMany({ where: { AND: [{ hostId }, where] }, ...page }), q, 'asc', toDto);
  }

  async get(hostId: string, id: string): Promise<VolumeDto> {
    return toDto(await this.find(hostId, id));
  }

  /**
   * Delete a volume: refused (409) while an instance placed on (or moving to) its host names
   * it. A volume virtfleet created is deleted on the host with its data (409 for a directory
   * that is not empty: libvirt only rmdirs); an adopted one is only released (no longer managed;
   * the host keeps it). Not caught: an instance defined on the volume between the check and the
   * deletion (its define usually finds the volume gone and fails; README "Guest storage").
   */
  async remove(hostId: string, id: string): Promise<void> {
    const host = await this.host(hostId);
    const volume = await this.find(hostId, id);
    const users = await this.prisma.instance.findMany({ where: { OR: [{ hostId }, { allocations: { some: { hostId } } }] } });
    const using = users.flatMap((i) => {
      const fields = fieldsUsing(domainSpecOf(i), volume.path);
      return fields.length > 0 ? [{ instanceId: i.id, name: i.name, fields }] : [];
    });
    if (volume.instanceId)
      throw new ConflictError(
        `volume "${volume.name}" is the root disk of instance ${volume.instanceId}; it is deleted with the instance`,
        { instanceId: volume.instanceId },
      );
    if (volume.attachedInstanceId) {
      const to = await this.prisma.instance.findUnique({ where: { id: volume.attachedInstanceId }, select: { name: true } });
      throw new ConflictError(
        `volume "${volume.name}" is attached to instance ${to?.name ?? volume.attachedInstanceId}; detach it first (DELETE /instances/{id}/volumes/{volumeId})`,
        { attachedInstanceId: volume.attachedInstanceId },
      );
    }
    const image = await this.prisma.image.findUnique({ where: { volumeId: id }, select: { id: true, name: true } });
    if (image)
      throw new ConflictError(`volume "${volume.name}" is image "${image.name}"; unregister the image first`, { imageId: image.id });
    if (using.length > 0) {
      throw new ConflictError(
        `volume "${volume.name}" is used by ${using.map((u) => u.name).join(', ')} on host ${host.name}; delete or change those first`,
        { usedBy: using },
      );
    }
    if (!volume.adopted) await this.drivers.get(fromDbDriverKind(host.driverKind)).deleteVolume(host.uri, volume.pool, volume.name);
    await this.prisma.$transaction(async (tx) => {
      await tx.volume.deleteMany({ where: { id } });
      await this.events.record(tx, {
        kind: 'volume.deleted',
        hostId,
        message: `volume "${volume.name}" of pool "${volume.pool}" on host ${host.name} ${volume.adopted ? 'released (adopted: kept on the host)' : 'deleted'}`,
        data: { volumeId: id, pool: volume.pool, name: volume.name, adopted: volume.adopted },
      });
    });
  }

  private async record(host: Host, v: HostVolume, adopted: boolean): Promise<VolumeDto> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.volume.create({
        data: {
          hostId: host.id,
          pool: v.pool,
          name: v.name,
          kind: v.kind,
          format: v.format,
          capacityBytes: BigInt(v.capacityBytes),
          libvirtKey: v.key,
          path: v.path,
          adopted,
          createdBy: actorOfRequest(),
        },
      });
      await this.events.record(tx, {
        kind: adopted ? 'volume.adopted' : 'volume.created',
        hostId: host.id,
        message: `volume "${v.name}" of pool "${v.pool}" on host ${host.name} ${adopted ? 'adopted as managed (trusted as it is on the host)' : 'created'}`,
        data: {
          volumeId: row.id,
          pool: v.pool,
          name: v.name,
          kind: v.kind,
          format: v.format,
          capacityBytes: v.capacityBytes,
          path: v.path,
        },
      });
      return toDto(row);
    });
  }

  private async refuseTaken(host: Host, pool: string, name: string): Promise<void> {
    const existing = await this.prisma.volume.findUnique({
      where: { hostId_pool_name: { hostId: host.id, pool, name } },
      select: { id: true },
    });
    if (existing)
      throw new ConflictError(`host ${host.name} already manages volume "${name}" of pool "${pool}"`, { volumeId: existing.id });
  }

  private async host(id: string): Promise<Host> {
    const host = await this.prisma.host.findUnique({ where: { id } });
    if (!host) throw new NotFoundError(`host ${id} does not exist`);
    return host;
  }

  private async find(hostId: string, id: string): Promise<Volume> {
    const volume = await this.prisma.volume.findFirst({ where: { id, hostId } });
    if (!volume) throw new NotFoundError(`volume ${id} does not exist on host ${hostId}`);
    return volume;
  }
}
