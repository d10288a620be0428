// Where the real-libvirt tests find their libvirtd (scripts/libvirtd.sh starts a private one;
// scripts/test.sh exports its URIs). Absent daemon = failing suite, unless the caller opts out
// explicitly with VIRTFLEET_SKIP_LIBVIRTD=1 — never a silent pass.
import * as libvirt from '@unraid/libvirt';

const defaultSocket = '/run/virtfleet-libvirtd/run/libvirt-sock';

export const QEMU_URI = process.env.VIRTFLEET_TEST_QEMU_URI ?? `qemu+unix:///system?socket=${defaultSocket}`;
export const LXC_URI = process.env.VIRTFLEET_TEST_LXC_URI ?? `lxc+unix:///system?socket=${defaultSocket}`;
export const SKIP_LIBVIRTD = process.env.VIRTFLEET_SKIP_LIBVIRTD === '1';
/** The private daemon's socket directory: test apps allow host sockets there (HOST_SOCKET_DIRS). */
export const LIBVIRTD_SOCKET_DIR = (/[?&]socket=([^&]+)/.exec(QEMU_URI)?.[1] ?? defaultSocket).replace(/\/[^/]*$/, '');
/** HOST_SOCKET_DIRS of test apps: the system's, the shared private daemon's, throwaway daemons' (support/private-libvirtd.ts). */
export const TEST_HOST_SOCKET_DIRS = `/run/libvirt,${LIBVIRTD_SOCKET_DIR},/run/vf-lvd`;

/** `describe` for suites that need the real libvirtd; skipped only on explicit opt-out. */
export const describeWithLibvirtd: jest.Describe = SKIP_LIBVIRTD ? describe.skip : describe;

/** Open a binding connection to the real daemon or fail with instructions. */
export async function openLibvirtd(uri: string): Promise<libvirt.Hypervisor> {
  const h = new libvirt.Hypervisor({ uri });
  try {
    await h.connectOpen();
  } catch (error) {
    throw new Error(
      `libvirtd at ${uri} is not reachable (${String(error)}). Start it with \`bash scripts/libvirtd.sh up\` or set VIRTFLEET_SKIP_LIBVIRTD=1.`,
      { cause: error },
    );
  }
  return h;
}

/** A diskless TCG guest: runs under QEMU without /dev/kvm and without an OS. */
export function disklessQemuXml(name: string): string {
  return `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type></os>
<devices><emulator>/usr/bin/qemu-system-x86_64</emulator><console type='pty'/></devices></domain>`;
}

/** Destroy (if running) and undefine `name`, ignoring "not found": used in finally blocks. */
export async function removeDomainQuietly(h: libvirt.Hypervisor, name: string): Promise<void> {
  let domain: libvirt.Domain;
  try {
    domain = await h.domainLookupByName(name);
  } catch {
    return;
  }
  await h.domainDestroy(domain).catch(() => undefined);
  await h.domainUndefine(domain).catch(() => undefined);
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
