// The executable description of what a HypervisorDriver must do (Nova's virt/fake.py): every
// rule below is one the libvirt drivers keep, and the driver contract suite
// (test/support/driver-contract.ts) holds this fake and the libvirt drivers to the same
// assertions. Services are unit-tested against it in milliseconds, with no libvirt anywhere.
//
// What a driver must do, in short:
// - Name guests by virtfleet's instance id; never hand out hypervisor handles or error codes:
//   an unknown guest is NotFound (404), a call that the guest's state forbids is Conflict (409),
//   something the driver or host cannot do is Unprocessable (422), an unreachable host is
//   DependencyUnavailable (503).
// - Check capabilities and guest types before touching the host (422, nothing changed).
// - Observe without throwing: 'missing' when the host answered and has no such guest,
//   'unknown' when it could not be asked (never "stopped").
// - Define from our spec only; a migration rebuilds the definition on the target from the spec,
//   never from what the source host reports (which anything with host access may have edited).
// - Keep "defined on exactly one host" through migrations, also when one fails.
// - Report what happened: a graceful shutdown the guest ignores is reported, not hidden; a reboot
//   resolves only when the guest really started anew.
// - Tell watches of every lifecycle change; a watch ends with its connection.
import { ConflictError, HypervisorError, NotFoundError, UnprocessableError } from '../../common/domain-errors.js';
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
  ShutdownOutcome,
} from '../hypervisor-driver.js';
import { storageRefsOf } from '../storage-refs.js';
import type { HostVolume, ManagedVolumes, NewVolume } from '../volumes.js';
import { buildDomainXml } from '../xml/build-domain-xml.js';
import type { DomainSpec } from '../xml/domain-spec.js';
import { type FakeFleet, type FakeGuest, type FakeHost, isFakeUri } from './fake-fleet.js';

/** libvirt domain types a fake host of each kind offers (what a real host of that kind reports). */
const DOMAIN_TYPES: Readonly<Record<DriverKind, string[]>> = { 'qemu-kvm': ['kvm', 'qemu'], xen: ['xen'], lxc: ['lxc'] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The fake's stand-in for libvirt's VIR_ERR_NO_DOMAIN, mapped as libvirt-errors.ts maps it. */
const noDomain = (what: string, guest: GuestRef) =>
  new NotFoundError(`${what} ${guest.name}: the hypervisor has no such domain`, { libvirtCode: 'VIR_ERR_NO_DOMAIN' });

/** The fake's stand-in for VIR_ERR_OPERATION_INVALID: the guest's state forbids the call. */
const invalidIn = (what: string, guest: GuestRef, state: string) =>
  new ConflictError(`${what} ${guest.name}: not valid in the domain's current state (domain is ${state})`, {
    libvirtCode: 'VIR_ERR_OPERATION_INVALID',
  });

export class FakeDriver implements HypervisorDriver {
  constructor(
    readonly kind: DriverKind,
    private readonly fleet: FakeFleet,
  ) {}

  get capabilities(): DriverCapabilities {
    return DRIVER_CAPABILITIES[this.kind];
  }

  async ping(uri: string): Promise<void> {
    this.fleet.connect(uri);
    return;
  }

  async probe(uri: string): Promise<HostFacts> {
    const host = this.fleet.connect(uri);
    const used = [...host.guests.values()].filter((g) => g.domainId !== null).reduce((sum, g) => sum + g.spec.memoryMiB, 0);
    return {
      hostname: host.name,
      // A fake host is its own machine: one id per fake host, whichever driver kind reaches it.
      machineId: `fake:${host.name}`,
      hostUuid: null,
      cpuModel: 'fake-cpu',
      cpus: host.cpus,
      memoryMiB: host.memoryMiB,
      freeMemoryMiB: Math.max(0, host.memoryMiB - used),
      libvirtVersion: '0.0.0',
      hypervisorType: 'FAKE',
      hypervisorVersion: null,
      guestTypes: [...this.capabilities.guestTypes],
      arches: ['x86_64'],
      domainTypes: DOMAIN_TYPES[this.kind],
      // It models capacity and migration like a real host: not libvirt's test driver.
      simulated: false,
    };
  }

  async define(uri: string, spec: DomainSpec, volumes: ManagedVolumes = []): Promise<void> {
    this.requireGuestType(spec);
    const host = this.fleet.connect(uri);
    await this.checkStorage(uri, spec, volumes);
    const existing = host.guests.get(spec.instanceId);
    const sameName = [...host.guests.values()].find((g) => g.spec.name === spec.name && g.spec.instanceId !== spec.instanceId);
    if (sameName) {
      throw new ConflictError(`defining ${spec.name}: domain '${spec.name}' already exists with uuid ${sameName.spec.instanceId}`, {
        libvirtCode: 'VIR_ERR_OPERATION_FAILED',
      });
    }
    // Defining an existing guest again replaces its persistent definition; a running guest keeps running.
    if (existing) {
      existing.spec = spec;
      existing.definition = buildDomainXml(spec);
      existing.bootBroken = false;
    } else {
      host.guests.set(spec.instanceId, {
        spec,
        definition: buildDomainXml(spec),
        state: 'shutoff',
        reason: 'unknown',
        domainId: null,
        cpuTimeNs: 0,
        honoursShutdown: host.guestsHonourShutdown,
        managed: true,
        bootBroken: false,
      });
    }
    host.changed(spec.instanceId);
  }

  /**
   * Every host path the spec names must be a volume of an allowed pool on this host and on the
   * caller's list of managed volumes (422 naming the field otherwise).
   */
  async checkStorage(uri: string, spec: DomainSpec, volumes: ManagedVolumes = []): Promise<void> {
    const refs = storageRefsOf(spec);
    if (refs.length === 0) return;
    const host = this.fleet.connect(uri);
    for (const ref of refs) {
      const onHost = [...host.volumes.values()].flatMap((pool) => [...pool.values()]).find((v) => v.path === ref.path);
      const managed = onHost && volumes.some((v) => v.pool === onHost.pool && v.name === onHost.name);
      if (!managed) {
        throw new UnprocessableError(`${ref.field}: ${ref.path} is not a managed volume of an allowed storage pool on ${uri}`, {
          field: ref.field,
          path: ref.path,
        });
      }
    }
    return;
  }

  async createVolume(uri: string, volume: NewVolume): Promise<HostVolume> {
    const pool = this.allowedPool(this.fleet.connect(uri), volume.pool);
    if (pool.has(volume.name)) throw new ConflictError(`creating volume "${volume.name}": pool ${volume.pool} has one by that name`);
    const path = `/fake/${volume.pool}/${volume.name}`;
    const created: HostVolume = {
      pool: volume.pool,
      name: volume.name,
      kind: volume.kind,
      format: volume.kind === 'dir' ? null : (volume.format ?? 'raw'),
      capacityBytes: volume.kind === 'dir' ? 0 : (volume.capacityBytes ?? 0),
      key: path,
      path,
      backingPath: volume.backing?.path ?? null,
    };
    pool.set(volume.name, created);
    return { ...created };
  }

  async findVolume(uri: string, pool: string, name: string): Promise<HostVolume | null> {
    const found = this.allowedPool(this.fleet.connect(uri), pool).get(name);
    return found ? { ...found } : null;
  }

  async deleteVolume(uri: string, pool: string, name: string): Promise<boolean> {
    return this.fleet.connect(uri).volumes.get(pool)?.delete(name) ?? false;
  }

  async copyVolume(
    sourceUri: string,
    targetUri: string,
    pool: string,
    name: string,
    capacityBytes: number,
  ): Promise<{ volume: HostVolume; bytes: number }> {
    const source = this.allowedPool(this.fleet.connect(sourceUri), pool).get(name);
    if (!source) throw new NotFoundError(`copying volume "${name}": ${sourceUri} has no such volume in pool ${pool}`);
    const target = this.allowedPool(this.fleet.connect(targetUri), pool);
    if (target.has(name)) throw new ConflictError(`receiving volume "${name}": pool ${pool} on ${targetUri} has one by that name`);
    // The backing chain is flattened: the copy stands alone.
    const volume = { ...source, capacityBytes, backingPath: null };
    target.set(name, volume);
    return { volume: { ...volume }, bytes: capacityBytes };
  }

  async start(uri: string, guest: GuestRef): Promise<void> {
    const g = this.guest(uri, guest, 'starting');
    if (g.state !== 'shutoff' && g.state !== 'crashed') throw invalidIn('starting', guest, 'already running');
    this.boot(uri, guest, g, 'starting');
    return;
  }

  async shutdown(uri: string, guest: GuestRef, timeoutMs: number): Promise<ShutdownOutcome> {
    this.require(Capability.GracefulShutdown);
    const g = this.guest(uri, guest, 'shutting down');
    if (g.state !== 'running' && g.state !== 'paused') throw invalidIn('shutting down', guest, 'not running');
    const started = Date.now();
    if (g.honoursShutdown) {
      this.halt(uri, g, 'shutdown');
      return { stopped: true };
    }
    // Nothing in the guest acts on the request: wait the time out, then say where it is.
    await sleep(timeoutMs);
    const last = await this.observe(uri, guest);
    if (last.state === 'shutoff' || last.state === 'missing') return { stopped: true };
    return { stopped: false, state: last.state, waitedMs: Date.now() - started };
  }

  async forceStop(uri: string, guest: GuestRef): Promise<void> {
    const g = this.guest(uri, guest, 'force-stopping');
    if (g.domainId === null) throw invalidIn('force-stopping', guest, 'not running');
    this.halt(uri, g, 'destroyed');
    return;
  }

  /** Destroy + start: resolves only when the guest runs anew (a new domain id). */
  async reboot(uri: string, guest: GuestRef): Promise<void> {
    this.require(Capability.Reboot);
    const g = this.guest(uri, guest, 'rebooting');
    if (g.domainId === null) throw invalidIn('rebooting', guest, 'not running');
    this.halt(uri, g, 'destroyed');
    this.boot(uri, guest, g, `rebooting ${guest.name}: it was stopped but could not be started again;`);
    return;
  }

  async suspend(uri: string, guest: GuestRef): Promise<void> {
    this.require(Capability.Suspend);
    const g = this.guest(uri, guest, 'suspending');
    if (g.state !== 'running') throw invalidIn('suspending', guest, g.state === 'paused' ? 'already paused' : 'not running');
    this.transition(uri, g, 'paused', 'user');
    return;
  }

  async resume(uri: string, guest: GuestRef): Promise<void> {
    this.require(Capability.Suspend);
    const g = this.guest(uri, guest, 'resuming');
    if (g.state !== 'paused') throw invalidIn('resuming', guest, 'not paused');
    this.transition(uri, g, 'running', 'unpaused');
    return;
  }

  async undefine(uri: string, guest: GuestRef): Promise<void> {
    const g = this.guest(uri, guest, 'undefining');
    // Undefining a running guest would leave it running as a transient guest nobody tracks.
    if (g.state !== 'shutoff') throw new ConflictError(`${guest.name} is ${g.state}; stop it before deleting`);
    const host = this.fleet.connect(uri);
    host.guests.delete(guest.instanceId);
    host.changed(guest.instanceId);
    return;
  }

  async observe(uri: string, guest: GuestRef): Promise<ObservedState> {
    let host: FakeHost;
    try {
      host = this.fleet.connect(uri);
    } catch (error) {
      // Unreachable: we do not know. Never "stopped".
      return { state: 'unknown', reason: error instanceof Error ? error.message : String(error) };
    }
    const g = host.guests.get(guest.instanceId);
    return g ? { state: g.state, reason: g.reason } : { state: 'missing', reason: 'not-defined' };
  }

  async listGuests(uri: string): Promise<ObservedGuest[]> {
    const host = this.fleet.connect(uri);
    return [...host.guests.values()].map((g) => ({
      instanceId: g.spec.instanceId,
      name: g.spec.name,
      managed: g.managed,
      vcpus: g.spec.vcpus,
      memoryMiB: Math.ceil(g.spec.memoryMiB),
      state: g.state,
      reason: g.reason,
    }));
  }

  async watchGuests(uri: string, onChange: (instanceId: string) => void): Promise<GuestWatch> {
    const host = this.fleet.connect(uri);
    const connection = host.connection;
    let stopped = false;
    const watcher = (instanceId: string) => {
      if (!stopped) onChange(instanceId);
    };
    host.watchers.add(watcher);
    return {
      active: () => !stopped && host.connection === connection,
      stop: async () => {
        stopped = true;
        host.watchers.delete(watcher);
      },
    };
  }

  async stats(uri: string, guest: GuestRef): Promise<GuestStats> {
    const g = this.guest(uri, guest, 'reading stats of');
    // CPU time advances while the guest runs: a millisecond per call is enough to see it move.
    if (g.state === 'running') g.cpuTimeNs += 1_000_000;
    const maxMemoryKiB = g.spec.memoryMiB * 1024;
    return { cpuTimeNs: g.cpuTimeNs, memoryKiB: maxMemoryKiB, maxMemoryKiB, vcpus: g.spec.vcpus };
  }

  async liveMigrate(sourceUri: string, spec: DomainSpec, targetUri: string, options: MigrationOptions = {}): Promise<void> {
    this.require(Capability.LiveMigrate);
    const guest: GuestRef = { instanceId: spec.instanceId, name: spec.name };
    if (sourceUri === targetUri) throw new UnprocessableError('source and target host are the same');
    const g = this.guest(sourceUri, guest, 'migrating');
    if (g.state !== 'running' && g.state !== 'paused') {
      throw new ConflictError(`${guest.name} is ${g.state}; only a running guest can be live-migrated`);
    }
    // A fake host reaches only other fake hosts of its fleet.
    if (!isFakeUri(targetUri)) throw new UnprocessableError(`not migrating to ${targetUri}: a fake host reaches only fake hosts`);
    const target = this.fleet.connect(targetUri);
    if (target.guests.has(guest.instanceId)) {
      throw new ConflictError(`live-migrating ${guest.name}: the target already has a domain with uuid ${guest.instanceId}`);
    }
    const definition = buildDomainXml(spec);
    await this.checkStorage(sourceUri, spec, options.sourceVolumes ?? []);
    options.onProgress?.({ phase: 'started' });
    const total = spec.memoryMiB * 1024 * 1024;
    // A few steps, each a chance for the caller to abort: the guest then stays on the source.
    for (let step = 1; step <= 4; step++) {
      if (options.signal?.aborted) {
        throw new HypervisorError(`live-migrating ${guest.name}: operation aborted: migration job: canceled by client`, {
          libvirtCode: 'VIR_ERR_OPERATION_ABORTED',
        });
      }
      await sleep(Math.min(options.progressIntervalMs ?? 5, 5));
      options.onProgress?.({ phase: 'transferring', dataProcessedBytes: (total * step) / 4, dataTotalBytes: total, elapsedMs: step * 5 });
    }
    // The source may have gone meanwhile; the move itself is one step, so the guest is on exactly one host.
    const source = this.fleet.connect(sourceUri);
    if (source.guests.get(guest.instanceId) !== g) throw noDomain('live-migrating', guest);
    source.guests.delete(guest.instanceId);
    target.guests.set(guest.instanceId, { ...g, spec, definition, reason: 'migrated', domainId: target.newDomainId() });
    source.changed(guest.instanceId);
    target.changed(guest.instanceId);
    options.onProgress?.({ phase: 'completed' });
  }

  async coldMigrate(sourceUri: string, spec: DomainSpec, targetUri: string, targetVolumes: ManagedVolumes = []): Promise<void> {
    this.require(Capability.ColdMigrate);
    this.requireGuestType(spec);
    const guest: GuestRef = { instanceId: spec.instanceId, name: spec.name };
    if (sourceUri === targetUri) throw new UnprocessableError('source and target host are the same');
    const g = this.guest(sourceUri, guest, 'checking the source copy of');
    if (g.state !== 'shutoff') throw new ConflictError(`${guest.name} is ${g.state}; stop it before a cold migration`);
    if (!isFakeUri(targetUri)) throw new UnprocessableError(`not migrating to ${targetUri}: a fake host reaches only fake hosts`);
    // Rebuilt from the spec on the target, never the source's (possibly rewritten) definition.
    await this.define(targetUri, spec, targetVolumes);
    const source = this.fleet.connect(sourceUri);
    source.guests.delete(guest.instanceId);
    source.changed(guest.instanceId);
  }

  private guest(uri: string, guest: GuestRef, what: string): FakeGuest {
    const g = this.fleet.connect(uri).guests.get(guest.instanceId);
    if (!g) throw noDomain(what, guest);
    return g;
  }

  private boot(uri: string, guest: GuestRef, g: FakeGuest, what: string): void {
    if (g.bootBroken) {
      throw new HypervisorError(`${what} ${guest.name}: the next-boot definition names storage or an init that does not exist`, {
        libvirtCode: 'VIR_ERR_INTERNAL_ERROR',
      });
    }
    g.domainId = this.fleet.connect(uri).newDomainId();
    this.transition(uri, g, 'running', 'booted');
  }

  private halt(uri: string, g: FakeGuest, reason: string): void {
    g.domainId = null;
    this.transition(uri, g, 'shutoff', reason);
  }

  private transition(uri: string, g: FakeGuest, state: FakeGuest['state'], reason: string): void {
    g.state = state;
    g.reason = reason;
    this.fleet.connect(uri).changed(g.spec.instanceId);
  }

  private allowedPool(host: FakeHost, pool: string): Map<string, HostVolume> {
    const volumes = host.volumes.get(pool);
    if (!volumes) throw new UnprocessableError(`storage pool ${pool} is not one guests may use on ${host.uri}`, { pool });
    return volumes;
  }

  private requireGuestType(spec: DomainSpec): void {
    const supported: readonly GuestType[] = this.capabilities.guestTypes;
    if (!supported.includes(spec.guestType)) {
      throw new UnprocessableError(`the ${this.kind} driver cannot run ${spec.guestType} guests`, { supported });
    }
  }

  /** Throws 422 unless this driver has `capability` (callers should have checked already). */
  private require(capability: Capability): void {
    if (!this.capabilities.capabilities.has(capability)) {
      throw new UnprocessableError(`the ${this.kind} driver does not support ${capability}`, { capability, driver: this.kind });
    }
  }
}
