import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';

import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min,
} from 'class-validator';
import { DRIVER_KINDS, type DriverKind } from '../../hypervisor/capabilities.js';
import { PageQuery } from '../../common/pagination.js';
import { IsLabelMap } from '../../common/validators.js';
import { ForeignGuestDto } from '../../reconciler/dto/sweep.dto.js';
import type { HostState } from '../../generated/prisma/enums.js';
import { HOST_STATES } from '../../prisma/enum-mapping.js';

export const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
// Transport schemes libvirt accepts for our three drivers plus its test driver.
export const LIBVIRT_URI_PATTERN = /^(test|qemu|xen|lxc|libxl)(\+(tcp|tls|ssh|unix|libssh|libssh2))?:\/\/[^\s]*$/;
export const TRAIT_PATTERN = /^[a-z0-9][a-z0-9:._-]{0,62}$/;

export class RegisterHostDto {
  /** Unique name: lower-case letters, digits and dashes. @example "rack1-node07" */
  @Matches(NAME_PATTERN, { message: 'name must be 1-63 lower-case letters, digits or dashes, not starting or ending with a dash' })
  name!: string;

  /** libvirt connection URI. @example "qemu+tcp://10.0.0.7/system" */
  @MaxLength(1024)
  @Matches(LIBVIRT_URI_PATTERN, { message: 'uri must be a libvirt URI such as qemu:///system, qemu+ssh://host/system, lxc:///system or test:///default' })
  uri!: string;

  /** Which driver manages the host. */
  @IsIn(DRIVER_KINDS)
  driverKind!: DriverKind;

  /** Disk capacity to hand out, GiB (libvirt does not report it per host). */
  @IsOptional() @IsInt() @Min(0) @Max(10_000_000)
  diskGiB?: number = 0;

  /** vCPU overcommit ratio, (0, 64]. */
  @IsOptional() @IsNumber() @Min(0.01) @Max(64)
  cpuRatio?: number;

  /** Memory overcommit ratio, (0, 4]. */
  @IsOptional() @IsNumber() @Min(0.01) @Max(4)
  memoryRatio?: number;

  /** Disk overcommit ratio, (0, 16]. */
  @IsOptional() @IsNumber() @Min(0.01) @Max(16)
  diskRatio?: number;

  /** Free-form labels matched by placement (`requiredLabels`). @example {"rack": "r1"} */
  @IsOptional() @IsLabelMap()
  labels?: Record<string, string>;

  /** Operator traits added to the capability traits, e.g. "ssd". */
  @IsOptional() @IsArray() @ArrayMaxSize(64) @IsString({ each: true }) @Matches(TRAIT_PATTERN, { each: true })
  traits?: string[];
}

/** The registration fields an operator may change later. */
export class UpdateHostDto extends PartialType(PickType(RegisterHostDto, ['cpuRatio', 'memoryRatio', 'diskRatio', 'diskGiB', 'labels', 'traits'] as const)) {}

export class MaintenanceDto {
  /** true: stop placing new instances here; false: back to enabled. */
  @IsBoolean()
  enabled!: boolean;
}

export class DrainHostDto {
  /**
   * migrate: move every instance elsewhere (live where possible, cold otherwise; placement picks
   * the target). stop: force-stop every running instance and leave it defined here.
   */
  @IsOptional() @IsIn(['migrate', 'stop'])
  policy?: 'migrate' | 'stop' = 'migrate';

  /** With policy migrate: host labels every target must carry (e.g. drain rack A into rack B). */
  @IsOptional() @IsLabelMap()
  targetHostLabels?: Record<string, string>;

  /** With policy migrate: running guests without a live-migration target may move cold (downtime). */
  @IsOptional() @IsBoolean()
  allowDowntime?: boolean = false;
}

export class DrainStartedDto {
  instanceId!: string;
  operationId!: string;
}

export class DrainRefusedDto {
  instanceId!: string;
  /** Why no operation could start (e.g. no valid host, instance busy). */
  detail!: string;
}

export class DrainResultDto {
  host!: HostDto;
  /** Operations started, one per instance; poll them. */
  started!: DrainStartedDto[];
  /** Instances that stay for now, with the reason. */
  refused!: DrainRefusedDto[];
}

export class ListHostsQuery extends PageQuery {
  @IsOptional() @IsIn(['enabled', 'maintenance', 'draining', 'offline', 'standby'])
  state?: string;

  @IsOptional() @IsIn(DRIVER_KINDS)
  driverKind?: DriverKind;
}

export class ResourcesDto {
  vcpus!: number;
  memoryMiB!: number;
  diskGiB!: number;
}

export class HostForeignGuestsDto {
  /** Taken by the active foreign guests (disk is not observed: 0). */
  usage!: ResourcesDto;
  guests!: ForeignGuestDto[];
  /** When the reconciler last listed the host's guests; null: never. */
  observedAt!: Date | null;
}

export class HostDto {
  id!: string;
  name!: string;
  uri!: string;
  driverKind!: DriverKind;
  @ApiProperty({ enum: HOST_STATES, enumName: 'HostState' })
  state!: HostState;
  traits!: string[];
  labels!: Record<string, string>;
  /** Physical capacity. */
  capacity!: ResourcesDto;
  ratios!: { cpu: number; memory: number; disk: number };
  /** capacity × ratio, rounded down: what placement may hand out. */
  usable!: ResourcesDto;
  /** Sum of the allocations on this host. */
  allocated!: ResourcesDto;
  /**
   * Guests virtfleet did not define, as the reconciler last saw them, and what the active ones
   * take: counted as used by placement and the capacity check, so free = usable − allocated − foreign.
   */
  foreign!: HostForeignGuestsDto;
  /** What placement may still hand out: usable − allocated − foreign usage, per dimension (never below 0). */
  free!: ResourcesDto;
  /** (allocated + foreign) / usable per dimension, 0–1. */
  utilisation!: { vcpus: number; memoryMiB: number; diskGiB: number };
  instanceCount!: number;
  hostname!: string | null;
  hypervisorType!: string | null;
  hypervisorVersion!: string | null;
  libvirtVersion!: string | null;
  /** libvirt's test driver: no real guests, no capacity model, no migration. */
  simulated!: boolean;
  lastHeartbeatAt!: Date | null;
  lastError!: string | null;
  version!: number;
  createdAt!: Date;
  updatedAt!: Date;
}

export class HostPageDto {
  items!: HostDto[];
  nextCursor!: string | null;
}

