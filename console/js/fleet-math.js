// Pure calculations behind the pages (no DOM, no fetch), so they read on their own.

/** What a host has taken: its instances' allocations plus the foreign guests virtfleet counts. */
export function taken(host) {
  const f = host.foreign?.usage ?? { vcpus: 0, memoryMiB: 0, diskGiB: 0 };
  return {
    vcpus: host.allocated.vcpus + f.vcpus,
    memoryMiB: host.allocated.memoryMiB + f.memoryMiB,
    diskGiB: host.allocated.diskGiB + f.diskGiB,
  };
}

/**
 * "rack=r1 zone" -> [['rack', 'r1'], ['zone', null]]: every pair must match (a bare key: the
 * label is present with any value).
 */
export function parseLabelFilter(text) {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((term) => {
      const at = term.indexOf('=');
      return at < 0 ? [term, null] : [term.slice(0, at), term.slice(at + 1)];
    });
}

export function matchesLabels(host, terms) {
  return terms.every(([key, value]) => Object.hasOwn(host.labels, key) && (value === null || host.labels[key] === value));
}

/**
 * A plan's host loads before and after it, from the hosts as they are now. Steps that already
 * succeeded have moved their instance, so "before" undoes them and "after" applies every step
 * that has not failed or been skipped. `sizes` maps instance id -> {vcpus, memoryMiB, diskGiB}
 * (memory falls back to the step's own figure).
 */
export function planLoads(plan, hosts, sizes) {
  const byId = new Map(hosts.map((h) => [h.id, h]));
  const ids =
    plan.scopeHostIds.length > 0
      ? plan.scopeHostIds
      : [...new Set(plan.steps.flatMap((s) => [s.fromHostId, s.toHostId]).concat(plan.freedHostIds))];
  const before = new Map();
  for (const id of ids) {
    const host = byId.get(id);
    if (host) before.set(id, { ...taken(host) });
  }
  const size = (step) => sizes.get(step.instanceId) ?? { vcpus: 0, memoryMiB: step.memoryMiB, diskGiB: 0 };
  const shift = (loads, hostId, s, sign) => {
    const load = loads.get(hostId);
    if (!load) return;
    load.vcpus += sign * s.vcpus;
    load.memoryMiB += sign * s.memoryMiB;
    load.diskGiB += sign * s.diskGiB;
  };
  for (const step of plan.steps.filter((s) => s.status === 'succeeded')) {
    shift(before, step.toHostId, size(step), -1);
    shift(before, step.fromHostId, size(step), +1);
  }
  const after = new Map([...before].map(([id, load]) => [id, { ...load }]));
  for (const step of plan.steps.filter((s) => s.status !== 'failed' && s.status !== 'skipped')) {
    shift(after, step.toHostId, size(step), +1);
    shift(after, step.fromHostId, size(step), -1);
  }
  return [...before.keys()].map((id) => ({
    host: byId.get(id),
    before: before.get(id),
    after: after.get(id),
    freed: plan.freedHostIds.includes(id),
  }));
}
