import { readdirSync, readFileSync } from 'node:fs';

/**
 * Resolves once a process of the LXC guest `name` (libvirt puts LIBVIRT_LXC_NAME in its init's
 * environment) catches SIGTERM. A signal sent before the shell has run `trap` is dropped — the
 * kernel discards signals a PID-namespace init has no handler for — so waiting for the handler
 * keeps the test off that race.
 */
export async function untilInitCatchesTerm(name: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  const sigtermBit = 1n << 14n; // SIGTERM is 15; SigCgt bit n-1
  for (;;) {
    for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
      try {
        if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`LIBVIRT_LXC_NAME=${name}`)) continue;
        const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        if (caught && (BigInt(`0x${caught}`) & sigtermBit) !== 0n) return;
      } catch {
        // gone, or not ours to read
      }
    }
    if (Date.now() - started > timeoutMs) throw new Error(`no process of ${name} caught SIGTERM within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
