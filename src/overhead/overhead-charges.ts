// The overhead model in force: one calibration (the shipped measurements, or an operator's own
// from OVERHEAD_CALIBRATION_FILE) turned into what a guest of a given driver is charged. Every
// claim, resize, migration reservation, consolidation snapshot and API answer asks this one
// object, so they all charge the same numbers. Pure.
import type { Resources } from '../common/resources.js';
import type { DriverKind } from '../hypervisor/capabilities.js';
import { MEASURED_DEFAULTS } from './measured-defaults.js';
import { chargedResources, memoryOverheadMiB, techniqueOf, type OverheadCalibration, type TechniqueOverhead } from './overhead-model.js';

export class OverheadCharges {
  constructor(readonly calibration: OverheadCalibration = MEASURED_DEFAULTS) {}

  technique(driverKind: DriverKind): TechniqueOverhead {
    return this.calibration.techniques[techniqueOf(driverKind)];
  }

  /** Host memory beyond the guest's own that a `driverKind` guest of `size` is charged, MiB. */
  overheadMiB(driverKind: DriverKind, size: Pick<Resources, 'vcpus' | 'memoryMiB'>): number {
    return memoryOverheadMiB(this.technique(driverKind).memory, size);
  }

  /** What a claim for a `driverKind` guest of size `asked` reserves on its host. */
  charged(driverKind: DriverKind, asked: Resources): Resources {
    return chargedResources(asked, this.technique(driverKind).memory);
  }
}

/** The shipped measurements, for code with no configuration at hand (benchmarks, fixtures). */
export const MEASURED_CHARGES = new OverheadCharges();
