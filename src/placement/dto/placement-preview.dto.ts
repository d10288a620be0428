import { PickType } from '@nestjs/swagger';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, Max, Min } from 'class-validator';
import { IsOptional } from '../../common/validators.js';
import { DRIVER_KINDS, GUEST_TYPES, type DriverKind, type GuestType } from '../../hypervisor/capabilities.js';
import { ChargedSizeDto, CreateInstanceDto } from '../../instances/dto/instance.dto.js';

/** A would-be instance as placement sees it: the create request's sizing and placement fields. */
export class PlacementPreviewDto extends PickType(CreateInstanceDto, [
  'driverKind',
  'vcpus',
  'memoryMiB',
  'diskGiB',
  'requiredHostLabels',
  'requiredHostTraits',
  'forbiddenHostTraits',
  'placementGroup',
  'hostId',
  'weigher',
] as const) {
  @IsIn(GUEST_TYPES)
  guestType!: GuestType;

  /** How many ranked candidates to return (1–100). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number = 10;

  /**
   * "Which technique?": also rank the request as each of these drivers (a workload that could
   * run as a VM or as a container), each charged its own overhead; answered in `techniques`.
   * A driver other than `driverKind` runs its default guest type (qemu-kvm: hvm, xen: xen-pvh,
   * lxc: container).
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(DRIVER_KINDS, { each: true })
  @ApiProperty({ required: false, type: [String], enum: DRIVER_KINDS, enumName: 'DriverKind' })
  compareDriverKinds?: DriverKind[];
}

export class RankedHostDto {
  hostId!: string;
  hostName!: string;
  score!: number;
  breakdown!: Record<string, number>;
}

export class FilterRejectionDto {
  filter!: string;
  /** Hosts this filter was the first to reject. */
  count!: number;
  examples!: string[];
  causes!: string[];
}

/** A size as asked: vCPUs, memory, disk. */
export class AskedSizeDto {
  vcpus!: number;
  memoryMiB!: number;
  diskGiB!: number;
}

/** The request ranked as one technique, charged that technique's overhead. */
export class TechniqueOptionDto {
  @ApiProperty({ enum: DRIVER_KINDS, enumName: 'DriverKind' })
  driverKind!: DriverKind;
  @ApiProperty({ enum: GUEST_TYPES, enumName: 'GuestType' })
  guestType!: GuestType;
  /** What each such guest would be charged on its host. */
  charged!: ChargedSizeDto;
  validHostCount!: number;
  chosen!: string | null;
  /** The best hosts (at most `limit`), best first. */
  candidates!: RankedHostDto[];
  /** Guests of this size and technique the valid hosts still take (the fleet's room, counted in guests). */
  guestsThatFit!: number;
  /** Median time of a fixed CPU-bound loop inside ÷ on the host, as measured (null: not measured). */
  cpuSlowdown!: number | null;
  /** measured here, or documented (Xen: from libxl's sizing, not measured). */
  @ApiProperty({ enum: ['measured', 'documented'] })
  overheadSource!: 'measured' | 'documented';
}

export class PlacementPreviewResultDto {
  /** The size the request asked for. */
  asked!: AskedSizeDto;
  /** What a create with this request would be charged on its host (asked size + the driver's overhead). */
  charged!: ChargedSizeDto;
  /** One entry per `compareDriverKinds`, in that order; empty when none was asked. */
  techniques!: TechniqueOptionDto[];
  candidates!: RankedHostDto[];
  validHostCount!: number;
  rejections!: FilterRejectionDto[];
  /**
   * The host a create with the same request would choose when there is no tie; with a tie, the
   * first of `tiedHostIds` (a create draws among them at random).
   */
  chosen!: string | null;
  /**
   * The hosts as good as the best (score within 1e-9 of it), best first, at most 5: a create
   * chooses one of them uniformly at random, never a host scored worse.
   */
  tiedHostIds!: string[];
  /** More than one host is tied for best: which of `tiedHostIds` a create takes is random. */
  tie!: boolean;
  /** no-hosts or all-rejected when nothing fits. */
  reason!: string | null;
  /** Human-readable explanation when nothing fits. */
  explanation!: string | null;
}
