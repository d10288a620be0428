// A stored plan as the API shows it.
import type { PlanDto } from './dto/plan.dto.js';
import type { PlanWithSteps } from './consolidation-store.js';

export function toPlanDto(p: PlanWithSteps): PlanDto {
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
