import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsUUID, Matches, Max, Min } from 'class-validator';
import { CursorParameter, type SortOrder } from '../../common/pagination.js';
import { IsBigintIdString, IsOptional } from '../../common/validators.js';

export class EventDto {
  /** Monotonic id; resume a stream with `after`. */
  id!: string;
  at!: Date;
  /** host.registered, instance.state, drift, audit, ... */
  kind!: string;
  instanceId!: string | null;
  hostId!: string | null;
  operationId!: string | null;
  actor!: string | null;
  message!: string;
  data!: Record<string, unknown>;
}

/** Which events: for the list and the stream alike. */
export class EventFilterQuery {
  /** Only events after this id (a stream's resume point); the list is then oldest first unless `order` says otherwise. */
  @IsOptional()
  @Matches(/^\d{1,19}$/)
  @IsBigintIdString()
  after?: string;

  @IsOptional()
  @IsUUID()
  instanceId?: string;

  @IsOptional()
  @IsUUID()
  hostId?: string;

  /** Event kind or prefix, e.g. `drift` or `instance.`. */
  @IsOptional()
  @Matches(/^[a-z.]{1,32}$/)
  kind?: string;
}

export class ListEventsQuery extends EventFilterQuery {
  /** Page size, 1–500. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number = 100;

  /** desc (newest first) by default; asc (oldest first) by default when `after` is given. */
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: SortOrder;

  @CursorParameter()
  cursor?: string;
}

export class EventPageDto {
  items!: EventDto[];
  /** Cursor of the next page (same filters and order); null on the last one. */
  nextCursor!: string | null;
}
