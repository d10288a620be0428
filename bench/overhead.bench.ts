// What each virtualisation technique really costs the host, measured on real guests of the
// private libvirtd: QEMU with KVM (where /dev/kvm works), QEMU/TCG, and LXC. For each guest size,
// repeated: host memory beyond the guest's own, host CPU while the guest idles, start time; and
// once per technique the slowdown of a fixed CPU-bound loop inside the guest against the same
// loop on the host, in host CPU time. Prints min/median/max, fits the overhead model's memory terms
// (src/overhead/overhead-model.ts) and writes a calibration file. Xen is not measured here (no
// Xen host): its terms come from libxl's documented sizing, labelled `documented`.
//
// Run: npx tsx bench/overhead.bench.ts [--out FILE] [--repeats N] [--update-defaults]
//   FILE defaults to overhead-calibration.json; --update-defaults also rewrites the shipped
//   defaults (src/overhead/measured-defaults.ts). Needs root, gcc and the libvirtd of
//   scripts/libvirtd.sh (or VIRTFLEET_TEST_QEMU_URI / VIRTFLEET_TEST_LXC_URI).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import * as libvirt from '@unraid/libvirt';
import {
  fitMemoryTerms,
  spreadOf,
  type OverheadCalibration,
  type OverheadSample,
  type OverheadTechnique,
  type Spread,
  type TechniqueOverhead,
} from '../src/overhead/overhead-model.js';
import { XEN_DOCUMENTED } from '../src/overhead/xen-documented.js';
import { processCpuMs } from './lib/process-cpu.js';
import { bootSector } from './overhead/guest-boot-sector.js';

const socket = '/run/virtfleet-libvirtd/run/libvirt-sock';
const QEMU_URI = process.env.VIRTFLEET_TEST_QEMU_URI ?? `qemu+unix:///system?socket=${socket}`;
const LXC_URI = process.env.VIRTFLEET_TEST_LXC_URI ?? `lxc+unix:///system?socket=${socket}`;
/** Where the daemon keeps its pid files (/run/libvirt inside its mount namespace). */
const DAEMON_RUN_DIR = (/[?&]socket=([^&]+)/.exec(QEMU_URI)?.[1] ?? socket).replace(/\/[^/]*$/, '');

const argument = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const OUT = argument('--out') ?? 'overhead-calibration.json';
const REPEATS = Number(argument('--repeats') ?? 3);
const UPDATE_DEFAULTS = process.argv.includes('--update-defaults');

/** Guest sizes: enough spread in vCPUs and memory to separate the three terms. */
const SIZES = [
  { vcpus: 1, memoryMiB: 256 },
  { vcpus: 1, memoryMiB: 1024 },
  { vcpus: 2, memoryMiB: 512 },
  { vcpus: 4, memoryMiB: 256 },
  { vcpus: 4, memoryMiB: 2048 },
];
/** Iterations of the CPU-bound loop: about 0.6 s of CPU on this host. */
const LOOP_ITERATIONS = 400_000_000;
/** After start: let the BIOS (or the container's init) settle before sampling memory and CPU. */
const SETTLE_MS = 1500;
const IDLE_WINDOW_MS = 2000;
/** The loop inside a guest: 100× the host's time means the accelerator is not running it natively. */
const LOOP_TIMEOUT_MS = 30_000;

const WORK_DIR = '/var/tmp/vf-overhead';

interface Run {
  vcpus: number;
  memoryMiB: number;
  overheadMiB: number;
  idleMillicores: number;
  startMs: number;
}

const tag = `vf-ovh-${process.pid}`;

function qemuXml(name: string, accel: 'kvm' | 'qemu', size: { vcpus: number; memoryMiB: number }, image: string, serial: string): string {
  // One IDE disk (the boot sector), two serial ports; no NIC (no network here).
  return `<domain type='${accel}'><name>${name}</name><memory unit='MiB'>${size.memoryMiB}</memory><vcpu>${size.vcpus}</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${image}'/><target dev='hda' bus='ide'/></disk>
<serial type='null'><target port='0'/></serial>
<serial type='file'><source path='${serial}'/><target port='1'/></serial>
</devices></domain>`;
}

function lxcXml(name: string, size: { vcpus: number; memoryMiB: number }, init: string, args: string[]): string {
  return `<domain type='lxc'><name>${name}</name><memory unit='MiB'>${size.memoryMiB}</memory><vcpu>${size.vcpus}</vcpu>
<os><type>exe</type><init>${init}</init>${args.map((a) => `<initarg>${a}</initarg>`).join('')}</os>
<devices><console type='pty'/></devices></domain>`;
}

function statusKiB(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** The memory cgroup directory of process `pid` (cgroup v1 `memory` controller, or v2). */
function memoryCgroupOf(pid: number): string {
  const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n');
  const v1 = lines.find((l) => l.split(':')[1]?.split(',').includes('memory'));
  if (v1) return `/sys/fs/cgroup/memory${v1.split(':')[2]}`;
  return `/sys/fs/cgroup${lines.find((l) => l.startsWith('0::'))!.slice(3)}`;
}

/**
 * Resident KiB of the guest's RAM block in QEMU process `pid`: the private read-write anonymous
 * mapping exactly the guest's memory in size (QEMU 7.2's monitor does not print host addresses;
 * TCG's 1 GiB translation buffer is the same size but executable).
 */
function guestRamResidentKiB(pid: number, memoryMiB: number): number {
  let residentKiB = 0;
  let isGuestRam = false;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const mapping = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \d+\s*(\S*)/.exec(line);
    if (mapping) {
      const bytes = BigInt(`0x${mapping[2]}`) - BigInt(`0x${mapping[1]}`);
      isGuestRam = bytes === BigInt(memoryMiB) * 1048576n && mapping[3] === 'rw-p' && mapping[4] === '' && residentKiB === 0;
    } else if (isGuestRam && line.startsWith('Rss:')) {
      residentKiB = Number(/\d+/.exec(line)![0]);
    }
  }
  return residentKiB;
}

async function pidOf(driver: 'qemu' | 'lxc', name: string): Promise<number> {
  const file = `${DAEMON_RUN_DIR}/${driver}/${name}.pid`;
  for (let i = 0; i < 100 && !existsSync(file); i++) await sleep(20);
  return Number(readFileSync(file, 'utf8').trim());
}

async function destroy(h: libvirt.Hypervisor, name: string): Promise<void> {
  try {
    await h.domainDestroy(await h.domainLookupByName(name));
  } catch {
    // gone already (a container whose init exited)
  }
}

/** One QEMU guest of `size`: start time, VMM memory beyond guest RAM, idle CPU. */
async function measureQemu(
  h: libvirt.Hypervisor,
  accel: 'kvm' | 'qemu',
  size: { vcpus: number; memoryMiB: number },
  i: number,
): Promise<Run> {
  const name = `${tag}-${accel}-${size.vcpus}-${size.memoryMiB}-${i}`;
  const image = `${WORK_DIR}/idle.img`;
  const started = performance.now();
  await h.domainCreateXML(qemuXml(name, accel, size, image, `${WORK_DIR}/${name}.serial`));
  const startMs = performance.now() - started;
  try {
    const pid = await pidOf('qemu', name);
    await sleep(SETTLE_MS);
    const cpu0 = processCpuMs(pid);
    await sleep(IDLE_WINDOW_MS);
    const idleMillicores = ((processCpuMs(pid) - cpu0) / IDLE_WINDOW_MS) * 1000;
    // The process's resident memory outside the guest's RAM block, plus its page tables (the
    // kernel holds them for the VMM; 2 MiB per GiB of guest RAM once the guest has touched it).
    const guestRamKiB = guestRamResidentKiB(pid, size.memoryMiB);
    const fullyTouchedPteKiB = (size.memoryMiB / 1024) * 2048;
    const overheadMiB = (statusKiB(pid, 'VmRSS') - guestRamKiB + Math.max(statusKiB(pid, 'VmPTE'), fullyTouchedPteKiB)) / 1024;
    return { ...size, overheadMiB, idleMillicores, startMs };
  } finally {
    await destroy(h, name);
  }
}

/** One container of `size` running `sleep`: libvirt_lxc controller + the container's cgroup beyond its init's own RSS. */
async function measureLxc(h: libvirt.Hypervisor, size: { vcpus: number; memoryMiB: number }, i: number): Promise<Run> {
  const name = `${tag}-lxc-${size.vcpus}-${size.memoryMiB}-${i}`;
  const started = performance.now();
  await h.domainCreateXML(lxcXml(name, size, '/bin/sleep', ['3600']));
  const startMs = performance.now() - started;
  try {
    const controller = await pidOf('lxc', name);
    await sleep(SETTLE_MS);
    const cgroup = memoryCgroupOf(controller);
    const guestPids = readFileSync(`${cgroup}/cgroup.procs`, 'utf8')
      .trim()
      .split('\n')
      .map(Number)
      .filter((p) => p !== controller);
    const cgroupBytes = Number(
      readFileSync(`${cgroup}/${cgroup.includes('/memory/') ? 'memory.usage_in_bytes' : 'memory.current'}`, 'utf8'),
    );
    // The guest's own memory is its processes' RSS; what the cgroup holds beyond that (kernel
    // objects of the namespaces, the devpts/proc mounts, page cache) and the controller process
    // are overhead.
    const guestRssKiB = guestPids.reduce((sum, p) => sum + statusKiB(p, 'VmRSS'), 0);
    const cgroupExtraKiB = Math.max(0, cgroupBytes / 1024 - guestRssKiB);
    const cpu0 = processCpuMs(controller) + guestPids.reduce((s, p) => s + processCpuMs(p), 0);
    await sleep(IDLE_WINDOW_MS);
    const cpu1 = processCpuMs(controller) + guestPids.reduce((s, p) => s + processCpuMs(p), 0);
    const overheadMiB = (statusKiB(controller, 'VmRSS') + statusKiB(controller, 'VmPTE') + cgroupExtraKiB) / 1024;
    return { ...size, overheadMiB, idleMillicores: ((cpu1 - cpu0) / IDLE_WINDOW_MS) * 1000, startMs };
  } finally {
    await destroy(h, name);
  }
}

/** CPU milliseconds of QEMU process `pid`'s vCPU threads ("CPU 0/KVM", "CPU 0/TCG"…). */
function vcpuThreadsCpuMs(pid: number): number {
  let ms = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      if (readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').startsWith('CPU '))
        ms += processCpuMs(Number(task), `/proc/${pid}/task/${task}/stat`);
    } catch {
      // thread gone meanwhile
    }
  }
  return ms;
}

/**
 * Host CPU seconds the vCPU threads of a QEMU guest of `image` have used by the time it wrote 'D'
 * (the loop done, or at once for the idle image) on its second serial port: BIOS and the loop.
 * CPU time of the vCPUs only: libvirt's monitor traffic at start-up runs on other threads, and
 * the machine's other load moves wall time far more than CPU time.
 */
async function qemuCpuUntilDone(h: libvirt.Hypervisor, accel: 'kvm' | 'qemu', image: string, label: string): Promise<number | null> {
  const name = `${tag}-${accel}-${label}`;
  const serial = `${WORK_DIR}/${name}.serial`;
  await h.domainCreateXML(qemuXml(name, accel, { vcpus: 1, memoryMiB: 64 }, image, serial));
  try {
    const pid = await pidOf('qemu', name);
    for (const deadline = Date.now() + LOOP_TIMEOUT_MS; Date.now() < deadline; await sleep(2)) {
      if (existsSync(serial) && readFileSync(serial, 'latin1').includes('D')) return vcpuThreadsCpuMs(pid) / 1000;
    }
    // Seen here: /dev/kvm of a nested "PVM" host (no VMX) emulates non-paged guest code.
    console.log(`${name}: no 'D' in ${LOOP_TIMEOUT_MS / 1000} s; this accelerator's slowdown is not measured`);
    return null;
  } finally {
    await destroy(h, name);
  }
}

/** CPU seconds the loop cost inside a QEMU guest: a guest running it minus one that skips it (boot and BIOS cancel out). */
async function loopInQemu(h: libvirt.Hypervisor, accel: 'kvm' | 'qemu', i: number): Promise<number | null> {
  const withLoop = await qemuCpuUntilDone(h, accel, `${WORK_DIR}/loop.img`, `loop-${i}`);
  if (withLoop === null) return null;
  const without = await qemuCpuUntilDone(h, accel, `${WORK_DIR}/idle.img`, `noloop-${i}`);
  return without === null ? null : withLoop - without;
}

/** The loop's CPU seconds as measured by spin.c itself, in a container (the container ends with it). */
async function loopInLxc(h: libvirt.Hypervisor, spin: string, i: number): Promise<number | null> {
  const name = `${tag}-lxc-loop-${i}`;
  const result = `${WORK_DIR}/${name}.result`;
  await h.domainCreateXML(lxcXml(name, { vcpus: 1, memoryMiB: 64 }, spin, [String(LOOP_ITERATIONS), result]));
  try {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(20)) {
      if (existsSync(result) && readFileSync(result, 'utf8').endsWith('\n'))
        return Number(readFileSync(result, 'utf8').split(' ')[0]) / 1e9;
    }
    throw new Error(`${name}: no result in 60 s`);
  } finally {
    await destroy(h, name);
  }
}

function loopOnHost(spin: string, i: number): number {
  const result = `${WORK_DIR}/host-${i}.result`;
  execFileSync(spin, [String(LOOP_ITERATIONS), result]);
  return Number(readFileSync(result, 'utf8').split(' ')[0]) / 1e9;
}

function kvmWorks(): boolean {
  try {
    execFileSync('virsh', ['-c', QEMU_URI, 'domcapabilities', '--virttype', 'kvm'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const fmt = (s: Spread | null, digits = 1) =>
  s ? `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} / ${s.max.toFixed(digits)}` : 'not measured';

async function main(): Promise<void> {
  rmSync(WORK_DIR, { recursive: true, force: true });
  mkdirSync(WORK_DIR, { recursive: true });
  writeFileSync(`${WORK_DIR}/idle.img`, bootSector(1));
  writeFileSync(`${WORK_DIR}/loop.img`, bootSector(LOOP_ITERATIONS));
  const spin = `${WORK_DIR}/spin`;
  execFileSync('gcc', ['-O2', '-o', spin, new URL('./overhead/spin.c', import.meta.url).pathname]);
  const load0 = loadavg();

  const qemu = new libvirt.Hypervisor({ uri: QEMU_URI });
  const lxc = new libvirt.Hypervisor({ uri: LXC_URI });
  await qemu.connectOpen();
  await lxc.connectOpen();
  const accels: ('kvm' | 'qemu')[] = kvmWorks() ? ['kvm', 'qemu'] : ['qemu'];
  const techniqueOfAccel = { kvm: 'qemu-kvm', qemu: 'qemu-tcg' } as const;

  const hostLoop: number[] = [];
  for (let i = 0; i < REPEATS; i++) hostLoop.push(loopOnHost(spin, i));
  console.log(`host loop (${LOOP_ITERATIONS} iterations): ${fmt(spreadOf(hostLoop), 3)} CPU s (min / median / max)`);

  const techniques: Partial<Record<OverheadTechnique, TechniqueOverhead>> = {};
  const rows: string[] = [];
  const measure = async (
    technique: OverheadTechnique,
    one: (size: (typeof SIZES)[number], i: number) => Promise<Run>,
    loop: (i: number) => Promise<number | null>,
  ) => {
    const runs: Run[] = [];
    for (const size of SIZES) {
      const sizeRuns: Run[] = [];
      for (let i = 0; i < REPEATS; i++) sizeRuns.push(await one(size, i));
      runs.push(...sizeRuns);
      rows.push(
        `${technique.padEnd(9)} ${String(size.vcpus).padStart(5)} ${String(size.memoryMiB).padStart(7)}  ` +
          `${fmt(spreadOf(sizeRuns.map((r) => r.overheadMiB))).padEnd(24)} ${fmt(spreadOf(sizeRuns.map((r) => r.idleMillicores))).padEnd(24)} ${fmt(spreadOf(sizeRuns.map((r) => r.startMs)), 0)}`,
      );
      console.log(rows[rows.length - 1]);
    }
    // Each run inside is paired with a host run just before it (CPU time both: load on the
    // machine moves wall time, barely CPU time).
    const ratios: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const onHost = loopOnHost(spin, i);
      const inside = await loop(i);
      if (inside === null) break;
      ratios.push(inside / onHost);
    }
    const slowdown = ratios.length ? spreadOf(ratios) : null;
    // The fit uses each size's median, so one noisy run does not move a term.
    const samples: OverheadSample[] = SIZES.map((size) => ({
      ...size,
      overheadMiB: spreadOf(runs.filter((r) => r.vcpus === size.vcpus && r.memoryMiB === size.memoryMiB).map((r) => r.overheadMiB)).median,
    }));
    techniques[technique] = {
      memory: fitMemoryTerms(samples),
      idleMillicores: spreadOf(runs.map((r) => r.idleMillicores)),
      cpuSlowdown: slowdown,
      startMs: spreadOf(runs.map((r) => r.startMs)),
      source: 'measured',
    };
    console.log(
      `${technique}: CPU loop slowdown inside vs host ${fmt(slowdown, 2)}; memory terms ${JSON.stringify(techniques[technique]!.memory)}`,
    );
  };

  console.log('technique vcpus mem MiB  overhead MiB min/med/max   idle millicores min/med/max  start ms min/med/max');
  for (const accel of accels) {
    await measure(
      techniqueOfAccel[accel],
      (size, i) => measureQemu(qemu, accel, size, i),
      (i) => loopInQemu(qemu, accel, i),
    );
  }
  await measure(
    'lxc',
    (size, i) => measureLxc(lxc, size, i),
    (i) => loopInLxc(lxc, spin, i),
  );
  await qemu.connectClose();
  await lxc.connectClose();

  if (!techniques['qemu-kvm']) {
    // No working /dev/kvm: QEMU guests here run under TCG, and are charged what TCG costs.
    techniques['qemu-kvm'] = { ...techniques['qemu-tcg']!, note: 'no /dev/kvm on the measuring host: these are the TCG figures' };
  }
  techniques.xen = XEN_DOCUMENTED;
  const load1 = loadavg();
  const calibration: OverheadCalibration = {
    measuredAt: new Date().toISOString(),
    machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; load average ${load0[0]!.toFixed(2)} at start, ${load1[0]!.toFixed(2)} at end; ${REPEATS} runs per size`,
    techniques: techniques as Record<OverheadTechnique, TechniqueOverhead>,
  };
  writeFileSync(OUT, `${JSON.stringify(calibration, null, 2)}\n`);
  console.log(`\nfitted memory overhead (MiB = fixed + perVcpu × vCPUs + perGuest × guest MiB):`);
  for (const [t, o] of Object.entries(calibration.techniques)) {
    console.log(
      `  ${t.padEnd(9)} ${o.memory.fixedMiB.toFixed(1)} + ${o.memory.perVcpuMiB.toFixed(2)} × vCPUs + ${o.memory.perGuestMiB.toFixed(4)} × MiB  (${o.source})`,
    );
  }
  console.log(`calibration written to ${OUT} (${calibration.machine})`);
  if (UPDATE_DEFAULTS) {
    const target = new URL('../src/overhead/measured-defaults.ts', import.meta.url).pathname;
    writeFileSync(
      target,
      `// Written by \`npx tsx bench/overhead.bench.ts --update-defaults\`: the overhead model's shipped\n` +
        `// defaults, measured on virtfleet's own development machine. Re-measure rather than edit.\n` +
        `import type { OverheadCalibration } from './overhead-model.js';\n\n` +
        `export const MEASURED_DEFAULTS: OverheadCalibration = ${JSON.stringify(calibration, null, 2)};\n`,
    );
    console.log(`shipped defaults rewritten: ${target}`);
  }
  rmSync(WORK_DIR, { recursive: true, force: true });
}

await main();
