import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { IsOptional } from '../common/validators.js';
import { ApiProperty } from '@nestjs/swagger';
import type { OperationStatus } from '../generated/prisma/enums.js';
import { OPERATION_STATUSES } from '../prisma/enum-mapping.js';

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

export class WaitQuery {
  /** Wait up to this many seconds for the operation to end (0–60). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60)
  wait?: number;
}
