// Entry point: hand the spec to the builder for its guest type. Each builder validates first.
import type { DomainSpec } from './domain-spec.js';
import { buildHvmXml } from './kvm.js';
import { buildContainerXml } from './lxc.js';
import { InvalidDomainSpecError, validateDomainSpec } from './validate-spec.js';
import { buildXenHvmXml, buildXenPvhXml, buildXenPvXml } from './xen.js';

/** Domain XML for libvirt's defineXML. Throws InvalidDomainSpecError instead of emitting bad XML. */
export function buildDomainXml(spec: DomainSpec): string {
  switch (spec.guestType) {
    case 'hvm':
      return buildHvmXml(spec);
    case 'xen-pv':
      return buildXenPvXml(spec);
    case 'xen-pvh':
      return buildXenPvhXml(spec);
    case 'xen-hvm':
      return buildXenHvmXml(spec);
    case 'container':
      return buildContainerXml(spec);
    // Reachable from untyped callers only; validation names the bad guestType.
    default:
      throw new InvalidDomainSpecError(validateDomainSpec(spec as DomainSpec));
  }
}
