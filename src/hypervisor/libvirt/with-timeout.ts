import { DependencyUnavailableError } from '../../common/domain-errors.js';

/**
 * Bound a libvirt call in time. The native call keeps running on its worker thread (libvirt
 * cannot cancel it), but the caller gets a clear answer instead of hanging on a dead daemon.
 */
export async function withTimeout<T>(what: string, timeoutMs: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DependencyUnavailableError(`${what} did not answer within ${timeoutMs} ms`, { timeoutMs })),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
