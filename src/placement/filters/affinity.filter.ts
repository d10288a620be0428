import type { GroupRule, PlacementFilter } from '../placement-types.js';

/**
 * Hard affinity: once the group has members anywhere in the fleet (even on a host that is now
 * in maintenance), new members go only to hosts that already run some. The first member
 * (bootstrap) may go anywhere — a fleet-wide fact, which `prepare` reads from the index.
 */
export const affinityFilter: PlacementFilter<GroupRule> = {
  name: 'affinity',
  prepare: (fleet, request) => {
    const group = request.group;
    if (group?.policy !== 'affinity' || group.strength !== 'hard') return null;
    const presence = fleet.groupPresence(group.name);
    return presence.hostsWithMembers === 0 ? null : { group: group.name, perHost: presence.perHost, fleet };
  },
  sieve(_fleet, rule, pool) {
    const survivors = pool.indexes;
    const members = rule.perHost;
    let kept = 0;
    for (let s = 0, count = pool.count; s < count; s++) {
      const h = survivors[s]!;
      if (members[h]! > 0) survivors[kept++] = h;
      else pool.reject(h);
    }
    pool.count = kept;
  },
  reason: (host, rule) => (rule.perHost[rule.fleet.indexOf(host.id)]! > 0 ? null : `runs no member of ${rule.group}`),
};
