// Server consolidation planner: pure function from (snapshot, policy) to a plan of migrations
// that leaves as few enabled hosts running guests as it can. Objective, in order: fewest active
// hosts, then fewest migrations, then least memory moved.
//
// The algorithm, in steps (each a named step object of `plannerSteps()`, run in order over one
// WorkingFleet that holds the budget, the running step's search effort and the skips):
//   1. Evacuate maintenance/draining hosts, instance by instance, largest first.
//   2. Empty the largest number of the cheapest active hosts (fewest instances, then least
//      load) that can be emptied together: their instances, largest first, go best-fit into
//      the remaining active hosts. Binary search finds that number; each probe is undone.
//   3. Then host by host, cheapest first over the new loads: place every instance elsewhere;
//      keep the moves only if the whole host empties within budget, otherwise undo them.
//      Repeat until a pass frees nothing.
//   3b. Fresh packing (fresh-packing.ts): every movable instance re-packed from scratch by the
//      constructive heuristics of Panigrahy et al. 2011 (step 'fresh-packing', right after step
//      1, on fleets small enough for their effort). Adopted instead of steps 2-3 (step
//      'adopt-fresh-packing') only when strictly better by the objective, within budget and
//      with a safe execution order.
//   4. Local search (exchange-search.ts): try again to empty each host, cheapest first, now
//      letting an instance that fits nowhere take the place of a smaller one, or push a
//      resident on to a third host to make room. All or nothing per host, within a fixed
//      effort, so every kept move frees a host (fewest migrations stays second objective).
//   5. Repack (repack-search.ts): a host together with 1-3 partners that have the most room,
//      their instances re-packed into the partners by a small exhaustive search.
//   6. Concentrate (repack-search.ts): shift load off a light host onto each partner in turn
//      (best two-host re-split), then try steps 4-5 on it; undone unless the host empties.
//   Steps 5-6 are all or nothing per host too, within their own fixed effort.
//
// Execution safety: each instance moves at most once, from its original host to its final one
// (chains collapse: A->B->C becomes A->C, A->B->A disappears). Steps 1-3 only put instances on
// hosts that are not being emptied, so there a host only loses or only gains, and any order
// fits. Exchanges and fresh packings make a host both lose and gain, so the final list is
// ordered by `executionOrder`, which runs a move only once its target has room; steps 3b-6
// keep a change only if such an order exists.

import { ValidationError } from '../common/domain-errors.js';
import type {
  ConsolidationPlan,
  ConsolidationPolicy,
  ConsolidationSnapshot,
  PlannedMove,
  SkipReason,
  SkippedInstance,
} from './planner-types.js';
import { WorkingFleet, isMovable } from './working-fleet.js';
import type { Bin } from './bins.js';
import { activeHosts, bestFitTarget, cheapestFirst, largestFirst } from './host-fit.js';
import { emptyHostsByExchanges, tryEmptyByExchanges } from './exchange-search.js';
import { executionOrder } from './execution-order.js';
import { emptyHostsByConcentrating, emptyHostsByRepacking, tryEmptyByRepacking } from './repack-search.js';
import { freshPacking, type FreshAssignment } from './fresh-packing.js';

/**
 * Effort units for step 4 (see `SearchEffort`). Small fleets finish early. On the 1,000-host
 * bench fleet, and on the 1,000-item bench instances we tried, 20 M units freed no host more
 * than 5 M did and cost a few tenths of a second more.
 */
const EXCHANGE_SEARCH_EFFORT = 5_000_000;

/**
 * Effort units for each fresh construction (fresh-packing.ts), about one per fit check. The
 * bin-centric ones need about n²/2 for n instances, so they run up to about 2,000 instances.
 */
const FRESH_PACKING_EFFORT = 2_000_000;

/** Effort units for the tabu search that improves the fresh packing (bin-elimination.ts), about one per fit check. */
const BIN_ELIMINATION_EFFORT = 20_000_000;

/** Effort units for step 5 (repacking a host with a few partners, see repack-search.ts). */
const REPACK_SEARCH_EFFORT = 5_000_000;

/** Effort units for step 6 (concentrating load away from a host before emptying it). */
const CONCENTRATE_EFFORT = 20_000_000;

/** Observers of a planning run; they never change its result. */
export interface PlannerHooks {
  /** Called as each step starts (for progress reports). */
  onStage?: (stage: PlannerStage) => void;
  /** Called once at the end with how much work the search did. */
  onStats?: (stats: { movesTried: number }) => void;
}

export type PlannerStage =
  | 'evacuate'
  | 'fresh-packing'
  | 'empty-cheapest'
  | 'empty-one-by-one'
  | 'adopt-fresh-packing'
  | 'exchanges'
  | 'repack'
  | 'concentrate'
  | 'summarise';

/** One named step of the pipeline: it changes the working fleet (budget and effort are the fleet's). */
export interface PlannerStep {
  readonly name: Exclude<PlannerStage, 'summarise'>;
  run(fleet: WorkingFleet): void;
}

/**
 * The planner's steps, in order (fresh objects per plan: the fresh packing is computed by one
 * step and adopted by a later one). A caller may leave steps out (the bench's ablation table);
 * any subset still yields a valid plan.
 */
export function plannerSteps(): PlannerStep[] {
  let fresh: FreshAssignment | undefined;
  return [
    { name: 'evacuate', run: evacuateUnavailableHosts },
    {
      name: 'fresh-packing',
      run: (fleet) => (fresh = freshPacking(fleet, { construction: FRESH_PACKING_EFFORT, elimination: BIN_ELIMINATION_EFFORT })),
    },
    { name: 'empty-cheapest', run: emptyCheapestHostsTogether },
    {
      name: 'empty-one-by-one',
      run: (fleet) => {
        while (emptyHostsOneByOne(fleet) > 0) {
          // Loads changed; hosts that could not be emptied before get another look.
        }
      },
    },
    {
      name: 'adopt-fresh-packing',
      run: (fleet) => {
        const assignment = fresh;
        if (assignment) keepIfBetter(fleet, () => applyAssignment(fleet, assignment));
      },
    },
    { name: 'exchanges', run: (fleet) => fleet.withEffort(EXCHANGE_SEARCH_EFFORT, () => emptyHostsByExchanges(fleet)) },
    {
      name: 'repack',
      run: (fleet) =>
        fleet.withEffort(REPACK_SEARCH_EFFORT, () => {
          while (emptyHostsByRepacking(fleet) > 0) {
            // New loads may let the exchanges empty another host.
            if (fleet.withEffort(EXCHANGE_SEARCH_EFFORT, () => emptyHostsByExchanges(fleet)) === 0) break;
          }
        }),
    },
    {
      name: 'concentrate',
      run: (fleet) =>
        fleet.withEffort(CONCENTRATE_EFFORT, () => {
          const tryEmpty = (victim: Bin) => tryEmptyByExchanges(fleet, victim) || tryEmptyByRepacking(fleet, victim);
          while (emptyHostsByConcentrating(fleet, tryEmpty) > 0) {
            // Each success changes the loads; another pass may empty more.
          }
        }),
    },
  ];
}

export function planConsolidation(
  snapshot: ConsolidationSnapshot,
  policy: ConsolidationPolicy,
  hooks: PlannerHooks = {},
  steps: readonly PlannerStep[] = plannerSteps(),
): ConsolidationPlan {
  validatePolicy(policy);
  const fleet = new WorkingFleet(snapshot, policy);
  const hostsBefore = activeHosts(fleet).length;
  for (const step of steps) {
    hooks.onStage?.(step.name);
    step.run(fleet);
  }
  hooks.onStage?.('summarise');
  hooks.onStats?.({ movesTried: fleet.movesTried });
  return summarise(fleet, hostsBefore);
}

/**
 * Applies `change` and keeps it only if the plan gets strictly better by the objective (fewest
 * active hosts, then fewest moves, then least memory moved) and stays valid (within budget,
 * with a safe execution order); otherwise undoes it.
 */
function keepIfBetter(fleet: WorkingFleet, change: () => void): boolean {
  const before = objective(fleet);
  const checkpoint = fleet.checkpoint();
  change();
  const after = objective(fleet);
  const better = after.findIndex((value, i) => value !== before[i]!);
  if (better >= 0 && after[better]! < before[better]! && fleet.withinBudget && executionOrder(fleet) !== undefined) return true;
  fleet.rollbackTo(checkpoint);
  return false;
}

/** [active hosts, moves, memory moved]: compared in that order, smaller is better. */
function objective(fleet: WorkingFleet): number[] {
  const memory = fleet.instances.reduce(
    (sum, slot) => sum + (slot.currentHost !== slot.originalHost ? slot.instance.resources.memoryMiB : 0),
    0,
  );
  return [activeHosts(fleet).length, fleet.movedCount, memory];
}

function applyAssignment(fleet: WorkingFleet, assignment: FreshAssignment): void {
  for (const [slot, host] of assignment) if (slot.currentHost !== host) fleet.move(slot, host);
}

function validatePolicy(policy: ConsolidationPolicy): void {
  const headroom = policy.maxUtilisation ?? 1;
  if (!(headroom > 0 && headroom <= 1)) throw new ValidationError(`maxUtilisation must be in (0, 1], got ${headroom}`);
  if (!(Number.isInteger(policy.migrationBudget) && policy.migrationBudget >= 0)) {
    throw new ValidationError(`migrationBudget must be a non-negative integer, got ${policy.migrationBudget}`);
  }
  if (!(policy.cooldownMs >= 0)) throw new ValidationError(`cooldownMs must be non-negative, got ${policy.cooldownMs}`);
}

/** Step 1: move what can leave maintenance/draining hosts. Partial evacuation still helps. */
function evacuateUnavailableHosts(fleet: WorkingFleet): void {
  for (const source of fleet.hosts) {
    if (source.host.state !== 'maintenance' && source.host.state !== 'draining') continue;
    for (const slot of largestFirst([...source.residents])) {
      if (!isMovable(slot)) fleet.skip(slot, slot.movability as SkipReason);
      else if (fleet.movedCount >= fleet.budget) fleet.skip(slot, 'budget-exhausted');
      else {
        const target = bestFitTarget(fleet, slot);
        if (target) fleet.move(slot, target);
        else fleet.skip(slot, 'no-capacity');
      }
    }
  }
}

/**
 * Step 2: empty as many of the cheapest hosts as possible in one go. Packing all their
 * instances together, largest first, packs far better than host by host (small guests would
 * otherwise fill the gaps a larger one needed). The most hosts that can be emptied together is
 * found by binary search over the cheapest-first list; each probe is undone.
 */
function emptyCheapestHostsTogether(fleet: WorkingFleet): void {
  const active = activeHosts(fleet);
  const candidates = cheapestFirst(active.filter((host) => [...host.residents].every(isMovable)));
  const emptiesWithinBudget = (count: number): boolean => {
    const checkpoint = fleet.checkpoint();
    const ok = tryEmptyHosts(fleet, candidates.slice(0, count)) && fleet.withinBudget;
    fleet.rollbackTo(checkpoint);
    return ok;
  };
  let feasible = 0;
  // At least `lowerBound` hosts stay active, so emptying more than the rest is never feasible.
  let infeasible = Math.min(candidates.length, active.length - fleet.lowerBound) + 1;
  while (infeasible - feasible > 1) {
    const middle = Math.floor((feasible + infeasible) / 2);
    if (emptiesWithinBudget(middle)) feasible = middle;
    else infeasible = middle;
  }
  tryEmptyHosts(fleet, candidates.slice(0, feasible));
}

/** Step 3: one pass, host by host, over the current loads. Returns how many hosts it emptied. */
function emptyHostsOneByOne(fleet: WorkingFleet): number {
  let emptied = 0;
  for (const source of cheapestFirst(activeHosts(fleet))) {
    if (source.residents.size === 0) continue;
    const stuck = [...source.residents].filter((slot) => !isMovable(slot));
    for (const slot of stuck) fleet.skip(slot, slot.movability as SkipReason);
    if (stuck.length > 0) continue;
    const unaffordable = fleet.cannotEmptyWithinBudget(source);
    if (!unaffordable) {
      const checkpoint = fleet.checkpoint();
      if (!tryEmptyHosts(fleet, [source])) continue;
      if (fleet.withinBudget) {
        emptied++;
        continue;
      }
      fleet.rollbackTo(checkpoint);
    }
    // Only instances still at home would cost a move; the others were already counted.
    for (const slot of source.residents) if (slot.originalHost === source) fleet.skip(slot, 'budget-exhausted');
  }
  return emptied;
}

/**
 * All or nothing: every instance on `sources` finds a host outside them (best fit, largest
 * first), or the fleet is left as it was and the answer is false. Callers make sure every
 * resident is movable.
 */
function tryEmptyHosts(fleet: WorkingFleet, sources: Bin[]): boolean {
  const checkpoint = fleet.checkpoint();
  for (const source of sources) source.closing = true;
  const leaving = largestFirst(sources.flatMap((source) => [...source.residents]));
  // Only hosts already running guests receive, and none of them empties here.
  const receivers = activeHosts(fleet).filter((host) => !host.closing);
  let placedAll = true;
  for (const slot of leaving) {
    const target = bestFitTarget(fleet, slot, receivers);
    if (!target) {
      placedAll = false;
      break;
    }
    fleet.move(slot, target);
  }
  for (const source of sources) source.closing = false;
  if (!placedAll) fleet.rollbackTo(checkpoint);
  return placedAll;
}

function summarise(fleet: WorkingFleet, hostsBefore: number): ConsolidationPlan {
  const moves: PlannedMove[] = executionOrder(fleet)!.map((slot) => ({
    instanceId: slot.instance.id,
    instanceName: slot.instance.name,
    fromHostId: slot.originalHost.host.id,
    toHostId: slot.currentHost.host.id,
    mode: slot.movability as 'live' | 'cold',
    memoryMiB: slot.instance.resources.memoryMiB,
  }));
  const after = new Set(activeHosts(fleet));
  const homes = new Set(fleet.instances.map((slot) => slot.originalHost));
  const freedHostIds = fleet.hosts
    .filter((slot) => slot.host.state === 'enabled' && homes.has(slot) && slot.residents.size === 0)
    .map((slot) => slot.host.id);
  const skippedList: SkippedInstance[] = [...fleet.skipped]
    .filter(([slot]) => slot.currentHost === slot.originalHost && !slot.foreign)
    .map(([slot, reason]) => ({ instanceId: slot.instance.id, reason }))
    .sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1));
  return {
    moves,
    hostsBefore,
    hostsAfter: after.size,
    lowerBound: fleet.lowerBound,
    freedHostIds,
    memoryToMoveMiB: moves.reduce((sum, move) => sum + move.memoryMiB, 0),
    skipped: skippedList,
  };
}
