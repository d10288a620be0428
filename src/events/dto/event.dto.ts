import { Type } from 'class-transformer';
import { IsInt, IsUUID, Matches, Max, Min } from 'class-validator';
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

export class ListEventsQuery {
  /** Only events after this id. */
  @IsOptional() @Matches(/^\d{1,19}$/) @IsBigintIdString()
  after?: string;

  @IsOptional() @IsUUID()
  instanceId?: string;

  @IsOptional() @IsUUID()
  hostId?: string;

  /** Event kind or prefix, e.g. `drift` or `instance.`. */
  @IsOptional() @Matches(/^[a-z.]{1,32}$/)
  kind?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number = 100;
}

export class EventPageDto {
  items!: EventDto[];
}
