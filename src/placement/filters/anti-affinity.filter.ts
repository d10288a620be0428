import type { GroupRule, PlacementFilter } from '../placement-types.js';

/** Hard anti-affinity: no two members of the group on one host. */
export const antiAffinityFilter: PlacementFilter<GroupRule> = {
  name: 'anti-affinity',
  prepare: (fleet, request) => {
    const group = request.group;
    if (group?.policy !== 'anti-affinity' || group.strength !== 'hard') return null;
    return { group: group.name, perHost: fleet.groupPresence(group.name).perHost, fleet };
  },
  sieve(_fleet, rule, pool) {
    const survivors = pool.indexes;
    const members = rule.perHost;
    let kept = 0;
    for (let s = 0, count = pool.count; s < count; s++) {
      const h = survivors[s]!;
      if (members[h] === 0) survivors[kept++] = h;
      else pool.reject(h);
    }
    pool.count = kept;
  },
  reason: (host, rule) => (rule.perHost[rule.fleet.indexOf(host.id)] === 0 ? null : `already runs a member of ${rule.group}`),
};
