import { Type } from 'class-transformer';
import { IsIn, IsInt, IsUUID, Matches, Max, Min } from 'class-validator';
import { IsOptional } from '../common/validators.js';
import { ApiProperty } from '@nestjs/swagger';
import type { OperationStatus } from '../generated/prisma/enums.js';
import { OPERATION_STATUSES } from '../prisma/enum-mapping.js';
import { PageQuery } from '../common/pagination.js';

export { OPERATION_STATUSES };
export const OPERATION_TARGET_TYPES = ['instance', 'host', 'plan'] as const;

export class OperationDto {
  id!: string;
  /** create, start, stop, force-stop, reboot, suspend, resume, migrate, delete, ... */
  kind!: string;
  targetType!: string;
  targetId!: string;
  @ApiProperty({ enum: OPERATION_STATUSES, enumName: 'OperationStatus' })
  status!: OperationStatus;
  /** 0–100. */
  progress!: number;
  error!: Record<string, unknown> | null;
  result!: Record<string, unknown> | null;
  actor!: string;
  requestId!: string | null;
  deadline!: Date | null;
  createdAt!: Date;
  startedAt!: Date | null;
  finishedAt!: Date | null;
}

export class OperationPageDto {
  items!: OperationDto[];
  /** Cursor of the next page (same filters); null on the last one. */
  nextCursor!: string | null;
}

/** Operations, newest first, filtered. */
export class ListOperationsQuery extends PageQuery {
  @IsOptional()
  @IsIn(OPERATION_STATUSES)
  status?: (typeof OPERATION_STATUSES)[number];

  /** Operation kind, e.g. `migrate`. */
  @IsOptional()
  @Matches(/^[a-z-]{1,32}$/)
  kind?: string;

  @IsOptional()
  @IsIn(OPERATION_TARGET_TYPES)
  targetType?: (typeof OPERATION_TARGET_TYPES)[number];

  /** The instance, host or plan the operations act on. */
  @IsOptional()
  @IsUUID()
  targetId?: string;

  /** Operations on this instance (the same as targetType=instance&targetId=…). */
  @IsOptional()
  @IsUUID()
  instanceId?: string;
}

export class WaitQuery {
  /** Wait up to this many seconds for the operation to end (0–60). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60)
  wait?: number;
}
