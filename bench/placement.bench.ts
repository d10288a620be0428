// Placement benchmark: µs per decision of `rankHosts` (the full, explained decision) and of
// the claim path (`chooseHosts`, each decision followed by the claim the API records) against a
// naive in-run baseline (filter chains of arrays, map to scores, full sort) on seeded synthetic
// fleets.
// Run: npx tsx bench/placement.bench.ts

import { RESOURCE_DIMENSIONS, shortDimensions, usableCapacity, type Resources } from '../src/common/resources.js';
import { Capability, capabilityTraits, type DriverKind } from '../src/hypervisor/capabilities.js';
import { buildFlavourRanking, chooseHosts } from '../src/placement/choose-hosts.js';
import { FleetIndex } from '../src/placement/fleet-index.js';
import { rankHosts } from '../src/placement/rank-hosts.js';
import type { FilterName, HostCandidate, HostState, PlacementOptions, PlacementRequest } from '../src/placement/placement-types.js';
import { pick, randomInt, seededRandom } from './lib/prng.js';
import { formatMicros, iterationsWithin, time, warmUp } from './lib/timing.js';

const TARGET_NS_PER_DECISION = 50_000;
const FLEET_SIZES = [1_000, 10_000];
const BUDGET_NS_PER_MEASUREMENT = 3e9;
const GROUPS = ['web', 'db', 'cache', 'etl'];
/** Candidates the API lists per claim (PlacementService's CLAIM_ATTEMPTS). */
const CLAIM_LIST_TOP = 5;
/**
 * Claims recorded on one index before the claim path starts again from a fresh index of the
 * same fleet, so that claims never fill the fleet's hosts; the rebuild and the rankings' first
 * builds (reported on their own) are not timed.
 */
const claimsPerIndex = (hosts: number) => Math.max(700, hosts / 10);
/**
 * Claims one API snapshot serves: it is refreshed every 500 ms (PlacementService's
 * SNAPSHOT_TTL_MS), ≈150 claims at 300 claims/s. Each flavour in use is built once per
 * snapshot, so the amortised column adds (flavours × build) / this to the claim path.
 */
const CLAIMS_PER_SNAPSHOT = 150;

// ---------------------------------------------------------------- synthetic fleet and requests

function syntheticFleet(size: number, seed: number): HostCandidate[] {
  const random = seededRandom(seed);
  const traitsByKind = new Map<DriverKind, string[]>((['qemu-kvm', 'xen', 'lxc'] as const).map((k) => [k, capabilityTraits(k)]));
  const hosts: HostCandidate[] = [];
  for (let i = 0; i < size; i++) {
    const roll = random();
    const driverKind: DriverKind = roll < 0.5 ? 'qemu-kvm' : roll < 0.8 ? 'xen' : 'lxc';
    const stateRoll = random();
    const state: HostState =
      stateRoll < 0.9
        ? 'enabled'
        : stateRoll < 0.95
          ? 'maintenance'
          : stateRoll < 0.97
            ? 'draining'
            : stateRoll < 0.99
              ? 'offline'
              : 'standby';
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
  name: string;
  request: PlacementRequest;
  options: PlacementOptions;
}

function scenarios(fleet: readonly HostCandidate[]): Scenario[] {
  const pack: PlacementOptions = { weigher: 'pack' };
  const spread: PlacementOptions = { weigher: 'spread' };
  return [
    {
      name: 'pack kvm',
      request: { resources: { vcpus: 4, memoryMiB: 8192, diskGiB: 40 }, driverKind: 'qemu-kvm', guestType: 'hvm' },
      options: pack,
    },
    {
      name: 'spread xen zone=eu-2',
      request: {
        resources: { vcpus: 2, memoryMiB: 4096, diskGiB: 20 },
        driverKind: 'xen',
        guestType: 'xen-pv',
        requiredLabels: { zone: 'eu-2' },
      },
      options: spread,
    },
    {
      name: 'spread lxc soft anti-affinity',
      request: {
        resources: { vcpus: 1, memoryMiB: 1024, diskGiB: 10 },
        driverKind: 'lxc',
        guestType: 'container',
        group: { name: 'web', policy: 'anti-affinity', strength: 'soft' },
      },
      options: spread,
    },
    {
      name: 'pack kvm live-migrate ssd !gpu, 1 excluded',
      request: {
        resources: { vcpus: 8, memoryMiB: 32768, diskGiB: 100 },
        driverKind: 'qemu-kvm',
        guestType: 'hvm',
        requireCapabilities: [Capability.LiveMigrate],
        excludeHostIds: [fleet[7]!.id],
        requiredTraits: ['ssd'],
        forbiddenTraits: ['gpu:a100'],
      },
      options: pack,
    },
    {
      name: 'pack kvm hard anti-affinity',
      request: {
        resources: { vcpus: 2, memoryMiB: 4096, diskGiB: 20 },
        driverKind: 'qemu-kvm',
        guestType: 'hvm',
        group: { name: 'db', policy: 'anti-affinity', strength: 'hard' },
      },
      options: pack,
    },
    {
      name: 'spread xen hard affinity',
      request: {
        resources: { vcpus: 4, memoryMiB: 16384, diskGiB: 80 },
        driverKind: 'xen',
        guestType: 'xen-hvm',
        group: { name: 'cache', policy: 'affinity', strength: 'hard' },
      },
      options: spread,
    },
    {
      name: 'pack kvm soft affinity',
      request: {
        resources: { vcpus: 2, memoryMiB: 2048, diskGiB: 20 },
        driverKind: 'qemu-kvm',
        guestType: 'hvm',
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
      name: 'driver-guest',
      active: true,
      why: (h) =>
        h.traits.includes(`driver:${request.driverKind}`) && h.traits.includes(`guest:${request.guestType}`) ? null : 'driver/guest',
    },
    {
      name: 'capabilities',
      active: !!request.requireCapabilities?.length,
      why: (h) => (request.requireCapabilities!.every((c) => h.traits.includes(`cap:${c}`)) ? null : 'capability'),
    },
    {
      name: 'traits',
      active: !!(request.requiredTraits?.length || request.forbiddenTraits?.length),
      why: (h) =>
        (request.requiredTraits ?? []).every((t) => h.traits.includes(t)) &&
        !(request.forbiddenTraits ?? []).some((t) => h.traits.includes(t))
          ? null
          : 'traits',
    },
    {
      name: 'labels',
      active: !!request.requiredLabels && Object.keys(request.requiredLabels).length > 0,
      why: (h) => (Object.entries(request.requiredLabels!).every(([k, v]) => h.labels[k] === v) ? null : 'labels'),
    },
    {
      name: 'excluded-host',
      active: !!request.excludeHostIds?.length,
      why: (h) => (request.excludeHostIds!.includes(h.id) ? 'excluded' : null),
    },
    {
      name: 'capacity',
      active: true,
      why: (h) => {
        const short = shortDimensions(request.resources, h.used, usableCapacity(h.physical, h.ratios));
        return short.length ? `${short.join(', ')} short` : null;
      },
    },
    {
      name: 'anti-affinity',
      active: group?.policy === 'anti-affinity' && group.strength === 'hard',
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
      rejections.push({
        filter: check.name,
        count: rejected.length,
        examples: rejected.slice(0, 3).map((h) => `${h.name} (${check.why(h)})`),
      });
    }
  }

  const softWeight = options.softGroupWeight ?? 2;
  const scored = remaining.map((h) => {
    const usable = usableCapacity(h.physical, h.ratios);
    const utilisation = Math.max(...RESOURCE_DIMENSIONS.map((d) => (usable[d] > 0 ? (h.used[d] + request.resources[d]) / usable[d] : 0)));
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

const claimOptions = (options: PlacementOptions): PlacementOptions => ({ ...options, listTop: CLAIM_LIST_TOP });

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

/**
 * The claim path against rankHosts on one index through a sequence of claims: the same chosen
 * host and the same listed candidates, scores equal to the bit.
 */
function sanityCheckClaimPath(fleet: readonly HostCandidate[], all: readonly Scenario[], claims: number): void {
  const index = new FleetIndex(fleet);
  for (let i = 0; i < claims; i++) {
    const { name, request, options } = all[i % all.length]!;
    const full = rankHosts(index, request, claimOptions(options));
    const fast = chooseHosts(index, request, claimOptions(options));
    const same =
      fast === null
        ? full.chosen === null
        : fast.chosen === full.chosen &&
          fast.candidates.length === full.candidates.length &&
          fast.candidates.every((c, k) => c.hostId === full.candidates[k]!.hostId && Object.is(c.score, full.candidates[k]!.score));
    if (!same)
      throw new Error(`claim ${i} (${name}): chooseHosts and rankHosts disagree: ${JSON.stringify({ fast, full: full.candidates })}`);
    if (full.chosen !== null) index.claim(full.chosen, request.resources, request.group?.name);
  }
}

interface ClaimPathTiming {
  nsPerDecision: number;
  nsPerScenario: number[];
  /** Decisions for which chooseHosts found no host and rankHosts was asked why, as the API does. */
  fallbacks: number;
  decisions: number;
}

/**
 * Claim-path decisions as the API makes them, each followed by its `claim` on the index (so the
 * rankings see every update), on fresh indexes of `fleet` started every `claimsPerIndex`
 * claims. Each decision + claim is timed on its own (hrtime costs well under 1% of one).
 */
function claimPath(fleet: readonly HostCandidate[], all: readonly Scenario[], budgetNs: number): ClaimPathTiming {
  const nsPerScenario = all.map(() => 0);
  const decisionsPerScenario = all.map(() => 0);
  let spent = 0;
  let decisions = 0;
  let fallbacks = 0;
  while (spent < budgetNs) {
    const index = new FleetIndex(fleet);
    for (const { request, options } of all) chooseHosts(index, request, claimOptions(options)); // first builds, untimed
    for (let i = 0; i < claimsPerIndex(fleet.length); i++) {
      const s = i % all.length;
      const { request, options } = all[s]!;
      const start = process.hrtime.bigint();
      let chosen = chooseHosts(index, request, claimOptions(options))?.chosen ?? null;
      if (chosen === null) {
        fallbacks++;
        chosen = rankHosts(index, request, claimOptions(options)).chosen;
      }
      if (chosen !== null) index.claim(chosen, request.resources, request.group?.name);
      const ns = Number(process.hrtime.bigint() - start);
      nsPerScenario[s]! += ns;
      decisionsPerScenario[s]!++;
      spent += ns;
      decisions++;
    }
  }
  return {
    nsPerDecision: spent / decisions,
    nsPerScenario: nsPerScenario.map((ns, s) => ns / decisionsPerScenario[s]!),
    fallbacks,
    decisions,
  };
}

interface Row {
  hosts: number;
  naiveNs: number;
  oursNs: number;
  indexBuildNs: number;
  claim: ClaimPathTiming;
  flavourBuildNs: number;
}

function benchFleet(size: number): Row {
  const fleet = syntheticFleet(size, 0x5eed + size);
  const all = scenarios(fleet);
  sanityCheck(fleet, all);
  sanityCheckClaimPath(fleet, all, claimsPerIndex(size));

  // The index is built once per fleet snapshot; its cost is reported on its own column.
  const build = () => new FleetIndex(fleet);
  warmUp(build, 5);
  const indexBuild = time(build, iterationsWithin(build, BUDGET_NS_PER_MEASUREMENT / 6, 3, 200));
  const index = new FleetIndex(fleet);

  // A flavour's ranking is built on the first claim of that flavour per index, then kept current.
  const buildFlavour = (i: number) => buildFlavourRanking(index, all[i % all.length]!.request, claimOptions(all[i % all.length]!.options));
  warmUp(buildFlavour, 50);
  const flavourBuild = time(buildFlavour, iterationsWithin(buildFlavour, BUDGET_NS_PER_MEASUREMENT / 6, all.length * 3, 20_000));

  const ours = (i: number) => rankHosts(index, all[i % all.length]!.request, all[i % all.length]!.options);
  const naive = (i: number) => naiveRank(fleet, all[i % all.length]!.request, all[i % all.length]!.options);
  warmUp(ours, 5_000);
  warmUp(naive, 50);
  const naiveTiming = time(naive, iterationsWithin(naive, BUDGET_NS_PER_MEASUREMENT, all.length * 3, 5_000));
  const oursTiming = time(ours, iterationsWithin(ours, BUDGET_NS_PER_MEASUREMENT, all.length * 10, 200_000));
  claimPath(fleet, all, BUDGET_NS_PER_MEASUREMENT / 10); // warm-up
  const claim = claimPath(fleet, all, BUDGET_NS_PER_MEASUREMENT);
  return {
    hosts: size,
    naiveNs: naiveTiming.nsPerCall,
    oursNs: oursTiming.nsPerCall,
    indexBuildNs: indexBuild.nsPerCall,
    claim,
    flavourBuildNs: flavourBuild.nsPerCall,
  };
}

function printTable(header: string[], lines: string[][], alignLeft = new Set<number>()): void {
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const format = (cells: string[]) =>
    cells.map((cell, c) => (alignLeft.has(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
}

function main(): void {
  const started = process.hrtime.bigint();
  const rows = FLEET_SIZES.map(benchFleet);
  const target = `≤ ${TARGET_NS_PER_DECISION / 1000} µs`;
  const all = scenarios(syntheticFleet(10, 1));
  console.log(
    `placement: ${all.length} request shapes cycled. full = rankHosts (explained: counts, rejections), ties to the first host, on a prebuilt FleetIndex. ` +
      `claim = chooseHosts (listTop ${CLAIM_LIST_TOP}, as the API calls it on its shared snapshot; the API ranks requests with a group or a pinned host ` +
      `on a fresh read with rankHosts instead), each decision followed by its index.claim (timed with it), ` +
      `on a fresh index every max(700, hosts/10) claims (rebuild and first flavour builds untimed; build cost per flavour on its own column, ` +
      `and amortised over ${CLAIMS_PER_SNAPSHOT} claims per snapshot with all ${all.length} flavours in use). ` +
      'Sanity passed: full vs naive (chosen scores, valid-host counts, per-filter rejection counts); claim vs full after each claim of such a sequence (chosen, candidates, scores to the bit)',
  );
  printTable(
    [
      'hosts',
      'naive/decision',
      'full/decision',
      'naive/full',
      `full ${target}`,
      'claim/decision',
      'naive/claim',
      `claim ${target}`,
      'slowest shape (claim)',
      `claim + builds amortised`,
      'fallbacks',
      'index build (once/snapshot)',
      'flavour build (once/flavour/index)',
    ],
    rows.map((r) => {
      const slowest = Math.max(...r.claim.nsPerScenario);
      return [
        r.hosts.toLocaleString('en-US'),
        formatMicros(r.naiveNs),
        formatMicros(r.oursNs),
        `${(r.naiveNs / r.oursNs).toFixed(1)}×`,
        r.oursNs <= TARGET_NS_PER_DECISION ? 'yes' : 'no',
        formatMicros(r.claim.nsPerDecision),
        `${(r.naiveNs / r.claim.nsPerDecision).toFixed(0)}×`,
        r.claim.nsPerDecision <= TARGET_NS_PER_DECISION && slowest <= TARGET_NS_PER_DECISION ? 'yes (every shape)' : 'no',
        formatMicros(slowest),
        formatMicros(r.claim.nsPerDecision + (all.length * r.flavourBuildNs) / CLAIMS_PER_SNAPSHOT),
        `${r.claim.fallbacks} of ${r.claim.decisions.toLocaleString('en-US')}`,
        formatMicros(r.indexBuildNs),
        formatMicros(r.flavourBuildNs),
      ];
    }),
  );
  console.log('\nclaim path per request shape (decision + claim):');
  printTable(
    ['shape', ...rows.map((r) => `${r.hosts.toLocaleString('en-US')} hosts`)],
    all.map((scenario, s) => [scenario.name, ...rows.map((r) => formatMicros(r.claim.nsPerScenario[s]!))]),
    new Set([0]),
  );
  console.log(`(${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s, node ${process.version})`);
}

main();
