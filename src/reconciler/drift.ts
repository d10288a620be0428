// What counts as drift between desired state and what libvirt shows. Pure.
import type { PowerState } from '../hypervisor/hypervisor-driver.js';
import { isRunningLike } from '../instances/instance-transitions.js';

export interface Drift {
  kind: 'vanished' | 'stopped-out-of-band' | 'started-out-of-band' | 'paused-out-of-band' | 'crashed' | 'reappeared';
  detail: string;
}

export function driftOf(desired: string, before: PowerState, now: PowerState): Drift | null {
  if (now === 'missing') return { kind: 'vanished', detail: 'the domain vanished from its host (state missing)' };
  if (before === 'missing') return { kind: 'reappeared', detail: `the domain is back (${now})` };
  if (now === 'crashed') return { kind: 'crashed', detail: 'the guest crashed' };
  if (desired === 'running' && now === 'shutoff')
    return { kind: 'stopped-out-of-band', detail: 'stopped outside virtfleet while it should run' };
  if (desired === 'stopped' && isRunningLike(now))
    return { kind: 'started-out-of-band', detail: `${now} outside virtfleet while it should be stopped` };
  if (desired === 'running' && now === 'paused')
    return { kind: 'paused-out-of-band', detail: 'paused outside virtfleet while it should run' };
  return null;
}
