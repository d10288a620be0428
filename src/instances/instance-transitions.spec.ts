import { POWER_STATES } from '../prisma/enum-mapping.js';
import { driftOf } from '../reconciler/drift.js';
import { checkTransition, isRunningLike } from './instance-transitions.js';

describe('running-like states', () => {
  it('are running, blocked and paused: the guest process is alive', () => {
    expect(POWER_STATES.filter(isRunningLike)).toEqual(['running', 'paused', 'blocked']);
  });

  it('a blocked guest may be stopped and migrated like a running one', () => {
    expect(checkTransition('stop', 'blocked', null).allowed).toBe(true);
    expect(checkTransition('migrate', 'blocked', null).allowed).toBe(true);
  });

  it('a blocked guest that should be stopped was started out of band', () => {
    expect(driftOf('stopped', 'shutoff', 'blocked')?.kind).toBe('started-out-of-band');
  });
});
