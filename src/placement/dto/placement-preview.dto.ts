import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { DRIVER_KINDS, type DriverKind, GUEST_TYPES, type GuestType } from '../../hypervisor/capabilities.js';
import { IsLabelMap } from '../../common/validators.js';
import { PlacementGroupDto } from '../../instances/dto/instance.dto.js';

export class PlacementPreviewDto {
  @IsIn(DRIVER_KINDS)
  driverKind!: DriverKind;

  @IsIn(GUEST_TYPES)
  guestType!: GuestType;

  @IsInt() @Min(1) @Max(4096)
  vcpus!: number;

  @IsInt() @Min(8) @Max(16 * 1024 * 1024)
  memoryMiB!: number;

  @IsOptional() @IsInt() @Min(0) @Max(1_000_000)
  diskGiB?: number = 0;

  @IsOptional() @IsLabelMap()
  requiredHostLabels?: Record<string, string>;

  @IsOptional() @ValidateNested() @Type(() => PlacementGroupDto)
  placementGroup?: PlacementGroupDto;

  @IsOptional() @IsUUID()
  hostId?: string;

  @IsOptional() @IsIn(['pack', 'spread'])
  weigher?: 'pack' | 'spread' = 'pack';

  /** How many ranked candidates to return (1–100). */
  @IsOptional() @IsInt() @Min(1) @Max(100)
  limit?: number = 10;
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

export class PlacementPreviewResultDto {
  candidates!: RankedHostDto[];
  validHostCount!: number;
  rejections!: FilterRejectionDto[];
  /** The host a create with the same request would try first (top candidate). */
  chosen!: string | null;
  /** no-hosts or all-rejected when nothing fits. */
  reason!: string | null;
  /** Human-readable explanation when nothing fits. */
  explanation!: string | null;
}
