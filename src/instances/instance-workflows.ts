// Carries out instance operations against the hypervisor, one step at a time, and ends each
// with one transaction that writes the outcome (instance state, operation, event) together.
// A failure never leaves a half-written record: a failed create is rolled back completely
// (its domain undefined, then its row removed; while the host cannot say whether the domain
// exists the row stays, `deleting`, and the reconciler finishes the clean-up once the host
// answers), any other failed step leaves the instance as libvirt really observes it. The
// closing writes wait out a short database outage instead of leaving the task hanging.
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Host, Instance, Operation, Prisma } from '../generated/prisma/client.js';
import { ConflictError, UnprocessableError } from '../common/domain-errors.js';
import type { HypervisorDriver, ObservedState } from '../hypervisor/hypervisor-driver.js';
import type { HostVolume, NewVolume } from '../hypervisor/volumes.js';
import { DriversService } from '../hypervisor/hypervisor.module.js';
import { assertValidDomainSpec } from '../hypervisor/xml/validate-spec.js';
import { EventsService, actorOfRequest, eventProvenance } from '../events/events.service.js';
import { OperationsService, errorJson } from '../operations/operations.service.js';
import { retryThroughOutage } from '../common/outage-retry.js';
import { fromDbDriverKind, toDbDriverKind, toDbPowerState } from '../prisma/enum-mapping.js';
import { throughEndpoint } from '../hosts/host-endpoints.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { managedVolumesOn } from '../volumes/volume-store.js';
import { domainSpecOf, guestRefOf } from './instance-mapper.js';
import { endInstanceTask } from './instance-store.js';
import { isRunningLike } from './instance-transitions.js';
import type { BootSpec } from './guest-spec.js';
import { withDiskAttached, withDiskDetached } from '../volumes/disk-attachment.js';
import { fieldsUsing } from '../volumes/volume-usage.js';

type Tx = Prisma.TransactionClient;

/** What a worker needs of a host: where to reach it and what to call it. */
export type HostRef = Pick<Host, 'id' | 'name' | 'uri'>;

/** An instance as a create just wrote it, with its host: its worker need not read them again. */
export interface Written {
  instance: Instance;
  host: HostRef;
}

export interface MigrationPlan {
  fromHostId: string;
  toHostId: string;
  mode: 'live' | 'cold';
}

/** A data disk to attach (an existing volume, or one to create first) or detach. */
export type VolumeChange = { volumeId: string; attach: boolean } | { create: NewVolume; attach: true };

/** What a worker is told beyond its operation's kind. */
export interface WorkerParams {
  stopTimeoutSeconds?: number;
  migration?: MigrationPlan;
  startAfterCreate?: boolean;
  /** attach-volume / detach-volume: which volume (an attach may create it first). */
  volumeChange?: VolumeChange;
  /** delete: keep the data volumes attached to it (detached, managed) instead of deleting them. */
  keepVolumes?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long a worker's closing write waits for PostgreSQL to come back before the watchdog takes over. */
const CLOSING_WRITE_OUTAGE_MS = 60_000;
/** Deadline of the clean-up that a failed create leaves when its host cannot be reached. */
const CLEANUP_DEADLINE_MS = 10 * 60_000;

/** At most `size` tasks at once; the rest wait in arrival order. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Test-only fault injection: with VIRTFLEET_FAULT_PAUSE=<operation kind>:<step> the worker
 * stops at that step (a minute, or VIRTFLEET_FAULT_PAUSE_MS), so a test can kill the process,
 * libvirtd or PostgreSQL mid-operation.
 */
export async function faultPoint(kind: string, step: string): Promise<void> {
  if (process.env.VIRTFLEET_FAULT_PAUSE === `${kind}:${step}`) await sleep(Number(process.env.VIRTFLEET_FAULT_PAUSE_MS ?? 60_000));
}

@Injectable()
export class InstanceWorkflows implements BeforeApplicationShutdown {
  private readonly logger = new Logger(InstanceWorkflows.name);
  private readonly running = new Set<Promise<void>>();
  /**
   * Operations this process is carrying out (queued or running), each with its worker: the
   * watchdog leaves them alone, and `settled` lets a caller await one.
   */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Bounded parallelism: a burst of requests must not flood libvirtd or the connection pool. */
  private readonly slots = new Semaphore(8);
  /** Running operations of this process, by id: a cancel aborts the signal (a live migration listens). */
  private readonly cancellation = new Map<string, AbortController>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly drivers: DriversService,
    private readonly operations: OperationsService,
    private readonly events: EventsService,
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    operations.registerCanceller('instance', (op) => this.cancel(op));
  }

  /**
   * Cancel instance operation `op`: a pending one never starts (its task is undone in the same
   * transaction that ends it), a running live migration has libvirt's job aborted (at once when
   * this process runs it, else by its runner at its next progress write; the worker then ends it
   * `aborted`, the guest where libvirt left it: the source).
   * Anything else cannot be taken back: 409 with the reason.
   */
  async cancel(op: Operation): Promise<void> {
    if (op.status === 'pending') {
      if (await this.abortPending(op)) return;
      op = await this.prisma.operation.findUniqueOrThrow({ where: { id: op.id } }); // it started meanwhile
    }
    if (op.status !== 'running')
      throw new ConflictError(`operation ${op.id} has already ended (${op.status}); there is nothing to cancel`, { status: op.status });
    const mode = (op.result as { mode?: unknown } | null)?.mode;
    if (op.kind !== 'migrate' || mode !== 'live') {
      const why =
        op.kind === 'migrate'
          ? 'a running cold migration has already stopped the guest or moved its definition; let it finish'
          : `libvirt cannot take back a ${op.kind} that has started; wait for it to end`;
      throw new ConflictError(`operation ${op.id} (${op.kind}) cannot be cancelled while running: ${why}`, {
        status: op.status,
        kind: op.kind,
      });
    }
    const controller = this.cancellation.get(op.id);
    if (controller) {
      controller.abort(new ConflictError(`migration cancelled (operation ${op.id})`));
      return;
    }
    // Another process runs it: it reads the request with its next progress write (every 500 ms).
    if (!(await this.operations.requestCancel(op.id))) {
      const now = await this.prisma.operation.findUniqueOrThrow({ where: { id: op.id } });
      throw new ConflictError(`operation ${op.id} has already ended (${now.status}); there is nothing to cancel`, { status: now.status });
    }
  }

  /** pending -> aborted, with the instance's task undone; false when it is no longer pending. */
  private async abortPending(op: Operation): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const won = await tx.operation.updateMany({
        where: { id: op.id, status: 'pending' },
        data: { status: 'aborted', finishedAt: new Date(), error: { type: 'Cancelled', message: 'cancelled before it started' } },
      });
      if (won.count === 0) return false;
      const i = await tx.instance.findUnique({ where: { id: op.targetId } });
      if (!i || i.taskOperationId !== op.id) return true;
      if (op.kind === 'create') {
        // Nothing was defined yet (defining is the started create's first step): the row and its claim go.
        await tx.instance.delete({ where: { id: i.id } });
        await this.events.record(tx, {
          kind: 'instance.deleted',
          instanceId: i.id,
          hostId: i.hostId ?? undefined,
          operationId: op.id,
          message: `create of ${i.name} cancelled before it started`,
        });
        return true;
      }
      // A migration's reservation on its target goes; the guest was never touched, so what it
      // should be is what it is.
      if (i.hostId) await tx.allocation.deleteMany({ where: { instanceId: i.id, hostId: { not: i.hostId } } });
      await tx.instance.update({
        where: { id: i.id },
        data: {
          task: null,
          taskDeadline: null,
          taskOperationId: null,
          desiredState: desiredStateOf(i.observedState, i.desiredState),
          version: { increment: 1 },
        },
      });
      await this.events.record(tx, {
        kind: 'instance.task',
        instanceId: i.id,
        hostId: i.hostId ?? undefined,
        operationId: op.id,
        message: `${op.kind} of ${i.name} cancelled before it started`,
      });
      return true;
    });
  }

  /** Start operation `operationId` on instance `instanceId` in the background. */
  launch(operationId: string, instanceId: string, params: WorkerParams = {}, written?: Written): void {
    void this.track(operationId, () => this.slots.run(() => this.execute(operationId, instanceId, params, written)));
  }

  /** Run `work` for operation `operationId` in this process, known as in flight until it ends. */
  private track(operationId: string, work: () => Promise<void>): Promise<void> {
    const p = work().catch((error: unknown) => this.logger.error({ msg: 'operation worker crashed', operationId, error: String(error) }));
    this.inFlight.set(operationId, p);
    this.running.add(p);
    void p.finally(() => {
      this.running.delete(p);
      this.inFlight.delete(operationId);
    });
    return p;
  }

  /**
   * Whether operation `operationId` (whose runner is this process) is being carried out here.
   * A task of ours that is not (its worker gave up, e.g. on a database outage) is as orphaned
   * as one whose process died.
   */
  isInFlight(operationId: string): boolean {
    return this.inFlight.has(operationId);
  }

  /**
   * Resolves when this process's worker for operation `operationId` has ended (at once when no
   * worker of this process carries it out). The operation's row then says how it ended, unless
   * the worker gave up on it (a database outage): then the task watchdog ends it later.
   */
  settled(operationId: string): Promise<void> {
    return this.inFlight.get(operationId) ?? Promise.resolve();
  }

  /** Let in-flight workers finish (graceful shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  private async execute(operationId: string, instanceId: string, params: WorkerParams, written?: Written): Promise<void> {
    // A database outage while it waited is waited out: the accepted work is carried out.
    const loaded = written ?? (await retryThroughOutage(() => this.load(instanceId), { forMs: CLOSING_WRITE_OUTAGE_MS }));
    // It waited for a slot: the watchdog may have ended it meanwhile, or a newer task replaced
    // it. Running it now would act on stale intent, so it is dropped. Starting the operation is
    // the check that counts: it is still pending only while nothing else has ended it.
    const op =
      loaded?.instance.taskOperationId === operationId
        ? await retryThroughOutage(() => this.operations.start(operationId), { forMs: CLOSING_WRITE_OUTAGE_MS })
        : null;
    if (!loaded || !op) {
      this.logger.warn({ msg: 'operation no longer current; not run', operationId });
      return;
    }
    const { instance } = loaded;
    const driver = this.drivers.get(fromDbDriverKind(instance.driverKind));
    // The host's endpoint of the instance's driver (an LXC container on a QEMU+LXC host: its LXC URI).
    let host: HostRef;
    try {
      host = await throughEndpoint(this.prisma, loaded.host, instance.driverKind);
    } catch (error) {
      await this.fail(op.kind, instance, loaded.host, driver, operationId, error);
      return;
    }
    const guest = guestRefOf(instance);
    const cancel = new AbortController();
    this.cancellation.set(operationId, cancel);
    try {
      switch (op.kind) {
        case 'create': {
          await faultPoint('create', 'claimed');
          const withDisk = instance.imageId ? await this.createRootDisk(instance, host, driver) : instance;
          await faultPoint('create', 'disk-created');
          await driver.define(host.uri, domainSpecOf(withDisk), await managedVolumesOn(this.prisma, host.id));
          await faultPoint('create', 'defined');
          if (params.startAfterCreate !== false) {
            // Progress is a hint: a create is not rolled back because it could not be written.
            await this.operations
              .progress(operationId, 50)
              .catch((error: unknown) => this.logger.warn({ msg: 'progress not recorded', operationId, error: String(error) }));
            await driver.start(host.uri, guest);
          }
          break;
        }
        case 'start':
          await driver.start(host.uri, guest);
          break;
        case 'stop': {
          const outcome = await driver.shutdown(host.uri, guest, (params.stopTimeoutSeconds ?? 60) * 1000);
          if (!outcome.stopped) {
            throw new ConflictError(
              `${instance.name} did not shut down within ${params.stopTimeoutSeconds ?? 60} s (still ${outcome.state}); use force-stop`,
              { state: outcome.state },
            );
          }
          break;
        }
        case 'force-stop':
          await driver.forceStop(host.uri, guest);
          break;
        case 'reboot':
          await driver.reboot(host.uri, guest);
          break;
        case 'suspend':
          await driver.suspend(host.uri, guest);
          break;
        case 'resume':
          await driver.resume(host.uri, guest);
          break;
        case 'delete': {
          const seen = await driver.observe(host.uri, guest);
          if (seen.state === 'unknown')
            throw new UnprocessableError(`host ${host.name} cannot be reached to delete ${instance.name}: ${seen.reason}`);
          if (seen.state !== 'shutoff' && seen.state !== 'missing') await driver.forceStop(host.uri, guest);
          if (seen.state !== 'missing') await driver.undefine(host.uri, guest);
          await this.deleteOwnedVolumes(instance, driver);
          if (!params.keepVolumes) await this.deleteAttachedVolumes(instance, driver);
          await this.prisma.$transaction(async (tx) => {
            await tx.instance.delete({ where: { id: instance.id } });
            await this.operations.finish(tx, operationId, { status: 'succeeded' });
            await this.events.record(tx, {
              kind: 'instance.deleted',
              instanceId: instance.id,
              hostId: host.id,
              operationId,
              message: `instance ${instance.name} deleted`,
            });
          });
          return;
        }
        case 'migrate':
          await this.migrate(operationId, instance, host, driver, params.migration!, cancel.signal);
          return;
        case 'attach-volume':
        case 'detach-volume':
          await this.changeDisks(operationId, instance, host, driver, params.volumeChange!);
          return;
        default:
          throw new Error(`unknown operation kind ${op.kind}`);
      }
      const observed = await driver.observe(host.uri, guest);
      await this.finishTask(instance.id, operationId, observed, 'succeeded', `${op.kind} of ${instance.name} succeeded`);
    } catch (error) {
      await this.fail(op.kind, instance, host, driver, operationId, error, cancel.signal.aborted);
    } finally {
      this.cancellation.delete(operationId);
    }
  }

  /**
   * Create `instance`'s root disk on `host`: a qcow2 overlay of its image's volume (the path and
   * format libvirt reported for it), `diskGiB` GiB, in the image's pool; recorded as a managed
   * volume owned by the instance (so a failed create or a delete removes it), its path stored.
   */
  private async createRootDisk(instance: Instance, host: HostRef, driver: HypervisorDriver): Promise<Instance> {
    const image = await this.prisma.image.findUniqueOrThrow({ where: { id: instance.imageId! }, include: { volume: true } });
    if (image.volume.hostId !== host.id) throw new UnprocessableError(`image "${image.name}" is not on host ${host.name}`);
    const created = await driver.createVolume(host.uri, {
      pool: image.volume.pool,
      name: rootVolumeName(instance.id),
      kind: 'file',
      format: 'qcow2',
      capacityBytes: instance.diskGiB * 1024 ** 3,
      backing: { path: image.volume.path, format: image.format as 'raw' | 'qcow2' },
    });
    try {
      return await this.prisma.$transaction(async (tx) => {
        await tx.volume.create({ data: rootDiskRow(host.id, instance.id, created) });
        await this.events.record(tx, {
          kind: 'volume.created',
          instanceId: instance.id,
          hostId: host.id,
          message: `root disk of ${instance.name} created: overlay of image "${image.name}" in pool "${created.pool}" on ${host.name}`,
          data: { pool: created.pool, name: created.name, capacityBytes: created.capacityBytes, imageId: image.id },
        });
        return tx.instance.update({ where: { id: instance.id }, data: { rootDiskPath: created.path } });
      });
    } catch (error) {
      // Not recorded: nothing would ever delete it. Take it back now.
      await driver.deleteVolume(host.uri, created.pool, created.name).catch((e: unknown) =>
        this.logger.error({
          msg: 'root disk created but neither recorded nor deleted',
          host: host.name,
          pool: created.pool,
          name: created.name,
          error: String(e),
        }),
      );
      throw error;
    }
  }

  /**
   * Delete the volumes `instance` owns (its root disk), on the host each is on, and their rows.
   * One that cannot be deleted stays recorded (no longer owned once the instance row goes: a
   * managed volume an operator sees and can delete), and is logged as an event.
   */
  private async deleteOwnedVolumes(instance: Instance, driver: HypervisorDriver): Promise<void> {
    const owned = await this.prisma.volume.findMany({ where: { instanceId: instance.id }, include: { host: true } });
    if (instance.imageId && instance.hostId && !owned.some((v) => v.name === rootVolumeName(instance.id))) {
      // A create that died between libvirt creating the root disk and its row being written:
      // the disk has our name in the image's pool on the instance's host.
      const [image, host] = await Promise.all([
        this.prisma.image.findUnique({ where: { id: instance.imageId }, include: { volume: true } }),
        this.prisma.host.findUnique({ where: { id: instance.hostId } }),
      ]);
      if (image && host) {
        await driver
          .deleteVolume(host.uri, image.volume.pool, rootVolumeName(instance.id))
          .catch((error: unknown) =>
            this.logger.error({ msg: 'unrecorded root disk not deleted', instance: instance.name, host: host.name, error: String(error) }),
          );
      }
    }
    for (const v of owned) {
      try {
        await driver.deleteVolume(v.host.uri, v.pool, v.name);
        await this.prisma.volume.delete({ where: { id: v.id } });
      } catch (error) {
        await this.volumeNotDeleted(instance, v, 'root disk', error);
      }
    }
  }

  /**
   * Attach or detach a data volume: the definition is rebuilt from the stored spec with the disk
   * added (or removed) and defined; only then is the new spec stored (with the attachment, in the
   * transaction that ends the task). A running guest gets an added disk at its next start: the
   * driver defines the persistent definition only (no hot-plug through our libvirt binding).
   */
  private async changeDisks(
    operationId: string,
    instance: Instance,
    host: HostRef,
    driver: HypervisorDriver,
    change: VolumeChange,
  ): Promise<void> {
    const volume =
      'create' in change
        ? await this.createDataVolume(operationId, instance, host, driver, change.create)
        : await this.prisma.volume.findUniqueOrThrow({ where: { id: change.volumeId } });
    try {
      const boot = instance.bootSpec as BootSpec;
      const bootSpec = change.attach ? withDiskAttached(boot, volume) : withDiskDetached(boot, volume.path);
      await faultPoint(change.attach ? 'attach-volume' : 'detach-volume', 'claimed');
      await driver.define(
        host.uri,
        domainSpecOf({ ...instance, bootSpec: bootSpec as Prisma.JsonValue }),
        await managedVolumesOn(this.prisma, host.id),
      );
      const observed = await driver.observe(host.uri, guestRefOf(instance));
      const live = observed.state === 'running' || observed.state === 'paused' || observed.state === 'blocked';
      const verb = change.attach ? 'attached to' : 'detached from';
      await this.finishTask(
        instance.id,
        operationId,
        observed,
        'succeeded',
        `volume "${volume.name}" ${verb} ${instance.name}${change.attach && live ? ' (from its next start)' : ''}`,
        undefined,
        async (tx) => {
          await tx.instance.update({ where: { id: instance.id }, data: { bootSpec: bootSpec as Prisma.InputJsonValue } });
          if (!change.attach)
            await tx.volume.updateMany({ where: { id: volume.id, attachedInstanceId: instance.id }, data: { attachedInstanceId: null } });
          await tx.operation.update({
            where: { id: operationId },
            data: {
              result: { volumeId: volume.id, volumeName: volume.name, attached: change.attach, appliesAtNextStart: change.attach && live },
            },
          });
        },
      );
    } catch (error) {
      // A volume this operation made goes with its failure: a failed attach leaves nothing.
      if ('create' in change) await this.deleteCreatedVolume(instance, host, driver, volume);
      throw error;
    }
  }

  /** A new data volume on `host` for `instance`, recorded as attached to it (not yet in its spec). */
  private async createDataVolume(operationId: string, instance: Instance, host: HostRef, driver: HypervisorDriver, wanted: NewVolume) {
    const created = await driver.createVolume(host.uri, wanted);
    await this.operations
      .progress(operationId, 50, { volumeName: created.name })
      .catch((error: unknown) => this.logger.warn({ msg: 'progress not recorded', operationId, error: String(error) }));
    try {
      return await this.prisma.$transaction(async (tx) => {
        const row = await tx.volume.create({
          data: {
            hostId: host.id,
            pool: created.pool,
            name: created.name,
            kind: 'file',
            format: created.format,
            capacityBytes: BigInt(created.capacityBytes),
            libvirtKey: created.key,
            path: created.path,
            adopted: false,
            createdBy: actorOfRequest(),
            attachedInstanceId: instance.id,
          },
        });
        await this.events.record(tx, {
          kind: 'volume.created',
          instanceId: instance.id,
          hostId: host.id,
          operationId,
          message: `data volume "${created.name}" of pool "${created.pool}" created on ${host.name} for ${instance.name}`,
          data: { volumeId: row.id, pool: created.pool, name: created.name, format: created.format, capacityBytes: created.capacityBytes },
        });
        return row;
      });
    } catch (error) {
      await driver.deleteVolume(host.uri, created.pool, created.name).catch((e: unknown) =>
        this.logger.error({
          msg: 'data volume created but neither recorded nor deleted',
          host: host.name,
          name: created.name,
          error: String(e),
        }),
      );
      throw error;
    }
  }

  /** Take back data volume `v` that a failed attach created: on the host, then its row. */
  private async deleteCreatedVolume(
    instance: Instance,
    host: HostRef,
    driver: HypervisorDriver,
    v: { id: string; pool: string; name: string },
  ) {
    try {
      await driver.deleteVolume(host.uri, v.pool, v.name);
      await this.prisma.volume.deleteMany({ where: { id: v.id } });
    } catch (error) {
      // It stays managed (and, once the claim is released, free): an operator sees and deletes it.
      this.logger.error({ msg: 'data volume of a failed attach not deleted', instance: instance.name, name: v.name, error: String(error) });
    }
  }

  /** Claims of volumes marked attached to instance `instanceId` that its stored spec does not name (a failed attach's). */
  async releaseUnusedAttachments(instanceId: string): Promise<void> {
    const instance = await this.prisma.instance.findUnique({ where: { id: instanceId }, include: { attachedVolumes: true } });
    if (!instance) return;
    const spec = domainSpecOf(instance);
    const unused = instance.attachedVolumes.filter((v) => fieldsUsing(spec, v.path).length === 0).map((v) => v.id);
    if (unused.length > 0)
      await this.prisma.volume.updateMany({
        where: { id: { in: unused }, attachedInstanceId: instanceId },
        data: { attachedInstanceId: null },
      });
  }

  /** Whether delete operation `operationId` was asked to keep the instance's data volumes. */
  private async keepsVolumes(operationId: string): Promise<boolean> {
    const op = await this.prisma.operation.findUnique({ where: { id: operationId }, select: { result: true } });
    return (op?.result as { keepVolumes?: unknown } | null)?.keepVolumes === true;
  }

  /**
   * Delete the data volumes attached to `instance` that virtfleet created (with their data, on
   * their host); adopted ones are only released (the attachment goes with the instance row). One
   * that cannot be deleted stays managed, and an event says so.
   */
  private async deleteAttachedVolumes(instance: Instance, driver: HypervisorDriver): Promise<void> {
    const attached = await this.prisma.volume.findMany({
      where: { attachedInstanceId: instance.id, adopted: false },
      include: { host: true },
    });
    for (const v of attached) {
      try {
        await driver.deleteVolume(v.host.uri, v.pool, v.name);
        await this.prisma.$transaction(async (tx) => {
          await tx.volume.delete({ where: { id: v.id } });
          await this.events.record(tx, {
            kind: 'volume.deleted',
            hostId: v.hostId,
            message: `data volume "${v.name}" of pool "${v.pool}" deleted with instance ${instance.name}`,
            data: { volumeId: v.id, pool: v.pool, name: v.name, instanceId: instance.id },
          });
        });
      } catch (error) {
        await this.volumeNotDeleted(instance, v, 'data volume', error);
      }
    }
  }

  /** A volume of a deleted instance that libvirt did not delete: it stays a managed volume, logged and told as an event. */
  private async volumeNotDeleted(
    instance: Instance,
    v: { id: string; hostId: string; pool: string; name: string; host: { name: string } },
    what: 'root disk' | 'data volume',
    error: unknown,
  ): Promise<void> {
    this.logger.error({
      msg: `${what} of a deleted instance not deleted`,
      instance: instance.name,
      host: v.host.name,
      pool: v.pool,
      name: v.name,
      error: String(error),
    });
    await this.events
      .record(this.prisma, {
        kind: 'volume.deleted',
        hostId: v.hostId,
        message: `${what} "${v.name}" of ${instance.name} could NOT be deleted on ${v.host.name} (${String((error as Error)?.message ?? error)}); it stays a managed volume`,
        data: { volumeId: v.id },
      })
      .catch(() => undefined);
  }

  /** An instance and its host as the database has them now; null when it is gone. */
  private async load(instanceId: string): Promise<Written | null> {
    const instance = await this.prisma.instance.findUnique({ where: { id: instanceId }, include: { host: true } });
    if (!instance) return null;
    if (!instance.host) throw new Error(`instance ${instance.name} has no host`);
    return { instance, host: instance.host };
  }

  private async migrate(
    operationId: string,
    instance: Instance,
    source: HostRef,
    driver: HypervisorDriver,
    plan: MigrationPlan,
    cancelled: AbortSignal,
  ): Promise<void> {
    try {
      await this.moveGuest(operationId, instance, source, driver, plan, cancelled);
      this.metrics.migrationEnded(plan.mode, 'succeeded');
    } catch (error) {
      this.metrics.migrationEnded(plan.mode, cancelled.aborted ? 'aborted' : 'failed');
      throw error;
    }
  }

  private async moveGuest(
    operationId: string,
    instance: Instance,
    source: HostRef,
    driver: HypervisorDriver,
    plan: MigrationPlan,
    cancelled: AbortSignal,
  ): Promise<void> {
    const target = await throughEndpoint(
      this.prisma,
      await this.prisma.host.findUniqueOrThrow({ where: { id: plan.toHostId } }),
      instance.driverKind,
    );
    const guest = guestRefOf(instance);
    // A local root disk moves with the guest. Live: its volume is made on the target first (same
    // pool, name and size, no backing store: libvirt copies the whole disk into it). Cold: once
    // the guest is stopped, a flattened copy is streamed to the target. Either is taken back if
    // the guest stays; the source's copy is deleted only once the guest is on the target.
    let targetDisk: { pool: string; name: string; path: string } | null = null;
    if (instance.rootDiskPath && plan.mode === 'live') targetDisk = await this.prepareTargetDisk(instance, source, target, driver);
    const copyWhenStopped =
      instance.rootDiskPath && plan.mode === 'cold'
        ? async () => {
            const copied = await this.copyDiskToTarget(instance, source, target, driver);
            targetDisk = copied;
            // The plan stays in the result (a failed move is settled from it); the bytes join it.
            await this.operations.progress(operationId, 50, { ...plan, diskBytesCopied: copied.bytes }).catch(() => undefined);
            return copied.path;
          }
        : undefined;
    try {
      await this.moveGuestTo(operationId, instance, source, target, driver, plan, cancelled, targetDisk !== null, copyWhenStopped);
    } catch (error) {
      if (targetDisk) await this.dropTargetDiskUnlessMoved(instance, target, driver, targetDisk);
      throw error;
    }
    const movedDisk = targetDisk as { path: string } | null;
    const observed = await driver.observe(target.uri, guest);
    await this.prisma.$transaction(async (tx) => {
      const moved = await tx.instance.updateMany({
        where: { id: instance.id, taskOperationId: operationId },
        data: { hostId: target.id, lastMigratedAt: new Date(), ...(movedDisk ? { rootDiskPath: movedDisk.path } : {}) },
      });
      if (moved.count === 0) return; // the watchdog resolved this task already; it observed where the guest is
      // The guest has left: the source's claim goes, the target's reservation becomes the claim.
      await tx.allocation.deleteMany({ where: { instanceId: instance.id, hostId: source.id } });
      await this.events.record(tx, {
        kind: 'instance.migrated',
        instanceId: instance.id,
        hostId: target.id,
        operationId,
        message: `${instance.name} moved ${source.name} -> ${target.name} (${plan.mode})`,
        data: { ...plan, diskCopied: movedDisk !== null },
      });
    });
    if (targetDisk) await this.deleteSourceDisk(instance, source, driver);
    await this.finishTask(instance.id, operationId, observed, 'succeeded', `migration of ${instance.name} succeeded`);
  }

  /** Carry out the move itself: libvirt's live migration, or stop + redefine + start. */
  private async moveGuestTo(
    operationId: string,
    instance: Instance,
    source: HostRef,
    target: HostRef,
    driver: HypervisorDriver,
    plan: MigrationPlan,
    cancelled: AbortSignal,
    copyStorage: boolean,
    copyWhenStopped?: () => Promise<string>,
  ): Promise<void> {
    const guest = guestRefOf(instance);
    // libvirt's disk copy (VIR_MIGRATE_NON_SHARED_DISK) takes every writable disk, not only the
    // root disk made for this guest: it would write over whatever volume has the same path on
    // the target. Until other disks move too, a guest with any is not live-migrated with copy.
    const otherDisks = ((instance.bootSpec as { disks?: unknown[] } | null)?.disks ?? []).length;
    if (copyStorage && plan.mode === 'live' && otherDisks > 0) {
      throw new UnprocessableError(
        `${instance.name} has ${otherDisks} disk(s) besides its root disk; a live migration copies only a root disk (migrate it cold, or remove the other disks)`,
        { disks: otherDisks },
      );
    }
    // Its storage paths must be managed volumes of allowed pools on the target too, asked there
    // before the guest is touched (422 naming the field; the guest stays where it is). A root
    // disk still to be copied is checked on the target once it is there (by the define).
    const targetVolumes = await managedVolumesOn(this.prisma, target.id);
    await driver.checkStorage(target.uri, domainSpecOf(instance, copyWhenStopped ? null : instance.rootDiskPath), targetVolumes);
    if (plan.mode === 'live') {
      // Bounded by the task deadline: past it libvirt's job is aborted, so the watchdog never
      // settles a migration that is still moving the guest.
      const deadline = instance.taskDeadline ? instance.taskDeadline.getTime() - Date.now() - 5_000 : 25 * 60_000;
      // Cancelled (here, or through another replica) before libvirt's job began: the guest was not touched.
      if (await this.operations.progress(operationId, 1))
        this.cancellation.get(operationId)?.abort(new ConflictError(`migration cancelled (operation ${operationId})`));
      cancelled.throwIfAborted();
      await driver.liveMigrate(source.uri, domainSpecOf(instance), target.uri, {
        sourceVolumes: await managedVolumesOn(this.prisma, source.id),
        copyStorage,
        signal: AbortSignal.any([AbortSignal.timeout(Math.max(1_000, deadline)), cancelled]),
        bandwidthMiBs: this.config.migrationBandwidthMiBs || undefined,
        onProgress: (p) => {
          if (p.phase !== 'transferring') return;
          // 5 % once libvirt's job runs, whether or not it reports sizes yet.
          const done = p.dataTotalBytes && p.dataProcessedBytes !== undefined ? (90 * p.dataProcessedBytes) / p.dataTotalBytes : 0;
          // Bytes too, so a client can say how much of the guest's memory has crossed.
          this.operations
            .progress(operationId, 5 + done, {
              ...plan,
              transferredBytes: p.dataProcessedBytes ?? null,
              totalBytes: p.dataTotalBytes ?? null,
            })
            .then((cancelAsked) => {
              if (cancelAsked)
                this.cancellation.get(operationId)?.abort(new ConflictError(`migration cancelled (operation ${operationId})`));
            })
            .catch((error: unknown) => this.logger.warn({ msg: 'progress not recorded', operationId, error: String(error) }));
        },
      });
    } else {
      // The target gets the stored spec rebuilt; one that no longer validates (written before a
      // rule got stricter) cannot be defined there. Say so before any downtime, not after.
      const spec = domainSpecOf(instance);
      assertValidDomainSpec(spec);
      const before = await driver.observe(source.uri, guest);
      const wasRunning = isRunningLike(before.state);
      if (wasRunning) {
        // Downtime was accepted, pulling the plug was not: ask the guest first.
        const outcome = await driver.shutdown(source.uri, guest, 60_000).catch(() => ({ stopped: false }));
        if (!outcome.stopped) await driver.forceStop(source.uri, guest);
      }
      // The target's definition is rebuilt from the stored spec by the driver, never copied.
      if (copyWhenStopped) {
        const path = await copyWhenStopped();
        await driver.coldMigrate(source.uri, domainSpecOf(instance, path), target.uri, await managedVolumesOn(this.prisma, target.id));
      } else {
        await driver.coldMigrate(source.uri, spec, target.uri, targetVolumes);
      }
      await faultPoint('migrate', 'moved');
      if (wasRunning) await driver.start(target.uri, guest);
    }
  }

  /**
   * The target's copy of `instance`'s root disk: an empty qcow2 volume of the same pool, name
   * and size, recorded as owned by the instance. Live disk migration writes into the volume at
   * the disk's path on the target, so the target's pool must put it at the same path (pools of
   * one name share their directory across a fleet); 422 otherwise, and nothing stays behind.
   */
  private async prepareTargetDisk(
    instance: Instance,
    source: HostRef,
    target: HostRef,
    driver: HypervisorDriver,
  ): Promise<{ pool: string; name: string; path: string }> {
    const disk = await this.prisma.volume.findFirst({ where: { instanceId: instance.id, hostId: source.id } });
    if (!disk) throw new UnprocessableError(`the root disk of ${instance.name} is not recorded on ${source.name}; it cannot be moved`);
    const created = await driver.createVolume(target.uri, {
      pool: disk.pool,
      name: disk.name,
      kind: 'file',
      format: 'qcow2',
      capacityBytes: Number(disk.capacityBytes),
    });
    const undo = () =>
      driver.deleteVolume(target.uri, created.pool, created.name).catch((e: unknown) =>
        this.logger.error({
          msg: 'target disk neither used nor deleted',
          host: target.name,
          pool: created.pool,
          name: created.name,
          error: String(e),
        }),
      );
    if (created.path !== disk.path) {
      await undo();
      throw new UnprocessableError(
        `pool "${disk.pool}" keeps its volumes in another directory on ${target.name} (${created.path}) than on ${source.name} (${disk.path}); a disk is copied only to the same path`,
        { pool: disk.pool },
      );
    }
    try {
      await this.prisma.volume.create({ data: rootDiskRow(target.id, instance.id, created) });
    } catch (error) {
      await undo();
      throw error;
    }
    return { pool: created.pool, name: created.name, path: created.path };
  }

  /**
   * Cold move: stream a flattened copy of the stopped guest's root disk into the same pool on the
   * target, recorded as owned by the instance (its path there may differ: the target's definition
   * is built for it).
   */
  private async copyDiskToTarget(
    instance: Instance,
    source: HostRef,
    target: HostRef,
    driver: HypervisorDriver,
  ): Promise<{ pool: string; name: string; path: string; bytes: number }> {
    const disk = await this.prisma.volume.findFirst({ where: { instanceId: instance.id, hostId: source.id } });
    if (!disk) throw new UnprocessableError(`the root disk of ${instance.name} is not recorded on ${source.name}; it cannot be moved`);
    const { volume: copied, bytes } = await driver.copyVolume(source.uri, target.uri, disk.pool, disk.name, Number(disk.capacityBytes));
    try {
      await this.prisma.volume.create({
        data: {
          hostId: target.id,
          pool: copied.pool,
          name: copied.name,
          kind: 'file',
          format: copied.format,
          capacityBytes: disk.capacityBytes,
          libvirtKey: copied.key,
          path: copied.path,
          adopted: false,
          createdBy: 'system',
          instanceId: instance.id,
        },
      });
    } catch (error) {
      await driver.deleteVolume(target.uri, copied.pool, copied.name).catch(() => undefined);
      throw error;
    }
    return { pool: copied.pool, name: copied.name, path: copied.path, bytes };
  }

  /** After a failed move: the target's disk goes unless the guest did arrive there (then it is the disk). */
  private async dropTargetDiskUnlessMoved(
    instance: Instance,
    target: HostRef,
    driver: HypervisorDriver,
    disk: { pool: string; name: string },
  ): Promise<void> {
    const there = await driver.observe(target.uri, guestRefOf(instance));
    if (there.state !== 'missing') {
      this.logger.warn({
        msg: 'failed move left the guest on the target (or the target cannot say): its disk there is kept',
        instance: instance.name,
        host: target.name,
        state: there.state,
      });
      return;
    }
    try {
      await driver.deleteVolume(target.uri, disk.pool, disk.name);
      await this.prisma.volume.deleteMany({ where: { instanceId: instance.id, hostId: target.id, pool: disk.pool, name: disk.name } });
    } catch (error) {
      this.logger.error({
        msg: 'target disk of a failed move not deleted; it stays recorded, owned by the instance',
        instance: instance.name,
        host: target.name,
        error: String(error),
      });
    }
  }

  /** After a successful move: the source's copy of the root disk goes (its row with it). */
  private async deleteSourceDisk(instance: Instance, source: HostRef, driver: HypervisorDriver): Promise<void> {
    const disk = await this.prisma.volume.findFirst({ where: { instanceId: instance.id, hostId: source.id } });
    if (!disk) return;
    try {
      await driver.deleteVolume(source.uri, disk.pool, disk.name);
      await this.prisma.volume.delete({ where: { id: disk.id } });
    } catch (error) {
      // Recorded and owned still: deleted with the instance at the latest.
      this.logger.error({
        msg: 'source copy of a moved disk not deleted',
        instance: instance.name,
        host: source.name,
        error: String(error),
      });
    }
  }

  private async fail(
    kind: string,
    instance: Instance,
    host: HostRef,
    driver: HypervisorDriver,
    operationId: string,
    error: unknown,
    cancelled = false,
  ): Promise<void> {
    const guest = guestRefOf(instance);
    if (kind === 'create') {
      await this.rollBackCreate(instance, operationId, error);
      return;
    }
    if (kind === 'migrate') {
      // The guest is wherever libvirt says it is; the claim follows it.
      await this.settleMigration(instance, operationId);
    }
    if (kind === 'attach-volume') await this.releaseUnusedAttachments(instance.id);
    const current = await retryThroughOutage(
      () => this.prisma.instance.findUniqueOrThrow({ where: { id: instance.id }, include: { host: true } }),
      { forMs: CLOSING_WRITE_OUTAGE_MS },
    );
    const currentHost = current.host ? await throughEndpoint(this.prisma, current.host, instance.driverKind).catch(() => null) : null;
    const observed = currentHost ? await driver.observe(currentHost.uri, guest) : { state: 'unknown' as const, reason: 'no host' };
    if (cancelled) {
      await this.finishTask(
        instance.id,
        operationId,
        observed,
        'aborted',
        `${kind} of ${instance.name} cancelled: ${String((error as Error)?.message ?? error)}`,
        error,
      );
      return;
    }
    await this.finishTask(
      instance.id,
      operationId,
      observed,
      'failed',
      `${kind} of ${instance.name} failed: ${String((error as Error)?.message ?? error)}`,
      error,
    );
  }

  /**
   * Roll back create `operationId` of `instance`: its domain is removed, then its row and
   * claim, and the operation ends failed, so a failed create leaves nothing behind. When the
   * host cannot say whether the domain exists (unreachable, or libvirtd died mid-call), the
   * row is kept with a clean-up task (`deleting`, a delete operation of its own) that the
   * reconciler finishes once the host answers: the row is never dropped while a domain may
   * still exist. Used by the worker and by the watchdog (an interrupted or overdue create).
   */
  async rollBackCreate(instance: Instance, operationId: string, error: unknown): Promise<'rolled back' | 'clean-up pending'> {
    const host = instance.hostId
      ? await retryThroughOutage(() => this.prisma.host.findUnique({ where: { id: instance.hostId! } }), { forMs: CLOSING_WRITE_OUTAGE_MS })
      : null;
    const why = String((error as Error)?.message ?? (error as { message?: unknown })?.message ?? error);
    const gone = host ? await this.removeDomain(host, fromDbDriverKind(instance.driverKind), instance) : true;
    // The one rollback place of a create: the domain first, then what it used (its root disk).
    if (gone) await this.deleteOwnedVolumes(instance, this.drivers.get(fromDbDriverKind(instance.driverKind)));
    if (gone) {
      await retryThroughOutage(
        () =>
          this.prisma.$transaction(async (tx) => {
            const removed = await tx.instance.deleteMany({ where: { id: instance.id, taskOperationId: operationId } });
            if (removed.count === 0) return; // resolved elsewhere meanwhile
            await this.operations.finish(tx, operationId, { status: 'failed', error });
            await this.events.record(tx, {
              kind: 'instance.deleted',
              instanceId: instance.id,
              hostId: host?.id,
              operationId,
              message: `create of ${instance.name} failed and was rolled back: ${why}`,
            });
          }),
        { forMs: CLOSING_WRITE_OUTAGE_MS },
      );
      return 'rolled back';
    }
    await retryThroughOutage(
      () =>
        this.prisma.$transaction(async (tx) => {
          const deadline = new Date(Date.now() + CLEANUP_DEADLINE_MS);
          const cleanup = await tx.operation.create({
            // No runner: no worker carries it; the reconciler of any replica does, once the host answers.
            data: {
              kind: 'delete',
              targetType: 'instance',
              targetId: instance.id,
              status: 'running',
              startedAt: new Date(),
              actor: 'system',
              runner: null,
              deadline,
            },
          });
          const moved = await tx.instance.updateMany({
            where: { id: instance.id, taskOperationId: operationId },
            data: { task: 'deleting', taskOperationId: cleanup.id, taskDeadline: deadline, version: { increment: 1 } },
          });
          if (moved.count === 0) throw new RolledBackElsewhere();
          await this.operations.finish(tx, operationId, {
            status: 'failed',
            error: { ...errorJson(error), cleanupOperationId: cleanup.id },
          });
          await this.events.record(tx, {
            kind: 'instance.task',
            instanceId: instance.id,
            hostId: host?.id,
            operationId: cleanup.id,
            message: `create of ${instance.name} failed (${why}); host ${host?.name} cannot say whether its domain exists: it is deleted once the host answers`,
          });
        }),
      { forMs: CLOSING_WRITE_OUTAGE_MS },
    ).catch((e: unknown) => {
      if (!(e instanceof RolledBackElsewhere)) throw e;
    });
    return 'clean-up pending';
  }

  /**
   * Finish the delete (or a failed create's clean-up) `operationId` of `instance`: remove its
   * domain, then its row. 'left in place' while its host cannot be reached.
   */
  async finishDeleting(instance: Instance, operationId: string, why: string): Promise<'deleted' | 'left in place: host unreachable'> {
    const host = instance.hostId ? await this.prisma.host.findUnique({ where: { id: instance.hostId } }) : null;
    if (host && !(await this.removeDomain(host, fromDbDriverKind(instance.driverKind), instance))) return 'left in place: host unreachable';
    await this.deleteOwnedVolumes(instance, this.drivers.get(fromDbDriverKind(instance.driverKind)));
    if (!(await this.keepsVolumes(operationId)))
      await this.deleteAttachedVolumes(instance, this.drivers.get(fromDbDriverKind(instance.driverKind)));
    await this.prisma.$transaction(async (tx) => {
      const removed = await tx.instance.deleteMany({ where: { id: instance.id, taskOperationId: operationId } });
      if (removed.count === 0) return;
      await this.operations.finish(tx, operationId, { status: 'succeeded' });
      await this.events.record(tx, {
        kind: 'instance.deleted',
        instanceId: instance.id,
        hostId: host?.id,
        operationId,
        message: `instance ${instance.name} deleted (${why})`,
      });
    });
    return 'deleted';
  }

  /**
   * Destroy and undefine `guest` on `host`. True once libvirt says it does not exist; false
   * while that cannot be known (host unreachable, undefine refused).
   */
  async removeDomain(hostRow: HostRef, kind: ReturnType<typeof fromDbDriverKind>, guest: Pick<Instance, 'id' | 'name'>): Promise<boolean> {
    const driver = this.drivers.get(kind);
    const host = await throughEndpoint(this.prisma, hostRow, toDbDriverKind(kind)).catch(() => null);
    if (!host) return false; // no endpoint of that driver: libvirt cannot be asked
    const ref = guestRefOf(guest);
    const observe = () => driver.observe(host.uri, ref).catch((error: unknown) => ({ state: 'unknown' as const, reason: String(error) }));
    const seen = await observe();
    if (seen.state === 'missing') return true;
    if (seen.state === 'unknown') return false;
    if (seen.state !== 'shutoff') await driver.forceStop(host.uri, ref).catch(() => undefined);
    await driver.undefine(host.uri, ref).catch(() => undefined);
    return (await observe()).state === 'missing';
  }

  /** After a failed or interrupted migration, point the instance (and its claim) at the host that really has it. */
  async settleMigration(instance: Instance, operationId: string): Promise<void> {
    const op = await this.prisma.operation.findUniqueOrThrow({ where: { id: operationId } });
    const plan = op.result as unknown as MigrationPlan | null;
    if (!plan) return;
    const driver = this.drivers.get(fromDbDriverKind(instance.driverKind));
    const [from, to] = await Promise.all([
      this.prisma.host
        .findUniqueOrThrow({ where: { id: plan.fromHostId } })
        .then((h) => throughEndpoint(this.prisma, h, instance.driverKind)),
      this.prisma.host
        .findUniqueOrThrow({ where: { id: plan.toHostId } })
        .then((h) => throughEndpoint(this.prisma, h, instance.driverKind)),
    ]);
    const onTarget = await driver.observe(to.uri, guestRefOf(instance));
    const onSource = await driver.observe(from.uri, guestRefOf(instance));
    const here = onTarget.state !== 'missing' && onTarget.state !== 'unknown' && onSource.state === 'missing' ? to : from;
    await this.prisma.$transaction(async (tx) => {
      await tx.instance.update({
        where: { id: instance.id },
        data: { hostId: here.id, ...(here.id === to.id ? { lastMigratedAt: new Date() } : {}) },
      });
      // Only the host that really has the guest keeps a claim; the other one is released.
      await tx.allocation.deleteMany({ where: { instanceId: instance.id, hostId: { not: here.id } } });
      await this.events.record(tx, {
        kind: 'instance.migrated',
        instanceId: instance.id,
        hostId: here.id,
        operationId,
        message: `after the failed migration, ${instance.name} is on ${here.name}`,
        data: { source: onSource, target: onTarget },
      });
    });
  }

  /**
   * End the task of operation `operationId` on instance `instanceId`: the instance's observed
   * state, the operation's outcome and the event are written by one statement (with `txHook`,
   * in one transaction with what the hook writes). Nothing is written when the task is no
   * longer the instance's: the watchdog ended it already (deadline passed) and its verdict stands.
   */
  async finishTask(
    instanceId: string,
    operationId: string,
    observed: ObservedState,
    status: 'succeeded' | 'failed' | 'aborted',
    message: string,
    error?: unknown,
    txHook?: (tx: Tx) => Promise<void>,
  ): Promise<void> {
    const end = async (db: Tx): Promise<boolean> => {
      const ended = await endInstanceTask(db, {
        instanceId,
        operationId,
        observedState: toDbPowerState(observed.state),
        observedReason: observed.reason,
        status,
        error: error === undefined ? undefined : errorJson(error),
        message,
        event: eventProvenance({ data: { to: observed.state, reason: observed.reason } }),
      });
      if (!ended) this.logger.warn({ msg: 'task already resolved elsewhere; outcome dropped', operationId, instanceId, status });
      return ended;
    };
    // A short database outage (a restart) is waited out: the outcome is known and must land.
    if (!txHook) {
      await retryThroughOutage(() => end(this.prisma), { forMs: CLOSING_WRITE_OUTAGE_MS });
      return;
    }
    await retryThroughOutage(
      () =>
        this.prisma.$transaction(async (tx) => {
          if (await end(tx)) await txHook(tx);
        }),
      { forMs: CLOSING_WRITE_OUTAGE_MS },
    );
  }
}

/** The root disk volume of instance `id`: a name of ours, never the caller's. */
export const rootVolumeName = (id: string) => `vf-${id}-root.qcow2`;

/** What a guest left untouched should be: what it is (a cancelled power action's intent is withdrawn). */
function desiredStateOf(observed: Instance['observedState'], current: Instance['desiredState']): Instance['desiredState'] {
  if (observed === 'running' || observed === 'blocked') return 'running';
  if (observed === 'paused' || observed === 'pm_suspended') return 'paused';
  if (observed === 'shutoff' || observed === 'crashed') return 'stopped';
  return current; // missing, unknown, shutting down: no better knowledge than what was asked
}

/** The create was resolved by someone else (the watchdog) while its clean-up was being recorded. */
class RolledBackElsewhere extends Error {}

/** The volumes row of a root disk virtfleet made on `hostId` for `instanceId` (created, or copied there by a migration). */
function rootDiskRow(hostId: string, instanceId: string, created: HostVolume): Prisma.VolumeUncheckedCreateInput {
  return {
    hostId,
    pool: created.pool,
    name: created.name,
    kind: 'file',
    format: created.format,
    capacityBytes: BigInt(created.capacityBytes),
    libvirtKey: created.key,
    path: created.path,
    adopted: false,
    createdBy: 'system',
    instanceId,
  };
}
