// Guests on a host that virtfleet did not define (no virtfleet metadata), as the reconciler last
// saw them. They are not managed, never touched, but they take capacity: while active (anything
// but shut off or crashed: a paused or suspended guest still holds its memory, and a state we
// could not read is counted to be safe) their vCPUs and memory are counted as taken by placement,
// the capacity trigger and pick_host; and a host holding any is never put to standby.
// Not on a simulated host (libvirt's test driver): its guests are not real and it has no
// capacity model (test:///default's built-in `test` domain claims 8 GiB on a 3 GiB node), so
// there foreign guests are listed but bind nothing. Pure.
import type { PowerState } from '../hypervisor/hypervisor-driver.js';

export interface ForeignGuest {
  uuid: string;
  name: string;
  state: PowerState;
  vcpus: number;
  memoryMiB: number;
  /** Counted against the host's capacity. */
  active: boolean;
}

const INACTIVE: readonly PowerState[] = ['shutoff', 'crashed'];

export function isActiveForeignState(state: PowerState): boolean {
  return !INACTIVE.includes(state);
}

/**
 * What the active foreign guests take: the host's `foreign_vcpus` / `foreign_memory_mib`. Each
 * is charged like one of ours, its size plus `overheadMiB` of it (its technique's overhead).
 */
export function foreignUsage(
  guests: readonly ForeignGuest[],
  overheadMiB: (g: ForeignGuest) => number = () => 0,
): { vcpus: number; memoryMiB: number } {
  let vcpus = 0;
  let memoryMiB = 0;
  for (const g of guests) {
    if (!g.active) continue;
    vcpus += g.vcpus;
    memoryMiB += g.memoryMiB + overheadMiB(g);
  }
  return { vcpus, memoryMiB };
}

/** The list stored on a host row (JSON), read back. */
export function foreignGuestsOf(host: { foreignGuests: unknown }): ForeignGuest[] {
  return Array.isArray(host.foreignGuests) ? (host.foreignGuests as ForeignGuest[]) : [];
}

/** The foreign guests that bind their host (count against capacity, keep it from standby): none on a simulated host. */
export function bindingForeignGuests(host: { foreignGuests: unknown; simulated: boolean }): ForeignGuest[] {
  return host.simulated ? [] : foreignGuestsOf(host);
}
