import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsNumber, IsUUID, Max, Min } from 'class-validator';
import { IsOptional } from '../../common/validators.js';
import { ApiProperty } from '@nestjs/swagger';
import type { PlanStatus, StepStatus } from '../../generated/prisma/enums.js';
import { PLAN_STATUSES, STEP_STATUSES } from '../../prisma/enum-mapping.js';
import { SKIP_REASONS, type SkipReason } from '../planner-types.js';

export class CreatePlanDto {
  /** Only these hosts (and their instances); the whole fleet when absent. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  hostIds?: string[];

  /** Allow downtime for running instances whose driver cannot live-migrate (e.g. LXC). */
  @IsOptional()
  @IsBoolean()
  allowColdMigration?: boolean;

  /** Most migrations in the plan. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  migrationBudget?: number;

  /** Instances migrated less than this many seconds ago stay put. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3600)
  cooldownSeconds?: number;

  /** Fill hosts to at most this fraction of usable capacity (0.1–1). */
  @IsOptional()
  @IsNumber()
  @Min(0.1)
  @Max(1)
  maxUtilisation?: number;
}

export class PlanStepDto {
  seq!: number;
  instanceId!: string;
  instanceName!: string;
  fromHostId!: string;
  toHostId!: string;
  /** live or cold */
  mode!: string;
  memoryMiB!: number;
  @ApiProperty({ enum: STEP_STATUSES, enumName: 'PlanStepStatus' })
  status!: StepStatus;
  operationId!: string | null;
  error!: Record<string, unknown> | null;
  startedAt!: Date | null;
  finishedAt!: Date | null;
}

export class SkippedInstanceDto {
  instanceId!: string;
  /**
   * Why it stays: pinned (by its owner), busy (an operation is in flight for it), unobservable
   * (its state is unknown or its guest missing), affinity-group, cooldown, needs-downtime,
   * migration-unsupported, budget-exhausted, no-capacity.
   */
  @ApiProperty({ enum: SKIP_REASONS, enumName: 'SkipReason' })
  reason!: SkipReason;
}

export class PlanDto {
  id!: string;
  @ApiProperty({ enum: PLAN_STATUSES, enumName: 'PlanStatus' })
  status!: PlanStatus;
  /** api or schedule */
  trigger!: string;
  policy!: Record<string, unknown>;
  scopeHostIds!: string[];
  /** Active hosts before and after the plan, and the lower bound for this load. */
  hostsBefore!: number;
  hostsAfter!: number;
  lowerBound!: number;
  /** Hosts the plan empties; they go to standby when it completes. */
  freedHostIds!: string[];
  memoryToMoveMiB!: number;
  migrations!: number;
  /** Steps done / steps, 0–100. */
  progress!: number;
  skipped!: SkippedInstanceDto[];
  steps!: PlanStepDto[];
  error!: Record<string, unknown> | null;
  actor!: string;
  createdAt!: Date;
  startedAt!: Date | null;
  finishedAt!: Date | null;
}

export class PlanPageDto {
  items!: PlanDto[];
  /** Cursor of the next page; null on the last one. */
  nextCursor!: string | null;
}
