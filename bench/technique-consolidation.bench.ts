// The consolidation argument, quantified: one workload mix packed as VMs (qemu-kvm), as
// containers (lxc), under Xen (documented overhead, not measured) and with no overhead at all,
// each guest charged its technique's overhead from the shipped measurements
// (src/overhead/measured-defaults.ts, written by bench/overhead.bench.ts). Packed by the
// consolidation planner itself (`packWithPlanner`) and by first-fit decreasing; prints hosts
// needed, density (guests per host) and the difference VMs − containers.
// Run: npx tsx bench/technique-consolidation.bench.ts [--calibration FILE]
import { readFileSync } from 'node:fs';
import type { Resources } from '../src/common/resources.js';
import { firstFitDecreasing, packWithPlanner } from './lib/vector-packing.js';
import type { DriverKind } from '../src/hypervisor/capabilities.js';
import { MEASURED_CHARGES, OverheadCharges } from '../src/overhead/overhead-charges.js';
import { parseCalibration } from '../src/overhead/overhead-model.js';
import { pick, randomInt, seededRandom } from './lib/prng.js';

const calibrationFile = process.argv.includes('--calibration') ? process.argv[process.argv.indexOf('--calibration') + 1] : undefined;
const charges = calibrationFile
  ? new OverheadCharges(parseCalibration(JSON.parse(readFileSync(calibrationFile, 'utf8'))))
  : MEASURED_CHARGES;

/** A host as capacity sees it: 16 cores at the default 4:1 CPU ratio, 64 GiB, no memory overcommit. */
const GENERAL_HOST: Resources = { vcpus: 64, memoryMiB: 65536, diskGiB: 2000 };
/** Mostly idle small services: 16 cores at 16:1, 16 GiB; memory is what runs out. */
const DENSE_HOST: Resources = { vcpus: 256, memoryMiB: 16384, diskGiB: 2000 };

interface Mix {
  name: string;
  host: Resources;
  guests: number;
  draw: (random: () => number) => Resources;
}

const MIXES: Mix[] = [
  // Small same-OS services, memory-bound: where a per-guest fixed cost weighs most.
  {
    name: 'micro-services (1 vCPU, 64-256 MiB) on dense hosts (256 vCPUs, 16 GiB)',
    host: DENSE_HOST,
    guests: 2000,
    draw: (r) => ({ vcpus: 1, memoryMiB: pick(r, [64, 128, 192, 256]), diskGiB: 1 }),
  },
  {
    name: 'small (1-2 vCPUs, 256-1024 MiB) on dense hosts',
    host: DENSE_HOST,
    guests: 400,
    draw: (r) => ({ vcpus: randomInt(r, 1, 2), memoryMiB: pick(r, [256, 512, 768, 1024]), diskGiB: 5 }),
  },
  // CPU-bound at 4:1: memory overhead changes nothing until memory binds.
  {
    name: 'small (1-2 vCPUs, 256-1024 MiB) on general hosts (64 vCPUs, 64 GiB)',
    host: GENERAL_HOST,
    guests: 400,
    draw: (r) => ({ vcpus: randomInt(r, 1, 2), memoryMiB: pick(r, [256, 512, 768, 1024]), diskGiB: 5 }),
  },
  {
    name: 'mixed (1-4 vCPUs, 512 MiB-8 GiB) on general hosts',
    host: GENERAL_HOST,
    guests: 400,
    draw: (r) => ({ vcpus: randomInt(r, 1, 4), memoryMiB: pick(r, [512, 1024, 2048, 4096, 8192]), diskGiB: 20 }),
  },
  // Guests of exactly half a host's memory: any overhead at all leaves room for one, not two.
  {
    name: 'large (4-8 vCPUs, 8-32 GiB) on general hosts',
    host: GENERAL_HOST,
    guests: 200,
    draw: (r) => ({ vcpus: randomInt(r, 4, 8), memoryMiB: pick(r, [8192, 16384, 32768]), diskGiB: 50 }),
  },
];

const TECHNIQUES: { label: string; kind: DriverKind | null }[] = [
  { label: 'no overhead', kind: null },
  { label: 'containers (lxc)', kind: 'lxc' },
  { label: 'VMs (qemu-kvm)', kind: 'qemu-kvm' },
  { label: 'Xen (documented)', kind: 'xen' },
];

console.log(`overheads from ${calibrationFile ?? 'the shipped measurements'} (${charges.calibration.measuredAt})`);
for (const t of TECHNIQUES.filter((t) => t.kind)) {
  const m = charges.technique(t.kind!).memory;
  console.log(
    `  ${t.label.padEnd(18)} ${m.fixedMiB.toFixed(1)} MiB + ${m.perVcpuMiB.toFixed(2)} MiB/vCPU + ${(m.perGuestMiB * 100).toFixed(2)} % of guest memory (${charges.technique(t.kind!).source})`,
  );
}

for (const mix of MIXES) {
  const random = seededRandom(21);
  const asked = Array.from({ length: mix.guests }, () => mix.draw(random));
  console.log(`\n${mix.name}: ${mix.guests} guests`);
  console.log(
    `  ${'technique'.padEnd(18)} ${'charged MiB'.padStart(12)} ${'memory/host'.padStart(12)} ${'hosts (planner)'.padStart(16)} ${'hosts (FFD)'.padStart(12)} ${'guests/host'.padStart(12)}`,
  );
  const hostsBy = new Map<string, number>();
  const memoryBy = new Map<string, number>();
  for (const t of TECHNIQUES) {
    const charged = t.kind ? asked.map((a) => charges.charged(t.kind!, a)) : asked;
    const planner = packWithPlanner(charged, mix.host).length;
    const ffd = firstFitDecreasing(charged, mix.host).length;
    hostsBy.set(t.label, planner);
    const memory = charged.reduce((s, c) => s + c.memoryMiB, 0);
    memoryBy.set(t.label, memory);
    // Charged memory in hosts' worth: the memory-bound host count before rounding up.
    console.log(
      `  ${t.label.padEnd(18)} ${String(memory).padStart(12)} ${(memory / mix.host.memoryMiB).toFixed(2).padStart(12)} ${String(planner).padStart(16)} ${String(ffd).padStart(12)} ${(mix.guests / planner).toFixed(1).padStart(12)}`,
    );
  }
  const vms = hostsBy.get('VMs (qemu-kvm)')!;
  const containers = hostsBy.get('containers (lxc)')!;
  const memoryMore = ((memoryBy.get('VMs (qemu-kvm)')! / memoryBy.get('containers (lxc)')! - 1) * 100).toFixed(1);
  console.log(
    `  VMs − containers: ${vms - containers} host(s) (${(((vms - containers) / containers) * 100).toFixed(1)} %); VMs are charged ${memoryMore} % more memory`,
  );
}
