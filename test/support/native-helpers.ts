// Helpers shared by the native addon's test suites (test driver and real libvirtd).
import type { DomainLifecycleEvent, LibvirtError } from '../../src/hypervisor/libvirt/native-libvirt.js';

/** Resolves with the first event matching `predicate`, or rejects after `timeoutMs`. */
export function nextEvent(
  events: DomainLifecycleEvent[],
  predicate: (event: DomainLifecycleEvent) => boolean,
  timeoutMs = 5000,
): Promise<DomainLifecycleEvent> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      const found = events.find(predicate);
      if (found) return resolve(found);
      // Timing out is the failure this helper exists to report.
      if (Date.now() - started > timeoutMs)
        return reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

/** The error a call rejects with; fails when it resolves instead. */
export async function rejection(work: Promise<unknown>): Promise<LibvirtError> {
  try {
    await work;
  } catch (error) {
    return error as LibvirtError;
  }
  throw new Error('expected the call to reject, it resolved');
}
