// A throwaway libvirtd of a test's own (scripts/libvirtd.sh in a temp dir: its own config,
// sockets and state), so the test can kill it (SIGKILL, a crash) and start it again without
// touching the daemons other suites share.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where throwaway daemons keep their directories (and sockets). */
export const PRIVATE_LIBVIRTD_ROOT = '/run/vf-lvd';

export interface PrivateLibvirtd {
  dir: string;
  uri: string;
  /** SIGKILL the daemon (its guests' QEMU processes live on, as after a real crash). */
  kill(): Promise<void>;
  /** Start it again on the same state (idempotent). */
  start(): Promise<void>;
  /** Destroy its guests, stop it, remove its directory. */
  remove(): Promise<void>;
}

export async function startPrivateLibvirtd(): Promise<PrivateLibvirtd> {
  // Under PRIVATE_LIBVIRTD_ROOT, a socket directory the test apps allow (HOST_SOCKET_DIRS).
  mkdirSync(PRIVATE_LIBVIRTD_ROOT, { recursive: true });
  const dir = mkdtempSync(`${PRIVATE_LIBVIRTD_ROOT}/`);
  const env = { ...process.env, VIRTFLEET_LIBVIRTD_DIR: dir };
  const script = (cmd: 'up' | 'down') => run('bash', ['scripts/libvirtd.sh', cmd], { env, timeout: 60_000 });
  await script('up');
  const pid = () => Number(readFileSync(join(dir, 'libvirtd.pid'), 'utf8').trim());
  return {
    dir,
    uri: `qemu+unix:///system?socket=${dir}/run/libvirt-sock`,
    async kill() {
      const p = pid();
      process.kill(p, 'SIGKILL');
      for (let i = 0; i < 50; i++) {
        try {
          process.kill(p, 0);
          if (/^State:\s*Z/m.test(readFileSync(`/proc/${p}/status`, 'utf8'))) return;
        } catch {
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async start() {
      await script('up');
    },
    async remove() {
      await script('up').catch(() => undefined); // `down` destroys guests through the daemon
      await script('down').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
