// What the three drivers share: every lifecycle call goes through the pooled libvirt session,
// guests are looked up by their UUID (= virtfleet instance id), and capability checks happen
// before libvirt is asked. Subclasses say which guest types they build and how.
import { realpath } from 'node:fs/promises';
import type * as libvirt from '@unraid/libvirt';
import { ConflictError, HypervisorError, UnprocessableError } from '../../common/domain-errors.js';
import { Capability, DRIVER_CAPABILITIES, type DriverCapabilities, type DriverKind, type GuestType } from '../capabilities.js';
import type {
  GuestRef,
  GuestStats,
  GuestWatch,
  HostFacts,
  HypervisorDriver,
  MigrationOptions,
  ObservedGuest,
  ObservedState,
  PowerState,
  ShutdownOutcome,
} from '../hypervisor-driver.js';
import { assertWellFormedHostUri } from '../host-connection.js';
import { machineIdOf } from '../host-identity.js';
import { type LibvirtConnectionPool, type LibvirtSession, isSimulatedUri } from '../libvirt/libvirt-connection-pool.js';
import { toDomainError } from '../libvirt/libvirt-errors.js';
import type { ShutdownMode } from '../libvirt/native-libvirt.js';
import { type StoragePolicy, resolveGuestStorage } from '../libvirt/storage-paths.js';
import { copyVolumeBetweenHosts, createVolume, deleteVolume, findVolume } from '../libvirt/storage-volumes.js';
import type { HostVolume, ManagedVolumes, NewVolume } from '../volumes.js';
import { buildDomainXml } from '../xml/build-domain-xml.js';
import type { DomainSpec } from '../xml/domain-spec.js';
import { storageRefsOf } from '../storage-refs.js';
import { type HostCapabilities, parseCapabilitiesXml } from '../xml/parse-capabilities.js';
import { parseDomainXml } from '../xml/parse-domain-xml.js';

/** virDomainState numbers as the npm binding reports them (it has no reason). */
const BINDING_STATES: Readonly<Record<number, PowerState>> = {
  0: 'unknown',
  1: 'running',
  2: 'blocked',
  3: 'paused',
  4: 'shutting-down',
  5: 'shutoff',
  6: 'crashed',
  7: 'pm-suspended',
};

/** Our addon's lowercased virDomainState names. */
const NATIVE_STATES: Readonly<Record<string, PowerState>> = {
  nostate: 'unknown',
  running: 'running',
  blocked: 'blocked',
  paused: 'paused',
  shutdown: 'shutting-down',
  shutoff: 'shutoff',
  crashed: 'crashed',
  pmsuspended: 'pm-suspended',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const guestRefOf = (spec: DomainSpec): GuestRef => ({ instanceId: spec.instanceId, name: spec.name });

/** The real path of a test:///<file> URI's node file (links resolved); undefined for test:///default. */
async function realNodeFile(uri: string): Promise<string | undefined> {
  const file = /^test:\/\/(\/[^?]*)/.exec(uri)?.[1];
  if (!file || file === '/default') return undefined;
  return realpath(file).catch(() => file);
}

export abstract class LibvirtDriver implements HypervisorDriver {
  abstract readonly kind: DriverKind;

  constructor(
    protected readonly pool: LibvirtConnectionPool,
    /** Pools guest storage may come from; none by default (diskless guests, host-root containers only). */
    protected readonly storage: StoragePolicy = { allowedPools: [] },
  ) {}

  get capabilities(): DriverCapabilities {
    return DRIVER_CAPABILITIES[this.kind];
  }

  /** Guest types of this driver that a host with `caps` can run. */
  protected abstract supportedGuestTypes(caps: HostCapabilities, simulated: boolean): GuestType[];

  /** Last adjustments before XML is built (e.g. KVM vs TCG from the host's capabilities). */
  protected prepareSpec(spec: DomainSpec, _caps: HostCapabilities, _simulated: boolean): DomainSpec {
    return spec;
  }

  /**
   * How a graceful shutdown asks the guest: libvirt's default (QEMU: ACPI power button, Xen: PV
   * control) unless the driver knows better.
   */
  protected shutdownMode(): ShutdownMode {
    return 'default';
  }

  async ping(uri: string, timeoutMs?: number): Promise<void> {
    await this.pool.run(uri, 'ping', (s) => s.hypervisor.connectGetHostname(), timeoutMs);
  }

  async probe(uri: string): Promise<HostFacts> {
    return this.pool.run(uri, 'probing the host', async (s) => {
      const [node, hostname, capsXml, versions, freeBytes] = await Promise.all([
        s.hypervisor.nodeGetInfo(),
        s.hypervisor.connectGetHostname(),
        s.native.capabilities(),
        s.native.versions(),
        // libvirt's test driver cannot tell free memory for a node file without NUMA cells.
        s.native.nodeFreeMemoryBytes().catch((e: unknown) => (isSimulatedUri(uri) ? null : Promise.reject(e))),
      ]);
      const caps = parseCapabilitiesXml(capsXml);
      const simulated = versions.hypervisorType.toUpperCase() === 'TEST';
      return {
        hostname,
        machineId: machineIdOf({
          uri,
          simulated,
          hostUuid: caps.hostUuid,
          hostname,
          nodeFile: simulated ? await realNodeFile(uri) : undefined,
        }),
        hostUuid: caps.hostUuid,
        cpuModel: node.model,
        cpus: node.cpus,
        memoryMiB: Math.floor(node.memory / 1024),
        freeMemoryMiB: freeBytes === null ? null : Math.floor(freeBytes / (1024 * 1024)),
        libvirtVersion: versions.libvirt,
        hypervisorType: versions.hypervisorType,
        hypervisorVersion: versions.hypervisor,
        guestTypes: this.supportedGuestTypes(caps, simulated),
        arches: [...new Set(caps.guests.map((g) => g.arch))].sort(),
        domainTypes: [...new Set(caps.guests.flatMap((g) => g.domainTypes))].sort(),
        simulated,
      };
    });
  }

  async define(uri: string, spec: DomainSpec, volumes: ManagedVolumes = []): Promise<void> {
    this.requireGuestType(spec);
    await this.pool.run(uri, `defining ${spec.name}`, async (s) => {
      await s.hypervisor.domainDefineXML(await this.domainXmlFor(s, spec, volumes));
    });
  }

  /**
   * The one way a definition reaches libvirt: our builder's XML for `spec`, prepared for the
   * host of session `s`. Never XML read back from libvirt: it is not a faithful copy of what was
   * defined (libvirt 9.0 writes <initenv> values back unescaped, so a value became markup; see
   * validate-spec.ts) and anything with access to the host may have edited it.
   */
  private async domainXmlFor(s: LibvirtSession, spec: DomainSpec, volumes: ManagedVolumes): Promise<string> {
    const caps = await this.capabilitiesOf(s);
    const simulated = isSimulatedUri(s.uri);
    if (!this.supportedGuestTypes(caps, simulated).includes(spec.guestType)) {
      throw new UnprocessableError(`host ${s.uri} cannot run ${spec.guestType} guests`);
    }
    // Storage is resolved on the host the definition is built for, by the same connection.
    const resolved = await resolveGuestStorage(s.native, spec, this.storage, volumes);
    return buildDomainXml(this.prepareSpec(resolved, caps, simulated));
  }

  private requireGuestType(spec: DomainSpec): void {
    if (!this.capabilities.guestTypes.includes(spec.guestType)) {
      throw new UnprocessableError(`the ${this.kind} driver cannot run ${spec.guestType} guests`, {
        supported: this.capabilities.guestTypes,
      });
    }
  }

  async checkStorage(uri: string, spec: DomainSpec, volumes: ManagedVolumes = []): Promise<void> {
    if (storageRefsOf(spec).length === 0) return;
    await this.pool.run(uri, `checking the storage of ${spec.name}`, (s) => resolveGuestStorage(s.native, spec, this.storage, volumes));
  }

  createVolume(uri: string, volume: NewVolume): Promise<HostVolume> {
    return this.pool.run(uri, `creating volume "${volume.name}"`, (s) => createVolume(s.native, volume, this.storage));
  }

  findVolume(uri: string, pool: string, name: string): Promise<HostVolume | null> {
    return this.pool.run(uri, `looking up volume "${name}"`, (s) => findVolume(s.native, pool, name, this.storage));
  }

  deleteVolume(uri: string, pool: string, name: string): Promise<boolean> {
    return this.pool.run(uri, `deleting volume "${name}"`, (s) => deleteVolume(s.native, pool, name));
  }

  copyVolume(
    sourceUri: string,
    targetUri: string,
    pool: string,
    name: string,
    capacityBytes: number,
  ): Promise<{ volume: HostVolume; bytes: number }> {
    return this.pool.run(sourceUri, `copying volume "${name}"`, (s) =>
      this.pool.run(targetUri, `receiving volume "${name}"`, (t) =>
        copyVolumeBetweenHosts(s.native, t.native, pool, name, capacityBytes, this.storage),
      ),
    );
  }

  start(uri: string, guest: GuestRef): Promise<void> {
    return this.onDomain(uri, guest, 'starting', (s, d) => s.hypervisor.domainCreate(d));
  }

  async shutdown(uri: string, guest: GuestRef, timeoutMs: number): Promise<ShutdownOutcome> {
    this.require(Capability.GracefulShutdown);
    // libvirt's test driver takes no mode flags (it refuses any with VIR_ERR_INVALID_ARG).
    const mode = isSimulatedUri(uri) ? 'default' : this.shutdownMode();
    await this.onDomain(uri, guest, 'shutting down', (s, d) =>
      // Our addon's connection to a test:///<file> host sees its own copy of the guests; there
      // the binding's default-mode shutdown is the one that reaches the guest.
      s.sharedState ? s.native.shutdown(guest.instanceId, mode) : s.hypervisor.domainShutdown(d),
    );
    const started = Date.now();
    let last: ObservedState = { state: 'unknown', reason: 'unknown' };
    while (Date.now() - started < timeoutMs) {
      last = await this.observe(uri, guest);
      if (last.state === 'shutoff' || last.state === 'missing') return { stopped: true };
      await sleep(Math.min(250, timeoutMs));
    }
    // The guest ignored the request (no ACPI, hung OS...): say so; the caller decides to force.
    return { stopped: false, state: last.state, waitedMs: Date.now() - started };
  }

  forceStop(uri: string, guest: GuestRef): Promise<void> {
    return this.onDomain(uri, guest, 'force-stopping', (s, d) => s.hypervisor.domainDestroy(d));
  }

  /**
   * Destroy + start, verified by a new domain id. libvirt's own reboot only asks the guest:
   * QEMU presses the ACPI button (a guest without an OS, or one that ignores it, never reboots),
   * LXC writes to /dev/initctl or sends SIGHUP to the container's init (a no-op for an init that
   * reads neither; the init PID stays the same) — and both report success either way. A restart
   * by the hypervisor works for every guest, and libvirt gives every new run a new domain id
   * (QEMU: a counter, LXC: the new libvirt_lxc's PID, test driver: a counter).
   */
  async reboot(uri: string, guest: GuestRef): Promise<void> {
    this.require(Capability.Reboot);
    await this.onDomain(uri, guest, 'rebooting', async (s, d) => {
      const before = await s.hypervisor.domainGetID(d);
      await s.hypervisor.domainDestroy(d);
      try {
        await s.hypervisor.domainCreate(d);
      } catch (error) {
        throw toDomainError(error, `rebooting ${guest.name}: it was stopped but could not be started again`);
      }
      const after = await s.hypervisor.domainGetID(d);
      if (after === null || after === before) {
        throw new HypervisorError(`rebooting ${guest.name}: libvirt did not start it anew (domain id ${before} -> ${after})`, {
          domainIdBefore: before,
          domainIdAfter: after,
        });
      }
    });
  }

  suspend(uri: string, guest: GuestRef): Promise<void> {
    this.require(Capability.Suspend);
    return this.onDomain(uri, guest, 'suspending', (s, d) => s.hypervisor.domainSuspend(d));
  }

  resume(uri: string, guest: GuestRef): Promise<void> {
    this.require(Capability.Suspend);
    return this.onDomain(uri, guest, 'resuming', (s, d) => s.hypervisor.domainResume(d));
  }

  async undefine(uri: string, guest: GuestRef): Promise<void> {
    await this.onDomain(uri, guest, 'undefining', async (s, d) => {
      const info = await s.hypervisor.domainGetInfo(d);
      // Undefining a running domain would leave it running as a transient guest we no longer track.
      if (BINDING_STATES[info.state] !== 'shutoff')
        throw new ConflictError(`${guest.name} is ${BINDING_STATES[info.state]}; stop it before deleting`);
      await s.hypervisor.domainUndefine(d);
    });
  }

  async observe(uri: string, guest: GuestRef): Promise<ObservedState> {
    try {
      return await this.pool.run(uri, `observing ${guest.name}`, (s) => this.stateOf(s, guest.instanceId));
    } catch (error) {
      if ((error as { extras?: { libvirtCode?: string } }).extras?.libvirtCode === 'VIR_ERR_NO_DOMAIN')
        return { state: 'missing', reason: 'not-defined' };
      // Unreachable host: we do not know. Never report this as "stopped".
      return { state: 'unknown', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  async watchGuests(uri: string, onChange: (instanceId: string) => void): Promise<GuestWatch> {
    const { session, release } = await this.pool.hold(uri);
    let subscription;
    try {
      subscription = await session.native.onDomainEvent((event) => onChange(event.domainUuid));
    } catch (error) {
      release();
      throw toDomainError(error, `watching guests on ${uri}`);
    }
    let stopped = false;
    return {
      active: () => !stopped && this.pool.isCurrent(session),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        release();
        await subscription.unsubscribe().catch(() => undefined);
      },
    };
  }

  async listGuests(uri: string): Promise<ObservedGuest[]> {
    return this.pool.run(uri, 'listing guests', async (s) => {
      const domains = await s.hypervisor.connectListAllDomains();
      const guests: ObservedGuest[] = [];
      for (const d of domains) {
        // Per domain: one that vanished meanwhile, or a foreign one we cannot parse, must not
        // make the whole host look unreachable.
        let parsed;
        try {
          parsed = parseDomainXml(await s.hypervisor.domainGetXMLDesc(d));
        } catch {
          // Not ours (ours always parse), but it still takes capacity: read what libvirt itself says.
          const foreign = await this.describeUnparsed(s, d).catch(() => null);
          if (foreign) guests.push(foreign);
          continue;
        }
        const state = await this.stateOf(s, parsed.uuid).catch(() => ({ state: 'unknown' as const, reason: 'unknown' }));
        guests.push({
          instanceId: parsed.instanceId ?? parsed.uuid,
          name: parsed.name,
          managed: parsed.instanceId !== null,
          vcpus: parsed.vcpus,
          memoryMiB: Math.ceil(parsed.memoryMiB),
          ...state,
        });
      }
      return guests;
    });
  }

  async stats(uri: string, guest: GuestRef): Promise<GuestStats> {
    return this.onDomain(uri, guest, 'reading stats of', async (s, d) => {
      if (s.sharedState) {
        const st = await s.native.domainStats(guest.instanceId);
        return { cpuTimeNs: st.cpuTimeNs, memoryKiB: st.memoryKiB, maxMemoryKiB: st.maxMemoryKiB, vcpus: st.vcpus };
      }
      const info = await s.hypervisor.domainGetInfo(d);
      return { cpuTimeNs: Number(info.cpuTime), memoryKiB: info.memory, maxMemoryKiB: info.maxMem, vcpus: info.nrVirtCpu };
    });
  }

  async liveMigrate(sourceUri: string, spec: DomainSpec, targetUri: string, options: MigrationOptions = {}): Promise<void> {
    this.require(Capability.LiveMigrate);
    const guest = guestRefOf(spec);
    if (isSimulatedUri(sourceUri) || isSimulatedUri(targetUri)) {
      throw new UnprocessableError("libvirt's test driver cannot migrate; simulated hosts only support cold migration");
    }
    if (sourceUri === targetUri) throw new UnprocessableError('source and target host are the same');
    // The source daemon opens the target URI itself: it gets the same check as the pool's.
    try {
      assertWellFormedHostUri(targetUri);
    } catch (error) {
      throw new UnprocessableError(`not migrating to ${targetUri}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const session = await this.pool.session(sourceUri);
    const state = await this.stateOf(session, guest.instanceId).catch((e: unknown) => {
      throw toDomainError(e, `migrating ${guest.name}`);
    });
    if (state.state !== 'running' && state.state !== 'paused') {
      throw new ConflictError(`${guest.name} is ${state.state}; only a running guest can be live-migrated`);
    }
    // The target runs and persists our builder's XML for the spec, not what the source libvirtd
    // would send (its own formatting of the definition; see domainXmlFor). Built for the source
    // host, which defined the running guest from the same spec: libvirt checks that the
    // destination XML is ABI-compatible with the running guest, and refuses the migration when
    // it is not (e.g. the running guest was changed behind our back) — the guest then stays.
    const definition = await this.pool.run(sourceUri, `building the definition of ${guest.name}`, (s) =>
      this.domainXmlFor(s, spec, options.sourceVolumes ?? []),
    );
    // Peer-to-peer: the source libvirtd talks to the target itself, so the target URI must be
    // one the source host can reach. The definition moves along (persist + undefine source),
    // so the guest is defined on exactly one host afterwards.
    const handle = session.native.migrate(guest.instanceId, targetUri, {
      live: true,
      peer2peer: true,
      persistDest: true,
      undefineSource: true,
      bandwidthMiBs: options.bandwidthMiBs,
      copyStorage: options.copyStorage,
      destXml: definition,
      persistXml: definition,
    });
    let finished = false;
    // libvirt refuses an abort while the job is still being set up; keep asking until it
    // takes or the migration has ended either way.
    const onAbort = () =>
      void (async () => {
        while (!finished) {
          if (
            await handle.abort().then(
              () => true,
              () => false,
            )
          )
            return;
          await sleep(100);
        }
      })();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const watcher = (async () => {
      options.onProgress?.({ phase: 'started' });
      while (!finished) {
        await sleep(options.progressIntervalMs ?? 500);
        if (finished) break;
        const job = await handle.progress().catch(() => null);
        if (job)
          options.onProgress?.({
            phase: 'transferring',
            dataProcessedBytes: job.dataProcessed ?? undefined,
            dataTotalBytes: job.dataTotal ?? undefined,
            elapsedMs: job.timeElapsedMs ?? undefined,
          });
      }
    })();
    try {
      await handle.done;
      options.onProgress?.({ phase: 'completed' });
    } catch (error) {
      throw toDomainError(error, `live-migrating ${guest.name}`);
    } finally {
      finished = true;
      options.signal?.removeEventListener('abort', onAbort);
      await watcher;
    }
  }

  async coldMigrate(sourceUri: string, spec: DomainSpec, targetUri: string, targetVolumes: ManagedVolumes = []): Promise<void> {
    this.require(Capability.ColdMigrate);
    this.requireGuestType(spec);
    const guest = guestRefOf(spec);
    if (sourceUri === targetUri) throw new UnprocessableError('source and target host are the same');
    // The definition moves, not the running guest: the caller stops it first (downtime is a
    // policy decision) and starts it on the target afterwards.
    await this.onDomain(sourceUri, guest, 'checking the source copy of', async (s, d) => {
      const info = await s.hypervisor.domainGetInfo(d);
      if (BINDING_STATES[info.state] !== 'shutoff')
        throw new ConflictError(`${guest.name} is ${BINDING_STATES[info.state]}; stop it before a cold migration`);
    });
    // Rebuilt from the spec for the target host (its capabilities decide e.g. KVM or TCG), never
    // the source's XML read back (see domainXmlFor).
    await this.pool.run(targetUri, `defining ${guest.name} on the target`, async (s) => {
      await s.hypervisor.domainDefineXML(await this.domainXmlFor(s, spec, targetVolumes));
    });
    try {
      await this.onDomain(sourceUri, guest, 'undefining the source copy of', (s, d) => s.hypervisor.domainUndefine(d));
    } catch (error) {
      // Keep "defined on exactly one host": take the new copy back before reporting the failure.
      await this.onDomain(targetUri, guest, 'rolling back', (s, d) => s.hypervisor.domainUndefine(d)).catch(() => undefined);
      throw error;
    }
  }

  /**
   * A host's capabilities change only with its software, so they are read once per connection
   * (a reconnect after a libvirtd restart reads them again), not on every define.
   */
  private readonly capabilitiesCache = new WeakMap<LibvirtSession, Promise<HostCapabilities>>();

  private capabilitiesOf(s: LibvirtSession): Promise<HostCapabilities> {
    let caps = this.capabilitiesCache.get(s);
    if (!caps) {
      caps = s.native.capabilities().then(parseCapabilitiesXml);
      caps.catch(() => this.capabilitiesCache.delete(s));
      this.capabilitiesCache.set(s, caps);
    }
    return caps;
  }

  /** Throws 422 unless this driver has `capability` (callers should have checked already). */
  protected require(capability: Capability): void {
    if (!this.capabilities.capabilities.has(capability)) {
      throw new UnprocessableError(`the ${this.kind} driver does not support ${capability}`, { capability, driver: this.kind });
    }
  }

  /** A domain whose XML we cannot parse, from libvirt's own accessors: never ours. */
  private async describeUnparsed(s: LibvirtSession, d: libvirt.Domain): Promise<ObservedGuest> {
    const [name, uuid, info] = await Promise.all([
      s.hypervisor.domainGetName(d),
      s.hypervisor.domainGetUUIDString(d),
      s.hypervisor.domainGetInfo(d),
    ]);
    return {
      instanceId: uuid.toLowerCase(),
      name,
      managed: false,
      vcpus: info.nrVirtCpu,
      memoryMiB: Math.ceil(info.maxMem / 1024),
      state: BINDING_STATES[info.state] ?? 'unknown',
      reason: 'unknown',
    };
  }

  private async stateOf(s: LibvirtSession, instanceId: string): Promise<ObservedState> {
    if (s.sharedState) {
      const st = await s.native.domainState(instanceId);
      return { state: NATIVE_STATES[st.state] ?? 'unknown', reason: st.reason };
    }
    const d = await s.hypervisor.domainLookupByUUIDString(instanceId);
    return { state: BINDING_STATES[(await s.hypervisor.domainGetInfo(d)).state] ?? 'unknown', reason: 'unknown' };
  }

  private onDomain<T>(uri: string, guest: GuestRef, what: string, call: (s: LibvirtSession, d: libvirt.Domain) => Promise<T>): Promise<T> {
    return this.pool.run(uri, `${what} ${guest.name}`, async (s) => call(s, await s.hypervisor.domainLookupByUUIDString(guest.instanceId)));
  }
}
