// Consolidation as an auditable job: snapshot -> pure planner -> persisted plan (dry run) ->
// step-by-step execution through the same migrate path as the API -> freed hosts to standby.
// A failed step halts the plan; every instance stays on exactly one host, as recorded.
import { randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { ConsolidationPlan as PlanRow, PlanStep, Prisma } from '../generated/prisma/client.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConflictError, DomainError, NotFoundError, PlanNotSavedError } from '../common/domain-errors.js';
import { isDatabaseUnavailable } from '../common/problem-details.filter.js';
import { Keyset, type Page, type PageQuery } from '../common/pagination.js';
import { EventsService, actorOfRequest } from '../events/events.service.js';
import { InstancesService } from '../instances/instances.service.js';
import { OperationsService } from '../operations/operations.service.js';
import { RunnerIdentityService } from '../operations/runner-identity.service.js';
import { hostCapacityOf } from '../common/resources.js';
import { Capability } from '../hypervisor/capabilities.js';
import { fromDbDriverKind, fromDbPowerState } from '../prisma/enum-mapping.js';
import { isRunningLike } from '../instances/instance-transitions.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { CreatePlanDto, PlanDto } from './dto/plan.dto.js';
import { planInWorker } from './planner-worker-runner.js';
import { storedPlacementOf } from '../instances/stored-placement.js';
import { bindingForeignGuests } from '../hosts/foreign-guests.js';
import type { ConsolidationPlan, ConsolidationPolicy, ConsolidationSnapshot } from './planner-types.js';

const PLAN_PAGES = new Keyset('consolidation-plans', 'createdAt');

type PlanWithSteps = PlanRow & { steps: PlanStep[] };

/**
 * Steps per multi-row INSERT when a plan is saved (9 columns each, well under PostgreSQL's
 * 65,535 bind parameters). One statement per step made a 22k-step plan outlive its transaction.
 */
const STEP_INSERT_CHUNK = 1_000;

@Injectable()
export class ConsolidationService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Consolidation');
  private readonly executing = new Map<string, Promise<void>>();
  /** Stops planning workers at shutdown: a plan being computed is not worth waiting for. */
  private readonly shutdown = new AbortController();

  constructor(
    private readonly prisma: PrismaService,
    private readonly instances: InstancesService,
    private readonly operations: OperationsService,
    private readonly events: EventsService,
    private readonly runner: RunnerIdentityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Plans left executing (or aborting) by a process that died are ended as failed: their
   * executor is gone, and an instance mid-step is finished by the reconciler's task watchdog.
   * Without this a crashed executor would block the scheduled job forever.
   */
  async recoverOrphanedPlans(): Promise<string[]> {
    const inFlight = await this.prisma.consolidationPlan.findMany({
      where: { status: { in: ['executing', 'aborting'] } },
      select: { id: true, runner: true },
    });
    const recovered: string[] = [];
    for (const p of inFlight) {
      if (this.executing.has(p.id) || !(await this.runner.isDead(p.runner))) continue;
      await this.finishPlan(p.id, 'failed', { message: 'the process executing this plan is gone; re-plan' });
      recovered.push(p.id);
    }
    return recovered;
  }

  policyFrom(dto: CreatePlanDto): ConsolidationPolicy {
    return {
      allowColdMigration: dto.allowColdMigration ?? this.config.consolidation.allowColdMigration,
      migrationBudget: dto.migrationBudget ?? this.config.consolidation.migrationBudget,
      cooldownMs: (dto.cooldownSeconds ?? this.config.consolidation.cooldownSeconds) * 1000,
      maxUtilisation: dto.maxUtilisation ?? this.config.consolidation.maxUtilisation,
    };
  }

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
    // The planner sees each host as its first endpoint's driver. Instances running under another
    // endpoint of their host (an LXC container on a QEMU+LXC host) are not moved by plans: their
    // load stays on their host like foreign guests', so it is counted and the host never empties.
    const kindOf = new Map(hosts.map((h) => [h.id, h.driverKind]));
    const underOtherEndpoint = instances.filter((i) => kindOf.has(i.hostId!) && kindOf.get(i.hostId!) !== i.driverKind);
    const heldBy = (hostId: string) => underOtherEndpoint.filter((i) => i.hostId === hostId);
    return {
      now: new Date(),
      hosts: hosts.map((h) => {
        const { physical, ratios, foreign } = hostCapacityOf(h);
        return {
          id: h.id,
          name: h.name,
          state: h.state,
          driverKind: fromDbDriverKind(h.driverKind),
          physical,
          ratios,
          labels: h.labels as Record<string, string>,
          traits: h.traits,
          liveMigration: h.traits.includes(`cap:${Capability.LiveMigrate}`),
          foreign: {
            guests: bindingForeignGuests(h).length + heldBy(h.id).length,
            resources: heldBy(h.id).reduce(
              (sum, i) => ({ vcpus: sum.vcpus + i.vcpus, memoryMiB: sum.memoryMiB + i.memoryMiB, diskGiB: sum.diskGiB + i.diskGiB }),
              foreign,
            ),
          },
        };
      }),
      instances: instances
        .filter((i) => !underOtherEndpoint.includes(i))
        .map((i) => {
          const stored = storedPlacementOf(i);
          return {
            id: i.id,
            name: i.name,
            hostId: i.hostId!,
            driverKind: fromDbDriverKind(i.driverKind),
            // What the instance holds on its host: its size plus its technique's overhead.
            resources: this.config.overhead.charged(fromDbDriverKind(i.driverKind), {
              vcpus: i.vcpus,
              memoryMiB: i.memoryMiB,
              diskGiB: i.diskGiB,
            }),
            running: isRunningLike(fromDbPowerState(i.observedState)),
            // Busy or unobservable instances are not moved by a plan.
            pinned: i.pinned || i.task !== null || i.observedState === 'unknown' || i.observedState === 'missing',
            antiAffinityGroup: i.groupPolicy === 'anti_affinity' && i.groupHard ? (i.placementGroup ?? undefined) : undefined,
            affinityGroup: i.groupPolicy === 'affinity' && i.groupHard ? (i.placementGroup ?? undefined) : undefined,
            placement: {
              requiredLabels: stored.requiredHostLabels,
              requiredTraits: stored.requiredHostTraits,
              forbiddenTraits: stored.forbiddenHostTraits,
            },
            lastMigratedAt: i.lastMigratedAt ?? undefined,
          };
        }),
    };
  }

  /**
   * Dry run: compute and persist a plan. Nothing moves. The planner runs in a worker thread
   * (the HTTP process stays answerable), bounded by CONSOLIDATION_PLAN_TIMEOUT_MS.
   */
  async propose(dto: CreatePlanDto, trigger: 'api' | 'schedule'): Promise<PlanDto> {
    const policy = this.policyFrom(dto);
    const snapshot = await this.snapshot(dto.hostIds);
    const started = Date.now();
    const plan = await planInWorker(snapshot, policy, {
      timeoutMs: this.config.consolidation.planTimeoutMs,
      signal: this.shutdown.signal,
      onProgress: (stage, elapsedMs) =>
        this.logger.debug({ msg: 'planning', stage, elapsedMs, hosts: snapshot.hosts.length, instances: snapshot.instances.length }),
    });
    this.logger.log({
      msg: 'plan computed',
      ms: Date.now() - started,
      hosts: snapshot.hosts.length,
      instances: snapshot.instances.length,
      moves: plan.moves.length,
    });
    return toPlanDto(await this.save(dto, trigger, policy, plan));
  }

  /**
   * One transaction (a plan is stored whole or not at all) whose steps go in multi-row INSERTs
   * of STEP_INSERT_CHUNK. A plan that cannot be stored says why (503 plan-not-saved): the fleet
   * changed under it, or the save itself failed; the caller plans again.
   */
  private async save(
    dto: CreatePlanDto,
    trigger: 'api' | 'schedule',
    policy: ConsolidationPolicy,
    plan: ConsolidationPlan,
  ): Promise<PlanWithSteps> {
    try {
      return await this.prisma.$transaction(
        async (tx) => {
          await assertMovesStillApply(tx, plan);
          const created = await tx.consolidationPlan.create({
            data: {
              trigger,
              policy: { ...policy },
              scopeHostIds: dto.hostIds ?? [],
              hostsBefore: plan.hostsBefore,
              hostsAfter: plan.hostsAfter,
              lowerBound: plan.lowerBound,
              freedHostIds: plan.freedHostIds,
              memoryToMoveMiB: plan.memoryToMoveMiB,
              skipped: plan.skipped as unknown as Prisma.InputJsonValue,
              actor: trigger === 'schedule' ? 'scheduler' : actorOfRequest(),
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
            data: { planId: created.id, trigger },
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
  async list(q: PageQuery): Promise<Page<PlanDto>> {
    const rows = await this.prisma.consolidationPlan.findMany({
      ...PLAN_PAGES.args<Prisma.ConsolidationPlanWhereInput>(q, 'desc'),
      include: { steps: true },
    });
    return PLAN_PAGES.page(rows, q, 'desc', toPlanDto);
  }

  async get(id: string): Promise<PlanDto> {
    return toPlanDto(await this.find(id));
  }

  /** Start executing a proposed plan in the background (202). */
  async execute(id: string): Promise<PlanDto> {
    const won = await this.prisma.consolidationPlan.updateMany({
      where: { id, status: 'proposed' },
      data: { status: 'executing', startedAt: new Date(), runner: this.runner.bootId },
    });
    if (won.count === 0) {
      const plan = await this.find(id);
      throw new ConflictError(`plan ${id} is ${plan.status}; only a proposed plan can be executed`, { planStatus: plan.status });
    }
    await this.prisma.$transaction((tx) =>
      this.events.record(tx, { kind: 'consolidation', message: `plan ${id} execution started`, data: { planId: id } }),
    );
    const run = this.run(id).catch((error: unknown) =>
      this.logger.error({ msg: 'plan executor crashed', planId: id, error: String(error) }),
    );
    this.executing.set(id, run);
    void run.finally(() => this.executing.delete(id));
    return this.get(id);
  }

  /** Ask an executing plan to stop after its current step. */
  async abort(id: string): Promise<PlanDto> {
    // A proposed plan is cancelled outright; an executing one is asked to stop, and its
    // executor (on whichever replica runs it) ends it after the current step.
    const cancelled = await this.prisma.consolidationPlan.updateMany({ where: { id, status: 'proposed' }, data: { status: 'aborting' } });
    if (cancelled.count === 1) {
      await this.finishPlan(id, 'aborted');
    } else {
      const asked = await this.prisma.consolidationPlan.updateMany({ where: { id, status: 'executing' }, data: { status: 'aborting' } });
      if (asked.count === 0) {
        const plan = await this.find(id);
        throw new ConflictError(`plan ${id} is ${plan.status}; nothing to abort`, { planStatus: plan.status });
      }
    }
    await this.prisma.$transaction((tx) =>
      this.events.record(tx, { kind: 'consolidation', message: `plan ${id} abort requested`, data: { planId: id } }),
    );
    return this.get(id);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shutdown.abort();
    await Promise.allSettled([...this.executing.values()]);
  }

  private async run(planId: string): Promise<void> {
    const plan = await this.find(planId);
    for (const step of plan.steps.sort((a, b) => a.seq - b.seq)) {
      const current = await this.prisma.consolidationPlan.findUniqueOrThrow({ where: { id: planId } });
      if (current.status !== 'executing') return this.finishPlan(planId, 'aborted');
      const ok = await this.runStep(step);
      if (!ok) return this.finishPlan(planId, 'failed', { message: `step ${step.seq} (${step.instanceName}) failed; the plan halted` });
    }
    await this.finishPlan(planId, 'completed');
  }

  /** One migration through the same path as POST /instances/{id}/migrate. */
  private async runStep(step: PlanStep): Promise<boolean> {
    await this.prisma.planStep.update({ where: { id: step.id }, data: { status: 'running', startedAt: new Date() } });
    try {
      const instance = await this.prisma.instance.findUnique({ where: { id: step.instanceId } });
      if (!instance || instance.hostId !== step.fromHostId)
        throw new ConflictError(`${step.instanceName} is no longer on the host the plan saw; re-plan`);
      const accepted = await this.instances.act(step.instanceId, 'migrate', {
        migrate: { targetHostId: step.toHostId, mode: step.mode as 'live' | 'cold' },
      });
      await this.prisma.planStep.update({ where: { id: step.id }, data: { operationId: accepted.operationId } });
      const op = await this.operations.wait(accepted.operationId, 60);
      const done = op.status === 'succeeded' ? op : await this.waitLonger(accepted.operationId);
      if (done.status !== 'succeeded') throw Object.assign(new Error(`migration ${done.status}`), { extras: done.error ?? {} });
      await this.prisma.planStep.update({ where: { id: step.id }, data: { status: 'succeeded', finishedAt: new Date() } });
      return true;
    } catch (error) {
      const e =
        error instanceof Error ? { message: error.message, ...((error as { extras?: object }).extras ?? {}) } : { message: String(error) };
      await this.prisma.planStep.update({ where: { id: step.id }, data: { status: 'failed', finishedAt: new Date(), error: e } });
      return false;
    }
  }

  private async waitLonger(operationId: string) {
    for (;;) {
      const op = await this.operations.wait(operationId, 60);
      if (op.status !== 'pending' && op.status !== 'running') return op;
    }
  }

  private async finishPlan(planId: string, status: 'completed' | 'failed' | 'aborted', error?: Record<string, unknown>): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      // Only a plan still in flight is ended here: a verdict already written stands.
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

  private async find(id: string): Promise<PlanWithSteps> {
    const plan = await this.prisma.consolidationPlan.findUnique({ where: { id }, include: { steps: true } });
    if (!plan) throw new NotFoundError(`plan ${id} does not exist`);
    return plan;
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

function toPlanDto(p: PlanWithSteps): PlanDto {
  const steps = [...p.steps].sort((a, b) => a.seq - b.seq);
  const done = steps.filter((s) => s.status === 'succeeded').length;
  return {
    id: p.id,
    status: p.status,
    trigger: p.trigger,
    policy: p.policy as Record<string, unknown>,
    scopeHostIds: p.scopeHostIds,
    hostsBefore: p.hostsBefore,
    hostsAfter: p.hostsAfter,
    lowerBound: p.lowerBound,
    freedHostIds: p.freedHostIds,
    memoryToMoveMiB: p.memoryToMoveMiB,
    migrations: steps.length,
    progress: steps.length === 0 ? 100 : Math.round((100 * done) / steps.length),
    skipped: p.skipped as unknown as PlanDto['skipped'],
    steps: steps.map((s) => ({
      seq: s.seq,
      instanceId: s.instanceId,
      instanceName: s.instanceName,
      fromHostId: s.fromHostId,
      toHostId: s.toHostId,
      mode: s.mode,
      memoryMiB: s.memoryMiB,
      status: s.status,
      operationId: s.operationId,
      error: (s.error as Record<string, unknown> | null) ?? null,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
    })),
    error: (p.error as Record<string, unknown> | null) ?? null,
    actor: p.actor,
    createdAt: p.createdAt,
    startedAt: p.startedAt,
    finishedAt: p.finishedAt,
  };
}
