import { readdirSync, readFileSync } from 'node:fs';

// Where a real guest runs on this machine, as the kernel sees it: evidence of a restart that
// does not depend on what libvirt reports.

function pids(): string[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // gone, or not ours to read
  }
}

/** The PID of the LXC guest's init (libvirt puts LIBVIRT_LXC_NAME in its environment), or null. */
function lxcInitPid(name: string): number | null {
  for (const pid of pids()) {
    if (read(`/proc/${pid}/environ`)?.split('\0').includes(`LIBVIRT_LXC_NAME=${name}`)) return Number(pid);
  }
  return null;
}

/** The PID of the QEMU process running guest `name` (libvirt passes `-name guest=<name>,...`), or null. */
function qemuPid(name: string): number | null {
  for (const pid of pids()) {
    const argv = read(`/proc/${pid}/cmdline`)?.split('\0') ?? [];
    if (argv.some((arg) => arg === `guest=${name}` || arg.startsWith(`guest=${name},`))) return Number(pid);
  }
  return null;
}

/** Waits (libvirt_lxc reports the init a moment after start) for the guest's process and returns its PID. */
export async function guestPid(kind: 'qemu-kvm' | 'lxc', name: string, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const pid = kind === 'lxc' ? lxcInitPid(name) : qemuPid(name);
    if (pid !== null) return pid;
    if (Date.now() - started > timeoutMs) throw new Error(`no process of ${kind} guest ${name} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
