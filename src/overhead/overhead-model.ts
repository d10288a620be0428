// What running a guest costs a host beyond the guest's own size, per virtualisation technique:
// the VMM process and emulated devices of full emulation, the controller and cgroup of a
// container, dom0 and the hypervisor of Xen. Fitted from bench/overhead.bench.ts measurements
// (fixed + per-vCPU + proportional-to-memory terms) and charged on top of the asked size in
// every claim, so placement, the capacity trigger, consolidation and metrics agree. Pure.
import type { DriverKind } from '../hypervisor/capabilities.js';
import type { Resources } from '../common/resources.js';

/** Techniques measured or documented. `qemu-tcg` is QEMU without /dev/kvm (pure emulation). */
export const OVERHEAD_TECHNIQUES = ['qemu-kvm', 'qemu-tcg', 'lxc', 'xen'] as const;
export type OverheadTechnique = (typeof OVERHEAD_TECHNIQUES)[number];

/** Host memory a guest costs beyond its own RAM: fixedMiB + perVcpuMiB × vCPUs + perGuestMiB × guest MiB. */
export interface MemoryOverheadTerms {
  fixedMiB: number;
  perVcpuMiB: number;
  /** A fraction of the guest's memory (page tables, per-page structures). */
  perGuestMiB: number;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface TechniqueOverhead {
  memory: MemoryOverheadTerms;
  /** Host CPU an idle guest costs, in thousandths of one core (median over sizes and runs). */
  idleMillicores: Spread | null;
  /** Host CPU time of the fixed CPU-bound workload inside the guest ÷ on the host (1 = no slowdown). */
  cpuSlowdown: Spread | null;
  /** From the start call until libvirt reports the guest running, milliseconds. */
  startMs: Spread | null;
  /** `measured` here, or `documented`: taken from the cited source, never measured by us. */
  source: 'measured' | 'documented';
  note?: string;
}

export interface OverheadCalibration {
  /** ISO time of the measurement run. */
  measuredAt: string;
  /** The machine and its load while measuring, in words (CPU model, cores, load average). */
  machine: string;
  techniques: Record<OverheadTechnique, TechniqueOverhead>;
}

/** The technique whose overhead a driver's guests are charged (a qemu-kvm host runs KVM; TCG-only hosts can be given the qemu-tcg terms). */
export function techniqueOf(driverKind: DriverKind): OverheadTechnique {
  return driverKind;
}

/** Host memory beyond the guest's own for a guest of `size`, whole MiB rounded up (0 for no overhead). */
export function memoryOverheadMiB(terms: MemoryOverheadTerms, size: Pick<Resources, 'vcpus' | 'memoryMiB'>): number {
  const raw = terms.fixedMiB + terms.perVcpuMiB * size.vcpus + terms.perGuestMiB * size.memoryMiB;
  return Math.max(0, Math.ceil(raw - 1e-9));
}

/** What a claim reserves on a host: the asked size plus the technique's memory overhead. vCPUs and disk are charged as asked. */
export function chargedResources(asked: Resources, terms: MemoryOverheadTerms): Resources {
  return { ...asked, memoryMiB: asked.memoryMiB + memoryOverheadMiB(terms, asked) };
}

export interface OverheadSample {
  vcpus: number;
  memoryMiB: number;
  overheadMiB: number;
}

/**
 * Least-squares fit of `overheadMiB ≈ fixed + perVcpu × vcpus + perGuest × memoryMiB`, with no
 * term below zero (a negative term would promise memory back for bigger guests): a term fitted
 * negative is fixed at zero and the others fitted again.
 */
export function fitMemoryTerms(samples: readonly OverheadSample[]): MemoryOverheadTerms {
  if (samples.length === 0) throw new RangeError('fitMemoryTerms needs at least one sample');
  const columns: ((s: OverheadSample) => number)[] = [() => 1, (s) => s.vcpus, (s) => s.memoryMiB];
  let active = [0, 1, 2];
  for (;;) {
    const coefficients = leastSquares(
      samples,
      active.map((c) => columns[c]!),
    );
    const negative = coefficients.findIndex((v) => v < 0);
    if (negative < 0 || active.length === 1) {
      const terms = [0, 0, 0];
      active.forEach((c, i) => (terms[c] = Math.max(0, coefficients[i]!)));
      return { fixedMiB: terms[0]!, perVcpuMiB: terms[1]!, perGuestMiB: terms[2]! };
    }
    active = active.filter((_, i) => i !== negative);
  }
}

/** Normal equations solved by Gaussian elimination; a column the samples do not vary gets 0. */
function leastSquares(samples: readonly OverheadSample[], columns: ((s: OverheadSample) => number)[]): number[] {
  const n = columns.length;
  const a = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  for (const s of samples) {
    const x = columns.map((c) => c(s));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) a[i]![j]! += x[i]! * x[j]!;
      a[i]![n]! += x[i]! * s.overheadMiB;
    }
  }
  const solution = new Array<number>(n).fill(0);
  const singular = new Array<boolean>(n).fill(false);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    if (Math.abs(a[col]![col]!) < 1e-9) {
      singular[col] = true;
      continue;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let k = col; k <= n; k++) a[r]![k]! -= f * a[col]![k]!;
    }
  }
  for (let i = 0; i < n; i++) solution[i] = singular[i] ? 0 : a[i]![n]! / a[i]![i]!;
  return solution;
}

/** min / median / max of `values` (median of an even count: the mean of the middle two). */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('spreadOf needs at least one value');
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

/** A calibration that charges nothing: the asked size is the charged size. */
export function zeroCalibration(from: OverheadCalibration): OverheadCalibration {
  const none = (t: TechniqueOverhead): TechniqueOverhead => ({
    ...t,
    memory: { fixedMiB: 0, perVcpuMiB: 0, perGuestMiB: 0 },
    note: 'overhead charging is off',
  });
  return {
    ...from,
    techniques: Object.fromEntries(OVERHEAD_TECHNIQUES.map((t) => [t, none(from.techniques[t])])) as Record<
      OverheadTechnique,
      TechniqueOverhead
    >,
  };
}

/**
 * A calibration file (bench/overhead.bench.ts --out) checked field by field: every technique
 * with finite, non-negative memory terms. Throws a RangeError naming the first bad field.
 */
export function parseCalibration(json: unknown): OverheadCalibration {
  const fail = (what: string): never => {
    throw new RangeError(`overhead calibration: ${what}`);
  };
  if (typeof json !== 'object' || json === null) fail('not a JSON object');
  const c = json as Partial<OverheadCalibration>;
  if (typeof c.techniques !== 'object' || c.techniques === null) fail('no "techniques"');
  for (const t of OVERHEAD_TECHNIQUES) {
    const memory = c.techniques![t]?.memory as Partial<MemoryOverheadTerms> | undefined;
    if (!memory) fail(`technique "${t}" has no memory terms`);
    for (const term of ['fixedMiB', 'perVcpuMiB', 'perGuestMiB'] as const) {
      const v = memory![term];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`${t}.memory.${term} must be a non-negative number`);
    }
  }
  return {
    measuredAt: String(c.measuredAt ?? ''),
    machine: String(c.machine ?? ''),
    techniques: c.techniques as Record<OverheadTechnique, TechniqueOverhead>,
  };
}
