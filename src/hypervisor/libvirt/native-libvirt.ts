// Typed wrapper around virtfleet's own libvirt addon (native/virtfleet_libvirt.cc): the calls
// @unraid/libvirt lacks — migration with job progress and abort, domain state + reason, stats,
// node free memory, capabilities XML, reboot, shutdown with a chosen mode, liveness/keepalive,
// versions, lifecycle events, storage volumes by path and by pool + name (lookup, create,
// delete) — with real libvirt error codes. Every call runs off the event loop
// (libuv pool, or a thread of its own for a migration), so a hung libvirtd never blocks Node.
// Build the addon with scripts/build-native.sh.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// ----- public types -------------------------------------------------------------------------

export interface OpenOptions {
  /** Seconds between keepalive probes of a remote libvirtd; 0 disables. Default 5. */
  keepAliveIntervalS?: number;
  /** Unanswered probes after which the connection is declared dead. Default 3. */
  keepAliveCount?: number;
}

/** virDomainState, lowercased. */
export type DomainStateName = 'nostate' | 'running' | 'blocked' | 'paused' | 'shutdown' | 'shutoff' | 'crashed' | 'pmsuspended';

export interface DomainState {
  state: DomainStateName;
  /** The state's own reason enum, lowercased: running/'booted'|'migrated'|'unpaused'..., shutoff/'destroyed'|'shutdown'|'crashed'... */
  reason: string;
}

/**
 * How virDomainShutdownFlags asks the guest to stop. 'default' lets the hypervisor choose (QEMU:
 * ACPI power button, Xen: PV control, LXC: /dev/initctl — which reports success even when the
 * container's init does not read it); 'signal' sends SIGTERM to an LXC container's init.
 */
export type ShutdownMode = 'default' | 'acpi' | 'agent' | 'initctl' | 'signal' | 'paravirt';

export interface HypervisorVersions {
  /** Version of the libvirt answering the connection (the remote daemon's for remote URIs), e.g. "9.0.0". */
  libvirt: string;
  /** Hypervisor version (e.g. QEMU "7.2.0"); null when the driver cannot tell. */
  hypervisor: string | null;
  /** virConnectGetType: "QEMU", "LXC", "TEST", ... */
  hypervisorType: string;
}

export interface DomainStats {
  state: DomainStateName;
  cpuTimeNs: number;
  memoryKiB: number;
  maxMemoryKiB: number;
  vcpus: number;
  /** Totals over all disks / interfaces; null where the driver has no bulk stats (LXC). */
  blockReadBytes: number | null;
  blockWriteBytes: number | null;
  netRxBytes: number | null;
  netTxBytes: number | null;
}

export type JobType = 'bounded' | 'unbounded' | 'completed' | 'failed' | 'cancelled';

/** A domain's current job (e.g. an outgoing migration). Fields the driver does not report are null. */
export interface JobInfo {
  type: JobType;
  dataTotal: number | null;
  dataProcessed: number | null;
  dataRemaining: number | null;
  memTotal: number | null;
  memProcessed: number | null;
  memRemaining: number | null;
  timeElapsedMs: number | null;
}

export interface MigrateOptions {
  live: boolean;
  /** The source libvirtd talks to the destination itself (virDomainMigrateToURI3); otherwise
   *  this process connects to destUri and manages the migration (virDomainMigrate3). */
  peer2peer: boolean;
  persistDest: boolean;
  undefineSource: boolean;
  /** Migration data through the libvirtd connection; needs peer2peer. */
  tunnelled?: boolean;
  /**
   * Copy every disk to the destination (VIR_MIGRATE_NON_SHARED_DISK, NBD): the destination must
   * have a volume at each disk's path, at least as large.
   */
  copyStorage?: boolean;
  /** Bandwidth cap in MiB/s; unset or <= 0 leaves libvirt's default. */
  bandwidthMiBs?: number;
  /**
   * Domain XML the destination runs the guest with (VIR_MIGRATE_PARAM_DEST_XML); it must be
   * ABI-compatible with the running guest. Unset: the XML the source libvirtd sends.
   */
  destXml?: string;
  /** Domain XML the destination persists with persistDest (VIR_MIGRATE_PARAM_PERSIST_XML). Unset: the running definition. */
  persistXml?: string;
}

export interface MigrationHandle {
  readonly domain: string;
  readonly destUri: string;
  /** Settles when libvirt's migration call returns; rejects with a LibvirtError (VIR_ERR_OPERATION_ABORTED after abort()). */
  readonly done: Promise<void>;
  /** The source domain's job; null once no job is running. */
  progress(): Promise<JobInfo | null>;
  abort(): Promise<void>;
}

export type LifecycleEventName =
  'defined' | 'undefined' | 'started' | 'suspended' | 'resumed' | 'stopped' | 'shutdown' | 'pmsuspended' | 'crashed';

export interface DomainLifecycleEvent {
  domainName: string;
  domainUuid: string;
  event: LifecycleEventName;
  /** The event's own detail enum, lowercased: started/'booted', stopped/'destroyed', ... */
  detail: string;
}

export interface EventSubscription {
  unsubscribe(): Promise<void>;
}

/** virStorageVolType, lowercased. */
export type StorageVolumeType = 'file' | 'block' | 'dir' | 'network' | 'netdir' | 'ploop';

/** A storage volume as the host's libvirt describes it (found by virStorageVolLookupByPath). */
export interface StorageVolume {
  /** virStorageVolGetPath: the pool's own spelling of the volume's path. */
  path: string;
  name: string;
  type: StorageVolumeType;
  /** Name of the pool that holds it. */
  pool: string;
  /** virStoragePoolGetXMLDesc of that pool (type, target path). */
  poolXml: string;
  /** virStorageVolGetXMLDesc (format, backing store). */
  volumeXml: string;
}

/** What storageVolumesByPath found: a volume (or null) per path, and the refreshed pools. */
export interface StorageLookup {
  volumes: Array<StorageVolume | null>;
  /** The pools asked to be refreshed that exist and are active, with virStoragePoolGetXMLDesc. */
  pools: Array<{ name: string; xml: string }>;
}

/** A storage pool as virStoragePoolGetInfo/GetXMLDesc describe it (after a refresh when active). */
export interface StoragePoolState {
  exists: boolean;
  active: boolean;
  /** virStoragePoolGetXMLDesc (type, target path); "" when the pool does not exist. */
  xml: string;
  capacity: number;
  allocation: number;
  /** Bytes libvirt reports free in the pool. */
  available: number;
}

/** Why libvirt closed a connection: I/O error, end of stream, keepalive timeout, or client request. */
export type CloseReason = 'error' | 'eof' | 'keepalive' | 'client';

/** A libvirt failure with libvirt's own error code, matched by name (never by number). */
export class LibvirtError extends Error {
  constructor(
    message: string,
    /** virErrorNumber value */
    readonly code: number,
    /** virErrorNumber name as in virterror.h, e.g. 'VIR_ERR_NO_DOMAIN' */
    readonly codeName: string,
    /** virErrorDomain value */
    readonly domain: number,
    /** virErrorDomain name, e.g. 'VIR_FROM_QEMU' */
    readonly domainName: string,
  ) {
    super(message);
    this.name = 'LibvirtError';
  }
}

// ----- the addon ----------------------------------------------------------------------------

interface RawLibvirtError {
  message: string;
  code: number;
  codeName: string;
  domain: number;
  domainName: string;
}

/** The C++ class's shape (Connection in virtfleet_libvirt.cc). */
interface NativeHandle {
  open(uri: string, keepAliveIntervalS: number, keepAliveCount: number, onClosed: (reason: string) => void): Promise<void>;
  close(): Promise<void>;
  isAlive(): Promise<boolean>;
  capabilities(): Promise<string>;
  versions(): Promise<HypervisorVersions>;
  nodeFreeMemoryBytes(): Promise<number>;
  domainState(domain: string): Promise<DomainState>;
  domainStats(domain: string): Promise<DomainStats>;
  reboot(domain: string): Promise<void>;
  shutdown(domain: string, mode?: ShutdownMode): Promise<void>;
  jobInfo(domain: string): Promise<JobInfo | null>;
  abortJob(domain: string): Promise<void>;
  migrate(domain: string, destUri: string, options: MigrateOptions): Promise<void>;
  onDomainEvent(listener: (event: DomainLifecycleEvent) => void): Promise<number>;
  offDomainEvent(callbackId: number): Promise<void>;
  storageVolumesByPath(paths: string[], refreshPools: string[]): Promise<StorageLookup>;
  storagePoolState(pool: string): Promise<StoragePoolState>;
  storageVolumeByName(pool: string, name: string): Promise<StorageVolume | null>;
  createStorageVolume(pool: string, xml: string): Promise<StorageVolume>;
  deleteStorageVolume(pool: string, name: string): Promise<boolean>;
  createStorageVolumeFrom(pool: string, xml: string, sourceName: string): Promise<StorageVolume>;
  sendStorageVolume(pool: string, name: string, target: NativeHandle, targetPool: string, targetName: string): Promise<number>;
}

interface AddonExports {
  NativeConnectionHandle: new () => NativeHandle;
}

// src/hypervisor/libvirt/ and dist/hypervisor/libvirt/ are both three levels below the repo root;
// the addon is built in place under src/ (build/ is git-ignored).
const addonPath = fileURLToPath(new URL('../../../src/hypervisor/libvirt/native/build/Release/virtfleet_libvirt.node', import.meta.url));

/** The addon has not been compiled on this machine: a setup mistake, not a libvirt failure. */
export class NativeAddonMissingError extends Error {
  constructor(readonly path: string) {
    super(`virtfleet libvirt addon not built (${path}); run scripts/build-native.sh`);
    this.name = 'NativeAddonMissingError';
  }
}

let addon: AddonExports | undefined;

function loadAddon(): AddonExports {
  if (addon) return addon;
  if (!existsSync(addonPath)) throw new NativeAddonMissingError(addonPath);
  addon = createRequire(import.meta.url)(addonPath) as AddonExports;
  return addon;
}

function isRawLibvirtError(value: unknown): value is RawLibvirtError {
  // Not `instanceof`: the addon's errors come from Node's main realm, which differs from the
  // realm of a vm context (Jest runs tests in one).
  return typeof value === 'object' && value !== null && typeof (value as { codeName?: unknown }).codeName === 'string';
}

/** Await a native call, turning the addon's error objects into LibvirtError (with a JS stack). */
async function call<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!isRawLibvirtError(error)) throw error;
    throw new LibvirtError(error.message, error.code, error.codeName, error.domain, error.domainName);
  }
}

// ----- the connection -----------------------------------------------------------------------

/** One libvirt connection (one virConnectPtr). Domains are named by name or UUID string. */
export class NativeConnection {
  private closedReason: CloseReason | null = null;
  private closedByUs = false;
  private readonly closeListeners = new Set<(reason: CloseReason) => void>();
  // libvirt tracks one lifecycle callback per connection (a second registration of the same C
  // callback is refused), so one native registration fans out to every listener.
  private readonly eventListeners = new Set<(event: DomainLifecycleEvent) => void>();
  private eventRegistration: Promise<number> | null = null;
  private eventTeardown: Promise<void> = Promise.resolve();

  private constructor(
    readonly uri: string,
    private readonly handle: NativeHandle,
  ) {}

  /**
   * Open `uri`. Keepalive (remote URIs only) makes a dead or unreachable libvirtd close the
   * connection after about interval × (count + 1) seconds instead of hanging calls forever.
   */
  static async open(uri: string, options: OpenOptions = {}): Promise<NativeConnection> {
    const { NativeConnectionHandle } = loadAddon();
    const connection = new NativeConnection(uri, new NativeConnectionHandle());
    await call(
      connection.handle.open(uri, options.keepAliveIntervalS ?? 5, options.keepAliveCount ?? 3, (reason) =>
        connection.markClosed(reason as CloseReason),
      ),
    );
    return connection;
  }

  /** False once close() was called or libvirt reported the connection closed (no round trip). */
  get isOpen(): boolean {
    return !this.closedByUs && this.closedReason === null;
  }

  /** Asks libvirt (virConnectIsAlive); false without asking once the connection is known dead. */
  async isAlive(): Promise<boolean> {
    if (!this.isOpen) return false;
    return call(this.handle.isAlive());
  }

  /** `listener` runs when libvirt closes the connection on its own (error, EOF, keepalive timeout), not after close(). Returns a remover. */
  onClose(listener: (reason: CloseReason) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closedByUs = true;
    await call(this.handle.close());
  }

  capabilities(): Promise<string> {
    return call(this.handle.capabilities());
  }

  versions(): Promise<HypervisorVersions> {
    return call(this.handle.versions());
  }

  nodeFreeMemoryBytes(): Promise<number> {
    return call(this.handle.nodeFreeMemoryBytes());
  }

  domainState(domain: string): Promise<DomainState> {
    return call(this.handle.domainState(domain));
  }

  domainStats(domain: string): Promise<DomainStats> {
    return call(this.handle.domainStats(domain));
  }

  reboot(domain: string): Promise<void> {
    return call(this.handle.reboot(domain));
  }

  /**
   * Ask the guest to shut down (virDomainShutdownFlags). Resolves once the request was delivered,
   * not when the guest has stopped. A mode the hypervisor driver does not offer rejects (libvirt's
   * test driver: VIR_ERR_INVALID_ARG for any mode but 'default').
   */
  shutdown(domain: string, mode: ShutdownMode = 'default'): Promise<void> {
    return call(this.handle.shutdown(domain, mode));
  }

  /** The domain's current job, or null when it has none. */
  jobInfo(domain: string): Promise<JobInfo | null> {
    return call(this.handle.jobInfo(domain));
  }

  abortJob(domain: string): Promise<void> {
    return call(this.handle.abortJob(domain));
  }

  /**
   * Start migrating `domain` to the libvirt at `destUri`. Returns at once; `done` settles when the
   * migration ends. Progress and abort go through jobInfo()/abortJob() (also on the handle).
   */
  migrate(domain: string, destUri: string, options: MigrateOptions): MigrationHandle {
    const done = call(this.handle.migrate(domain, destUri, options));
    return {
      domain,
      destUri,
      done,
      progress: () => this.jobInfo(domain),
      abort: () => this.abortJob(domain),
    };
  }

  /**
   * The storage volume at each of `paths` (null where no active pool has one), after refreshing
   * the pools named in `refreshPools` that exist and are active (returned with their XML). libvirt matches the path string
   * (duplicate and trailing slashes removed) against the pools' volume lists; it resolves
   * neither ".." nor symbolic links.
   */
  storageVolumesByPath(paths: readonly string[], refreshPools: readonly string[]): Promise<StorageLookup> {
    return call(this.handle.storageVolumesByPath([...paths], [...refreshPools]));
  }

  /** The pool named `pool` (refreshed first when active); `exists: false` when there is none. */
  storagePoolState(pool: string): Promise<StoragePoolState> {
    return call(this.handle.storagePoolState(pool));
  }

  /** Volume `name` of the active pool `pool`, the pool refreshed first; null when either is missing. */
  storageVolumeByName(pool: string, name: string): Promise<StorageVolume | null> {
    return call(this.handle.storageVolumeByName(pool, name));
  }

  /** virStorageVolCreateXML in pool `pool`; libvirt removes what it started to create when it fails. */
  createStorageVolume(pool: string, xml: string): Promise<StorageVolume> {
    return call(this.handle.createStorageVolume(pool, xml));
  }

  /** virStorageVolDelete of volume `name` in pool `pool`; false when the pool has no such volume. */
  deleteStorageVolume(pool: string, name: string): Promise<boolean> {
    return call(this.handle.deleteStorageVolume(pool, name));
  }

  /**
   * virStorageVolCreateXMLFrom in pool `pool`: a new volume (`xml`) holding a copy of volume
   * `sourceName` of the same pool; a directory pool copies a qcow2 overlay with its backing chain
   * flattened (qemu-img convert).
   */
  createStorageVolumeFrom(pool: string, xml: string, sourceName: string): Promise<StorageVolume> {
    return call(this.handle.createStorageVolumeFrom(pool, xml, sourceName));
  }

  /**
   * Stream volume `name` of pool `pool` on this connection's host into the existing volume
   * `targetName` of pool `targetPool` on `target`'s host (virStorageVolDownload ->
   * virStorageVolUpload through this process); resolves with the bytes sent.
   */
  sendStorageVolume(pool: string, name: string, target: NativeConnection, targetPool: string, targetName: string): Promise<number> {
    return call(this.handle.sendStorageVolume(pool, name, target.handle, targetPool, targetName));
  }

  /**
   * Receive domain lifecycle events of this connection. Rejects (e.g. VIR_ERR_NO_SUPPORT) when the
   * driver cannot deliver them, rather than subscribing to silence.
   */
  async onDomainEvent(listener: (event: DomainLifecycleEvent) => void): Promise<EventSubscription> {
    await this.ensureEventRegistration();
    this.eventListeners.add(listener);
    return {
      unsubscribe: async () => {
        if (!this.eventListeners.delete(listener) || this.eventListeners.size > 0) return;
        await this.dropEventRegistration();
      },
    };
  }

  private ensureEventRegistration(): Promise<number> {
    if (!this.eventRegistration) {
      // After a previous deregistration finished: libvirt refuses a second one meanwhile.
      const registration = this.eventTeardown.then(() => call(this.handle.onDomainEvent((event) => this.dispatch(event))));
      this.eventRegistration = registration;
      registration.catch(() => {
        if (this.eventRegistration === registration) this.eventRegistration = null;
      });
    }
    return this.eventRegistration;
  }

  private async dropEventRegistration(): Promise<void> {
    const registration = this.eventRegistration;
    if (!registration) return;
    this.eventRegistration = null;
    const teardown = registration.then((callbackId) => call(this.handle.offDomainEvent(callbackId)));
    this.eventTeardown = teardown.catch(() => undefined);
    await teardown;
  }

  private dispatch(event: DomainLifecycleEvent): void {
    for (const listener of this.eventListeners) {
      try {
        listener(event);
      } catch (error) {
        // One failing listener must not starve the others; it still surfaces as uncaughtException.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  private markClosed(reason: CloseReason): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    if (this.closedByUs) return;
    for (const listener of this.closeListeners) listener(reason);
  }
}
