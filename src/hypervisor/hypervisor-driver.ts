// The contract every hypervisor driver fulfils. Callers name guests by virtfleet's instance id
// (which is also the libvirt domain UUID) and never see libvirt handles or error codes.
import type { DriverCapabilities, DriverKind, GuestType } from './capabilities.js';
import type { HostVolume, ManagedVolumes, NewVolume } from './volumes.js';
import type { DomainSpec } from './xml/domain-spec.js';

/** What a host says about itself when probed. */
export interface HostFacts {
  hostname: string;
  /** Which physical machine this is (see host-identity.ts): the same for every URI and driver reaching it. */
  machineId: string;
  /** <host><uuid> of its capabilities; null when libvirt reports none. */
  hostUuid: string | null;
  cpuModel: string;
  cpus: number;
  memoryMiB: number;
  /** null where the hypervisor cannot tell (libvirt's test driver without NUMA cells). */
  freeMemoryMiB: number | null;
  libvirtVersion: string;
  /** libvirt's name for the hypervisor: QEMU, Xen, LXC, TEST. */
  hypervisorType: string;
  hypervisorVersion: string | null;
  /** Guest types this host can run for this driver, from its capabilities XML. */
  guestTypes: GuestType[];
  arches: string[];
  /** libvirt domain types offered (kvm, qemu, xen, lxc, test). */
  domainTypes: string[];
  /** libvirt's in-process test driver: no real guests, no capacity model, no migration. */
  simulated: boolean;
}

export type PowerState =
  | 'running'
  | 'paused'
  | 'shutoff'
  | 'shutting-down'
  | 'crashed'
  | 'pm-suspended'
  | 'blocked'
  /** The hypervisor answered and has no such guest. */
  | 'missing'
  /** The hypervisor could not be asked. Never treated as "stopped". */
  | 'unknown';

export interface ObservedState {
  state: PowerState;
  /** libvirt's reason, e.g. booted, migrated, destroyed, shutdown, user; 'unknown' when not available. */
  reason: string;
}

export interface ObservedGuest extends ObservedState {
  instanceId: string;
  name: string;
  /** Whether the domain carries virtfleet's metadata (defined by us). */
  managed: boolean;
  /** Its size as defined (vCPUs; maximum memory, MiB rounded up): what it may take of the host. */
  vcpus: number;
  memoryMiB: number;
}

export interface GuestStats {
  cpuTimeNs: number;
  memoryKiB: number;
  maxMemoryKiB: number;
  vcpus: number;
}

export interface GuestRef {
  instanceId: string;
  name: string;
}

export type ShutdownOutcome = { stopped: true } | { stopped: false; state: PowerState; waitedMs: number };

export interface MigrationProgress {
  phase: 'started' | 'transferring' | 'completed';
  dataProcessedBytes?: number;
  dataTotalBytes?: number;
  elapsedMs?: number;
}

export interface MigrationOptions {
  onProgress?: (p: MigrationProgress) => void;
  /** Aborting asks libvirt to abort the migration job; the guest stays on the source. */
  signal?: AbortSignal;
  progressIntervalMs?: number;
  /** Cap the migration bandwidth (MiB/s); unlimited when absent. */
  bandwidthMiBs?: number;
  /** The source host's managed volumes: the definition is built (its storage resolved) there. */
  sourceVolumes?: ManagedVolumes;
  /** The guest's disks are local: copy them into the volumes prepared at the same paths on the target. */
  copyStorage?: boolean;
}

export interface HypervisorDriver {
  readonly kind: DriverKind;
  readonly capabilities: DriverCapabilities;

  /**
   * Whether the host answers at all (the readiness probe): resolves when it does within
   * `timeoutMs` (the driver's call timeout by default), rejects with a domain error otherwise.
   */
  ping(uri: string, timeoutMs?: number): Promise<void>;
  /** Connect and describe the host. Fails with a clear domain error when unreachable. */
  probe(uri: string): Promise<HostFacts>;
  /**
   * Define the guest. Every host storage path in `spec` must resolve, through that host's
   * libvirt, to one of `volumes` (the host's managed volumes, in an allowed storage pool; 422
   * naming the field otherwise); the definition uses the host's own path. None by default.
   */
  define(uri: string, spec: DomainSpec, volumes?: ManagedVolumes): Promise<void>;
  /** The storage check of define() alone, nothing defined; resolves at once when `spec` names no host storage. */
  checkStorage(uri: string, spec: DomainSpec, volumes?: ManagedVolumes): Promise<void>;
  /**
   * Create an empty volume in an allowed, active directory pool of the host (422 when the pool
   * is not allowed, missing, not a directory pool or too full; 409 when the name is taken).
   */
  createVolume(uri: string, volume: NewVolume): Promise<HostVolume>;
  /** Volume `name` of allowed pool `pool` as the host has it (null: no such volume); 422 for a pool guests may not use. */
  findVolume(uri: string, pool: string, name: string): Promise<HostVolume | null>;
  /** Delete volume `name` of pool `pool` and its data; false when the host had no such volume. */
  deleteVolume(uri: string, pool: string, name: string): Promise<boolean>;
  /**
   * Copy volume `name` of pool `pool` (not in use) to a new volume of that pool and name on the
   * target host, with any backing chain flattened; nothing is left on the target when it fails.
   */
  copyVolume(
    sourceUri: string,
    targetUri: string,
    pool: string,
    name: string,
    capacityBytes: number,
  ): Promise<{ volume: HostVolume; bytes: number }>;
  start(uri: string, guest: GuestRef): Promise<void>;
  /** Ask the guest OS to shut down and wait up to `timeoutMs`; report what happened, never hide it. */
  shutdown(uri: string, guest: GuestRef, timeoutMs: number): Promise<ShutdownOutcome>;
  forceStop(uri: string, guest: GuestRef): Promise<void>;
  /**
   * Restart the guest: the hypervisor stops it at once and starts it again from its definition
   * (a hard reboot; the guest OS gets no chance to shut down). Resolves only with evidence that
   * it really was started anew; rejects otherwise (then it is wherever observe() says).
   */
  reboot(uri: string, guest: GuestRef): Promise<void>;
  suspend(uri: string, guest: GuestRef): Promise<void>;
  resume(uri: string, guest: GuestRef): Promise<void>;
  undefine(uri: string, guest: GuestRef): Promise<void>;
  observe(uri: string, guest: GuestRef): Promise<ObservedState>;
  listGuests(uri: string): Promise<ObservedGuest[]>;
  /**
   * Call `onChange` with the instance id of each guest whose lifecycle changes on the host
   * (started, stopped, crashed, defined, undefined...) until stopped, or until the connection
   * ends (`active()` turns false: watch again). Events may be lost with a connection; callers
   * keep a periodic sweep.
   */
  watchGuests(uri: string, onChange: (instanceId: string) => void): Promise<GuestWatch>;
  stats(uri: string, guest: GuestRef): Promise<GuestStats>;
  /**
   * Move the running guest `spec` describes. The target runs and persists the definition the
   * driver builds from `spec`, never the XML the source's libvirt reports.
   */
  liveMigrate(sourceUri: string, spec: DomainSpec, targetUri: string, options?: MigrationOptions): Promise<void>;
  /**
   * Move the stopped guest `spec` describes: define it on the target from `spec` (never from the
   * source's XML), then undefine it on the source. The caller stops it first and starts it after.
   */
  coldMigrate(sourceUri: string, spec: DomainSpec, targetUri: string, targetVolumes?: ManagedVolumes): Promise<void>;
}

/** A subscription to a host's guest lifecycle changes (see watchGuests). */
export interface GuestWatch {
  /** False once the connection it lives on has ended or it was stopped. */
  active(): boolean;
  stop(): Promise<void>;
}

/**
 * The extras flag of an error a driver gives when this process, not the host, was at its limit
 * (e.g. every connection slot held by opens to unresponsive hosts): nothing is known about the
 * host, so such a failure must not mark it unreachable.
 */
export const LOCALLY_BUSY = 'locallyBusy';

export function isLocallyBusy(error: unknown): boolean {
  return (error as { extras?: Record<string, unknown> } | null)?.extras?.[LOCALLY_BUSY] === true;
}
