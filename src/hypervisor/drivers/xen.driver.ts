import type { GuestType } from '../capabilities.js';
import type { HostCapabilities } from '../xml/parse-capabilities.js';
import { LibvirtDriver } from './libvirt-driver.js';

/**
 * Paravirtualisation through libxl: PV (kernel or bootloader), PVH and HVM guests. No Xen dom0
 * exists in CI, so this driver runs there only against libvirt's test driver, with its XML
 * validated against libvirt's schemas.
 */
export class XenDriver extends LibvirtDriver {
  readonly kind = 'xen' as const;

  protected supportedGuestTypes(caps: HostCapabilities, simulated: boolean): GuestType[] {
    if (simulated) return ['xen-pv', 'xen-pvh', 'xen-hvm'];
    const underXen = (osType: string) => caps.guests.some((g) => g.osType === osType && g.domainTypes.includes('xen'));
    const types: GuestType[] = [];
    if (underXen('xen')) types.push('xen-pv');
    if (underXen('xenpvh')) types.push('xen-pvh');
    if (underXen('hvm')) types.push('xen-hvm');
    return types;
  }
}
