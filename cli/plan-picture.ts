// `plan show`: each host's memory before and after the plan, as bars, and the moves. Pure:
// the plan and the hosts as they are now in, text out.
import type { components } from '../clients/typescript/index.js';
import { bar, mib, table, type Style } from './output.js';

type Plan = components['schemas']['PlanDto'];
type Host = components['schemas']['HostDto'];

export interface HostPicture {
  hostId: string;
  name: string;
  usableMiB: number;
  beforeMiB: number;
  afterMiB: number;
  freed: boolean;
}

/**
 * Memory per host before and after the plan, from the hosts as they are now: a step that has
 * run already moved its memory (undo it for "before"); one still to run has not (apply it for
 * "after"); failed and skipped steps move nothing. Memory is what every step carries.
 */
export function planPicture(plan: Plan, hosts: Host[]): HostPicture[] {
  const scope = new Set(plan.scopeHostIds.length ? plan.scopeHostIds : hosts.map((h) => h.id));
  for (const s of plan.steps) scope.add(s.fromHostId).add(s.toHostId);
  const pictures = new Map<string, HostPicture>();
  for (const h of hosts) {
    if (!scope.has(h.id)) continue;
    pictures.set(h.id, {
      hostId: h.id,
      name: h.name,
      usableMiB: h.usable.memoryMiB,
      beforeMiB: h.allocated.memoryMiB,
      afterMiB: h.allocated.memoryMiB,
      freed: plan.freedHostIds.includes(h.id),
    });
  }
  for (const step of plan.steps) {
    const from = pictures.get(step.fromHostId);
    const to = pictures.get(step.toHostId);
    if (step.status === 'succeeded') {
      if (from) from.beforeMiB += step.memoryMiB;
      if (to) to.beforeMiB -= step.memoryMiB;
    } else if (step.status === 'pending' || step.status === 'running') {
      if (from) from.afterMiB -= step.memoryMiB;
      if (to) to.afterMiB += step.memoryMiB;
    }
  }
  return [...pictures.values()].sort((a, b) => a.name.localeCompare(b.name));
}

const share = (used: number, usable: number) => (usable > 0 ? used / usable : used > 0 ? 1 : 0);

export function drawPlan(plan: Plan, hosts: Host[], style: Style, instanceNames = new Map<string, string>()): string {
  const names = new Map(hosts.map((h) => [h.id, h.name]));
  const pictures = planPicture(plan, hosts);
  const head =
    `plan ${plan.id}  ${plan.status}  hosts ${plan.hostsBefore} → ${plan.hostsAfter} (lower bound ${plan.lowerBound}), ` +
    `${plan.migrations} migration${plan.migrations === 1 ? '' : 's'}, ${mib(plan.memoryToMoveMiB)} to move`;
  const hostRows = pictures.map((p) => [
    p.name,
    bar(share(p.beforeMiB, p.usableMiB)),
    '→',
    bar(share(p.afterMiB, p.usableMiB)),
    `${mib(p.afterMiB)} of ${mib(p.usableMiB)}`,
    p.freed ? style.green('freed') : '',
  ]);
  const moveRows = plan.steps.map((s, index) => [
    String(index + 1),
    s.instanceName,
    names.get(s.fromHostId) ?? s.fromHostId,
    '→',
    names.get(s.toHostId) ?? s.toHostId,
    s.mode,
    mib(s.memoryMiB),
    s.status,
  ]);
  const parts = [style.bold(head), '', table(['HOST', 'MEMORY BEFORE', '', 'AFTER', '', ''], hostRows, style), ''];
  parts.push(
    moveRows.length
      ? table(['#', 'MOVE', 'FROM', '', 'TO', 'MODE', 'MEMORY', 'STATUS'], moveRows, style)
      : 'no moves: nothing to consolidate',
  );
  for (const s of plan.skipped) parts.push(`stays: ${instanceNames.get(s.instanceId) ?? s.instanceId} (${s.reason})`);
  return parts.join('\n');
}
