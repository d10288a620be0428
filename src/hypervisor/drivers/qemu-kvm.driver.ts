import type { GuestType } from '../capabilities.js';
import { HVM_DEFAULTS, type DomainSpec } from '../xml/domain-spec.js';
import { domainTypesFor, type HostCapabilities } from '../xml/parse-capabilities.js';
import type { LibvirtConnectionPool } from '../libvirt/libvirt-connection-pool.js';
import type { StoragePolicy } from '../libvirt/storage-paths.js';
import { LibvirtDriver } from './libvirt-driver.js';

/** Full emulation through QEMU: KVM acceleration where the host offers it, TCG otherwise. */
export class QemuKvmDriver extends LibvirtDriver {
  readonly kind = 'qemu-kvm' as const;

  constructor(
    pool: LibvirtConnectionPool,
    storage?: StoragePolicy,
    private readonly acceleration: 'auto' | 'tcg' = 'auto',
  ) {
    super(pool, storage);
  }

  protected supportedGuestTypes(caps: HostCapabilities, simulated: boolean): GuestType[] {
    // libvirt's test driver accepts any domain type: it stands in for a QEMU host.
    if (simulated) return ['hvm'];
    return caps.guests.some((g) => g.osType === 'hvm' && g.domainTypes.some((t) => t === 'qemu' || t === 'kvm')) ? ['hvm'] : [];
  }

  protected override prepareSpec(spec: DomainSpec, caps: HostCapabilities): DomainSpec {
    if (spec.guestType !== 'hvm') return spec;
    const arch = spec.arch ?? HVM_DEFAULTS.arch;
    const kvm = this.acceleration === 'auto' && domainTypesFor(caps, 'hvm', arch).includes('kvm');
    return { ...spec, domainType: kvm ? 'kvm' : 'qemu' };
  }
}
