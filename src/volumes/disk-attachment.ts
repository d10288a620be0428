// Attaching a data volume is a change of the instance's stored boot spec: one more disk (or one
// less), from which the driver rebuilds the whole domain definition. Pure: the rules of what may
// be attached, and the spec with the disk added or taken away.
import type { BootSpec } from '../instances/guest-spec.js';
import type { DiskBus, DiskFormat } from '../hypervisor/xml/domain-spec.js';
import { ValidationError } from '../common/domain-errors.js';
import type { NewVolume, VolumeFormat } from '../hypervisor/volumes.js';
import type { AttachVolumeDto } from './dto/volume.dto.js';
import { sanitizePath } from './volume-usage.js';

/** The bus a data disk is attached on, per guest type (none: the guest type takes no disks). */
const DATA_DISK_BUS: Readonly<Record<string, DiskBus | undefined>> = {
  hvm: 'virtio',
  'xen-pv': 'xen',
  'xen-pvh': 'xen',
  'xen-hvm': 'xen',
};

/** What of a volume row decides whether it may be a guest's data disk. */
export interface AttachableVolume {
  name: string;
  kind: string;
  format: string | null;
  path: string;
  /** The instance whose root disk it is (null for a data volume). */
  instanceId: string | null;
  /** The instance it is attached to. */
  attachedInstanceId: string | null;
  isImage: boolean;
}

interface StoredDisk {
  path: string;
  format?: string;
  bus?: string;
}

const disksOf = (boot: BootSpec): StoredDisk[] => (boot.disks as StoredDisk[] | undefined) ?? [];

/** The format a volume is attached in: the one it was created (or adopted) in; null when no guest disk can read it. */
function diskFormatOf(format: string | null): DiskFormat | null {
  return format === 'raw' || format === 'qcow2' ? format : null;
}

/**
 * Why `volume` cannot be attached to the guest `boot` describes (null when it can), as a status
 * (409: in use elsewhere or already there; 422: not something a disk can be) and a message.
 */
export function attachProblem(boot: BootSpec, instanceId: string, volume: AttachableVolume): { status: 409 | 422; message: string } | null {
  if (DATA_DISK_BUS[boot.guestType] === undefined)
    return { status: 422, message: `a ${boot.guestType} guest takes no disks (mount a dir volume at creation instead)` };
  if (volume.kind !== 'file')
    return { status: 422, message: `volume "${volume.name}" is a ${volume.kind} volume; a disk is a file volume` };
  if (diskFormatOf(volume.format) === null)
    return { status: 422, message: `volume "${volume.name}" is in format ${volume.format ?? 'unknown'}; disks are raw or qcow2` };
  if (volume.isImage)
    return { status: 409, message: `volume "${volume.name}" is an image: guests use it only as a root disk's read-only base` };
  if (volume.instanceId !== null)
    return { status: 409, message: `volume "${volume.name}" is the root disk of instance ${volume.instanceId}` };
  if (volume.attachedInstanceId === instanceId) return { status: 409, message: `volume "${volume.name}" is already attached to it` };
  if (volume.attachedInstanceId !== null)
    return { status: 409, message: `volume "${volume.name}" is attached to instance ${volume.attachedInstanceId}; detach it there first` };
  if (disksOf(boot).some((d) => sanitizePath(d.path) === volume.path))
    return { status: 409, message: `volume "${volume.name}" is already one of its disks` };
  return null;
}

/** `boot` with `volume` as its last disk (the next free device name of the bus). */
export function withDiskAttached(boot: BootSpec, volume: Pick<AttachableVolume, 'path' | 'format'>): BootSpec {
  const bus = DATA_DISK_BUS[boot.guestType];
  const format = diskFormatOf(volume.format);
  if (bus === undefined || format === null) throw new Error(`not attachable: ${boot.guestType} guest, ${volume.format} volume`);
  return { ...boot, disks: [...disksOf(boot), { path: volume.path, format, bus }] };
}

/** `boot` without the disk at `path` (however it was spelt). */
export function withDiskDetached(boot: BootSpec, path: string): BootSpec {
  return { ...boot, disks: disksOf(boot).filter((d) => sanitizePath(d.path) !== path) };
}

const GiB = 1024 ** 3;

/** The new volume an attach asks to create (null: it names an existing one); 400 for fields that do not go together. */
export function newDataVolumeOf(dto: AttachVolumeDto): (NewVolume & { pool: string; format: VolumeFormat; capacityBytes: number }) | null {
  const fresh = (['pool', 'name', 'format', 'capacityGiB'] as const).filter((k) => dto[k] !== undefined);
  if (dto.volumeId !== undefined) {
    if (fresh.length > 0)
      throw new ValidationError(`volumeId names an existing volume: no ${fresh.join(', ')}`, {
        errors: fresh.map((path) => ({ path, message: 'not allowed with volumeId' })),
      });
    return null;
  }
  const missing = (['pool', 'name', 'capacityGiB'] as const).filter((k) => dto[k] === undefined);
  if (missing.length > 0)
    throw new ValidationError(`give volumeId (an existing volume) or pool, name and capacityGiB (a new one)`, {
      errors: missing.map((path) => ({ path, message: 'required without volumeId' })),
    });
  const format = dto.format ?? 'qcow2';
  return { pool: dto.pool!, name: dto.name!, kind: 'file', format, capacityBytes: dto.capacityGiB! * GiB };
}
