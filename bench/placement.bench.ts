// Placement benchmark: µs per decision of `rankHosts` against a naive in-run baseline
// (filter chains of arrays, map to scores, full sort) on seeded synthetic fleets.
// Run: npx tsx bench/placement.bench.ts

import {
  RESOURCE_DIMENSIONS,
  shortDimensions,
  usableCapacity,
  type Resources,
} from '../src/common/resources.js';
import { Capability, capabilityTraits, type DriverKind } from '../src/hypervisor/capabilities.js';
import { FleetIndex } from '../src/placement/fleet-index.js';
import { rankHosts } from '../src/placement/place.js';
import type {
  FilterName,
  HostCandidate,
  HostState,
  PlacementOptions,
  PlacementRequest,
} from '../src/placement/placement-types.js';
import { pick, randomInt, seededRandom } from './lib/prng.js';
import { formatMicros, iterationsWithin, time, warmUp } from './lib/timing.js';

const TARGET_NS_PER_DECISION = 50_000;
const FLEET_SIZES = [1_000, 10_000];
const BUDGET_NS_PER_MEASUREMENT = 3e9;
const GROUPS = ['web', 'db', 'cache', 'etl'];

// ---------------------------------------------------------------- synthetic fleet and requests

function syntheticFleet(size: number, seed: number): HostCandidate[] {
  const random = seededRandom(seed);
  const traitsByKind = new Map<DriverKind, string[]>(
    (['qemu-kvm', 'xen', 'lxc'] as const).map((k) => [k, capabilityTraits(k)]),
  );
  const hosts: HostCandidate[] = [];
  for (let i = 0; i < size; i++) {
    const roll = random();
    const driverKind: DriverKind = roll < 0.5 ? 'qemu-kvm' : roll < 0.8 ? 'xen' : 'lxc';
    const stateRoll = random();
    const state: HostState =
      stateRoll < 0.9 ? 'enabled' : stateRoll < 0.95 ? 'maintenance' : stateRoll < 0.97 ? 'draining' : stateRoll < 0.99 ? 'offline' : 'standby';
    const traits = [...traitsByKind.get(driverKind)!];
    if (random() < 0.6) traits.push('ssd');
    if (random() < 0.2) traits.push('sriov');
    if (random() < 0.05) traits.push('gpu:a100');
    const physical: Resources = {
      vcpus: pick(random, [32, 48, 64, 96]),
      memoryMiB: pick(random, [128, 256, 512]) * 1024,
      diskGiB: pick(random, [1000, 2000, 4000]),
    };
    const ratios = { cpu: pick(random, [1, 2, 4]), memory: pick(random, [1, 1, 1.2]), disk: 1 };
    const usable = usableCapacity(physical, ratios);
    const load = random(); // hosts range from empty to full; dimensions vary around the load
    const used: Resources = {
      vcpus: Math.floor(usable.vcpus * Math.min(1, load * (0.7 + random() * 0.5))),
      memoryMiB: Math.floor(usable.memoryMiB * Math.min(1, load * (0.7 + random() * 0.5))),
      diskGiB: Math.floor(usable.diskGiB * Math.min(1, load * (0.5 + random() * 0.5))),
    };
    const groupMembers = new Map<string, number>();
    if (random() < 0.2) groupMembers.set(pick(random, GROUPS), randomInt(random, 1, 3));
    if (random() < 0.05) groupMembers.set(pick(random, GROUPS), randomInt(random, 1, 2));
    hosts.push({
      id: `h-${String(i).padStart(5, '0')}`,
      name: `host-${String(i).padStart(5, '0')}`,
      state,
      driverKind,
      traits,
      labels: { zone: `eu-${randomInt(random, 1, 3)}`, rack: `r${randomInt(random, 0, 39)}` },
      physical,
      ratios,
      used,
      groupMembers,
    });
  }
  return hosts;
}

interface Scenario {
  request: PlacementRequest;
  options: PlacementOptions;
}

function scenarios(fleet: readonly HostCandidate[]): Scenario[] {
  const pack: PlacementOptions = { weigher: 'pack' };
  const spread: PlacementOptions = { weigher: 'spread' };
  return [
    { request: { resources: { vcpus: 4, memoryMiB: 8192, diskGiB: 40 }, driverKind: 'qemu-kvm', guestType: 'hvm' }, options: pack },
    {
      request: { resources: { vcpus: 2, memoryMiB: 4096, diskGiB: 20 }, driverKind: 'xen', guestType: 'xen-pv', requiredLabels: { zone: 'eu-2' } },
      options: spread,
    },
    {
      request: {
        resources: { vcpus: 1, memoryMiB: 1024, diskGiB: 10 }, driverKind: 'lxc', guestType: 'container',
        group: { name: 'web', policy: 'anti-affinity', strength: 'soft' },
      },
      options: spread,
    },
    {
      request: {
        resources: { vcpus: 8, memoryMiB: 32768, diskGiB: 100 }, driverKind: 'qemu-kvm', guestType: 'hvm',
        requireCapabilities: [Capability.LiveMigrate], excludeHostIds: [fleet[7]!.id],
        requiredTraits: ['ssd'], forbiddenTraits: ['gpu:a100'],
      },
      options: pack,
    },
    {
      request: {
        resources: { vcpus: 2, memoryMiB: 4096, diskGiB: 20 }, driverKind: 'qemu-kvm', guestType: 'hvm',
        group: { name: 'db', policy: 'anti-affinity', strength: 'hard' },
      },
      options: pack,
    },
    {
      request: {
        resources: { vcpus: 4, memoryMiB: 16384, diskGiB: 80 }, driverKind: 'xen', guestType: 'xen-hvm',
        group: { name: 'cache', policy: 'affinity', strength: 'hard' },
      },
      options: spread,
    },
    {
      request: {
        resources: { vcpus: 2, memoryMiB: 2048, diskGiB: 20 }, driverKind: 'qemu-kvm', guestType: 'hvm',
        group: { name: 'etl', policy: 'affinity', strength: 'soft' },
      },
      options: pack,
    },
  ];
}

// ---------------------------------------------------------------- naive baseline

interface NaiveDecision {
  chosenScore: number | null;
  validHostCount: number;
  rejections: Array<{ filter: FilterName; count: number; examples: string[] }>;
}

/** The obvious implementation: one array per filter, a score object per host, a full sort. */
function naiveRank(hosts: readonly HostCandidate[], request: PlacementRequest, options: PlacementOptions): NaiveDecision {
  const group = request.group;
  const hardAffinityActive =
    group?.policy === 'affinity' && group.strength === 'hard' && hosts.some((h) => (h.groupMembers.get(group.name) ?? 0) > 0);
  const checks: Array<{ name: FilterName; active: boolean; why: (h: HostCandidate) => string | null }> = [
    { name: 'host-state', active: true, why: (h) => (h.state === 'enabled' ? null : h.state) },
    {
      name: 'driver-guest', active: true,
      why: (h) => (h.traits.includes(`driver:${request.driverKind}`) && h.traits.includes(`guest:${request.guestType}`) ? null : 'driver/guest'),
    },
    {
      name: 'capabilities', active: !!request.requireCapabilities?.length,
      why: (h) => (request.requireCapabilities!.every((c) => h.traits.includes(`cap:${c}`)) ? null : 'capability'),
    },
    {
      name: 'traits', active: !!(request.requiredTraits?.length || request.forbiddenTraits?.length),
      why: (h) =>
        (request.requiredTraits ?? []).every((t) => h.traits.includes(t)) && !(request.forbiddenTraits ?? []).some((t) => h.traits.includes(t))
          ? null
          : 'traits',
    },
    {
      name: 'labels', active: !!request.requiredLabels && Object.keys(request.requiredLabels).length > 0,
      why: (h) => (Object.entries(request.requiredLabels!).every(([k, v]) => h.labels[k] === v) ? null : 'labels'),
    },
    { name: 'excluded-host', active: !!request.excludeHostIds?.length, why: (h) => (request.excludeHostIds!.includes(h.id) ? 'excluded' : null) },
    {
      name: 'capacity', active: true,
      why: (h) => {
        const short = shortDimensions(request.resources, h.used, usableCapacity(h.physical, h.ratios));
        return short.length ? `${short.join(', ')} short` : null;
      },
    },
    {
      name: 'anti-affinity', active: group?.policy === 'anti-affinity' && group.strength === 'hard',
      why: (h) => ((h.groupMembers.get(group!.name) ?? 0) === 0 ? null : 'member'),
    },
    { name: 'affinity', active: hardAffinityActive, why: (h) => ((h.groupMembers.get(group!.name) ?? 0) > 0 ? null : 'no member') },
  ];

  let remaining = [...hosts];
  const rejections: NaiveDecision['rejections'] = [];
  for (const check of checks.filter((c) => c.active)) {
    const rejected = remaining.filter((h) => check.why(h) !== null);
    remaining = remaining.filter((h) => check.why(h) === null);
    if (rejected.length > 0) {
      rejections.push({ filter: check.name, count: rejected.length, examples: rejected.slice(0, 3).map((h) => `${h.name} (${check.why(h)})`) });
    }
  }

  const softWeight = options.softGroupWeight ?? 2;
  const scored = remaining.map((h) => {
    const usable = usableCapacity(h.physical, h.ratios);
    const utilisation = Math.max(
      ...RESOURCE_DIMENSIONS.map((d) => (usable[d] > 0 ? (h.used[d] + request.resources[d]) / usable[d] : 0)),
    );
    const breakdown: Record<string, number> = {
      [options.weigher]: options.weigher === 'pack' ? Math.min(1, utilisation) : Math.max(0, 1 - utilisation),
    };
    if (group?.strength === 'soft') {
      const members = h.groupMembers.get(group.name) ?? 0;
      breakdown[group.policy === 'affinity' ? 'soft-affinity' : 'soft-anti-affinity'] =
        softWeight * (group.policy === 'affinity' ? members / (members + 1) : 1 / (members + 1));
    }
    return { host: h, breakdown, score: Object.values(breakdown).reduce((a, b) => a + b, 0) };
  });
  scored.sort((a, b) => b.score - a.score);
  return { chosenScore: scored[0]?.score ?? null, validHostCount: scored.length, rejections };
}

// ---------------------------------------------------------------- run

function sanityCheck(fleet: readonly HostCandidate[], all: readonly Scenario[]): void {
  for (const [i, { request, options }] of all.entries()) {
    const ours = rankHosts(fleet, request, options);
    const naive = naiveRank(fleet, request, options);
    const ourScore = ours.candidates[0]?.score ?? null;
    const scoresAgree =
      ourScore === null || naive.chosenScore === null ? ourScore === naive.chosenScore : Math.abs(ourScore - naive.chosenScore) < 1e-9;
    const countsAgree =
      ours.validHostCount === naive.validHostCount &&
      JSON.stringify(ours.rejections.map((r) => [r.filter, r.count])) === JSON.stringify(naive.rejections.map((r) => [r.filter, r.count]));
    if (!scoresAgree || !countsAgree) {
      throw new Error(
        `scenario ${i}: rankHosts and the naive baseline disagree: ${JSON.stringify({ ours: [ourScore, ours.validHostCount, ours.rejections], naive })}`,
      );
    }
  }
}

interface Row {
  hosts: number;
  naiveNs: number;
  oursNs: number;
  indexBuildNs: number;
}

function benchFleet(size: number): Row {
  const fleet = syntheticFleet(size, 0x5eed + size);
  const all = scenarios(fleet);
  sanityCheck(fleet, all);

  // The index is built once per fleet snapshot; its cost is reported on its own column.
  const build = () => new FleetIndex(fleet);
  warmUp(build, 5);
  const indexBuild = time(build, iterationsWithin(build, BUDGET_NS_PER_MEASUREMENT / 6, 3, 200));
  const index = new FleetIndex(fleet);

  const ours = (i: number) => rankHosts(index, all[i % all.length]!.request, all[i % all.length]!.options);
  const naive = (i: number) => naiveRank(fleet, all[i % all.length]!.request, all[i % all.length]!.options);
  warmUp(ours, 5_000);
  warmUp(naive, 50);
  const naiveTiming = time(naive, iterationsWithin(naive, BUDGET_NS_PER_MEASUREMENT, all.length * 3, 5_000));
  const oursTiming = time(ours, iterationsWithin(ours, BUDGET_NS_PER_MEASUREMENT, all.length * 10, 200_000));
  return { hosts: size, naiveNs: naiveTiming.nsPerCall, oursNs: oursTiming.nsPerCall, indexBuildNs: indexBuild.nsPerCall };
}

function main(): void {
  const started = process.hrtime.bigint();
  const rows = FLEET_SIZES.map(benchFleet);
  const header = [
    'hosts', 'naive/decision', 'ours/decision', 'naive decisions/s', 'ours decisions/s', 'naive/ours',
    `ours ≤ ${TARGET_NS_PER_DECISION / 1000} µs`, 'index build (once/snapshot)',
  ];
  const lines = rows.map((r) => [
    r.hosts.toLocaleString('en-US'),
    formatMicros(r.naiveNs),
    formatMicros(r.oursNs),
    Math.round(1e9 / r.naiveNs).toLocaleString('en-US'),
    Math.round(1e9 / r.oursNs).toLocaleString('en-US'),
    `${(r.naiveNs / r.oursNs).toFixed(1)}×`,
    r.oursNs <= TARGET_NS_PER_DECISION ? 'yes' : 'no',
    formatMicros(r.indexBuildNs),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const format = (cells: string[]) => cells.map((cell, c) => cell.padStart(widths[c]!)).join('  ');
  console.log(
    `placement: ${scenarios(syntheticFleet(10, 1)).length} request shapes cycled, topK 1, ours on a prebuilt FleetIndex; ` +
      'sanity passed: chosen scores, valid-host counts and per-filter rejection counts equal',
  );
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  console.log(`(${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s, node ${process.version})`);
}

main();
