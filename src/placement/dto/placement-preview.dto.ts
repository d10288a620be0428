import { PickType } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { IsOptional } from '../../common/validators.js';
import { GUEST_TYPES, type GuestType } from '../../hypervisor/capabilities.js';
import { CreateInstanceDto } from '../../instances/dto/instance.dto.js';

/** A would-be instance as placement sees it: the create request's sizing and placement fields. */
export class PlacementPreviewDto extends PickType(CreateInstanceDto, [
  'driverKind', 'vcpus', 'memoryMiB', 'diskGiB', 'requiredHostLabels', 'requiredHostTraits', 'forbiddenHostTraits', 'placementGroup', 'hostId', 'weigher',
] as const) {
  @IsIn(GUEST_TYPES)
  guestType!: GuestType;

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
