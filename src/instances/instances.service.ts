// Instances: create (the placement claim, instance, operation and event in one statement),
// list/get, resize when stopped, and lifecycle actions. Every action first wins a conditional update of the
// instance row (version + "no task in flight"), so of concurrent actions exactly one proceeds
// and the others get 409 naming the current state.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Instance, Prisma } from '../generated/prisma/client.js';
import { ConflictError, NoValidHostError, NotFoundError, UnprocessableError } from '../common/domain-errors.js';
import { checkVersion } from '../common/etag.js';
import { Keyset, type Page } from '../common/pagination.js';

const INSTANCE_PAGES = new Keyset('instances', 'id');
import { Capability, driverSupports, type DriverKind, type GuestType } from '../hypervisor/capabilities.js';
import { DriversService } from '../hypervisor/hypervisor.module.js';
import { EventsService, eventProvenance } from '../events/events.service.js';
import { OperationsService } from '../operations/operations.service.js';
import { PlacementService } from '../placement/placement.service.js';
import { chargedRequest, placementRequestOf } from '../placement/placement-request.js';
import type { PowerState } from '../hypervisor/hypervisor-driver.js';
import { storageRefsOf } from '../hypervisor/storage-refs.js';
import type { DomainSpec } from '../hypervisor/xml/domain-spec.js';
import { fromDbDriverKind, fromDbPowerState, toDbDriverKind, toDbGroupPolicy, toDbPowerState } from '../prisma/enum-mapping.js';
import { throughEndpoint } from '../hosts/host-endpoints.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { managedVolumesOn } from '../volumes/volume-store.js';
import { rootDiskGiB } from '../images/image-rules.js';
import type {
  AcceptedOperationDto,
  CreateInstanceDto,
  InstanceDto,
  ListInstancesQuery,
  MigrateDto,
  UpdateInstanceDto,
} from './dto/instance.dto.js';
import { type BootSpec, assertValidBoot, toDomainSpec } from './guest-spec.js';
import { domainSpecOf, toInstanceDto } from './instance-mapper.js';
import { checkTransition, type InstanceAction, isRunningLike, type TaskName } from './instance-transitions.js';
import { faultPoint, InstanceWorkflows, type MigrationPlan } from './instance-workflows.js';
import { movePlacement, storedPlacementOf } from './stored-placement.js';
import { insertPlacedInstance, type NewInstance } from './instance-store.js';

/** How long each kind of task may stay in flight before the reconciler fails it. */
const TASK_DEADLINE_MS: Record<TaskName, number> = {
  creating: 5 * 60_000,
  starting: 2 * 60_000,
  stopping: 11 * 60_000,
  rebooting: 2 * 60_000,
  suspending: 60_000,
  resuming: 60_000,
  migrating: 30 * 60_000,
  deleting: 5 * 60_000,
  resizing: 60_000,
  reconfiguring: 2 * 60_000,
};

@Injectable()
export class InstancesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly placement: PlacementService,
    private readonly operations: OperationsService,
    private readonly events: EventsService,
    private readonly workflows: InstanceWorkflows,
    private readonly drivers: DriversService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Create: the instance row, its allocation on the chosen host, the create operation and the
   * event are written by one SQL statement, whose `pick_host` takes the first ranked candidate
   * that still has room under the host row locks. Without a placement group the statement runs
   * on its own (one round trip, atomic by itself); a group's rules are read and claimed under
   * the group's lock, in one transaction.
   */
  async create(dto: CreateInstanceDto): Promise<AcceptedOperationDto> {
    const boot = dto.boot as BootSpec;
    assertValidBoot(
      dto.driverKind,
      { name: dto.name, vcpus: dto.vcpus, memoryMiB: dto.memoryMiB, labels: dto.labels ?? {}, bootSpec: boot },
      this.config,
    );
    this.drivers.get(dto.driverKind); // 503 now rather than a failed operation later
    const image = dto.rootDisk ? await this.rootDiskImage(dto) : null;
    const resources = { vcpus: dto.vcpus, memoryMiB: dto.memoryMiB, diskGiB: image ? image.diskGiB : (dto.diskGiB ?? 0) };
    const group = dto.placementGroup;
    // A root disk is made where its image is: the image's host is the only candidate.
    const asked = placementRequestOf(resources, { ...dto, guestType: boot.guestType as GuestType, hostId: image?.hostId ?? dto.hostId });
    // The host is charged the guest's size plus its technique's overhead; the instance keeps the asked size.
    const request = chargedRequest(asked, this.config.overhead);
    const charged = request.resources;
    // Ties among equally good hosts are broken at random (see PlacementOptions.tieBreak).
    const options = { weigher: dto.weigher ?? 'pack', tieBreak: 'random' } as const;
    const operationId = randomUUID();
    const labels = { ...(dto.labels ?? {}) };
    const written: NewInstance = {
      id: randomUUID(),
      name: dto.name,
      driverKind: toDbDriverKind(dto.driverKind),
      guestType: boot.guestType,
      ...resources,
      imageId: image?.id ?? null,
      rootDiskPath: null,
      // As the database gives it back (plain JSON): the worker builds the domain from it.
      bootSpec: JSON.parse(JSON.stringify(boot)) as Prisma.JsonObject,
      labels,
      pinned: dto.pinned ?? false,
      placementGroup: group?.name ?? null,
      groupPolicy: group ? toDbGroupPolicy(group.policy) : null,
      groupHard: group?.hard ?? true,
      // The placement rules are kept: every later move honours them (stored-placement.ts).
      requiredHostLabels: { ...(dto.requiredHostLabels ?? {}) },
      requiredHostTraits: [...new Set(dto.requiredHostTraits ?? [])].sort(),
      forbiddenHostTraits: [...new Set(dto.forbiddenHostTraits ?? [])].sort(),
      placementWeigher: options.weigher,
      requestedHostId: dto.hostId ?? null,
      desiredState: dto.start === false ? 'stopped' : 'running',
      task: 'creating',
      taskDeadline: new Date(Date.now() + TASK_DEADLINE_MS.creating),
      taskOperationId: operationId,
    };
    const provenance = { operation: this.operations.provenance(), event: eventProvenance({}) };
    const spec = toDomainSpec({
      id: written.id,
      name: dto.name,
      vcpus: dto.vcpus,
      memoryMiB: dto.memoryMiB,
      labels,
      bootSpec: boot,
    });
    const place = (db: Prisma.TransactionClient) =>
      this.placement.claimHost(db, written.id, request, options, {
        narrow: (hostIds) => this.withGuestStorage(db, hostIds, dto.driverKind, spec),
        write: async (pickHost) => {
          const created = await insertPlacedInstance(db, written, { pickHost, charged }, provenance);
          return created ? { host_id: created.host.id, ...created } : undefined;
        },
      });
    const { instance, host } = request.group ? await this.prisma.$transaction(place) : await place(this.prisma);
    await faultPoint('create', 'committed'); // the create is committed, not yet answered
    this.workflows.launch(operationId, written.id, { startAfterCreate: dto.start !== false }, { instance, host });
    return { operationId: operationId, instance: toInstanceDto(instance, this.config.overhead) };
  }

  /**
   * The image `dto.rootDisk` names, the host it is on and the root disk's size; 422 for a guest
   * that cannot have one, an unknown image, a `diskGiB` smaller than the image or another host.
   */
  private async rootDiskImage(dto: CreateInstanceDto): Promise<{ id: string; hostId: string; diskGiB: number }> {
    const name = dto.rootDisk!.image;
    if (dto.driverKind !== 'qemu-kvm' || dto.boot.guestType !== 'hvm') {
      throw new UnprocessableError('rootDisk is for hvm guests of the qemu-kvm driver', {
        errors: [{ path: 'rootDisk', message: 'only for hvm guests (qemu-kvm)' }],
      });
    }
    const image = await this.prisma.image.findUnique({ where: { name }, include: { volume: { select: { hostId: true } } } });
    if (!image)
      throw new UnprocessableError(`there is no image "${name}"`, { errors: [{ path: 'rootDisk.image', message: 'no such image' }] });
    const diskGiB = rootDiskGiB(Number(image.sizeBytes), dto.diskGiB);
    if (diskGiB === null) {
      throw new UnprocessableError(`diskGiB ${dto.diskGiB} is smaller than image "${name}" (${image.sizeBytes} bytes)`, {
        errors: [{ path: 'diskGiB', message: `at least ${Math.ceil(Number(image.sizeBytes) / 1024 ** 3)} for this image` }],
      });
    }
    if (dto.hostId !== undefined && dto.hostId !== image.volume.hostId) {
      throw new UnprocessableError(`image "${name}" is on host ${image.volume.hostId}; a root disk is made on the image's host`, {
        errors: [{ path: 'hostId', message: "must be the image's host, or absent" }],
      });
    }
    return { id: image.id, hostId: image.volume.hostId, diskGiB };
  }

  /**
   * The candidates whose host has every storage path of `spec` as a managed volume of an allowed pool
   * (asked in parallel, each host's libvirt resolving its own paths), in rank order; without
   * storage paths, all of them unasked. None: the first-ranked host's 422 naming the fields,
   * before anything is written. The worker's define resolves them again (the files may change
   * in between) and a failed create is rolled back. In a placement group's transaction this
   * waits on the hosts under the group's lock: bounded by the hypervisor call timeout.
   */
  private async withGuestStorage(
    db: Prisma.TransactionClient,
    candidates: readonly string[],
    kind: DriverKind,
    spec: DomainSpec,
  ): Promise<readonly string[]> {
    if (storageRefsOf(spec).length === 0) return candidates;
    const driver = this.drivers.get(kind);
    // Each host asked through its endpoint of the instance's driver.
    const endpoints = await db.hostEndpoint.findMany({
      where: { hostId: { in: [...candidates] }, driverKind: toDbDriverKind(kind) },
      select: { hostId: true, uri: true },
    });
    const uriOf = new Map(endpoints.map((e) => [e.hostId, e.uri]));
    const ranked = candidates.filter((id) => uriOf.has(id));
    const checks = await Promise.allSettled(
      ranked.map(async (id) => driver.checkStorage(uriOf.get(id)!, spec, await managedVolumesOn(db, id))),
    );
    const hostIds = ranked.filter((_, n) => checks[n]!.status === 'fulfilled');
    if (hostIds.length === 0)
      throw (
        (checks[0] as PromiseRejectedResult | undefined)?.reason ??
        new NoValidHostError('no valid host: every candidate was removed meanwhile; retry')
      );
    return hostIds;
  }

  async list(q: ListInstancesQuery): Promise<Page<InstanceDto>> {
    const filter: Prisma.InstanceWhereInput = {
      ...(q.hostId ? { hostId: q.hostId } : {}),
      ...(q.driverKind ? { driverKind: toDbDriverKind(q.driverKind) } : {}),
      ...(q.observedState ? { observedState: toDbPowerState(q.observedState as never) } : {}),
      ...(q.placementGroup ? { placementGroup: q.placementGroup } : {}),
      ...(q.name ? { name: q.name } : {}),
    };
    const { where, ...page } = INSTANCE_PAGES.args<Prisma.InstanceWhereInput>(q, 'asc');
    const rows = await this.prisma.instance.findMany({ where: { AND: [filter, where] }, ...page });
    return INSTANCE_PAGES.page(rows, q, 'asc', (i) => toInstanceDto(i, this.config.overhead));
  }

  async get(id: string): Promise<InstanceDto> {
    return toInstanceDto(await this.find(id), this.config.overhead);
  }

  /**
   * Resize (needs the guest shut off) and relabel. A resize holds the `resizing` task (so no
   * start can slip in), re-claims capacity on the same host, redefines the domain, and is
   * rolled back in the database if libvirt refuses the new definition.
   */
  async update(id: string, dto: UpdateInstanceDto, expectedVersion: number | undefined): Promise<InstanceDto> {
    const resizing = dto.vcpus !== undefined || dto.memoryMiB !== undefined;
    const { before, operationId } = await this.prisma.$transaction(async (tx) => {
      const i = await tx.instance.findUnique({ where: { id }, include: { host: true } });
      if (!i) throw new NotFoundError(`instance ${id} does not exist`);
      checkVersion(i.version, expectedVersion, `instance ${i.name}`);
      if (i.task)
        throw new ConflictError(`instance ${i.name} is busy (${i.task})`, {
          currentState: fromDbPowerState(i.observedState),
          task: i.task,
        });
      if (resizing && i.observedState !== 'shutoff') {
        throw new ConflictError(`instance ${i.name} is ${fromDbPowerState(i.observedState)}; resizing needs it shut off`, {
          currentState: fromDbPowerState(i.observedState),
        });
      }
      const next = { vcpus: dto.vcpus ?? i.vcpus, memoryMiB: dto.memoryMiB ?? i.memoryMiB };
      if (resizing)
        assertValidBoot(fromDbDriverKind(i.driverKind), {
          name: i.name,
          ...next,
          labels: (dto.labels ?? i.labels) as Record<string, string>,
          bootSpec: i.bootSpec as BootSpec,
        });
      const deadline = new Date(Date.now() + TASK_DEADLINE_MS.resizing);
      const op = resizing ? await this.operations.create(tx, { kind: 'resize', targetType: 'instance', targetId: id, deadline }) : null;
      const won = await tx.instance.updateMany({
        where: { id, version: i.version, task: null },
        data: { ...dto, version: { increment: 1 }, ...(op ? { task: 'resizing', taskDeadline: deadline, taskOperationId: op.id } : {}) },
      });
      if (won.count === 0) throw new ConflictError(`instance ${i.name} changed concurrently; re-read and retry`);
      if (resizing && i.hostId) {
        try {
          const charged = this.config.overhead.charged(fromDbDriverKind(i.driverKind), { ...next, diskGiB: i.diskGiB });
          await tx.allocation.updateMany({
            where: { instanceId: id, hostId: i.hostId },
            data: { vcpus: charged.vcpus, memoryMiB: charged.memoryMiB },
          });
        } catch (error) {
          if (/capacity of host/.test(String(error)))
            throw new ConflictError(`host ${i.host?.name} has no room to grow ${i.name} to ${next.vcpus} vCPUs / ${next.memoryMiB} MiB`);
          throw error;
        }
      }
      await this.events.record(tx, {
        kind: resizing ? 'instance.resized' : 'instance.state',
        instanceId: id,
        hostId: i.hostId ?? undefined,
        message: `instance ${i.name} updated`,
        data: { changes: dto },
      });
      return { before: i, operationId: op?.id ?? null };
    });
    if (operationId) {
      const updated = await this.find(id);
      const seen = { state: 'shutoff' as const, reason: before.observedReason ?? 'unknown' };
      try {
        // Same UUID: libvirt replaces the definition.
        if (before.host)
          await this.drivers
            .get(fromDbDriverKind(updated.driverKind))
            .define(
              (await throughEndpoint(this.prisma, before.host, updated.driverKind)).uri,
              domainSpecOf(updated),
              await managedVolumesOn(this.prisma, before.host.id),
            );
      } catch (error) {
        await this.workflows.finishTask(
          id,
          operationId,
          seen,
          'failed',
          `resize of ${before.name} refused by the hypervisor; size restored`,
          error,
          async (tx) => {
            await tx.instance.update({ where: { id }, data: { vcpus: before.vcpus, memoryMiB: before.memoryMiB } });
            const charged = this.config.overhead.charged(fromDbDriverKind(before.driverKind), {
              vcpus: before.vcpus,
              memoryMiB: before.memoryMiB,
              diskGiB: before.diskGiB,
            });
            await tx.allocation.updateMany({ where: { instanceId: id }, data: { vcpus: charged.vcpus, memoryMiB: charged.memoryMiB } });
          },
        );
        throw error;
      }
      await this.workflows.finishTask(
        id,
        operationId,
        seen,
        'succeeded',
        `resize of ${before.name} to ${updated.vcpus} vCPUs / ${updated.memoryMiB} MiB`,
      );
    }
    return this.get(id);
  }

  async act(
    id: string,
    action: InstanceAction,
    opts: { stopTimeoutSeconds?: number; migrate?: MigrateDto; keepVolumes?: boolean } = {},
  ): Promise<AcceptedOperationDto> {
    let migration: MigrationPlan | undefined;
    const { instance, operationId } = await this.prisma.$transaction(async (tx) => {
      const i = await tx.instance.findUnique({ where: { id } });
      if (!i) throw new NotFoundError(`instance ${id} does not exist`);
      const observed = fromDbPowerState(i.observedState);
      const check = checkTransition(action, observed, i.task as TaskName | null);
      if (!check.allowed) {
        throw new ConflictError(`cannot ${action} instance ${i.name}: ${check.why}`, {
          currentState: observed,
          task: i.task,
          desiredState: i.desiredState,
        });
      }
      const kind = fromDbDriverKind(i.driverKind);
      if (action === 'suspend' || action === 'resume') this.requireCapability(kind, Capability.Suspend, i);
      if (action === 'reboot') this.requireCapability(kind, Capability.Reboot, i);
      if (action === 'migrate') migration = await this.planMigration(tx, i, observed, opts.migrate ?? {});
      const t = check.transition;
      const deadline = new Date(Date.now() + TASK_DEADLINE_MS[t.task]);
      const op = await this.operations.create(tx, { kind: action, targetType: 'instance', targetId: i.id, deadline });
      const won = await tx.instance.updateMany({
        where: { id, version: i.version, task: null },
        data: {
          task: t.task,
          taskDeadline: deadline,
          taskOperationId: op.id,
          ...(t.desired ? { desiredState: t.desired } : {}),
          version: { increment: 1 },
        },
      });
      if (won.count === 0) {
        const now = await tx.instance.findUniqueOrThrow({ where: { id } });
        throw new ConflictError(
          `cannot ${action} instance ${i.name}: another request changed it first (${now.task ?? fromDbPowerState(now.observedState)})`,
          { currentState: fromDbPowerState(now.observedState), task: now.task },
        );
      }
      if (migration) await tx.operation.update({ where: { id: op.id }, data: { result: { ...migration } } });
      // Read again by the watchdog when it finishes an interrupted delete.
      if (action === 'delete' && opts.keepVolumes)
        await tx.operation.update({ where: { id: op.id }, data: { result: { keepVolumes: true } } });
      await this.events.record(tx, {
        kind: 'instance.task',
        instanceId: i.id,
        hostId: i.hostId ?? undefined,
        operationId: op.id,
        message: `${action} of ${i.name} accepted`,
        data: { action, ...(migration ? { migration } : {}) },
      });
      return { instance: await tx.instance.findUniqueOrThrow({ where: { id } }), operationId: op.id };
    });
    this.workflows.launch(operationId, instance.id, {
      stopTimeoutSeconds: opts.stopTimeoutSeconds,
      migration,
      keepVolumes: opts.keepVolumes,
    });
    return { operationId, instance: toInstanceDto(instance, this.config.overhead) };
  }

  /** Decide live vs cold, pick (or check) the target, and reserve capacity there. */
  private async planMigration(tx: Prisma.TransactionClient, i: Instance, observed: PowerState, dto: MigrateDto): Promise<MigrationPlan> {
    if (!i.hostId) throw new ConflictError(`instance ${i.name} has no host`);
    const kind = fromDbDriverKind(i.driverKind);
    const running = isRunningLike(observed);
    const canLive = driverSupports(kind, Capability.LiveMigrate);
    const mode = dto.mode ?? 'auto';
    if (mode === 'live' && !canLive)
      throw new UnprocessableError(`the ${kind} driver cannot live-migrate; use mode "cold" (the guest is stopped and restarted)`, {
        driver: kind,
      });
    if (mode === 'live' && !running)
      throw new ConflictError(`instance ${i.name} is ${observed}; live migration needs it running`, { currentState: observed });
    let chosen: 'live' | 'cold' = mode === 'cold' || !running || !canLive ? 'cold' : 'live';
    if (chosen === 'cold' && !driverSupports(kind, Capability.ColdMigrate))
      throw new UnprocessableError(`the ${kind} driver cannot migrate at all`);
    // The stored placement rules always hold; the move may only add to them.
    const { weigher, ...rules } = movePlacement(i.name, storedPlacementOf(i), { requiredHostLabels: dto.requiredHostLabels });
    const claim = (m: 'live' | 'cold') =>
      this.placement.claim(
        tx,
        i.id,
        chargedRequest(
          {
            resources: { vcpus: i.vcpus, memoryMiB: i.memoryMiB, diskGiB: i.diskGiB },
            driverKind: kind,
            guestType: i.guestType as GuestType,
            excludeHostIds: [i.hostId!],
            hostId: dto.targetHostId,
            ...rules,
            requireCapabilities: m === 'live' ? [Capability.LiveMigrate] : [Capability.ColdMigrate],
          },
          this.config.overhead,
        ),
        { weigher, tieBreak: 'random' },
      );
    let toHostId: string;
    try {
      toHostId = await claim(chosen);
    } catch (error) {
      // "auto" means live when possible; a cold move (downtime) only when the caller allows it,
      // and only when no live-capable host fits: after a lost race the first candidates' locks
      // are still held, and locking a second batch out of id order could deadlock.
      const noLiveHost = error instanceof NoValidHostError && error.extras.reason !== 'raced';
      if (!(mode === 'auto' && chosen === 'live' && dto.allowDowntime && noLiveHost)) throw error;
      chosen = 'cold';
      toHostId = await claim('cold');
    }
    return { fromHostId: i.hostId, toHostId, mode: chosen };
  }

  private requireCapability(kind: DriverKind, capability: Capability, i: Instance): void {
    if (!driverSupports(kind, capability))
      throw new UnprocessableError(`the ${kind} driver of instance ${i.name} does not support ${capability}`, { driver: kind, capability });
  }

  async find(id: string): Promise<Instance> {
    const i = await this.prisma.instance.findUnique({ where: { id } });
    if (!i) throw new NotFoundError(`instance ${id} does not exist`);
    return i;
  }
}
