import { Type } from 'class-transformer';
import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DRIVER_KINDS, type DriverKind, GUEST_TYPES, type GuestType } from '../../hypervisor/capabilities.js';
import { PageQuery } from '../../common/pagination.js';
import { IsLabelMap, IsOptional } from '../../common/validators.js';
import { NAME_PATTERN, TRAIT_PATTERN } from '../../hosts/dto/host.dto.js';
import { BOOT_SPEC_SCHEMA, type BootSpecDto } from './boot-spec.dto.js';
import type { DesiredState, InstanceTask } from '../../generated/prisma/enums.js';
import type { PowerState } from '../../hypervisor/hypervisor-driver.js';
import { DESIRED_STATES, GROUP_POLICIES, INSTANCE_TASKS, POWER_STATES } from '../../prisma/enum-mapping.js';

export class PlacementGroupDto {
  @Matches(NAME_PATTERN)
  name!: string;

  @IsIn(['affinity', 'anti-affinity'])
  policy!: 'affinity' | 'anti-affinity';

  /** hard: never broken (a filter); soft: preferred (a weigher). */
  @IsOptional()
  @IsBoolean()
  hard?: boolean = true;
}

/** A root disk made for the instance from an image, in the pool of the image's host. */
export class RootDiskDto {
  /** Image name (GET /images). @example "tiny-linux" */
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,62}$/, { message: 'image must be an image name' })
  image!: string;
}

export class CreateInstanceDto {
  /** Unique name, also the libvirt domain name. @example "web-1" */
  @Matches(NAME_PATTERN, { message: 'name must be 1-63 lower-case letters, digits or dashes, not starting or ending with a dash' })
  name!: string;

  @IsIn(DRIVER_KINDS)
  driverKind!: DriverKind;

  @IsInt()
  @Min(1)
  @Max(4096)
  vcpus!: number;

  @IsInt()
  @Min(8)
  @Max(16 * 1024 * 1024)
  memoryMiB!: number;

  /** Disk GiB claimed on the host; with `rootDisk`, the root disk's size (default and least: the image's size, rounded up). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  diskGiB?: number = 0;

  /**
   * hvm guests (qemu-kvm): a root disk of `diskGiB` GiB, a qcow2 overlay of the image created in
   * its pool on the image's host (where the instance is then placed), attached first (vda) so the
   * guest boots from it, and deleted with the instance.
   */
  @IsOptional()
  @ValidateNested()
  @Type(() => RootDiskDto)
  rootDisk?: RootDiskDto;

  /**
   * How the guest boots, by `guestType`: hvm (QEMU/KVM), xen-pv, xen-pvh, xen-hvm or container
   * (LXC); checked field by field against the driver's XML rules (400 listing every problem).
   * Host storage paths (disks, kernel/initrd, rootfs, mount sources) must be spelt plainly (400
   * otherwise) and be volumes of the server's allowed storage pools on the guest's host, as that
   * host's libvirt resolves them (422 naming the field otherwise).
   */
  @ApiProperty(BOOT_SPEC_SCHEMA)
  @IsObject()
  boot!: BootSpecDto;

  @IsOptional()
  @IsLabelMap()
  labels?: Record<string, string>;

  @IsOptional()
  @ValidateNested()
  @Type(() => PlacementGroupDto)
  placementGroup?: PlacementGroupDto;

  /**
   * Place on this host instead of letting placement choose. Kept as `placement.hostId` for the
   * record, but not a rule for later moves (a move away cannot honour it): a drain or migration
   * moves the instance by its other rules. Set `pinned` to keep consolidation from moving it.
   */
  @IsOptional()
  @IsUUID()
  hostId?: string;

  /** Host labels the chosen host must carry. Stored: every later move honours them. */
  @IsOptional()
  @IsLabelMap()
  requiredHostLabels?: Record<string, string>;

  /** Traits the chosen host must have (e.g. "ssd"). Stored: every later move honours them. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @Matches(TRAIT_PATTERN, { each: true })
  requiredHostTraits?: string[];

  /** Traits the chosen host must not have. Stored: every later move honours them. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @Matches(TRAIT_PATTERN, { each: true })
  forbiddenHostTraits?: string[];

  /** pack (fill hosts; consolidation-friendly, default) or spread. Stored: later moves rank with it. */
  @IsOptional()
  @IsIn(['pack', 'spread'])
  weigher?: 'pack' | 'spread';

  /** Never moved by consolidation. */
  @IsOptional()
  @IsBoolean()
  pinned?: boolean = false;

  /** Start after defining (default true). */
  @IsOptional()
  @IsBoolean()
  start?: boolean = true;
}

export class UpdateInstanceDto {
  /** Resizing needs the instance shut off. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(4096)
  vcpus?: number;

  @IsOptional()
  @IsInt()
  @Min(8)
  @Max(16 * 1024 * 1024)
  memoryMiB?: number;

  @IsOptional()
  @IsLabelMap()
  labels?: Record<string, string>;

  @IsOptional()
  @IsBoolean()
  pinned?: boolean;
}

export class MigrateDto {
  /** Target host; placement chooses when absent. */
  @IsOptional()
  @IsUUID()
  targetHostId?: string;

  /** live (running guests, drivers that can), cold (stop, move, start), or auto (live when possible). */
  @IsOptional()
  @IsIn(['live', 'cold', 'auto'])
  mode?: 'live' | 'cold' | 'auto' = 'auto';

  /**
   * Host labels the target must carry, on top of those the instance was created with (which
   * always apply; a label contradicting them is a 409).
   */
  @IsOptional()
  @IsLabelMap()
  requiredHostLabels?: Record<string, string>;

  /** With mode auto: a running guest may move cold (shut down, moved, started) when no live target exists. */
  @IsOptional()
  @IsBoolean()
  allowDowntime?: boolean = false;
}

export class StopDto {
  /** How long to wait for the guest OS before reporting that it did not stop (1–600 s). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600)
  timeoutSeconds?: number = 60;
}

export class ListInstancesQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  hostId?: string;

  @IsOptional()
  @IsIn(DRIVER_KINDS)
  driverKind?: DriverKind;

  @IsOptional()
  @IsIn(['running', 'paused', 'shutoff', 'shutting-down', 'crashed', 'pm-suspended', 'blocked', 'missing', 'unknown'])
  observedState?: string;

  @IsOptional()
  @Matches(NAME_PATTERN)
  placementGroup?: string;

  /** Only the instance of this name (names are unique: a page of one or none). */
  @IsOptional()
  @Matches(NAME_PATTERN, { message: 'name must be 1-63 lower-case letters, digits or dashes' })
  name?: string;
}

/** The create request's placement rules, stored with the instance and honoured by every later move. */
export class InstancePlacementDto {
  requiredHostLabels!: Record<string, string>;
  requiredHostTraits!: string[];
  forbiddenHostTraits!: string[];
  /** pack or spread. */
  weigher!: string;
  /** The host the create request named, if any (a record: moves are not bound to it). */
  hostId!: string | null;
}

export class InstancePlacementGroupDto {
  name!: string;
  @ApiProperty({ enum: GROUP_POLICIES })
  policy!: 'affinity' | 'anti-affinity';
  hard!: boolean;
}

/** What the instance's host is charged for it: the asked size plus the driver's measured overhead. */
export class ChargedSizeDto {
  vcpus!: number;
  memoryMiB!: number;
  diskGiB!: number;
  /** Host memory beyond the guest's own (VMM process, container controller, hypervisor), MiB. */
  overheadMiB!: number;
}

export class InstanceDto {
  id!: string;
  name!: string;
  driverKind!: DriverKind;
  @ApiProperty({ enum: GUEST_TYPES, enumName: 'GuestType' })
  guestType!: GuestType;
  vcpus!: number;
  memoryMiB!: number;
  diskGiB!: number;
  /** `vcpus`, `memoryMiB`, `diskGiB` are the asked size; this is what the host is charged for it. */
  charged!: ChargedSizeDto;
  /** The image its root disk is an overlay of; null: no managed root disk. */
  imageId!: string | null;
  /** The boot description as the create request gave it. */
  @ApiProperty(BOOT_SPEC_SCHEMA)
  boot!: BootSpecDto;
  labels!: Record<string, string>;
  /** null: the instance is in no placement group. */
  @ApiProperty({ type: () => InstancePlacementGroupDto, nullable: true })
  placementGroup!: InstancePlacementGroupDto | null;
  /** Placement rules from the create request; moves (migrate, drain, consolidation) honour them. */
  placement!: InstancePlacementDto;
  pinned!: boolean;
  /** What the API was asked for. */
  @ApiProperty({ enum: DESIRED_STATES, enumName: 'DesiredState' })
  desiredState!: DesiredState;
  /** What is in flight, if anything, and until when (null: nothing). */
  @ApiProperty({ enum: INSTANCE_TASKS, enumName: 'InstanceTask', nullable: true })
  task!: InstanceTask | null;
  taskDeadline!: Date | null;
  taskOperationId!: string | null;
  /** What libvirt last said; `unknown` when the host could not be asked, `missing` when it has no such guest. */
  @ApiProperty({ enum: POWER_STATES, enumName: 'PowerState' })
  observedState!: PowerState;
  observedReason!: string | null;
  observedAt!: Date | null;
  hostId!: string | null;
  lastMigratedAt!: Date | null;
  version!: number;
  createdAt!: Date;
  updatedAt!: Date;
}

export class InstancePageDto {
  items!: InstanceDto[];
  nextCursor!: string | null;
}

export class AcceptedOperationDto {
  /** Poll GET /api/v1/operations/{operationId}. */
  operationId!: string;
  instance!: InstanceDto;
}

export class DeleteInstanceQuery {
  /** "true": keep the data volumes attached to it (they stay managed, detached); default: they are deleted with it. Root disks always go. */
  @IsOptional()
  @IsIn(['true', 'false'])
  keepVolumes?: 'true' | 'false';
}
