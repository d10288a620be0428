// Which lifecycle action is legal in which state. Pure; the service answers 409 naming the
// current state for anything else.
import type { PowerState } from '../hypervisor/hypervisor-driver.js';

export const INSTANCE_ACTIONS = ['start', 'stop', 'force-stop', 'reboot', 'suspend', 'resume', 'migrate', 'delete'] as const;
export type InstanceAction = (typeof INSTANCE_ACTIONS)[number];

export type TaskName =
  'creating' | 'starting' | 'stopping' | 'rebooting' | 'suspending' | 'resuming' | 'migrating' | 'deleting' | 'resizing' | 'reconfiguring';
export type DesiredState = 'running' | 'stopped' | 'paused';

interface Transition {
  from: readonly PowerState[];
  task: TaskName;
  /** The desired state after the action; undefined keeps the current one. */
  desired?: DesiredState;
}

/** The guest's vCPUs run (blocked: waiting on I/O, still running). */
const UNPAUSED: readonly PowerState[] = ['running', 'blocked'];

/**
 * Running-like: the guest's process is alive, its vCPUs running or paused. The one rule for
 * what may be stopped, live-migrated (a cold move shuts it down first), drained by stopping,
 * or moved live by a consolidation plan.
 */
export const RUNNING_LIKE: readonly PowerState[] = [...UNPAUSED, 'paused'];

export const isRunningLike = (state: PowerState): boolean => RUNNING_LIKE.includes(state);

export const TRANSITIONS: Readonly<Record<InstanceAction, Transition>> = {
  start: { from: ['shutoff', 'crashed'], task: 'starting', desired: 'running' },
  stop: { from: RUNNING_LIKE, task: 'stopping', desired: 'stopped' },
  'force-stop': { from: [...RUNNING_LIKE, 'shutting-down', 'crashed', 'pm-suspended'], task: 'stopping', desired: 'stopped' },
  reboot: { from: UNPAUSED, task: 'rebooting', desired: 'running' },
  suspend: { from: UNPAUSED, task: 'suspending', desired: 'paused' },
  resume: { from: ['paused'], task: 'resuming', desired: 'running' },
  migrate: { from: [...RUNNING_LIKE, 'shutoff'], task: 'migrating' },
  // Deleting never needs the guest to answer: a missing or unknown guest can be deleted too.
  delete: {
    from: ['running', 'blocked', 'paused', 'shutoff', 'crashed', 'shutting-down', 'pm-suspended', 'missing', 'unknown'],
    task: 'deleting',
  },
};

export type TransitionCheck = { allowed: true; transition: Transition } | { allowed: false; why: string };

export function checkTransition(action: InstanceAction, observed: PowerState, task: TaskName | null): TransitionCheck {
  if (task !== null) return { allowed: false, why: `it is busy (${task})` };
  const t = TRANSITIONS[action];
  if (!t.from.includes(observed)) return { allowed: false, why: `it is ${observed}; ${action} needs ${t.from.join(' or ')}` };
  return { allowed: true, transition: t };
}
