// Following long work to its end: an operation (create, migrate, drain moves...) or a
// consolidation plan. A bar redrawn in place on a terminal, one line per change otherwise;
// Ctrl-C stops following only (the work goes on in the API) and says how to pick it up again.
import { unwrap, VirtfleetProblemError, type components } from '../clients/typescript/index.js';
import type { Context } from './command.js';
import { bar, bytes } from './output.js';

export type Operation = components['schemas']['OperationDto'];
export type Plan = components['schemas']['PlanDto'];

const OPERATION_DONE = new Set(['succeeded', 'failed', 'aborted']);
const PLAN_DONE = new Set(['completed', 'failed', 'aborted']);

/** Ctrl-C while following: leave the work running, print how to follow it, exit 130. */
function onInterrupt(ctx: Context, hint: string): () => void {
  const handler = () => {
    if (ctx.progressTTY) ctx.stderr('\n');
    ctx.stderr(`Stopped following; it keeps running in the API. Follow it again with: ${hint}\n`);
    process.exit(130);
  };
  process.once('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}

/** What a migration has moved so far, when the operation reports it. */
export function transferText(op: Operation): string {
  const result = (op.result ?? {}) as { transferredBytes?: number | null; totalBytes?: number | null };
  if (typeof result.transferredBytes === 'number' && typeof result.totalBytes === 'number' && result.totalBytes > 0) {
    return `  ${bytes(result.transferredBytes)} / ${bytes(result.totalBytes)}`;
  }
  return '';
}

class ProgressLine {
  private last = '';
  constructor(private readonly ctx: Context) {}

  show(label: string, fraction: number, status: string, extra = ''): void {
    const text = `${label}  ${bar(fraction, 20)}  ${status}${extra}`;
    if (text === this.last) return;
    this.last = text;
    if (this.ctx.progressTTY) this.ctx.stderr(`\r\u001b[K${text}`);
    else this.ctx.stderr(`${text}\n`);
  }

  end(): void {
    if (this.ctx.progressTTY && this.last) this.ctx.stderr('\n');
    this.last = '';
  }
}

/** Waits for the operation to end, drawing its progress; throws if it did not succeed. */
export async function followOperation(ctx: Context, operationId: string, label: string): Promise<Operation> {
  const client = ctx.client();
  const release = onInterrupt(ctx, `${ctx.argv0} op wait ${operationId}`);
  const line = new ProgressLine(ctx);
  try {
    for (let first = true; ; first = false) {
      // The state at once, then `wait`: it holds the answer until the operation ends, at most
      // a second, so each poll is also done the moment the work is.
      const op = await unwrap(
        client.GET('/api/v1/operations/{id}', { params: { path: { id: operationId }, query: { wait: first ? undefined : 1 } } }),
      );
      line.show(label, op.progress / 100, op.status, transferText(op));
      if (OPERATION_DONE.has(op.status)) {
        line.end();
        if (op.status !== 'succeeded') throw operationProblem(op);
        return op;
      }
    }
  } finally {
    line.end();
    release();
  }
}

export function operationProblem(op: Operation): VirtfleetProblemError {
  const error = (op.error ?? {}) as { title?: string; detail?: string; message?: string };
  return new VirtfleetProblemError({
    type: 'about:blank',
    status: 409,
    title: `operation ${op.kind} ${op.status}${error.title ? `: ${error.title}` : ''}`,
    detail: error.detail ?? error.message ?? `operation ${op.id} ${op.status}`,
  });
}

/** Waits for an executing plan to end, a line per step as it finishes; throws if it failed. */
export async function followPlan(ctx: Context, planId: string, describeStep: (step: Plan['steps'][number]) => string): Promise<Plan> {
  const client = ctx.client();
  const release = onInterrupt(ctx, `${ctx.argv0} plan show ${planId} (or plan abort ${planId})`);
  const line = new ProgressLine(ctx);
  const reported = new Map<number, string>();
  try {
    for (;;) {
      const plan = await unwrap(client.GET('/api/v1/consolidation/plans/{id}', { params: { path: { id: planId } } }));
      for (const [index, step] of plan.steps.entries()) {
        if (reported.get(step.seq) === step.status || step.status === 'pending') continue;
        reported.set(step.seq, step.status);
        if (ctx.progressTTY) ctx.stderr('\r\u001b[K');
        ctx.stderr(`step ${index + 1}/${plan.steps.length}  ${describeStep(step)}  ${step.status}\n`);
      }
      const done = plan.steps.filter((s) => s.status !== 'pending' && s.status !== 'running').length;
      line.show(`plan ${planId.slice(0, 8)}`, plan.progress / 100, plan.status, `  ${done}/${plan.steps.length} steps`);
      if (PLAN_DONE.has(plan.status)) {
        line.end();
        if (plan.status !== 'completed') {
          const error = (plan.error ?? {}) as { title?: string; detail?: string; message?: string };
          throw new VirtfleetProblemError({
            type: 'about:blank',
            status: 409,
            title: `plan ${plan.status}`,
            detail: error.detail ?? error.message ?? `plan ${plan.id} ${plan.status}`,
          });
        }
        return plan;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    line.end();
    release();
  }
}
