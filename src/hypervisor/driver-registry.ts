// kind -> driver. Both native libraries are loaded once at start-up; a driver whose library
// cannot load is reported "not operational" (health, host registration) instead of crashing
// the process. With a fake fleet (FAKE_HOSTS, tests only) each kind also serves fake:///<name>
// hosts from the in-memory fake driver; without one such a URI reaches libvirt's layer, which
// refuses it as not a URI virtfleet builds, so production can never act on a fake host.
import { UnprocessableError, DependencyUnavailableError } from '../common/domain-errors.js';
import { DRIVER_KINDS, type DriverKind } from './capabilities.js';
import type { HypervisorDriver } from './hypervisor-driver.js';
import type { LibvirtConnectionPool } from './libvirt/libvirt-connection-pool.js';
import { NativeConnection } from './libvirt/native-libvirt.js';
import type { StoragePolicy } from './libvirt/storage-paths.js';
import { FakeDriver } from './fake/fake-driver.js';
import type { FakeFleet } from './fake/fake-fleet.js';
import { FakeOrRealDriver } from './fake/fake-or-real-driver.js';
import { LxcDriver } from './drivers/lxc.driver.js';
import { QemuKvmDriver } from './drivers/qemu-kvm.driver.js';
import { XenDriver } from './drivers/xen.driver.js';

export interface DriverStatus {
  kind: DriverKind;
  operational: boolean;
  reason?: string;
}

export class DriverRegistry {
  private readonly drivers: Record<DriverKind, HypervisorDriver>;
  private status: DriverStatus[] = [];

  constructor(
    pool: LibvirtConnectionPool,
    storage?: StoragePolicy,
    qemuAcceleration: 'auto' | 'tcg' = 'auto',
    /** The fake hosts' world; null (production): no fake hosts. */
    readonly fakeFleet: FakeFleet | null = null,
  ) {
    const real: Record<DriverKind, HypervisorDriver> = {
      'qemu-kvm': new QemuKvmDriver(pool, storage, qemuAcceleration),
      xen: new XenDriver(pool, storage),
      lxc: new LxcDriver(pool, storage),
    };
    const withFakes = (kind: DriverKind) => (fakeFleet ? new FakeOrRealDriver(real[kind], new FakeDriver(kind, fakeFleet)) : real[kind]);
    this.drivers = { 'qemu-kvm': withFakes('qemu-kvm'), xen: withFakes('xen'), lxc: withFakes('lxc') };
  }

  /** Check once that the libvirt libraries load, by opening libvirt's in-process test driver. */
  async probeLibraries(): Promise<DriverStatus[]> {
    let reason: string | undefined;
    try {
      const c = await NativeConnection.open('test:///default');
      await c.close();
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    this.status = DRIVER_KINDS.map((kind) => ({ kind, operational: reason === undefined, ...(reason ? { reason } : {}) }));
    return this.status;
  }

  statuses(): DriverStatus[] {
    return this.status;
  }

  get(kind: string): HypervisorDriver {
    if (!(DRIVER_KINDS as readonly string[]).includes(kind)) {
      throw new UnprocessableError(`unknown driver kind "${kind}"`, { known: DRIVER_KINDS });
    }
    const broken = this.status.find((s) => s.kind === kind && !s.operational);
    if (broken) throw new DependencyUnavailableError(`the ${kind} driver is not operational: ${broken.reason}`);
    return this.drivers[kind as DriverKind];
  }
}
