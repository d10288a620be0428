import { hardGroupRuleOf, keeps, type HardGroupRule, type HostsKept } from '../group-rules.js';
import type { PlacementFilter } from './placement-filter.js';

/** The filter of one hard group policy: active when `hardGroupRuleOf` gives a rule that keeps `kept`. */
function hardGroupFilter(
  name: 'affinity' | 'anti-affinity',
  kept: HostsKept,
  cause: (group: string) => string,
): PlacementFilter<HardGroupRule> {
  return {
    name,
    prepare: (fleet, request) => {
      const rule = hardGroupRuleOf(fleet, request);
      return rule?.keep === kept ? rule : null;
    },
    sieve(_fleet, rule, pool) {
      const survivors = pool.indexes;
      const members = rule.perHost;
      const keep = rule.keep;
      let kept = 0;
      for (let s = 0, count = pool.count; s < count; s++) {
        const h = survivors[s]!;
        if (keeps(keep, members[h]!)) survivors[kept++] = h;
        else pool.reject(h);
      }
      pool.count = kept;
    },
    reason: (host, rule) => (keeps(rule.keep, rule.perHost[rule.fleet.indexOf(host.id)]!) ? null : cause(rule.group)),
  };
}

/** Hard affinity: once the group has members, new members go only to hosts that already run some. */
export const affinityFilter = hardGroupFilter('affinity', 'with-members', (group) => `runs no member of ${group}`);

/** Hard anti-affinity: no two members of the group on one host. */
export const antiAffinityFilter = hardGroupFilter('anti-affinity', 'without-members', (group) => `already runs a member of ${group}`);
