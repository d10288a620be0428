import {
  chargedResources,
  fitMemoryTerms,
  memoryOverheadMiB,
  parseCalibration,
  spreadOf,
  zeroCalibration,
  type OverheadSample,
} from './overhead-model.js';
import { MEASURED_DEFAULTS } from './measured-defaults.js';

const sizes = [
  { vcpus: 1, memoryMiB: 256 },
  { vcpus: 1, memoryMiB: 1024 },
  { vcpus: 2, memoryMiB: 512 },
  { vcpus: 4, memoryMiB: 256 },
  { vcpus: 4, memoryMiB: 2048 },
];

describe('memoryOverheadMiB', () => {
  it('adds the fixed, per-vCPU and per-guest-MiB terms and rounds up to a whole MiB', () => {
    expect(memoryOverheadMiB({ fixedMiB: 30, perVcpuMiB: 1.5, perGuestMiB: 0.002 }, { vcpus: 2, memoryMiB: 1024 })).toBe(
      Math.ceil(30 + 3 + 2.048),
    );
  });

  it('charges nothing for a technique without overhead', () => {
    expect(memoryOverheadMiB({ fixedMiB: 0, perVcpuMiB: 0, perGuestMiB: 0 }, { vcpus: 8, memoryMiB: 4096 })).toBe(0);
  });
});

describe('chargedResources', () => {
  it('charges memory overhead on top of the asked size and leaves vCPUs and disk as asked', () => {
    expect(chargedResources({ vcpus: 2, memoryMiB: 512, diskGiB: 10 }, { fixedMiB: 32, perVcpuMiB: 0, perGuestMiB: 0 })).toEqual({
      vcpus: 2,
      memoryMiB: 544,
      diskGiB: 10,
    });
  });
});

describe('fitMemoryTerms', () => {
  it('recovers the terms that generated exact samples', () => {
    const samples: OverheadSample[] = sizes.map((s) => ({ ...s, overheadMiB: 31.5 + 1.25 * s.vcpus + 0.004 * s.memoryMiB }));
    const terms = fitMemoryTerms(samples);
    expect(terms.fixedMiB).toBeCloseTo(31.5, 6);
    expect(terms.perVcpuMiB).toBeCloseTo(1.25, 6);
    expect(terms.perGuestMiB).toBeCloseTo(0.004, 9);
  });

  it('fits noisy samples to within the noise', () => {
    const noise = [0.3, -0.2, 0.1, -0.3, 0.2];
    const terms = fitMemoryTerms(sizes.map((s, i) => ({ ...s, overheadMiB: 20 + 2 * s.vcpus + 0.01 * s.memoryMiB + noise[i]! })));
    for (const s of sizes) expect(Math.abs(memoryOverheadMiB(terms, s) - (20 + 2 * s.vcpus + 0.01 * s.memoryMiB))).toBeLessThan(1.5);
  });

  it('never fits a negative term: one that would be is held at zero and the rest refitted', () => {
    // Overhead falling with vCPUs (noise) would fit a negative per-vCPU term.
    const terms = fitMemoryTerms(sizes.map((s) => ({ ...s, overheadMiB: 20 - 0.5 * s.vcpus + 0.001 * s.memoryMiB })));
    expect(terms.perVcpuMiB).toBe(0);
    expect(terms.fixedMiB).toBeGreaterThan(0);
    expect(terms.perGuestMiB).toBeGreaterThanOrEqual(0);
  });

  it('puts a constant overhead in the fixed term alone', () => {
    const terms = fitMemoryTerms(sizes.map((s) => ({ ...s, overheadMiB: 20 })));
    expect(terms.fixedMiB).toBeCloseTo(20, 6);
    expect(terms.perVcpuMiB).toBeCloseTo(0, 6);
    expect(terms.perGuestMiB).toBeCloseTo(0, 9);
  });

  it('fits samples of one size with the fixed term, the others zero', () => {
    const terms = fitMemoryTerms([
      { vcpus: 1, memoryMiB: 256, overheadMiB: 33 },
      { vcpus: 1, memoryMiB: 256, overheadMiB: 35 },
    ]);
    expect(memoryOverheadMiB(terms, { vcpus: 1, memoryMiB: 256 })).toBe(34);
  });

  it('refuses to fit nothing', () => {
    expect(() => fitMemoryTerms([])).toThrow(RangeError);
  });
});

describe('spreadOf', () => {
  it('gives min, median and max; the median of an even count is the mean of the middle two', () => {
    expect(spreadOf([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3 });
    expect(spreadOf([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4 });
  });
});

describe('parseCalibration', () => {
  const terms = { fixedMiB: 1, perVcpuMiB: 0, perGuestMiB: 0 };
  const file = {
    measuredAt: 'now',
    machine: 'here',
    techniques: Object.fromEntries(['qemu-kvm', 'qemu-tcg', 'lxc', 'xen'].map((t) => [t, { memory: terms }])),
  };

  it("takes a file with every technique's memory terms", () => {
    expect(parseCalibration(file).techniques.lxc.memory).toEqual(terms);
  });

  it('names the first bad field', () => {
    expect(() => parseCalibration({ ...file, techniques: { ...file.techniques, lxc: { memory: { ...terms, perVcpuMiB: -1 } } } })).toThrow(
      'lxc.memory.perVcpuMiB must be a non-negative number',
    );
    expect(() => parseCalibration({ ...file, techniques: { ...file.techniques, xen: undefined } })).toThrow(
      'technique "xen" has no memory terms',
    );
    expect(() => parseCalibration([])).toThrow('no "techniques"');
  });
});

describe('zeroCalibration', () => {
  it('charges nothing, whatever the measurements', () => {
    const zero = zeroCalibration(MEASURED_DEFAULTS);
    for (const t of Object.values(zero.techniques)) expect(memoryOverheadMiB(t.memory, { vcpus: 4, memoryMiB: 4096 })).toBe(0);
  });
});
