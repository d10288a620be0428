import { ArrayMaxSize, IsArray, IsUUID } from 'class-validator';
import { IsOptional } from '../../common/validators.js';

export class SweepRequestDto {
  /** Only these hosts; all hosts when absent. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
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

export class ForeignGuestDto {
  /** libvirt's domain UUID. */
  uuid!: string;
  name!: string;
  /** As libvirt reports it (running, paused, shutoff, …). */
  state!: string;
  vcpus!: number;
  /** Its maximum memory, MiB (rounded up). */
  memoryMiB!: number;
  /** Counted against the host's capacity (anything but shut off or crashed), except on a simulated host, where foreign guests are only listed. */
  active!: boolean;
}

export class SweptForeignGuestDto extends ForeignGuestDto {
  host!: string;
  hostId!: string;
}

export class SweepReportDto {
  hosts!: number;
  unreachableHosts!: string[];
  stateChanges!: number;
  drift!: DriftFindingDto[];
  resolvedTasks!: ResolvedTaskDto[];
  /** "host/guest" for every guest with no instance row that is not removed: ours by metadata but defined by no create of this database (reported, left alone), or defined by someone else (see foreignGuests). */
  unknownGuests!: string[];
  /** Guests that one of our creates defined but whose instance row is gone (`host/guest`): removed. */
  removedOrphans!: string[];
  /** Guests virtfleet did not define (no virtfleet metadata), per host: never touched, but their size counts against the host's capacity. */
  foreignGuests!: SweptForeignGuestDto[];
  skipped?: string;
}
