import { IsBoolean, IsIn, IsInt, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { IsOptional } from '../../common/validators.js';
import { PageQuery } from '../../common/pagination.js';
import {
  POOL_NAME_PATTERN,
  VOLUME_FORMATS,
  VOLUME_KINDS,
  VOLUME_NAME_PATTERN,
  type VolumeFormat,
  type VolumeKind,
} from '../../hypervisor/volumes.js';

/**
 * Create an empty volume (`kind`, and `capacityGiB` for a file), or — admin only — adopt an
 * existing libvirt volume of an allowed pool (`adopt: true`, nothing else).
 */
export class CreateVolumeDto {
  /** libvirt storage pool on the host; it must be one of the pools guests may use (STORAGE_POOLS). @example "default" */
  @IsString()
  @Matches(POOL_NAME_PATTERN, {
    message: 'pool must be a storage pool name: letters, digits, ".", "_", "+" or "-", at most 128 characters',
  })
  pool!: string;

  /** Volume name: one plain file name (lower-case letters, digits, ".", "_", "-"; not starting with "."; no ".."; at most 63 characters). @example "web-1-root.qcow2" */
  @IsString()
  @Matches(VOLUME_NAME_PATTERN, {
    message:
      'name must be 1-63 lower-case letters, digits, ".", "_" or "-", not starting with "." and without ".." (a file name, never a path)',
  })
  // Root disks and their migration copies are named vf-<instance id>-root.qcow2(.copy): a volume
  // made or adopted under such a name first would be taken for (and deleted as) one of them.
  @Matches(/^(?!vf-)/, { message: 'names starting with "vf-" are virtfleet\'s own (root disks and their copies)' })
  name!: string;

  /** file (a disk image or kernel) or dir (a container rootfs or bind-mount source). Required unless adopting. */
  @IsOptional()
  @IsIn(VOLUME_KINDS)
  kind?: VolumeKind;

  /** Image format of a file volume; default raw. Not for directories. */
  @IsOptional()
  @IsIn(VOLUME_FORMATS)
  format?: VolumeFormat;

  /** Size of a file volume in GiB (sparse: allocated as the guest writes). Required for files, not for directories. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_048_576)
  capacityGiB?: number;

  /**
   * Admin only: register the existing libvirt volume `name` of `pool` as managed instead of
   * creating one. An act of trust in what the volume is on the host (it may be a symbolic link
   * libvirt follows); it is audited.
   */
  @IsOptional()
  @IsBoolean()
  adopt?: boolean;
}

export class VolumeDto {
  id!: string;
  hostId!: string;
  pool!: string;
  name!: string;
  kind!: VolumeKind;
  /** Image format of a file volume as libvirt reports it; null for directories. */
  format!: string | null;
  capacityBytes!: number;
  /** libvirt's key for the volume (virStorageVolGetKey) when it was recorded. */
  key!: string;
  /** The volume's path on the host (virStorageVolGetPath): what instance specs name. */
  path!: string;
  /** true: an admin adopted an existing volume; false: virtfleet created it. */
  adopted!: boolean;
  /** The instance it is attached to as a data disk (POST /instances/{id}/volumes); null when free. */
  attachedInstanceId!: string | null;
  /** Who created or adopted it (`key:<name>`, or the unauthenticated caller). */
  createdBy!: string;
  createdAt!: Date;
}

export class VolumePageDto {
  items!: VolumeDto[];
  nextCursor!: string | null;
}

export class ListVolumesQuery extends PageQuery {}

/**
 * Attach a data disk: an existing managed file volume of the instance's host (`volumeId`), or a
 * new one the operation creates in a pool of that host first (`pool`, `name`, `capacityGiB`,
 * `format`; deleted again when the attach fails).
 */
export class AttachVolumeDto {
  /** An existing volume (GET /hosts/{hostId}/volumes): a free file volume, raw or qcow2, on the instance's host. */
  @IsOptional()
  @IsUUID()
  volumeId?: string;

  /** A new volume: the storage pool of the instance's host to create it in (one of STORAGE_POOLS). @example "default" */
  @IsOptional()
  @IsString()
  @Matches(POOL_NAME_PATTERN, {
    message: 'pool must be a storage pool name: letters, digits, ".", "_", "+" or "-", at most 128 characters',
  })
  pool?: string;

  /** A new volume: its name, one plain file name (never a path; "vf-" names are virtfleet's own). @example "data-1.qcow2" */
  @IsOptional()
  @IsString()
  @Matches(VOLUME_NAME_PATTERN, {
    message:
      'name must be 1-63 lower-case letters, digits, ".", "_" or "-", not starting with "." and without ".." (a file name, never a path)',
  })
  @Matches(/^(?!vf-)/, { message: 'names starting with "vf-" are virtfleet\'s own (root disks and their copies)' })
  name?: string;

  /** A new volume: raw or qcow2 (default qcow2). */
  @IsOptional()
  @IsIn(VOLUME_FORMATS)
  format?: VolumeFormat;

  /** A new volume: its size in GiB (sparse). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_048_576)
  capacityGiB?: number;
}

export class AcceptedVolumeOperationDto {
  /** Poll GET /api/v1/operations/{operationId}; its `result.volumeId` names the volume once attached. */
  operationId!: string;
  instanceId!: string;
  /** The volume; null for one the operation is still to create. */
  volumeId!: string | null;
}
