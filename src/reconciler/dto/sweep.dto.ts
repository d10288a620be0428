import { ArrayMaxSize, IsArray, IsOptional, IsUUID } from 'class-validator';

export class SweepRequestDto {
  /** Only these hosts; all hosts when absent. */
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @IsUUID('all', { each: true })
  hostIds?: string[];
}

export class SweepReportDto {
  hosts!: number;
  unreachableHosts!: string[];
  stateChanges!: number;
  drift!: Array<{ instance: string; kind: string; detail: string }>;
  resolvedTasks!: Array<{ instance: string; task: string; outcome: string }>;
  unknownGuests!: string[];
  skipped?: string;
}
