// Scoring shared by the planner's steps: which host an instance fits best, how big an
// instance is, which hosts are active.

import { RESOURCE_DIMENSIONS, type Resources } from '../common/resources.js';
import type { InstanceSlot, WorkingFleet } from './working-fleet.js';
import type { Bin } from './bins.js';

/**
 * The tightest host that can take `slot` (best fit). Ties go to the lower id (hosts are sorted
 * by id). `among` narrows the scan to hosts known to be the only possible receivers.
 */
export function bestFitTarget(fleet: WorkingFleet, slot: InstanceSlot, among: readonly Bin[] = fleet.hosts): Bin | undefined {
  let best: Bin | undefined;
  let bestResidual = Infinity;
  for (const target of among) {
    if (!fleet.canReceive(target, slot)) continue;
    const residual = residualNormAfter(target, slot.instance.resources);
    if (residual < bestResidual) {
      best = target;
      bestResidual = residual;
    }
  }
  return best;
}

/**
 * Squared Euclidean norm of the normalised headroom left after adding `request` (negative
 * `request` components remove load). Smallest wins: a balanced tight fit beats leaving one
 * dimension wide open (the norm-based greedy of Panigrahy et al. 2011; on our benchmark it
 * packs better than summed or max headroom).
 */
export function residualNormAfter(target: Bin, request: Resources): number {
  // Unrolled over the three dimensions: this is the planner's innermost loop.
  const { limit, used } = target;
  return (
    headroomSquared(limit.vcpus, used.vcpus + request.vcpus) +
    headroomSquared(limit.memoryMiB, used.memoryMiB + request.memoryMiB) +
    headroomSquared(limit.diskGiB, used.diskGiB + request.diskGiB)
  );
}

/** Squared normalised headroom in one dimension; a dimension the host does not have counts 0. */
function headroomSquared(limit: number, usedAfter: number): number {
  if (limit === 0) return 0;
  const headroom = (limit - usedAfter) / limit;
  return headroom * headroom;
}

/** Decreasing by largest share of its host's capacity in any dimension, then total share, then id. */
export function largestFirst(slots: InstanceSlot[]): InstanceSlot[] {
  const size = (slot: InstanceSlot) => shares(slot.instance.resources, slot.currentHost.limit);
  return slots
    .map((slot) => ({ slot, ...size(slot) }))
    .sort((a, b) => b.largest - a.largest || b.total - a.total || (a.slot.instance.id < b.slot.instance.id ? -1 : 1))
    .map(({ slot }) => slot);
}

export function shares(request: Resources, scale: Resources): { largest: number; total: number } {
  let largest = 0;
  let total = 0;
  for (const d of RESOURCE_DIMENSIONS) {
    const share = scale[d] > 0 ? request[d] / scale[d] : 0;
    largest = Math.max(largest, share);
    total += share;
  }
  return { largest, total };
}

/**
 * Cheapest to empty first: fewest instances (migrations), then least load (summed shares of
 * capacity, so every dimension counts), then least memory, then id.
 */
export function cheapestFirst(hosts: Bin[]): Bin[] {
  const load = new Map(hosts.map((host) => [host, shares(host.used, host.limit).total]));
  return hosts.sort(
    (a, b) =>
      a.residents.size - b.residents.size ||
      load.get(a)! - load.get(b)! ||
      a.used.memoryMiB - b.used.memoryMiB ||
      (a.host.id < b.host.id ? -1 : 1),
  );
}

/** Enabled hosts running at least one instance. */
export function activeHosts(fleet: WorkingFleet): Bin[] {
  return fleet.hosts.filter((slot) => slot.host.state === 'enabled' && slot.residents.size > 0);
}
