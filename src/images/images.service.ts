// The image catalogue: a managed file volume of a host registered under a name. What the image
// is (format, virtual size, no backing store) is read from the host's libvirt at registration,
// never taken from the caller. An image is deleted (its record; the volume stays managed) only
// while no instance's root disk is an overlay of it.
import { Injectable } from '@nestjs/common';
import type { Image, Prisma, Volume } from '../generated/prisma/client.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../common/domain-errors.js';
import { Keyset } from '../common/pagination.js';
import { actorOfRequest, EventsService } from '../events/events.service.js';
import { DriversService } from '../hypervisor/hypervisor.module.js';
import type { VolumeFormat } from '../hypervisor/volumes.js';
import { fromDbDriverKind } from '../prisma/enum-mapping.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { CreateImageDto, ImageDto, ImagePageDto, ListImagesQuery } from './dto/image.dto.js';
import { imageProblem } from './image-rules.js';

const IMAGE_PAGES = new Keyset('images', 'id');

type ImageRow = Image & { volume: Volume; _count: { instances: number } };

const withVolume = { volume: true, _count: { select: { instances: true } } } as const;

function toDto(i: ImageRow): ImageDto {
  return {
    id: i.id,
    name: i.name,
    format: i.format as VolumeFormat,
    sizeBytes: Number(i.sizeBytes),
    osFamily: i.osFamily,
    hostId: i.volume.hostId,
    pool: i.volume.pool,
    volumeId: i.volumeId,
    instanceCount: i._count.instances,
    createdBy: i.createdBy,
    createdAt: i.createdAt,
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown })?.code === 'P2002';

@Injectable()
export class ImagesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly drivers: DriversService,
    private readonly events: EventsService,
  ) {}

  async create(hostId: string, dto: CreateImageDto): Promise<ImageDto> {
    const host = await this.prisma.host.findUnique({ where: { id: hostId } });
    if (!host) throw new NotFoundError(`host ${hostId} does not exist`);
    const volume = await this.prisma.volume.findUnique({ where: { hostId_pool_name: { hostId, pool: dto.pool, name: dto.volume } } });
    if (!volume) {
      throw new UnprocessableError(
        `host ${host.name} manages no volume "${dto.volume}" in pool "${dto.pool}" (create or adopt it through the volumes API first)`,
        { errors: [{ path: 'volume', message: 'not a managed volume of the pool on this host' }] },
      );
    }
    if (volume.instanceId)
      throw new ConflictError(`volume "${volume.name}" is the root disk of an instance; it cannot be an image`, {
        instanceId: volume.instanceId,
      });
    // What the volume is now, as the host's libvirt probes it (not what was recorded, nor claimed).
    const found = await this.drivers.get(fromDbDriverKind(host.driverKind)).findVolume(host.uri, volume.pool, volume.name);
    if (!found)
      throw new UnprocessableError(`volume "${volume.name}" of pool "${volume.pool}" is no longer on host ${host.name}`, {
        volumeId: volume.id,
      });
    // A raw volume a guest wrote a qcow2 header into probes as qcow2 now: its header (a backing
    // file, an external data file) is the guest's, not ours. Only the format it was made in counts.
    if (volume.format !== null && found.format !== volume.format) {
      throw new UnprocessableError(
        `not an image: volume "${volume.name}" was created as ${volume.format} but the host's libvirt now reads it as ${found.format} (its content was written by a guest or by hand)`,
        { volumeId: volume.id, format: found.format, recordedFormat: volume.format },
      );
    }
    const problem = imageProblem(found, dto.format);
    if (problem)
      throw new UnprocessableError(`not an image: ${problem}`, {
        volumeId: volume.id,
        format: found.format,
        claimedFormat: dto.format ?? null,
      });
    try {
      return await this.prisma.$transaction(async (tx) => {
        const row = await tx.image.create({
          data: {
            name: dto.name,
            format: found.format!,
            sizeBytes: BigInt(found.capacityBytes),
            osFamily: dto.osFamily ?? null,
            volumeId: volume.id,
            createdBy: actorOfRequest(),
          },
          include: withVolume,
        });
        await this.events.record(tx, {
          kind: 'image.registered',
          hostId: host.id,
          message: `image "${dto.name}" registered: volume "${volume.name}" of pool "${volume.pool}" on host ${host.name} (${found.format}, ${found.capacityBytes} bytes)`,
          data: { imageId: row.id, volumeId: volume.id, format: found.format, sizeBytes: found.capacityBytes },
        });
        return toDto(row);
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const target = String((error as { meta?: { target?: unknown } }).meta?.target ?? '');
      throw new ConflictError(
        target.includes('volume') ? `volume "${volume.name}" is already an image` : `an image named "${dto.name}" exists`,
      );
    }
  }

  async list(q: ListImagesQuery): Promise<ImagePageDto> {
    const { where, ...page } = IMAGE_PAGES.args<Prisma.ImageWhereInput>(q, 'asc');
    return IMAGE_PAGES.page(await this.prisma.image.findMany({ where, ...page, include: withVolume }), q, 'asc', toDto);
  }

  async get(id: string): Promise<ImageDto> {
    return toDto(await this.find(id));
  }

  /** Unregister: 409 while an instance uses it. The volume stays (a managed volume; delete it through the volumes API). */
  async remove(id: string): Promise<void> {
    const image = await this.find(id);
    await this.prisma.$transaction(async (tx) => {
      const users = await tx.instance.findMany({ where: { imageId: id }, select: { id: true, name: true }, take: 20 });
      if (users.length > 0)
        throw new ConflictError(
          `image "${image.name}" is the base of ${users.map((u) => u.name).join(', ')}; delete those instances first`,
          { usedBy: users },
        );
      try {
        await tx.image.delete({ where: { id } });
      } catch (error) {
        // An instance created meanwhile references it (the foreign key refuses).
        if ((error as { code?: unknown })?.code === 'P2003') throw new ConflictError(`image "${image.name}" came into use meanwhile`);
        throw error;
      }
      await this.events.record(tx, {
        kind: 'image.deleted',
        hostId: image.volume.hostId,
        message: `image "${image.name}" unregistered (volume "${image.volume.name}" kept)`,
        data: { imageId: id, volumeId: image.volumeId },
      });
    });
  }

  private async find(id: string): Promise<ImageRow> {
    const image = await this.prisma.image.findUnique({ where: { id }, include: withVolume });
    if (!image) throw new NotFoundError(`image ${id} does not exist`);
    return image;
  }
}
