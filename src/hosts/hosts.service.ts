// Hosts: registration (probed through the driver first), capacity and utilisation views,
// ratio/label updates with optimistic concurrency, maintenance, removal.
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Host, HostEndpoint, Prisma } from '../generated/prisma/client.js';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../common/domain-errors.js';
import { checkVersion } from '../common/etag.js';
import { Keyset, type Page } from '../common/pagination.js';

const HOST_PAGES = new Keyset('hosts', 'id');
import { type Resources, addResources, hostCapacityOf } from '../common/resources.js';
import { Capability, capabilityTraits, DRIVER_CAPABILITIES, type DriverKind, type GuestType } from '../hypervisor/capabilities.js';
import type { HostFacts } from '../hypervisor/hypervisor-driver.js';
import {
  buildHostUri,
  checkHostConnection,
  connectionOfStoredUri,
  hostConnectionFromUri,
  type ConnectionDriver,
  type HostConnection,
} from '../hypervisor/host-connection.js';
import { isFakeUri } from '../hypervisor/fake/fake-fleet.js';
import { DriversService } from '../hypervisor/hypervisor.module.js';
import { EventsService } from '../events/events.service.js';
import { fromDbDriverKind, fromDbPowerState, toDbDriverKind } from '../prisma/enum-mapping.js';
import { isRunningLike } from '../instances/instance-transitions.js';
import { PrismaService } from '../prisma/prisma.service.js';
import {
  type AddHostEndpointDto,
  type DrainResultDto,
  type HostDto,
  type ListHostsQuery,
  type RegisterHostDto,
  RESERVED_TRAIT,
  type UpdateHostDto,
} from './dto/host.dto.js';
import { InstancesService } from '../instances/instances.service.js';
import { PlacementService } from '../placement/placement.service.js';
import { SIMULATED_TRAIT } from '../placement/filters/simulated.filter.js';
import { foreignGuestsOf } from './foreign-guests.js';
import { hostTraitsOf } from './host-endpoints.js';
import { mapBounded } from '../common/bounded-map.js';

const ENDPOINTS = { endpoints: true } as const;

/** Two registrations of one machine at once: the second meets the unique machine id (or URI). */
function uniqueTakenByRace(error: unknown): never {
  if ((error as { code?: unknown })?.code === 'P2002') {
    throw new ConflictError('this machine or URI was registered concurrently; read the hosts and retry', {
      cause: 'concurrent registration',
    });
  }
  throw error;
}

/**
 * Probes in flight during a bulk registration. Each probe opens a libvirt connection on one of
 * libuv's threads (UV_THREADPOOL_SIZE, see scripts/start.sh) and may wait for its timeout; a few
 * at a time keep the thread pool available to requests being served meanwhile.
 */
const BULK_PROBE_CONCURRENCY = 8;

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
  if (reserved.length > 0)
    throw new ValidationError(`traits ${reserved.join(', ')} are set by virtfleet, not by operators`, { traits: reserved });
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
  private connectionOf(dto: Pick<RegisterHostDto, 'connection' | 'uri' | 'driverKind'>): {
    connection: HostConnection | null;
    uri: string;
  } {
    const policy = this.config.hostConnections;
    // A fake host (FAKE_HOSTS, tests only) has no libvirt connection: its URI names it in the fake fleet.
    if (this.config.fakeHosts && dto.connection === undefined && dto.uri !== undefined && isFakeUri(dto.uri)) {
      return { connection: null, uri: dto.uri };
    }
    if ((dto.connection === undefined) === (dto.uri === undefined)) {
      throw new ValidationError('give exactly one of connection (preferred) or uri', {
        errors: [{ path: 'connection', message: 'give exactly one of connection or uri' }],
      });
    }
    const connection = dto.connection
      ? checkHostConnection({ ...dto.connection, driver: dto.connection.driver ?? LIBVIRT_DRIVER_OF[dto.driverKind] }, policy)
      : hostConnectionFromUri(dto.uri!, policy);
    return { connection, uri: buildHostUri(connection, policy) };
  }

  /** Probe `uri` with the driver of `kind`: what the machine says about itself, or 422. */
  private async probe(uri: string, kind: DriverKind): Promise<HostFacts> {
    let facts;
    try {
      facts = await this.drivers.get(kind).probe(uri);
    } catch (error) {
      // An unreachable or refusing URI is the caller's input problem here, not a server fault.
      throw new UnprocessableError(`host ${uri} could not be probed: ${error instanceof Error ? error.message : String(error)}`, { uri });
    }
    if (facts.guestTypes.length === 0) {
      throw new UnprocessableError(`host ${uri} offers no guest type the ${kind} driver can run`, {
        driverGuestTypes: DRIVER_CAPABILITIES[kind].guestTypes,
        hostDomainTypes: facts.domainTypes,
      });
    }
    return facts;
  }

  /**
   * 409 when the machine `facts` describe is registered already (whatever URI reached it then):
   * with `kind` among its endpoints, it is a duplicate; without, the answer says to add an
   * endpoint to that host instead, so one machine never counts its capacity twice.
   */
  private async refuseKnownMachine(
    tx: Prisma.TransactionClient,
    uri: string,
    kind: DriverKind,
    facts: HostFacts,
    exceptHostId?: string,
  ): Promise<void> {
    const known = await tx.host.findFirst({
      where: {
        OR: [{ machineId: facts.machineId }, { uri }, { endpoints: { some: { uri } } }],
        ...(exceptHostId ? { id: { not: exceptHostId } } : {}),
      },
      include: { endpoints: { orderBy: { createdAt: 'asc' } } },
    });
    if (!known) return;
    const same =
      known.endpoints.find((e) => e.driverKind === toDbDriverKind(kind)) ??
      (known.driverKind === toDbDriverKind(kind) ? { uri: known.uri } : undefined);
    const extras = {
      hostId: known.id,
      hostName: known.name,
      machineId: facts.machineId,
      endpoints: known.endpoints.map((e) => ({ driverKind: fromDbDriverKind(e.driverKind), uri: e.uri })),
    };
    if (same) {
      throw new ConflictError(`${uri} reaches host ${known.name} (${facts.machineId}), already registered for ${kind} as ${same.uri}`, {
        ...extras,
        existingUri: same.uri,
      });
    }
    throw new ConflictError(
      `${uri} reaches host ${known.name} (${facts.machineId}), registered for ${known.endpoints.map((e) => fromDbDriverKind(e.driverKind)).join(', ')}: ` +
        `add ${kind} to it with POST /api/v1/hosts/${known.id}/endpoints, so that its capacity is counted once`,
      { ...extras, addEndpoint: `/api/v1/hosts/${known.id}/endpoints` },
    );
  }

  async register(dto: RegisterHostDto): Promise<HostDto> {
    // Everything is checked before libvirt is asked anything: the probe opens the URI.
    const { uri } = this.connectionOf(dto);
    checkOperatorTraits(dto.traits);
    const facts = await this.probe(uri, dto.driverKind);
    // Its first endpoint's row is written by the database (trigger host_first_endpoint) from these.
    const traits = [...new Set([...hostCapabilityTraits(dto.driverKind, facts), ...(dto.traits ?? [])])].sort();
    const host = await this.prisma
      .$transaction(async (tx) => {
        await this.refuseKnownMachine(tx, uri, dto.driverKind, facts);
        const created = await tx.host.create({
          data: {
            name: dto.name,
            uri,
            driverKind: toDbDriverKind(dto.driverKind),
            machineId: facts.machineId,
            traits,
            labels: dto.labels ?? {},
            cpus: facts.cpus,
            memoryMiB: facts.memoryMiB,
            diskGiB: dto.diskGiB ?? 0,
            ...(dto.cpuRatio !== undefined ? { cpuRatio: dto.cpuRatio } : {}),
            ...(dto.memoryRatio !== undefined ? { memoryRatio: dto.memoryRatio } : {}),
            ...(dto.diskRatio !== undefined ? { diskRatio: dto.diskRatio } : {}),
            hostname: facts.hostname.slice(0, 255),
            hypervisorType: facts.hypervisorType,
            hypervisorVersion: facts.hypervisorVersion,
            libvirtVersion: facts.libvirtVersion,
            simulated: facts.simulated,
            lastHeartbeatAt: new Date(),
          },
        });
        await this.events.record(tx, {
          kind: 'host.registered',
          hostId: created.id,
          message: `host ${created.name} registered (${uri})`,
          data: { facts },
        });
        return created;
      })
      .catch(uniqueTakenByRace);
    this.fleetChanged();
    return this.get(host.id);
  }

  /**
   * Register many hosts, each exactly as `register` would (its own probe, transaction and event),
   * probing at most BULK_PROBE_CONCURRENCY at a time. One host's refusal does not stop the others:
   * each settles to its host or its error, in request order.
   */
  async registerMany(dtos: RegisterHostDto[]): Promise<PromiseSettledResult<HostDto>[]> {
    return mapBounded(dtos, BULK_PROBE_CONCURRENCY, (dto) =>
      this.register(dto).then(
        (value): PromiseSettledResult<HostDto> => ({ status: 'fulfilled', value }),
        (reason: unknown): PromiseSettledResult<HostDto> => ({ status: 'rejected', reason }),
      ),
    );
  }

  /**
   * Add another driver of host `id`'s libvirt (e.g. LXC beside QEMU). The connection must reach
   * the same machine (422 otherwise) and a driver the host has no endpoint for (409 otherwise);
   * the host's capacity stays one, its traits gain the driver's.
   */
  async addEndpoint(id: string, dto: AddHostEndpointDto): Promise<HostDto> {
    const { uri } = this.connectionOf(dto);
    const host = await this.find(id);
    const facts = await this.probe(uri, dto.driverKind);
    // A host registered before identities: its own first endpoint says which machine it is.
    const hostMachineId = host.machineId ?? (await this.probe(host.uri, fromDbDriverKind(host.driverKind))).machineId;
    if (facts.machineId !== hostMachineId) {
      throw new UnprocessableError(`${uri} reaches another machine (${facts.machineId}) than host ${host.name} (${hostMachineId})`, {
        uri,
        machineId: facts.machineId,
        hostMachineId,
      });
    }
    await this.prisma
      .$transaction(async (tx) => {
        const locked = await tx.host.update({ where: { id }, data: { version: { increment: 1 } }, include: { endpoints: true } });
        if (locked.endpoints.some((e) => e.driverKind === toDbDriverKind(dto.driverKind))) {
          const same = locked.endpoints.find((e) => e.driverKind === toDbDriverKind(dto.driverKind))!;
          throw new ConflictError(`host ${host.name} already has a ${dto.driverKind} endpoint (${same.uri})`, {
            hostId: id,
            existingUri: same.uri,
          });
        }
        await this.refuseKnownMachine(tx, uri, dto.driverKind, facts, id);
        const capabilityTraits = hostCapabilityTraits(dto.driverKind, facts);
        await tx.hostEndpoint.create({ data: { hostId: id, driverKind: toDbDriverKind(dto.driverKind), uri, traits: capabilityTraits } });
        await tx.host.update({
          where: { id },
          data: {
            traits: hostTraitsOf(locked.traits, [...locked.endpoints.map((e) => e.traits), capabilityTraits], RESERVED_TRAIT),
            ...(locked.machineId === null ? { machineId: facts.machineId } : {}),
          },
        });
        await this.events.record(tx, {
          kind: 'host.endpoint.added',
          hostId: id,
          message: `host ${host.name}: ${dto.driverKind} endpoint added (${uri})`,
          data: { driverKind: dto.driverKind, uri, facts },
        });
      })
      .catch(uniqueTakenByRace);
    this.fleetChanged();
    return this.get(id);
  }

  /**
   * Remove endpoint `endpointId` of host `id`: refused (409) while instances of its driver are
   * on the host, and for the host's last endpoint (remove the host instead).
   */
  async removeEndpoint(id: string, endpointId: string): Promise<HostDto> {
    await this.prisma.$transaction(async (tx) => {
      const host = await tx.host
        .update({ where: { id }, data: { version: { increment: 1 } }, include: { endpoints: { orderBy: { createdAt: 'asc' } } } })
        .catch(() => null);
      if (!host) throw new NotFoundError(`host ${id} does not exist`);
      const endpoint = host.endpoints.find((e) => e.id === endpointId);
      if (!endpoint) throw new NotFoundError(`host ${host.name} has no endpoint ${endpointId}`);
      const kind = fromDbDriverKind(endpoint.driverKind);
      if (host.endpoints.length === 1)
        throw new ConflictError(`endpoint ${endpoint.uri} is the last of host ${host.name}; remove the host instead`, { hostId: id });
      // Allocations count too: a migration may be bringing an instance of that driver here.
      const using = await tx.instance.count({
        where: { driverKind: endpoint.driverKind, OR: [{ hostId: id }, { allocations: { some: { hostId: id } } }] },
      });
      if (using > 0)
        throw new ConflictError(`host ${host.name} still holds ${using} ${kind} instance(s); move or delete them first`, {
          instances: using,
          driverKind: kind,
        });
      await tx.hostEndpoint.delete({ where: { id: endpointId } });
      const rest = host.endpoints.filter((e) => e.id !== endpointId);
      await tx.host.update({
        where: { id },
        data: {
          traits: hostTraitsOf(
            host.traits,
            rest.map((e) => e.traits),
            RESERVED_TRAIT,
          ),
          // The host row carries its first endpoint.
          ...(endpoint.uri === host.uri ? { uri: rest[0]!.uri, driverKind: rest[0]!.driverKind } : {}),
        },
      });
      await this.events.record(tx, {
        kind: 'host.endpoint.removed',
        hostId: id,
        message: `host ${host.name}: ${kind} endpoint removed (${endpoint.uri})`,
        data: { driverKind: kind, uri: endpoint.uri },
      });
    });
    this.fleetChanged();
    return this.get(id);
  }

  async list(q: ListHostsQuery): Promise<Page<HostDto>> {
    const filter: Prisma.HostWhereInput = {
      ...(q.state ? { state: q.state as Host['state'] } : {}),
      // Hosts with an endpoint of that driver, first or not.
      ...(q.driverKind ? { endpoints: { some: { driverKind: toDbDriverKind(q.driverKind) } } } : {}),
      ...(q.name ? { name: q.name } : {}),
    };
    const { where, ...page } = HOST_PAGES.args<Prisma.HostWhereInput>(q, 'asc');
    const rows = await this.prisma.host.findMany({ where: { AND: [filter, where] }, ...page, include: ENDPOINTS });
    const usage = await this.usageOf(rows.map((r) => r.id));
    return HOST_PAGES.page(rows, q, 'asc', (h) => this.toDto(h, usage.get(h.id)?.allocated ?? ZERO, usage.get(h.id)?.count ?? 0));
  }

  async get(id: string): Promise<HostDto> {
    const host = await this.prisma.host.findUnique({ where: { id }, include: ENDPOINTS });
    if (!host) throw new NotFoundError(`host ${id} does not exist`);
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
        data: {
          ...dto,
          ...(dto.traits ? { traits: [...new Set([...host.traits.filter((t) => RESERVED_TRAIT.test(t)), ...dto.traits])].sort() } : {}),
          version: { increment: 1 },
        },
      });
      if (updated.count === 0) throw new ConflictError(`host ${host.name} was changed concurrently; re-read and retry`);
      // Lowering a ratio below what is already handed out would make the host overcommitted.
      const usage = (await this.usageOf([id], tx)).get(id)?.allocated ?? ZERO;
      const fresh = await tx.host.findUniqueOrThrow({ where: { id } });
      const usable = hostCapacityOf(fresh).usable;
      const short = (['vcpus', 'memoryMiB', 'diskGiB'] as const).filter((d) => usage[d] > usable[d]);
      if (short.length > 0)
        throw new ConflictError(`host ${host.name} already hands out more ${short.join(', ')} than the new ratios allow`, {
          allocated: usage,
          usable,
        });
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
      throw new ConflictError(
        `host ${host.name} is ${from}; maintenance can only be switched from enabled, maintenance, draining or standby`,
        { state: from },
      );
    }
    await this.transition(host, to, `maintenance ${on ? 'on' : 'off'}`);
    return this.get(id);
  }

  /**
   * Empty a host: it stops receiving instances (draining), and each instance on it is migrated
   * away or stopped, per policy, as operations of their own. Instances that cannot move now
   * are listed with the reason; draining again retries them.
   */
  async drain(
    id: string,
    policy: 'migrate' | 'stop',
    targetHostLabels?: Record<string, string>,
    allowDowntime = false,
  ): Promise<DrainResultDto> {
    const host = await this.find(id);
    if (host.state === 'offline')
      throw new ConflictError(`host ${host.name} is offline; its instances cannot be moved until it answers`, { state: host.state });
    if (host.state !== 'draining') await this.transition(host, 'draining', `drain (${policy})`);
    const instances = await this.prisma.instance.findMany({ where: { hostId: id }, orderBy: { name: 'asc' } });
    const started: DrainResultDto['started'] = [];
    const refused: DrainResultDto['refused'] = [];
    for (const i of instances) {
      const running = isRunningLike(fromDbPowerState(i.observedState));
      if (policy === 'stop' && !running) continue;
      try {
        const accepted =
          policy === 'migrate'
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
        throw new ConflictError(`host ${host.name} still holds ${host._count.instances} instance(s); move or delete them first`, {
          instances: host._count.instances,
        });
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
      this.logger.warn({ msg: 'demo host not registered', uri: this.config.demoHostUri, error: String(error) }),
    );
  }

  /**
   * Register libvirt's in-process test hypervisor as a demo host on a fresh install, unless a
   * host with that URI exists or an operator removed it once (its `host.removed` event names
   * the URI). It is simulated, so placement chooses it only when asked for explicitly.
   */
  async ensureDemoHost(demoUri: string): Promise<void> {
    const { uri } = this.connectionOf({ uri: demoUri, driverKind: 'qemu-kvm' });
    if (await this.prisma.host.findUnique({ where: { uri } })) return;
    const removed = await this.prisma.event.findFirst({
      where: { kind: 'host.removed', data: { path: ['uri'], equals: uri } },
      select: { id: true },
    });
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
      await this.events.record(tx, {
        kind: 'host.state',
        hostId: host.id,
        message: `host ${host.name}: ${host.state} -> ${to} (${why})`,
        data: { from: host.state, to },
      });
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

  private async usageOf(
    ids: string[],
    tx: Prisma.TransactionClient = this.prisma,
  ): Promise<Map<string, { allocated: Resources; count: number }>> {
    if (ids.length === 0) return new Map();
    const sums = await tx.allocation.groupBy({
      by: ['hostId'],
      where: { hostId: { in: ids } },
      _sum: { vcpus: true, memoryMiB: true, diskGiB: true },
      _count: { _all: true },
    });
    return new Map(
      sums.map((s) => [
        s.hostId,
        {
          allocated: { vcpus: s._sum.vcpus ?? 0, memoryMiB: s._sum.memoryMiB ?? 0, diskGiB: s._sum.diskGiB ?? 0 },
          count: s._count._all,
        },
      ]),
    );
  }

  toDto(h: Host & { endpoints: HostEndpoint[] }, allocated: Resources, instanceCount: number): HostDto {
    const { physical: capacity, ratios, usable, foreign: foreignUsage } = hostCapacityOf(h);
    const share = (a: number, u: number) => (u === 0 ? (a === 0 ? 0 : 1) : Math.round((a / u) * 1000) / 1000);
    const taken = addResources(allocated, foreignUsage);
    return {
      id: h.id,
      name: h.name,
      uri: h.uri,
      connection: connectionOfStoredUri(h.uri),
      driverKind: fromDbDriverKind(h.driverKind) as DriverKind,
      endpoints: [...h.endpoints]
        .sort((a, b) => Number(b.uri === h.uri) - Number(a.uri === h.uri) || a.createdAt.getTime() - b.createdAt.getTime())
        .map((e) => ({
          id: e.id,
          driverKind: fromDbDriverKind(e.driverKind),
          uri: e.uri,
          connection: connectionOfStoredUri(e.uri),
          traits: e.traits,
          createdAt: e.createdAt,
        })),
      machineId: h.machineId,
      state: h.state,
      traits: h.traits,
      labels: h.labels as Record<string, string>,
      capacity,
      ratios,
      usable,
      allocated,
      foreign: { usage: foreignUsage, guests: foreignGuestsOf(h), observedAt: h.foreignObservedAt },
      free: {
        vcpus: Math.max(0, usable.vcpus - taken.vcpus),
        memoryMiB: Math.max(0, usable.memoryMiB - taken.memoryMiB),
        diskGiB: Math.max(0, usable.diskGiB - taken.diskGiB),
      },
      utilisation: {
        vcpus: share(taken.vcpus, usable.vcpus),
        memoryMiB: share(taken.memoryMiB, usable.memoryMiB),
        diskGiB: share(taken.diskGiB, usable.diskGiB),
      },
      instanceCount,
      hostname: h.hostname,
      hypervisorType: h.hypervisorType,
      hypervisorVersion: h.hypervisorVersion,
      libvirtVersion: h.libvirtVersion,
      simulated: h.simulated,
      lastHeartbeatAt: h.lastHeartbeatAt,
      lastError: h.lastError,
      version: h.version,
      createdAt: h.createdAt,
      updatedAt: h.updatedAt,
    };
  }
}
