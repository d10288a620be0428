// Writes that must happen even when PostgreSQL is briefly away (restart, failover): retried
// while the database is unreachable, with growing pauses, for a bounded time. Any other error
// ends the retries at once: only an outage is worth waiting out.
import { isDatabaseUnavailable } from './problem-details.filter.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function retryThroughOutage<T>(
  write: () => Promise<T>,
  opts: { forMs: number; firstPauseMs?: number; maxPauseMs?: number },
): Promise<T> {
  const end = Date.now() + opts.forMs;
  let pause = opts.firstPauseMs ?? 200;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() + pause > end) throw error;
      await sleep(pause);
      pause = Math.min(pause * 2, opts.maxPauseMs ?? 2_000);
    }
  }
}
