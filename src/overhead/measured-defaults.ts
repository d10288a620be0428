// placeholder until the bench run ends
import type { OverheadCalibration } from './overhead-model.js';

export const MEASURED_DEFAULTS: OverheadCalibration = {
  "measuredAt": "2026-12-02T14:20:38.740Z",
  "machine": "Intel(R) Xeon(R) Processor, 2 cores; load average 15.45 at start, 14.52 at end; 1 runs per size",
  "techniques": {
    "qemu-kvm": {
      "memory": {
        "fixedMiB": 31.615874118763557,
        "perVcpuMiB": 0.08914892895878523,
        "perGuestMiB": 0.002175155275555857
      },
      "idleMillicores": {
        "min": 220,
        "median": 275,
        "max": 355
      },
      "cpuSlowdown": null,
      "startMs": {
        "min": 889.8199649999988,
        "median": 1106.9777140000006,
        "max": 1756.917906999999
      },
      "source": "measured"
    },
    "qemu-tcg": {
      "memory": {
        "fixedMiB": 33.71314906453362,
        "perVcpuMiB": 1.1262455938177875,
        "perGuestMiB": 0.0028479983646285253
      },
      "idleMillicores": {
        "min": 0,
        "median": 5,
        "max": 25
      },
      "cpuSlowdown": {
        "min": 1.431926525650072,
        "median": 1.431926525650072,
        "max": 1.431926525650072
      },
      "startMs": {
        "min": 638.8414479999919,
        "median": 839.9440370000084,
        "max": 1382.9743769999914
      },
      "source": "measured"
    },
    "lxc": {
      "memory": {
        "fixedMiB": 20.045483117816094,
        "perVcpuMiB": 0,
        "perGuestMiB": 0.000004560097880747127
      },
      "idleMillicores": {
        "min": 0,
        "median": 0,
        "max": 0
      },
      "cpuSlowdown": {
        "min": 0.9740298416585773,
        "median": 0.9740298416585773,
        "max": 0.9740298416585773
      },
      "startMs": {
        "min": 96.42997399999877,
        "median": 174.63329699999304,
        "max": 506.47829400000046
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
