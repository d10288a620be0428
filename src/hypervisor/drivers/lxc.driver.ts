import { ConflictError } from '../../common/domain-errors.js';
import type { GuestType } from '../capabilities.js';
import type { GuestRef, ShutdownOutcome } from '../hypervisor-driver.js';
import type { ShutdownMode } from '../libvirt/native-libvirt.js';
import type { HostCapabilities } from '../xml/parse-capabilities.js';
import { LibvirtDriver } from './libvirt-driver.js';

const INIT_NOT_KNOWN = /Init process ID is not yet known/;

/** OS-level containers through libvirt's LXC driver. No live migration exists for it. */
export class LxcDriver extends LibvirtDriver {
  readonly kind = 'lxc' as const;

  protected supportedGuestTypes(caps: HostCapabilities, simulated: boolean): GuestType[] {
    if (simulated) return ['container'];
    return caps.guests.some((g) => g.osType === 'exe' && g.domainTypes.includes('lxc')) ? ['container'] : [];
  }

  /**
   * SIGTERM to the container's init. libvirt's default for LXC goes through /dev/initctl and
   * reports success even when the container's init does not speak initctl, and then nothing
   * happens; 'initctl' (alone or with 'signal') does the same, so the signal is never sent.
   */
  protected override shutdownMode(): ShutdownMode {
    return 'signal';
  }

  /**
   * Right after start, libvirt_lxc has not yet reported the container's init PID and refuses a
   * shutdown; that window is a few hundred milliseconds, so wait it out within the timeout.
   */
  override async shutdown(uri: string, guest: GuestRef, timeoutMs: number): Promise<ShutdownOutcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await super.shutdown(uri, guest, Math.max(0, deadline - Date.now()));
      } catch (error) {
        if (!(error instanceof ConflictError && INIT_NOT_KNOWN.test(error.message)) || Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}
