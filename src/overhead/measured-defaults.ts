// Written by `npx tsx bench/overhead.bench.ts --update-defaults`: the overhead model's shipped
// defaults, measured on virtfleet's own development machine. Re-measure rather than edit.
import type { OverheadCalibration } from './overhead-model.js';

export const MEASURED_DEFAULTS: OverheadCalibration = {
  "measuredAt": "2026-12-02T14:26:55.997Z",
  "machine": "Intel(R) Xeon(R) Processor, 2 cores; load average 14.31 at start, 25.46 at end; 3 runs per size",
  "techniques": {
    "qemu-kvm": {
      "memory": {
        "fixedMiB": 31.76617294830079,
        "perVcpuMiB": 0.049323820498915524,
        "perGuestMiB": 0.002054000711061777
      },
      "idleMillicores": {
        "min": 150,
        "median": 275,
        "max": 390
      },
      "cpuSlowdown": null,
      "startMs": {
        "min": 526.14041,
        "median": 1306.9815300000046,
        "max": 2606.55343
      },
      "source": "measured"
    },
    "qemu-tcg": {
      "memory": {
        "fixedMiB": 33.558864899674624,
        "perVcpuMiB": 2.1299569549891544,
        "perGuestMiB": 0.0011257411600969361
      },
      "idleMillicores": {
        "min": 0,
        "median": 5,
        "max": 70
      },
      "cpuSlowdown": {
        "min": 0.5481684930485025,
        "median": 0.6656137900935091,
        "max": 0.7864089576950684
      },
      "startMs": {
        "min": 1111.7247520000092,
        "median": 1354.574940999999,
        "max": 2934.25292899998
      },
      "source": "measured"
    },
    "lxc": {
      "memory": {
        "fixedMiB": 20.0828125,
        "perVcpuMiB": 0,
        "perGuestMiB": 0
      },
      "idleMillicores": {
        "min": 0,
        "median": 0,
        "max": 0
      },
      "cpuSlowdown": {
        "min": 0.7032724652779841,
        "median": 0.7862930485719384,
        "max": 0.9510254784113495
      },
      "startMs": {
        "min": 143.18774000002304,
        "median": 287.636370000022,
        "max": 545.2554310000269
      },
      "source": "measured"
    },
    "xen": {
      "memory": {
        "fixedMiB": 8,
        "perVcpuMiB": 1,
        "perGuestMiB": 0.0078125
      },
      "idleMillicores": null,
      "cpuSlowdown": null,
      "startMs": null,
      "source": "documented",
      "note": "not measured: libxl_get_required_shadow_memory() (1 MiB per vCPU + 8 KiB per guest MiB) and libxl's default 8 MiB HVM video RAM; dom0 is a per-host reservation"
    }
  }
};
