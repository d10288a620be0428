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

const RUNNING_LIKE: readonly PowerState[] = ['running', 'blocked'];

export const TRANSITIONS: Readonly<Record<InstanceAction, Transition>> = {
  start: { from: ['shutoff', 'crashed'], task: 'starting', desired: 'running' },
  stop: { from: [...RUNNING_LIKE, 'paused'], task: 'stopping', desired: 'stopped' },
  'force-stop': { from: [...RUNNING_LIKE, 'paused', 'shutting-down', 'crashed', 'pm-suspended'], task: 'stopping', desired: 'stopped' },
  reboot: { from: RUNNING_LIKE, task: 'rebooting', desired: 'running' },
  suspend: { from: RUNNING_LIKE, task: 'suspending', desired: 'paused' },
  resume: { from: ['paused'], task: 'resuming', desired: 'running' },
  migrate: { from: [...RUNNING_LIKE, 'paused', 'shutoff'], task: 'migrating' },
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
