// Hosts: registration (probed through the driver first), capacity and utilisation views,
// ratio/label updates with optimistic concurrency, maintenance, removal.
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Host, Prisma } from '../generated/prisma/client.js';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../common/domain-errors.js';
import { checkVersion } from '../common/etag.js';
import { Keyset, type Page } from '../common/pagination.js';

const HOST_PAGES = new Keyset('hosts', 'id');
import { type Resources, addResources, usableCapacity } from '../common/resources.js';
import { Capability, capabilityTraits, DRIVER_CAPABILITIES, type DriverKind, type GuestType } from '../hypervisor/capabilities.js';
import type { HostFacts } from '../hypervisor/hypervisor-driver.js';
import { buildHostUri, checkHostConnection, connectionOfStoredUri, hostConnectionFromUri, type ConnectionDriver, type HostConnection } from '../hypervisor/host-connection.js';
import { DriversService } from '../hypervisor/hypervisor.module.js';
import { EventsService } from '../events/events.service.js';
import { fromDbDriverKind, toDbDriverKind } from '../prisma/enum-mapping.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { type DrainResultDto, type HostDto, type ListHostsQuery, type RegisterHostDto, RESERVED_TRAIT, type UpdateHostDto } from './dto/host.dto.js';
import { InstancesService } from '../instances/instances.service.js';
import { PlacementService } from '../placement/placement.service.js';
import { SIMULATED_TRAIT } from '../placement/filters/simulated.filter.js';
import { foreignGuestsOf } from './foreign-guests.js';

const ZERO: Resources = { vcpus: 0, memoryMiB: 0, diskGiB: 0 };

/**
 * The driver's capability traits narrowed to what this host really offers: only the guest
 * types its capabilities list, and no live migration on libvirt's test driver (it cannot
 * migrate), so placement never picks a simulated host as a live-migration target. A simulated
 * host also carries `sim`, so that placement chooses it only when asked for explicitly.
 */
export function hostCapabilityTraits(kind: DriverKind, facts: HostFacts): string[] {
  const traits = capabilityTraits(kind).filter((t) => {
    if (t.startsWith('guest:')) return facts.guestTypes.includes(t.slice('guest:'.length) as GuestType);
    if (t === `cap:${Capability.LiveMigrate}`) return !facts.simulated;
    return true;
  });
  return facts.simulated ? [...traits, SIMULATED_TRAIT] : traits;
}

/** The libvirt driver a connection names when the request leaves it to the driver kind. */
const LIBVIRT_DRIVER_OF: Readonly<Record<DriverKind, ConnectionDriver>> = { 'qemu-kvm': 'qemu', xen: 'xen', lxc: 'lxc' };

/** Operator traits may not claim or hide what virtfleet itself decides (capabilities, `sim`). */
function checkOperatorTraits(traits: readonly string[] | undefined): void {
  const reserved = (traits ?? []).filter((t) => RESERVED_TRAIT.test(t));
  if (reserved.length > 0) throw new ValidationError(`traits ${reserved.join(', ')} are set by virtfleet, not by operators`, { traits: reserved });
}

/** The fields of an update request that it names (undefined ones are left alone). */
function namedFields<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as Partial<T>;
}

@Injectable()
export class HostsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(HostsService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly drivers: DriversService,
    private readonly events: EventsService,
    private readonly instances: InstancesService,
    private readonly placement: PlacementService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The connection a registration asks for, checked, and the URI virtfleet builds from it. */
  private connectionOf(dto: Pick<RegisterHostDto, 'connection' | 'uri' | 'driverKind'>): { connection: HostConnection; uri: string } {
    const policy = this.config.hostConnections;
    if ((dto.connection === undefined) === (dto.uri === undefined)) {
      throw new ValidationError('give exactly one of connection (preferred) or uri', { errors: [{ path: 'connection', message: 'give exactly one of connection or uri' }] });
    }
    const connection = dto.connection
      ? checkHostConnection({ ...dto.connection, driver: dto.connection.driver ?? LIBVIRT_DRIVER_OF[dto.driverKind] }, policy)
      : hostConnectionFromUri(dto.uri!, policy);
    return { connection, uri: buildHostUri(connection, policy) };
  }

  async register(dto: RegisterHostDto): Promise<HostDto> {
    // Everything is checked before libvirt is asked anything: the probe opens the URI.
    const { uri } = this.connectionOf(dto);
    checkOperatorTraits(dto.traits);
    const driver = this.drivers.get(dto.driverKind);
    let facts;
    try {
      facts = await driver.probe(uri);
    } catch (error) {
      // An unreachable or refusing URI is the caller's input problem here, not a server fault.
      throw new UnprocessableError(`host ${uri} could not be probed: ${error instanceof Error ? error.message : String(error)}`, { uri });
    }
    if (facts.guestTypes.length === 0) {
      throw new UnprocessableError(`host ${uri} offers no guest type the ${dto.driverKind} driver can run`, {
        driverGuestTypes: DRIVER_CAPABILITIES[dto.driverKind].guestTypes, hostDomainTypes: facts.domainTypes,
      });
    }
    const traits = [...new Set([...hostCapabilityTraits(dto.driverKind, facts), ...(dto.traits ?? [])])].sort();
    const host = await this.prisma.$transaction(async (tx) => {
      const created = await tx.host.create({
        data: {
          name: dto.name, uri, driverKind: toDbDriverKind(dto.driverKind), traits, labels: dto.labels ?? {},
          cpus: facts.cpus, memoryMiB: facts.memoryMiB, diskGiB: dto.diskGiB ?? 0,
          ...(dto.cpuRatio !== undefined ? { cpuRatio: dto.cpuRatio } : {}),
          ...(dto.memoryRatio !== undefined ? { memoryRatio: dto.memoryRatio } : {}),
          ...(dto.diskRatio !== undefined ? { diskRatio: dto.diskRatio } : {}),
          hostname: facts.hostname.slice(0, 255), hypervisorType: facts.hypervisorType, hypervisorVersion: facts.hypervisorVersion,
          libvirtVersion: facts.libvirtVersion, simulated: facts.simulated, lastHeartbeatAt: new Date(),
        },
      });
      await this.events.record(tx, { kind: 'host.registered', hostId: created.id, message: `host ${created.name} registered (${uri})`, data: { facts } });
      return created;
    });
    this.fleetChanged();
    return this.toDto(host, ZERO, 0);
  }

  async list(q: ListHostsQuery): Promise<Page<HostDto>> {
    const filter: Prisma.HostWhereInput = {
      ...(q.state ? { state: q.state as Host['state'] } : {}),
      ...(q.driverKind ? { driverKind: toDbDriverKind(q.driverKind) } : {}),
      ...(q.name ? { name: q.name } : {}),
    };
    const { where, ...page } = HOST_PAGES.args<Prisma.HostWhereInput>(q, 'asc');
    const rows = await this.prisma.host.findMany({ where: { AND: [filter, where] }, ...page });
    const usage = await this.usageOf(rows.map((r) => r.id));
    return HOST_PAGES.page(rows, q, 'asc', (h) => this.toDto(h, usage.get(h.id)?.allocated ?? ZERO, usage.get(h.id)?.count ?? 0));
  }

  async get(id: string): Promise<HostDto> {
    const host = await this.find(id);
    const usage = (await this.usageOf([id])).get(id);
    return this.toDto(host, usage?.allocated ?? ZERO, usage?.count ?? 0);
  }

  async update(id: string, request: UpdateHostDto, expectedVersion: number | undefined): Promise<HostDto> {
    checkOperatorTraits(request.traits);
    const dto = namedFields(request);
    await this.prisma.$transaction(async (tx) => {
      const host = await tx.host.findUnique({ where: { id } });
      if (!host) throw new NotFoundError(`host ${id} does not exist`);
      checkVersion(host.version, expectedVersion, `host ${host.name}`);
      const updated = await tx.host.updateMany({
        where: { id, version: host.version },
        data: { ...dto, ...(dto.traits ? { traits: [...new Set([...host.traits.filter((t) => RESERVED_TRAIT.test(t)), ...dto.traits])].sort() } : {}), version: { increment: 1 } },
      });
      if (updated.count === 0) throw new ConflictError(`host ${host.name} was changed concurrently; re-read and retry`);
      // Lowering a ratio below what is already handed out would make the host overcommitted.
      const usage = (await this.usageOf([id], tx)).get(id)?.allocated ?? ZERO;
      const fresh = await tx.host.findUniqueOrThrow({ where: { id } });
      const usable = usableCapacity({ vcpus: fresh.cpus, memoryMiB: fresh.memoryMiB, diskGiB: fresh.diskGiB }, { cpu: fresh.cpuRatio, memory: fresh.memoryRatio, disk: fresh.diskRatio });
      const short = (['vcpus', 'memoryMiB', 'diskGiB'] as const).filter((d) => usage[d] > usable[d]);
      if (short.length > 0) throw new ConflictError(`host ${host.name} already hands out more ${short.join(', ')} than the new ratios allow`, { allocated: usage, usable });
      await this.events.record(tx, { kind: 'host.updated', hostId: id, message: `host ${host.name} updated`, data: { changes: dto } });
    });
    this.fleetChanged();
    return this.get(id);
  }

  async setMaintenance(id: string, on: boolean): Promise<HostDto> {
    const host = await this.find(id);
    const from = host.state;
    const to = on ? 'maintenance' : 'enabled';
    if (from === to) return this.get(id);
    if (!['enabled', 'maintenance', 'standby', 'draining'].includes(from)) {
      throw new ConflictError(`host ${host.name} is ${from}; maintenance can only be switched from enabled, maintenance, draining or standby`, { state: from });
    }
    await this.transition(host, to, `maintenance ${on ? 'on' : 'off'}`);
    return this.get(id);
  }

  /**
   * Empty a host: it stops receiving instances (draining), and each instance on it is migrated
   * away or stopped, per policy, as operations of their own. Instances that cannot move now
   * are listed with the reason; draining again retries them.
   */
  async drain(id: string, policy: 'migrate' | 'stop', targetHostLabels?: Record<string, string>, allowDowntime = false): Promise<DrainResultDto> {
    const host = await this.find(id);
    if (host.state === 'offline') throw new ConflictError(`host ${host.name} is offline; its instances cannot be moved until it answers`, { state: host.state });
    if (host.state !== 'draining') await this.transition(host, 'draining', `drain (${policy})`);
    const instances = await this.prisma.instance.findMany({ where: { hostId: id }, orderBy: { name: 'asc' } });
    const started: DrainResultDto['started'] = [];
    const refused: DrainResultDto['refused'] = [];
    for (const i of instances) {
      const running = ['running', 'paused', 'blocked'].includes(i.observedState);
      if (policy === 'stop' && !running) continue;
      try {
        const accepted = policy === 'migrate'
          ? await this.instances.act(i.id, 'migrate', { migrate: { mode: 'auto', requiredHostLabels: targetHostLabels, allowDowntime } })
          : await this.instances.act(i.id, 'force-stop');
        started.push({ instanceId: i.id, operationId: accepted.operationId });
      } catch (error) {
        refused.push({ instanceId: i.id, detail: error instanceof Error ? error.message : String(error) });
      }
    }
    return { host: await this.get(id), started, refused };
  }

  async remove(id: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const host = await tx.host.findUnique({ where: { id }, include: { _count: { select: { instances: true, allocations: true } } } });
      if (!host) throw new NotFoundError(`host ${id} does not exist`);
      if (host._count.instances > 0 || host._count.allocations > 0) {
        throw new ConflictError(`host ${host.name} still holds ${host._count.instances} instance(s); move or delete them first`, { instances: host._count.instances });
      }
      await tx.host.delete({ where: { id } });
      // The URI is kept with the event: the demo host is not registered again once removed.
      await this.events.record(tx, { kind: 'host.removed', hostId: id, message: `host ${host.name} removed`, data: { uri: host.uri } });
    });
    this.fleetChanged();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoHostUri) return;
    await this.ensureDemoHost(this.config.demoHostUri).catch((error: unknown) =>
      this.logger.warn({ msg: 'demo host not registered', uri: this.config.demoHostUri, error: String(error) }));
  }

  /**
   * Register libvirt's in-process test hypervisor as a demo host on a fresh install, unless a
   * host with that URI exists or an operator removed it once (its `host.removed` event names
   * the URI). It is simulated, so placement chooses it only when asked for explicitly.
   */
  async ensureDemoHost(demoUri: string): Promise<void> {
    const { uri } = this.connectionOf({ uri: demoUri, driverKind: 'qemu-kvm' });
    if (await this.prisma.host.findUnique({ where: { uri } })) return;
    const removed = await this.prisma.event.findFirst({ where: { kind: 'host.removed', data: { path: ['uri'], equals: uri } }, select: { id: true } });
    if (removed) {
      this.logger.log({ msg: 'demo host not registered: an operator removed it', uri });
      return;
    }
    await this.register({ name: 'demo', uri, driverKind: 'qemu-kvm', diskGiB: 500 });
    this.logger.log({ msg: 'registered demo host', uri });
  }

  async transition(host: Host, to: Host['state'], why: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.host.update({ where: { id: host.id }, data: { state: to, version: { increment: 1 } } });
      await this.events.record(tx, { kind: 'host.state', hostId: host.id, message: `host ${host.name}: ${host.state} -> ${to} (${why})`, data: { from: host.state, to } });
    });
    this.fleetChanged();
  }

  /**
   * This process's placement snapshot (up to 500 ms old) must not rank without a host just
   * registered, re-rated or re-stated here: a create right after a registration would be
   * refused. Other replicas see the change when their snapshot expires.
   */
  private fleetChanged(): void {
    this.placement.invalidate();
  }

  async find(id: string): Promise<Host> {
    const host = await this.prisma.host.findUnique({ where: { id } });
    if (!host) throw new NotFoundError(`host ${id} does not exist`);
    return host;
  }

  private async usageOf(ids: string[], tx: Prisma.TransactionClient = this.prisma): Promise<Map<string, { allocated: Resources; count: number }>> {
    if (ids.length === 0) return new Map();
    const sums = await tx.allocation.groupBy({ by: ['hostId'], where: { hostId: { in: ids } }, _sum: { vcpus: true, memoryMiB: true, diskGiB: true }, _count: { _all: true } });
    return new Map(sums.map((s) => [s.hostId, {
      allocated: { vcpus: s._sum.vcpus ?? 0, memoryMiB: s._sum.memoryMiB ?? 0, diskGiB: s._sum.diskGiB ?? 0 },
      count: s._count._all,
    }]));
  }

  toDto(h: Host, allocated: Resources, instanceCount: number): HostDto {
    const capacity = { vcpus: h.cpus, memoryMiB: h.memoryMiB, diskGiB: h.diskGiB };
    const ratios = { cpu: h.cpuRatio, memory: h.memoryRatio, disk: h.diskRatio };
    const usable = usableCapacity(capacity, ratios);
    const share = (a: number, u: number) => (u === 0 ? (a === 0 ? 0 : 1) : Math.round((a / u) * 1000) / 1000);
    const foreignUsage = { vcpus: h.foreignVcpus, memoryMiB: h.foreignMemoryMiB, diskGiB: 0 };
    const taken = addResources(allocated, foreignUsage);
    return {
      id: h.id, name: h.name, uri: h.uri, connection: connectionOfStoredUri(h.uri), driverKind: fromDbDriverKind(h.driverKind) as DriverKind, state: h.state,
      traits: h.traits, labels: h.labels as Record<string, string>, capacity, ratios, usable, allocated,
      foreign: { usage: foreignUsage, guests: foreignGuestsOf(h), observedAt: h.foreignObservedAt },
      free: { vcpus: Math.max(0, usable.vcpus - taken.vcpus), memoryMiB: Math.max(0, usable.memoryMiB - taken.memoryMiB), diskGiB: Math.max(0, usable.diskGiB - taken.diskGiB) },
      utilisation: { vcpus: share(taken.vcpus, usable.vcpus), memoryMiB: share(taken.memoryMiB, usable.memoryMiB), diskGiB: share(taken.diskGiB, usable.diskGiB) },
      instanceCount, hostname: h.hostname, hypervisorType: h.hypervisorType, hypervisorVersion: h.hypervisorVersion,
      libvirtVersion: h.libvirtVersion, simulated: h.simulated, lastHeartbeatAt: h.lastHeartbeatAt, lastError: h.lastError,
      version: h.version, createdAt: h.createdAt, updatedAt: h.updatedAt,
    };
  }
}
