// Carries out instance operations against the hypervisor, one step at a time, and ends each
// with one transaction that writes the outcome (instance state, operation, event) together.
// A failure never leaves a half-written record: a failed create is rolled back completely,
// any other failed step leaves the instance as libvirt really observes it.
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { Host, Instance, Prisma } from '../generated/prisma/client.js';
import { ConflictError, UnprocessableError } from '../common/domain-errors.js';
import { Capability, driverSupports } from '../hypervisor/capabilities.js';
import type { HypervisorDriver, ObservedState } from '../hypervisor/hypervisor-driver.js';
import { DriversService } from '../hypervisor/hypervisor.module.js';
import { assertValidDomainSpec } from '../hypervisor/xml/validate-spec.js';
import { EventsService, eventProvenance } from '../events/events.service.js';
import { OperationsService, errorJson } from '../operations/operations.service.js';
import { fromDbDriverKind } from '../prisma/enum-mapping.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { managedVolumesOn } from '../volumes/volume-store.js';
import { domainSpecOf, guestRefOf } from './instance-mapper.js';

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
 * stops for a minute at that step, so a test can kill the process mid-operation.
 */
async function faultPoint(kind: string, step: string): Promise<void> {
  if (process.env.VIRTFLEET_FAULT_PAUSE === `${kind}:${step}`) await sleep(60_000);
}

@Injectable()
export class InstanceWorkflows implements BeforeApplicationShutdown {
  private readonly logger = new Logger(InstanceWorkflows.name);
  private readonly running = new Set<Promise<void>>();
  /** Bounded parallelism: a burst of requests must not flood libvirtd or the connection pool. */
  private readonly slots = new Semaphore(8);

  constructor(
    private readonly prisma: PrismaService,
    private readonly drivers: DriversService,
    private readonly operations: OperationsService,
    private readonly events: EventsService,
  ) {}

  /** Start operation `operationId` on instance `instanceId` in the background. */
  launch(operationId: string, instanceId: string, params: { stopTimeoutSeconds?: number; migration?: MigrationPlan; startAfterCreate?: boolean } = {}, written?: Written): void {
    const p = this.slots.run(() => this.execute(operationId, instanceId, params, written)).catch((error: unknown) =>
      this.logger.error({ msg: 'operation worker crashed', operationId, error: String(error) }));
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  /** Let in-flight workers finish (graceful shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  private async execute(operationId: string, instanceId: string, params: { stopTimeoutSeconds?: number; migration?: MigrationPlan; startAfterCreate?: boolean }, written?: Written): Promise<void> {
    const loaded = written ?? (await this.load(instanceId));
    // It waited for a slot: the watchdog may have ended it meanwhile, or a newer task replaced
    // it. Running it now would act on stale intent, so it is dropped. Starting the operation is
    // the check that counts: it is still pending only while nothing else has ended it.
    const op = loaded?.instance.taskOperationId === operationId ? await this.operations.start(operationId) : null;
    if (!loaded || !op) {
      this.logger.warn({ msg: 'operation no longer current; not run', operationId });
      return;
    }
    const { instance, host } = loaded;
    const driver = this.drivers.get(fromDbDriverKind(instance.driverKind));
    const guest = guestRefOf(instance);
    try {
      switch (op.kind) {
        case 'create': {
          await faultPoint('create', 'claimed');
          await driver.define(host.uri, domainSpecOf(instance), await managedVolumesOn(this.prisma, host.id));
          await faultPoint('create', 'defined');
          if (params.startAfterCreate !== false) {
            await this.operations.progress(operationId, 50);
            await driver.start(host.uri, guest);
          }
          break;
        }
        case 'start': await driver.start(host.uri, guest); break;
        case 'stop': {
          const outcome = await driver.shutdown(host.uri, guest, (params.stopTimeoutSeconds ?? 60) * 1000);
          if (!outcome.stopped) {
            throw new ConflictError(`${instance.name} did not shut down within ${params.stopTimeoutSeconds ?? 60} s (still ${outcome.state}); use force-stop`, { state: outcome.state });
          }
          break;
        }
        case 'force-stop': await driver.forceStop(host.uri, guest); break;
        case 'reboot': await driver.reboot(host.uri, guest); break;
        case 'suspend': await driver.suspend(host.uri, guest); break;
        case 'resume': await driver.resume(host.uri, guest); break;
        case 'delete': {
          const seen = await driver.observe(host.uri, guest);
          if (seen.state === 'unknown') throw new UnprocessableError(`host ${host.name} cannot be reached to delete ${instance.name}: ${seen.reason}`);
          if (seen.state !== 'shutoff' && seen.state !== 'missing') await driver.forceStop(host.uri, guest);
          if (seen.state !== 'missing') await driver.undefine(host.uri, guest);
          await this.prisma.$transaction(async (tx) => {
            await tx.instance.delete({ where: { id: instance.id } });
            await this.operations.finish(tx, operationId, { status: 'succeeded' });
            await this.events.record(tx, { kind: 'instance.deleted', instanceId: instance.id, hostId: host.id, operationId, message: `instance ${instance.name} deleted` });
          });
          return;
        }
        case 'migrate': await this.migrate(operationId, instance, host, driver, params.migration!); return;
        default: throw new Error(`unknown operation kind ${op.kind}`);
      }
      const observed = await driver.observe(host.uri, guest);
      await this.finishTask(instance.id, operationId, observed, 'succeeded', `${op.kind} of ${instance.name} succeeded`);
    } catch (error) {
      await this.fail(op.kind, instance, host, driver, operationId, error);
    }
  }

  /** An instance and its host as the database has them now; null when it is gone. */
  private async load(instanceId: string): Promise<Written | null> {
    const instance = await this.prisma.instance.findUnique({ where: { id: instanceId }, include: { host: true } });
    if (!instance) return null;
    if (!instance.host) throw new Error(`instance ${instance.name} has no host`);
    return { instance, host: instance.host };
  }

  private async migrate(operationId: string, instance: Instance, source: HostRef, driver: HypervisorDriver, plan: MigrationPlan): Promise<void> {
    const target = await this.prisma.host.findUniqueOrThrow({ where: { id: plan.toHostId } });
    const guest = guestRefOf(instance);
    // Its storage paths must be managed volumes of allowed pools on the target too, asked there
    // before the guest is touched (422 naming the field; the guest stays where it is).
    const targetVolumes = await managedVolumesOn(this.prisma, target.id);
    await driver.checkStorage(target.uri, domainSpecOf(instance), targetVolumes);
    if (plan.mode === 'live') {
      // Bounded by the task deadline: past it libvirt's job is aborted, so the watchdog never
      // settles a migration that is still moving the guest.
      const deadline = instance.taskDeadline ? instance.taskDeadline.getTime() - Date.now() - 5_000 : 25 * 60_000;
      await driver.liveMigrate(source.uri, domainSpecOf(instance), target.uri, {
        sourceVolumes: await managedVolumesOn(this.prisma, source.id),
        signal: AbortSignal.timeout(Math.max(1_000, deadline)),
        onProgress: (p) => {
          if (p.dataTotalBytes && p.dataProcessedBytes !== undefined) {
            this.operations.progress(operationId, 5 + (90 * p.dataProcessedBytes) / p.dataTotalBytes, { ...plan })
              .catch((error: unknown) => this.logger.warn({ msg: 'progress not recorded', operationId, error: String(error) }));
          }
        },
      });
    } else {
      // The target gets the stored spec rebuilt; one that no longer validates (written before a
      // rule got stricter) cannot be defined there. Say so before any downtime, not after.
      const spec = domainSpecOf(instance);
      assertValidDomainSpec(spec);
      const before = await driver.observe(source.uri, guest);
      const wasRunning = before.state === 'running' || before.state === 'paused';
      if (wasRunning) {
        // Downtime was accepted, pulling the plug was not: ask the guest first.
        const outcome = await driver.shutdown(source.uri, guest, 60_000).catch(() => ({ stopped: false }));
        if (!outcome.stopped) await driver.forceStop(source.uri, guest);
      }
      // The target's definition is rebuilt from the stored spec by the driver, never copied.
      await driver.coldMigrate(source.uri, spec, target.uri, targetVolumes);
      await faultPoint('migrate', 'moved');
      if (wasRunning) await driver.start(target.uri, guest);
    }
    const observed = await driver.observe(target.uri, guest);
    await this.prisma.$transaction(async (tx) => {
      const moved = await tx.instance.updateMany({ where: { id: instance.id, taskOperationId: operationId }, data: { hostId: target.id, lastMigratedAt: new Date() } });
      if (moved.count === 0) return; // the watchdog resolved this task already; it observed where the guest is
      // The guest has left: the source's claim goes, the target's reservation becomes the claim.
      await tx.allocation.deleteMany({ where: { instanceId: instance.id, hostId: source.id } });
      await this.events.record(tx, { kind: 'instance.migrated', instanceId: instance.id, hostId: target.id, operationId, message: `${instance.name} moved ${source.name} -> ${target.name} (${plan.mode})`, data: { ...plan } });
    });
    await this.finishTask(instance.id, operationId, observed, 'succeeded', `migration of ${instance.name} succeeded`);
  }

  private async fail(kind: string, instance: Instance, host: HostRef, driver: HypervisorDriver, operationId: string, error: unknown): Promise<void> {
    const guest = guestRefOf(instance);
    if (kind === 'create') {
      // Roll a failed create back completely: no orphan domain, no orphan row.
      const seen = await driver.observe(host.uri, guest);
      if (seen.state !== 'missing' && seen.state !== 'unknown') {
        await driver.forceStop(host.uri, guest).catch(() => undefined);
        await driver.undefine(host.uri, guest).catch(() => undefined);
      }
      await this.prisma.$transaction(async (tx) => {
        await tx.instance.delete({ where: { id: instance.id } });
        await this.operations.finish(tx, operationId, { status: 'failed', error });
        await this.events.record(tx, { kind: 'instance.deleted', instanceId: instance.id, hostId: host.id, operationId, message: `create of ${instance.name} failed and was rolled back: ${String((error as Error)?.message ?? error)}` });
      });
      return;
    }
    if (kind === 'migrate') {
      // The guest is wherever libvirt says it is; the claim follows it.
      await this.settleMigration(instance, operationId);
    }
    const current = await this.prisma.instance.findUniqueOrThrow({ where: { id: instance.id }, include: { host: true } });
    const observed = current.host ? await driver.observe(current.host.uri, guest) : { state: 'unknown' as const, reason: 'no host' };
    await this.finishTask(instance.id, operationId, observed, 'failed', `${kind} of ${instance.name} failed: ${String((error as Error)?.message ?? error)}`, error);
  }

  /** After a failed or interrupted migration, point the instance (and its claim) at the host that really has it. */
  async settleMigration(instance: Instance, operationId: string): Promise<void> {
    const op = await this.prisma.operation.findUniqueOrThrow({ where: { id: operationId } });
    const plan = op.result as unknown as MigrationPlan | null;
    if (!plan) return;
    const driver = this.drivers.get(fromDbDriverKind(instance.driverKind));
    const [from, to] = await Promise.all([
      this.prisma.host.findUniqueOrThrow({ where: { id: plan.fromHostId } }),
      this.prisma.host.findUniqueOrThrow({ where: { id: plan.toHostId } }),
    ]);
    const onTarget = await driver.observe(to.uri, guestRefOf(instance));
    const onSource = await driver.observe(from.uri, guestRefOf(instance));
    const here = onTarget.state !== 'missing' && onTarget.state !== 'unknown' && onSource.state === 'missing' ? to : from;
    await this.prisma.$transaction(async (tx) => {
      await tx.instance.update({ where: { id: instance.id }, data: { hostId: here.id, ...(here.id === to.id ? { lastMigratedAt: new Date() } : {}) } });
      // Only the host that really has the guest keeps a claim; the other one is released.
      await tx.allocation.deleteMany({ where: { instanceId: instance.id, hostId: { not: here.id } } });
      await this.events.record(tx, { kind: 'instance.migrated', instanceId: instance.id, hostId: here.id, operationId, message: `after the failed migration, ${instance.name} is on ${here.name}`, data: { source: onSource, target: onTarget } });
    });
  }

  /**
   * End the task of operation `operationId` on instance `instanceId`: the instance's observed
   * state, the operation's outcome and the event are written by one statement (with `txHook`,
   * in one transaction with what the hook writes). Nothing is written when the task is no
   * longer the instance's: the watchdog ended it already (deadline passed) and its verdict stands.
   */
  async finishTask(instanceId: string, operationId: string, observed: ObservedState, status: 'succeeded' | 'failed', message: string, error?: unknown, txHook?: (tx: Tx) => Promise<void>): Promise<void> {
    const end = async (db: Tx): Promise<boolean> => {
      const event = eventProvenance({ data: { to: observed.state, reason: observed.reason } });
      const reason = observed.reason.slice(0, 64);
      const ended = await db.$queryRaw<{ id: string }[]>`
        WITH before AS (
          SELECT id, host_id, observed_state, task FROM instances
           WHERE id = ${instanceId}::uuid AND task_operation_id = ${operationId}::uuid FOR NO KEY UPDATE
        ), instance AS (
          UPDATE instances i SET task = NULL, task_deadline = NULL, task_operation_id = NULL,
                 observed_state = ${observed.state}::"PowerState", observed_reason = ${reason},
                 observed_at = now(), version = i.version + 1, updated_at = now()
            FROM before WHERE i.id = before.id
          RETURNING i.id
        ), operation AS (
          UPDATE operations SET status = ${status}::"OperationStatus", finished_at = now(),
                 progress = coalesce(${status === 'succeeded' ? 100 : null}::int, progress),
                 error = coalesce(${error === undefined ? null : JSON.stringify(errorJson(error))}::jsonb, error)
           WHERE id = ${operationId}::uuid AND EXISTS (SELECT 1 FROM instance)
        ), event AS (
          INSERT INTO events (kind, instance_id, host_id, operation_id, actor, message, data)
          SELECT 'instance.state', before.id, before.host_id, ${operationId}::uuid, ${event.actor}, ${message},
                 ${JSON.stringify(event.data)}::jsonb || jsonb_build_object('from', before.observed_state, 'task', before.task)
            FROM before
        )
        SELECT id::text FROM instance`;
      if (ended.length === 0) this.logger.warn({ msg: 'task already resolved elsewhere; outcome dropped', operationId, instanceId, status });
      return ended.length === 1;
    };
    if (!txHook) {
      await end(this.prisma);
      return;
    }
    await this.prisma.$transaction(async (tx) => {
      if (await end(tx)) await txHook(tx);
    });
  }

  supportsLive(kind: Instance['driverKind']): boolean {
    return driverSupports(fromDbDriverKind(kind), Capability.LiveMigrate);
  }
}
