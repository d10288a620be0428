// Reads the parts of libvirt's capabilities XML that virtfleet acts on: which guest OS types
// run on which arches under which domain types. Pure.
import { XMLParser } from 'fast-xml-parser';
import { HypervisorError } from '../../common/domain-errors.js';

export interface GuestCapability {
  /** hvm, xen, xenpvh, exe */
  osType: string;
  arch: string;
  /** kvm, qemu, xen, lxc, test */
  domainTypes: string[];
}

export interface HostCapabilities {
  /** <host><uuid>: libvirt's id of the machine (host_uuid in libvirtd.conf, else SMBIOS); null when not reported (the test driver). */
  hostUuid: string | null;
  hostArch: string | null;
  cpuModel: string | null;
  guests: GuestCapability[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Elements that may repeat are always arrays, so one code path reads 1 or many.
  isArray: (name) => ['guest', 'domain', 'arch'].includes(name),
});

const asText = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'object' && v && '#text' in v ? String((v as { '#text': unknown })['#text']) : null;

export function parseCapabilitiesXml(xml: string): HostCapabilities {
  let doc: { capabilities?: { host?: { uuid?: unknown; cpu?: { arch?: unknown; model?: unknown } }; guest?: unknown[] } };
  try {
    doc = parser.parse(xml);
  } catch (error) {
    throw new HypervisorError(`unreadable capabilities XML: ${String(error)}`);
  }
  const caps = doc.capabilities;
  if (!caps) throw new HypervisorError('capabilities XML has no <capabilities> root');
  const guests: GuestCapability[] = [];
  for (const g of (caps.guest ?? []) as Array<{ os_type?: unknown; arch?: Array<{ name?: string; domain?: Array<{ type?: string }> }> }>) {
    const osType = asText(g.os_type);
    for (const a of g.arch ?? []) {
      if (!osType || !a.name) continue;
      guests.push({ osType, arch: a.name, domainTypes: (a.domain ?? []).map((d) => d.type ?? '').filter(Boolean) });
    }
  }
  return {
    hostUuid: asText(caps.host?.uuid)?.trim() || null,
    hostArch: asText(caps.host?.cpu?.arch),
    cpuModel: asText(caps.host?.cpu?.model),
    guests,
  };
}

/** Domain types offered for `osType` guests on `arch`. */
export function domainTypesFor(caps: HostCapabilities, osType: string, arch: string): string[] {
  return caps.guests.filter((g) => g.osType === osType && g.arch === arch).flatMap((g) => g.domainTypes);
}
