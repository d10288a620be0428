// Consolidation's persistence: the snapshot the planner reads, plans and their steps as stored
// (the one hand-written query included), and the plan's end with its freed hosts to standby.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConsolidationPlan as PlanRow, PlanStep, Prisma } from '../generated/prisma/client.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DomainError, NotFoundError, PlanNotSavedError } from '../common/domain-errors.js';
import { isDatabaseUnavailable } from '../common/problem-details.filter.js';
import { Keyset, type Page, type PageQuery } from '../common/pagination.js';
import { EventsService } from '../events/events.service.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { bindingForeignGuests } from '../hosts/foreign-guests.js';
import type { ConsolidationPlan, ConsolidationPolicy, ConsolidationSnapshot } from './planner-types.js';
import { snapshotOf } from './snapshot.js';

const PLAN_PAGES = new Keyset('consolidation-plans', 'createdAt');

export type PlanWithSteps = PlanRow & { steps: PlanStep[] };

export type PlanEnd = 'completed' | 'failed' | 'aborted';

/**
 * Steps per multi-row INSERT when a plan is saved (9 columns each, well under PostgreSQL's
 * 65,535 bind parameters). One statement per step made a 22k-step plan outlive its transaction.
 */
const STEP_INSERT_CHUNK = 1_000;

@Injectable()
export class ConsolidationStore {
  private readonly logger = new Logger('Consolidation');

  constructor(
    private readonly prisma: PrismaService,
    private readonly events: EventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async snapshot(hostIds?: string[]): Promise<ConsolidationSnapshot> {
    // Simulated hosts (libvirt's test driver) take instances only when asked for explicitly: a
    // whole-fleet plan leaves them and their instances out; naming them in hostIds includes them.
    const hostWhere: Prisma.HostWhereInput = hostIds?.length ? { id: { in: hostIds } } : { simulated: false };
    const [hosts, instances] = await Promise.all([
      this.prisma.host.findMany({ where: hostWhere }),
      this.prisma.instance.findMany({
        where: hostIds?.length ? { hostId: { in: hostIds } } : { hostId: { not: null }, host: { simulated: false } },
      }),
    ]);
    return snapshotOf(hosts, instances, (kind, size) => this.config.overhead.charged(kind, size), new Date());
  }

  /**
   * One transaction (a plan is stored whole or not at all) whose steps go in multi-row INSERTs
   * of STEP_INSERT_CHUNK. A plan that cannot be stored says why (503 plan-not-saved): the fleet
   * changed under it, or the save itself failed; the caller plans again.
   */
  async save(
    scope: { hostIds?: string[]; trigger: 'api' | 'schedule'; actor: string },
    policy: ConsolidationPolicy,
    plan: ConsolidationPlan,
  ): Promise<PlanWithSteps> {
    try {
      return await this.prisma.$transaction(
        async (tx) => {
          await assertMovesStillApply(tx, plan);
          const created = await tx.consolidationPlan.create({
            data: {
              trigger: scope.trigger,
              policy: { ...policy },
              scopeHostIds: scope.hostIds ?? [],
              hostsBefore: plan.hostsBefore,
              hostsAfter: plan.hostsAfter,
              lowerBound: plan.lowerBound,
              freedHostIds: plan.freedHostIds,
              memoryToMoveMiB: plan.memoryToMoveMiB,
              skipped: plan.skipped as unknown as Prisma.InputJsonValue,
              actor: scope.actor,
            },
          });
          // Ids are made here, so nothing is read back: parsing thousands of returned rows is
          // work on the event loop.
          const steps: PlanStep[] = plan.moves.map((m, seq) => ({
            id: randomUUID(),
            planId: created.id,
            seq,
            instanceId: m.instanceId,
            instanceName: m.instanceName,
            fromHostId: m.fromHostId,
            toHostId: m.toHostId,
            mode: m.mode,
            memoryMiB: m.memoryMiB,
            status: 'pending',
            operationId: null,
            error: null,
            startedAt: null,
            finishedAt: null,
          }));
          for (let from = 0; from < steps.length; from += STEP_INSERT_CHUNK) {
            const chunk = steps
              .slice(from, from + STEP_INSERT_CHUNK)
              .map(({ id, planId, seq, instanceId, instanceName, fromHostId, toHostId, mode, memoryMiB }) => ({
                id,
                planId,
                seq,
                instanceId,
                instanceName,
                fromHostId,
                toHostId,
                mode,
                memoryMiB,
              }));
            await tx.planStep.createMany({ data: chunk });
          }
          await this.events.record(tx, {
            kind: 'consolidation',
            message: `plan ${created.id}: ${plan.moves.length} migrations, hosts ${plan.hostsBefore} -> ${plan.hostsAfter} (bound ${plan.lowerBound})`,
            data: { planId: created.id, trigger: scope.trigger },
          });
          return { ...created, steps };
          // A chunk of a thousand rows takes tens of milliseconds; the default 20 s is ample up to
          // tens of thousands of steps, and very large plans get proportionally more.
        },
        { timeout: 20_000 + 2 * plan.moves.length },
      );
    } catch (error) {
      if (error instanceof DomainError || isDatabaseUnavailable(error)) throw error;
      const reason = error instanceof Error ? (error.message.split('\n').filter(Boolean).slice(-1)[0] ?? error.name) : String(error);
      this.logger.error({ msg: 'plan not saved', moves: plan.moves.length, error: String(error) });
      throw new PlanNotSavedError(
        `the computed plan (${plan.moves.length} migrations) could not be saved: ${reason}; nothing was kept, plan again`,
        { reason: 'save-failed', migrations: plan.moves.length, retryAfterSeconds: 1 },
      );
    }
  }

  /** Newest first. */
  async list<T>(q: PageQuery, map: (plan: PlanWithSteps) => T): Promise<Page<T>> {
    const rows = await this.prisma.consolidationPlan.findMany({
      ...PLAN_PAGES.args<Prisma.ConsolidationPlanWhereInput>(q, 'desc'),
      include: { steps: true },
    });
    return PLAN_PAGES.page(rows, q, 'desc', map);
  }

  async find(id: string): Promise<PlanWithSteps> {
    const plan = await this.prisma.consolidationPlan.findUnique({ where: { id }, include: { steps: true } });
    if (!plan) throw new NotFoundError(`plan ${id} does not exist`);
    return plan;
  }

  async status(id: string): Promise<PlanRow['status']> {
    return (await this.prisma.consolidationPlan.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;
  }

  /** Plans executing or aborting, with the process that runs them. */
  inFlight(): Promise<{ id: string; runner: string | null }[]> {
    return this.prisma.consolidationPlan.findMany({
      where: { status: { in: ['executing', 'aborting'] } },
      select: { id: true, runner: true },
    });
  }

  /** proposed -> executing, run by `runner`; false when the plan was not proposed. */
  async claimForExecution(id: string, runner: string): Promise<boolean> {
    const won = await this.prisma.consolidationPlan.updateMany({
      where: { id, status: 'proposed' },
      data: { status: 'executing', startedAt: new Date(), runner },
    });
    return won.count === 1;
  }

  /** `from` -> aborting; false when the plan was not in state `from`. */
  async markAborting(id: string, from: 'proposed' | 'executing'): Promise<boolean> {
    return (await this.prisma.consolidationPlan.updateMany({ where: { id, status: from }, data: { status: 'aborting' } })).count === 1;
  }

  async recordEvent(planId: string, message: string): Promise<void> {
    await this.prisma.$transaction((tx) => this.events.record(tx, { kind: 'consolidation', message, data: { planId } }));
  }

  async stepStarted(stepId: string): Promise<void> {
    await this.prisma.planStep.update({ where: { id: stepId }, data: { status: 'running', startedAt: new Date() } });
  }

  async stepOperation(stepId: string, operationId: string): Promise<void> {
    await this.prisma.planStep.update({ where: { id: stepId }, data: { operationId } });
  }

  async stepEnded(stepId: string, outcome: { status: 'succeeded' } | { status: 'failed'; error: Record<string, unknown> }): Promise<void> {
    await this.prisma.planStep.update({
      where: { id: stepId },
      data: {
        status: outcome.status,
        finishedAt: new Date(),
        ...(outcome.status === 'failed' ? { error: outcome.error as Prisma.InputJsonValue } : {}),
      },
    });
  }

  /** The instance's host now, or null when it is gone. */
  async hostOf(instanceId: string): Promise<string | null | undefined> {
    const instance = await this.prisma.instance.findUnique({ where: { id: instanceId }, select: { hostId: true } });
    return instance === null ? undefined : instance.hostId;
  }

  /**
   * Ends a plan still in flight (a verdict already written stands): pending steps skipped and,
   * when it completed, its freed hosts to standby.
   */
  async finishPlan(planId: string, status: PlanEnd, error?: Record<string, unknown>): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const ended = await tx.consolidationPlan.updateMany({
        where: { id: planId, status: { in: ['executing', 'aborting'] } },
        data: { status, finishedAt: new Date(), error: error as Prisma.InputJsonValue | undefined },
      });
      if (ended.count === 0) return;
      await tx.planStep.updateMany({ where: { planId, status: 'pending' }, data: { status: 'skipped' } });
      const plan = await tx.consolidationPlan.findUniqueOrThrow({ where: { id: planId } });
      await this.events.record(tx, { kind: 'consolidation', message: `plan ${planId} ${status}`, data: { planId, ...(error ?? {}) } });
      if (status !== 'completed') return;
      // Freed hosts go to standby: a hook point for powering them off. Not a host that runs
      // guests virtfleet did not define (seen since the plan was made, too): not ours to stop.
      for (const hostId of plan.freedHostIds) {
        const left = await tx.instance.count({ where: { hostId } });
        const host = await tx.host.findUnique({ where: { id: hostId } });
        if (!host || left > 0 || host.state !== 'enabled') continue;
        const foreign = bindingForeignGuests(host);
        if (foreign.length > 0) {
          await this.events.record(tx, {
            kind: 'consolidation',
            hostId,
            message: `host ${host.name} stays enabled: it runs ${foreign.length} guest(s) virtfleet did not define`,
            data: { planId, foreignGuests: foreign.map((g) => g.name) },
          });
          continue;
        }
        await tx.host.update({ where: { id: hostId }, data: { state: 'standby', version: { increment: 1 } } });
        await this.events.record(tx, {
          kind: 'host.state',
          hostId,
          message: `host ${host.name}: enabled -> standby (emptied by plan ${planId})`,
          data: { from: 'enabled', to: 'standby', planId },
        });
      }
    });
  }
}

/**
 * Every move must still start where the plan saw its instance: an instance deleted or moved
 * while the plan was computed makes the plan wrong, and it is not stored.
 */
async function assertMovesStillApply(tx: Prisma.TransactionClient, plan: ConsolidationPlan): Promise<void> {
  if (plan.moves.length === 0) return;
  const ids = plan.moves.map((m) => m.instanceId);
  const rows = await tx.$queryRaw<
    { id: string; host_id: string | null }[]
  >`SELECT id::text, host_id::text FROM instances WHERE id = ANY(${ids}::uuid[])`;
  const hostOf = new Map(rows.map((r) => [r.id, r.host_id]));
  const stale = plan.moves.filter((m) => hostOf.get(m.instanceId) !== m.fromHostId);
  if (stale.length === 0) return;
  const first = stale[0]!;
  const why = hostOf.has(first.instanceId) ? 'is no longer on the host the plan saw' : 'was deleted';
  throw new PlanNotSavedError(
    `the fleet changed while the plan was computed: instance ${first.instanceName} ${why}${stale.length > 1 ? ` (and ${stale.length - 1} more)` : ''}; nothing was kept, plan again`,
    { reason: 'fleet-changed', staleInstanceIds: stale.slice(0, 20).map((m) => m.instanceId), retryAfterSeconds: 1 },
  );
}
