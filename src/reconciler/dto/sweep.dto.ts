import { ArrayMaxSize, IsArray, IsOptional, IsUUID } from 'class-validator';

export class SweepRequestDto {
  /** Only these hosts; all hosts when absent. */
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsUUID('all', { each: true })
  hostIds?: string[];
}

export class DriftFindingDto {
  instance!: string;
  /** vanished, stopped-out-of-band, started-out-of-band, paused-out-of-band, crashed, reappeared */
  kind!: string;
  detail!: string;
}

export class ResolvedTaskDto {
  instance!: string;
  task!: string;
  outcome!: string;
}

export class SweepReportDto {
  hosts!: number;
  unreachableHosts!: string[];
  stateChanges!: number;
  drift!: DriftFindingDto[];
  resolvedTasks!: ResolvedTaskDto[];
  /** Guests with virtfleet metadata but no instance row that no create of ours defined: reported, left alone. */
  unknownGuests!: string[];
  /** Guests that one of our creates defined but whose instance row is gone (`host/guest`): removed. */
  removedOrphans!: string[];
  skipped?: string;
}
