// A placement group's rules, stated once: which hosts a hard group rule keeps (read by the group
// filters of rankHosts and by the flavour rankings of chooseHosts alike), and what part the group
// plays in a decision. The soft rules are the soft-group weighers. Pure.
import type { FleetIndex } from './fleet-index.js';
import type { PlacementRequest } from './placement-types.js';
import type { PlacementWeigher } from './weighers/placement-weigher.js';

/** Hard anti-affinity keeps the hosts running no member; hard affinity those running one. */
export type HostsKept = 'without-members' | 'with-members';

/** A hard group rule that applies to one decision: the hosts it keeps, by the group's member counts per host. */
export interface HardGroupRule {
  group: string;
  keep: HostsKept;
  perHost: Int32Array;
  /** Explanations look hosts up by id. */
  fleet: FleetIndex;
}

/**
 * The request's hard group rule, or null when none applies: hard anti-affinity always; hard
 * affinity once the group has members anywhere in the fleet (even on a host now in
 * maintenance) — the first member (bootstrap) may go anywhere.
 */
export function hardGroupRuleOf(fleet: FleetIndex, request: PlacementRequest): HardGroupRule | null {
  const group = request.group;
  if (group?.strength !== 'hard') return null;
  const presence = fleet.groupPresence(group.name);
  if (group.policy === 'affinity' && presence.hostsWithMembers === 0) return null;
  return { group: group.name, keep: group.policy === 'affinity' ? 'with-members' : 'without-members', perHost: presence.perHost, fleet };
}

/** Whether a host running `members` of the group may take one more under the rule. */
export function keeps(keep: HostsKept, members: number): boolean {
  return keep === 'with-members' ? members > 0 : members === 0;
}

/**
 * How a placement group shapes a ranking: its hard rule (`without-members`, `with-members`)
 * when one applies, else `weighed` — a soft group weigher's multiplier × score is added to
 * every host's score.
 */
export type GroupTerm =
  { rule: HostsKept; group: string } | { rule: 'weighed'; group: string; weigher: PlacementWeigher<Int32Array>; multiplier: number };
