// Worker-thread entry: runs the pure planner over a snapshot posted by `planInWorker`
// (planner-worker-runner.ts), so a plan over thousands of hosts never blocks the HTTP event
// loop. Reports each planner stage as it starts, then the plan or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { planConsolidation } from './planner.js';
import type { ConsolidationPolicy, ConsolidationSnapshot } from './planner-types.js';
import { DomainError } from '../common/domain-errors.js';

export type PlannerWorkerMessage =
  | { kind: 'progress'; stage: string; elapsedMs: number }
  | { kind: 'plan'; plan: ReturnType<typeof planConsolidation> }
  | { kind: 'error'; name: string; message: string; domain: boolean };

const { snapshot, policy } = workerData as { snapshot: ConsolidationSnapshot; policy: ConsolidationPolicy };
const post = (message: PlannerWorkerMessage) => parentPort!.postMessage(message);
const started = performance.now();
try {
  const plan = planConsolidation(snapshot, policy, {
    onStage: (stage) => post({ kind: 'progress', stage, elapsedMs: Math.round(performance.now() - started) }),
  });
  post({ kind: 'plan', plan });
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  post({ kind: 'error', name: e.name, message: e.message, domain: error instanceof DomainError });
}
