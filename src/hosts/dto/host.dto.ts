import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DRIVER_KINDS, type DriverKind } from '../../hypervisor/capabilities.js';
import {
  CONNECTION_DRIVERS,
  CONNECTION_SCOPES,
  CONNECTION_TRANSPORTS,
  type ConnectionDriver,
  type ConnectionScope,
  type ConnectionTransport,
  type HostConnection,
} from '../../hypervisor/host-connection.js';
import { PageQuery } from '../../common/pagination.js';
import { IsLabelMap, IsOptional } from '../../common/validators.js';
import { ForeignGuestDto } from '../../reconciler/dto/sweep.dto.js';
import { ProblemDetailsDto } from '../../common/problem-details.dto.js';
import type { HostState } from '../../generated/prisma/enums.js';
import { HOST_STATES } from '../../prisma/enum-mapping.js';

export const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
// Transport schemes libvirt accepts for our three drivers plus its test driver.
export const LIBVIRT_URI_PATTERN = /^(test|qemu|xen|lxc|libxl)(\+(tcp|tls|ssh|unix|libssh|libssh2))?:\/\/[^\s]*$/;
export const TRAIT_PATTERN = /^[a-z0-9][a-z0-9:._-]{0,62}$/;

/** The connection fields shared by the request (driver optional) and the view (driver set). */
class HostConnectionFields implements Omit<HostConnection, 'driver'> {
  /** local (this machine's daemon, default socket), unix (this machine, a chosen socket), tcp, tls or ssh. */
  @IsIn(CONNECTION_TRANSPORTS)
  transport!: ConnectionTransport;

  /** tcp, tls, ssh: DNS name (lower case), IPv4 or IPv6 address (without brackets). @example "10.0.0.7" */
  @IsOptional()
  @IsString()
  @MaxLength(253)
  hostname?: string;

  /** tcp, tls, ssh: port, 1-65535 (default: libvirt's for the transport). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;

  /** unix: the daemon's socket; must lie under a directory of HOST_SOCKET_DIRS. @example "/run/libvirt/libvirt-sock" */
  @IsOptional()
  @IsString()
  @MaxLength(107)
  socket?: string;

  /** Not for the test driver: system (default) or, QEMU only, session. */
  @IsOptional()
  @IsIn(CONNECTION_SCOPES)
  scope?: ConnectionScope;

  /** test driver: a node file under SIMULATED_HOSTS_DIR; absent: test:///default. */
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  nodeFile?: string;

  /** test:///default only: a tag so that the shared in-process test hypervisor can be registered more than once. */
  @IsOptional()
  @IsString()
  @MaxLength(63)
  suite?: string;
}

/**
 * How virtfleet reaches the host's libvirt. virtfleet builds the libvirt URI from these fields
 * alone; ssh user, key and known_hosts come from the server's configuration (HOST_SSH_*).
 * Examples: {driver: "qemu", transport: "tcp", hostname: "10.0.0.7"} is qemu+tcp://10.0.0.7/system;
 * {driver: "qemu", transport: "unix", socket: "/run/libvirt/libvirt-sock"} is
 * qemu+unix:///system?socket=/run/libvirt/libvirt-sock; {driver: "test", transport: "local"} is test:///default.
 */
export class HostConnectionDto extends HostConnectionFields {
  /**
   * libvirt driver: qemu, xen or libxl (Xen), lxc, or test (libvirt's simulated hypervisor).
   * Default: the one of `driverKind` (qemu-kvm: qemu, xen: xen, lxc: lxc).
   */
  @IsOptional()
  @IsIn(CONNECTION_DRIVERS)
  driver?: ConnectionDriver;
}

/** A host's connection as stored: every field that applies, defaults filled in. */
export class HostConnectionViewDto extends HostConnectionFields {
  /** qemu, xen, libxl, lxc or test. */
  driver!: ConnectionDriver;
}

/** Traits virtfleet sets itself: the driver's capabilities, and `sim` on simulated hosts. */
export const RESERVED_TRAIT = /^(sim|(driver|guest|cap):.*)$/;

export class RegisterHostDto {
  /** Unique name: lower-case letters, digits and dashes. @example "rack1-node07" */
  @Matches(NAME_PATTERN, { message: 'name must be 1-63 lower-case letters, digits or dashes, not starting or ending with a dash' })
  name!: string;

  /** How to reach the host; give this or `uri`. @example {"transport": "tcp", "hostname": "10.0.0.7"} */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => HostConnectionDto)
  connection?: HostConnectionDto;

  /**
   * Instead of `connection`: a libvirt URI, accepted only when it is exactly the URI virtfleet
   * builds from some `connection` (no other query parameters, no user names, no encoding).
   * @example "qemu+tcp://10.0.0.7/system"
   */
  @IsOptional()
  @MaxLength(1024)
  @Matches(LIBVIRT_URI_PATTERN, {
    message: 'uri must be a libvirt URI such as qemu:///system, qemu+tcp://10.0.0.7/system, lxc:///system or test:///default',
  })
  uri?: string;

  /** Which driver manages the host. */
  @IsIn(DRIVER_KINDS)
  driverKind!: DriverKind;

  /** Disk capacity to hand out, GiB (libvirt does not report it per host). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  diskGiB?: number = 0;

  /** vCPU overcommit ratio, (0, 64]. */
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(64)
  cpuRatio?: number;

  /** Memory overcommit ratio, (0, 4]. */
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(4)
  memoryRatio?: number;

  /** Disk overcommit ratio, (0, 16]. */
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(16)
  diskRatio?: number;

  /** Free-form labels matched by placement (`requiredLabels`). @example {"rack": "r1"} */
  @IsOptional()
  @IsLabelMap()
  labels?: Record<string, string>;

  /** Operator traits added to the capability traits, e.g. "ssd" (not `sim`, `driver:…`, `guest:…`, `cap:…`: virtfleet sets those). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @Matches(TRAIT_PATTERN, { each: true })
  traits?: string[];
}

/** The most hosts one bulk registration takes: larger fleets are registered in several calls. */
export const BULK_REGISTRATION_MAX = 1000;

export class RegisterHostsDto {
  /** The hosts to register, each as for POST /api/v1/hosts; at most 1,000 per call. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_REGISTRATION_MAX)
  @ValidateNested({ each: true })
  @Type(() => RegisterHostDto)
  hosts!: RegisterHostDto[];
}

/**
 * Another driver of a registered host's libvirt (POST /api/v1/hosts/{id}/endpoints): e.g. the
 * LXC driver of a daemon registered for QEMU. It must reach the same machine (same identity as
 * libvirt reports it) and a driver the host has no endpoint for yet.
 */
export class AddHostEndpointDto {
  /** How to reach this driver of the host; give this or `uri`. @example {"driver": "lxc", "transport": "tcp", "hostname": "10.0.0.7"} */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => HostConnectionDto)
  connection?: HostConnectionDto;

  /** Instead of `connection`: the libvirt URI virtfleet would build from it. @example "lxc+tcp://10.0.0.7/system" */
  @IsOptional()
  @MaxLength(1024)
  @Matches(LIBVIRT_URI_PATTERN, {
    message: 'uri must be a libvirt URI such as qemu:///system, qemu+tcp://10.0.0.7/system, lxc:///system or test:///default',
  })
  uri?: string;

  /** Which driver this endpoint serves. */
  @IsIn(DRIVER_KINDS)
  driverKind!: DriverKind;
}

/**
 * The registration fields an operator may change later. Written out rather than derived from
 * RegisterHostDto with PartialType: a mapped type inherits the parent's default values, and a
 * default here (diskGiB = 0) would change a field the request did not name.
 */
export class UpdateHostDto {
  /** Disk capacity to hand out, GiB. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  diskGiB?: number;

  /** vCPU overcommit ratio, (0, 64]. */
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(64)
  cpuRatio?: number;

  /** Memory overcommit ratio, (0, 4]. */
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(4)
  memoryRatio?: number;

  /** Disk overcommit ratio, (0, 16]. */
  @IsOptional()
  @IsNumber()
  @Min(0.01)
  @Max(16)
  diskRatio?: number;

  /** Replaces the labels. */
  @IsOptional()
  @IsLabelMap()
  labels?: Record<string, string>;

  /** Replaces the operator traits (virtfleet's own traits stay). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @Matches(TRAIT_PATTERN, { each: true })
  traits?: string[];
}

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
  @IsOptional()
  @IsIn(['migrate', 'stop'])
  policy?: 'migrate' | 'stop' = 'migrate';

  /** With policy migrate: host labels every target must carry (e.g. drain rack A into rack B). */
  @IsOptional()
  @IsLabelMap()
  targetHostLabels?: Record<string, string>;

  /** With policy migrate: running guests without a live-migration target may move cold (downtime). */
  @IsOptional()
  @IsBoolean()
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
  @IsOptional()
  @IsIn(['enabled', 'maintenance', 'draining', 'offline', 'standby'])
  state?: string;

  @IsOptional()
  @IsIn(DRIVER_KINDS)
  driverKind?: DriverKind;

  /** Only the host of this name (names are unique: a page of one or none). */
  @IsOptional()
  @Matches(NAME_PATTERN, { message: 'name must be 1-63 lower-case letters, digits or dashes' })
  name?: string;
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

/** One driver of the host's libvirt and how virtfleet reaches it. */
export class HostEndpointDto {
  id!: string;
  driverKind!: DriverKind;
  /** The libvirt URI virtfleet built from `connection`. */
  uri!: string;
  /** null only for a URI stored before connections were structured that is not in that form. */
  connection!: HostConnectionViewDto | null;
  /** The capability traits this driver gives the host. */
  traits!: string[];
  createdAt!: Date;
}

export class HostDto {
  id!: string;
  name!: string;
  /** The libvirt URI of the host's first endpoint (see `endpoints`). */
  uri!: string;
  /** How virtfleet reaches the host's first endpoint; null only for a host stored before connections were structured whose URI is not in that form. */
  connection!: HostConnectionViewDto | null;
  /** The driver of the host's first endpoint (see `endpoints` for all). */
  driverKind!: DriverKind;
  /**
   * Every driver endpoint of this machine, the first one first. They share one capacity and one
   * set of allocations: an instance runs under the endpoint of its own driver kind.
   */
  endpoints!: HostEndpointDto[];
  /**
   * What libvirt says identifies the machine: `uuid:<host UUID>` (capabilities), else
   * `hostname:<name>`; `simulated:<uri>` for the test driver. null: registered before identities.
   */
  machineId!: string | null;
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
  /**
   * libvirt's test driver: no real guests, no capacity model, no migration. Carries the `sim`
   * trait: placement chooses it only when asked for explicitly (see POST /api/v1/instances).
   */
  simulated!: boolean;
  lastHeartbeatAt!: Date | null;
  lastError!: string | null;
  version!: number;
  createdAt!: Date;
  updatedAt!: Date;
}

/** One host of a bulk registration: registered (201, with the host) or refused (its problem). */
export class HostRegistrationResultDto {
  /** Position of the host in the request's `hosts`. */
  index!: number;
  /** The name the request gave. */
  name!: string;
  /** What POST /api/v1/hosts would have answered for this host alone: 201, or the problem's 4xx/5xx. */
  status!: number;
  host?: HostDto;
  problem?: ProblemDetailsDto;
}

export class HostRegistrationsDto {
  /** One entry per requested host, in request order. */
  results!: HostRegistrationResultDto[];
  registered!: number;
  failed!: number;
}

export class HostPageDto {
  items!: HostDto[];
  nextCursor!: string | null;
}
