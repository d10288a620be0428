// Runs the pure planner in a worker thread (planner.worker.ts) so that the API process stays
// answerable while a plan over a big fleet is computed: the event loop only waits for a
// message. The plan is bounded in time: past the deadline the worker is terminated.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DependencyUnavailableError, ValidationError } from '../common/domain-errors.js';
import type { ConsolidationPlan, ConsolidationPolicy, ConsolidationSnapshot } from './planner-types.js';
import type { PlannerWorkerMessage } from './planner.worker.js';

export interface PlannerRunOptions {
  /** Terminate the worker and fail after this long. */
  timeoutMs: number;
  /** Aborting terminates the worker (e.g. at shutdown). */
  signal?: AbortSignal;
  /** Called as each planner stage starts (in the worker). */
  onProgress?: (stage: string, elapsedMs: number) => void;
}

/**
 * The worker: the compiled `planner.worker.js` beside this module (dist/ in production). Run
 * from TypeScript sources (Jest, tsx) there is none; then a small bootstrap registers tsx's
 * loader (a devDependency, present wherever sources run) in the worker and imports the `.ts`
 * entry (Node 20 ignores `--import` in a worker's execArgv).
 */
function startWorker(workerData: unknown): Worker {
  const compiled = new URL('./planner.worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled, { workerData });
  const source = new URL('./planner.worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export function planInWorker(
  snapshot: ConsolidationSnapshot,
  policy: ConsolidationPolicy,
  options: PlannerRunOptions,
): Promise<ConsolidationPlan> {
  const stopped = () =>
    new DependencyUnavailableError('planning was stopped: the process is shutting down; retry', {
      reason: 'shutting-down',
      retryAfterSeconds: 5,
    });
  if (options.signal?.aborted) return Promise.reject(stopped());
  return new Promise<ConsolidationPlan>((resolve, reject) => {
    const worker = startWorker({ snapshot, policy });
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      outcome();
      void worker.terminate();
    };
    const onAbort = () => finish(() => reject(stopped()));
    options.signal?.addEventListener('abort', onAbort);
    timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new DependencyUnavailableError(
              `planning did not finish within ${Math.round(options.timeoutMs / 1000)} s and was stopped; plan a smaller scope (hostIds) or raise CONSOLIDATION_PLAN_TIMEOUT_MS`,
              { reason: 'planning-timeout', timeoutMs: options.timeoutMs },
            ),
          ),
        ),
      options.timeoutMs,
    );
    worker.on('message', (message: PlannerWorkerMessage) => {
      if (message.kind === 'progress') options.onProgress?.(message.stage, message.elapsedMs);
      else if (message.kind === 'plan') finish(() => resolve(message.plan));
      // The planner throws ValidationError on a bad policy or an inconsistent snapshot.
      else
        finish(() =>
          reject(message.domain ? new ValidationError(message.message) : new Error(`planner failed: ${message.name}: ${message.message}`)),
        );
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`planner worker exited with code ${code} before answering`))));
  });
}
