// Written by `npx tsx bench/overhead.bench.ts --update-defaults`: the overhead model's shipped
// defaults, measured on virtfleet's own development machine. Re-measure rather than edit.
import type { OverheadCalibration } from './overhead-model.js';

export const MEASURED_DEFAULTS: OverheadCalibration = {
  measuredAt: '2026-12-02T14:39:50.980Z',
  machine: 'Intel(R) Xeon(R) Processor, 2 cores; load average 22.75 at start, 26.68 at end; 3 runs per size',
  techniques: {
    'qemu-kvm': {
      memory: {
        fixedMiB: 31.83090428416486,
        perVcpuMiB: 0.010769726138828664,
        perGuestMiB: 0.002082212369509219,
      },
      idleMillicores: {
        min: 155,
        median: 200,
        max: 240,
      },
      cpuSlowdown: null,
      startMs: {
        min: 781.8645460000007,
        median: 1430.1438340000022,
        max: 2783.425743,
      },
      source: 'measured',
    },
    'qemu-tcg': {
      memory: {
        fixedMiB: 33.50063550704989,
        perVcpuMiB: 2.14259930856833,
        perGuestMiB: 0.0012284483671705533,
      },
      idleMillicores: {
        min: 0,
        median: 5,
        max: 45,
      },
      cpuSlowdown: {
        min: 1.260403373950024,
        median: 1.377019885322795,
        max: 1.6043164406396697,
      },
      startMs: {
        min: 772.0236100000038,
        median: 1781.6264689999807,
        max: 2715.9429489999893,
      },
      source: 'measured',
    },
    lxc: {
      memory: {
        fixedMiB: 19.990489130434774,
        perVcpuMiB: 0.03065557065217638,
        perGuestMiB: 0,
      },
      idleMillicores: {
        min: 0,
        median: 0,
        max: 0,
      },
      cpuSlowdown: {
        min: 0.986422667707234,
        median: 0.987702862460075,
        max: 1.000244665456371,
      },
      startMs: {
        min: 202.73313499998767,
        median: 287.00668200000655,
        max: 1887.7694090000005,
      },
      source: 'measured',
    },
    xen: {
      memory: {
        fixedMiB: 8,
        perVcpuMiB: 1,
        perGuestMiB: 0.0078125,
      },
      idleMillicores: null,
      cpuSlowdown: null,
      startMs: null,
      source: 'documented',
      note: "not measured: libxl_get_required_shadow_memory() (1 MiB per vCPU + 8 KiB per guest MiB) and libxl's default 8 MiB HVM video RAM; dom0 is a per-host reservation",
    },
  },
};
