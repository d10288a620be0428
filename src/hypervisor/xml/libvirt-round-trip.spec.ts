// Every fixture is defined on libvirt's in-process test driver (test:///default, no daemon),
// read back with GetXMLDesc and parsed: what we wrote must be what libvirt keeps.
import * as libvirt from '@unraid/libvirt';
import { randomUUID } from 'node:crypto';
import { buildDomainXml } from './build-domain-xml.js';
import type { DomainSpec } from './domain-spec.js';
import { FIXTURE_SPECS } from '../../../test/fixtures/domain-specs.js';
import { parseDomainXml } from './parse-domain-xml.js';

const EXPECTED_DOMAIN_TYPE: Readonly<Record<string, string>> = {
  kvm: 'kvm',
  'qemu-tcg': 'qemu',
  'kvm-kernel-boot': 'kvm',
  'xen-pv-kernel': 'xen',
  'xen-pv-bootloader': 'xen',
  'xen-pvh': 'xen',
  'xen-hvm': 'xen',
  'lxc-exe': 'lxc',
  'lxc-rootfs-limits': 'lxc',
};

let hypervisor: libvirt.Hypervisor;
let sequence = 0;

/** test:///default is shared by the whole process; a fresh name and UUID keep tests apart. */
function unique(spec: DomainSpec): DomainSpec {
  return { ...spec, name: `rt-${process.pid}-${++sequence}-${spec.guestType}`, uuid: randomUUID() };
}

async function defineAndReadBack(xml: string): Promise<string> {
  const domain = await hypervisor.domainDefineXML(xml);
  try {
    return await hypervisor.domainGetXMLDesc(domain);
  } finally {
    await hypervisor.domainUndefine(domain);
  }
}

beforeAll(async () => {
  hypervisor = new libvirt.Hypervisor({ uri: 'test:///default' });
  await hypervisor.connectOpen();
});

afterAll(async () => {
  await hypervisor?.connectClose();
});

describe('round trip through libvirt test:///default', () => {
  it.each(Object.keys(FIXTURE_SPECS))('%s is accepted and reads back unchanged', async (variant) => {
    const spec = unique(FIXTURE_SPECS[variant]);
    const back = parseDomainXml(await defineAndReadBack(buildDomainXml(spec)));
    expect(back).toEqual({
      name: spec.name,
      uuid: spec.uuid,
      domainType: EXPECTED_DOMAIN_TYPE[variant],
      guestType: spec.guestType,
      memoryMiB: spec.memoryMiB,
      vcpus: spec.vcpus,
      description: spec.description ?? null,
      instanceId: spec.instanceId,
      labels: spec.labels ?? {},
    });
  });

  it("reads Xen PV back with libvirt's OS type rewrite (xen -> linux)", async () => {
    const back = await defineAndReadBack(buildDomainXml(unique(FIXTURE_SPECS['xen-pv-kernel'])));
    expect(back).toMatch(/<type arch='x86_64' machine='xenpv'>linux<\/type>/);
    expect(parseDomainXml(back).guestType).toBe('xen-pv');
  });

  it('leaves no domain behind', async () => {
    const domains = await hypervisor.connectListAllDomains();
    const names = await Promise.all(domains.map((d) => hypervisor.domainGetName(d)));
    expect(names.filter((n) => n.startsWith(`rt-${process.pid}-`))).toEqual([]);
  });

  it('refuses a domain type the test driver does not know, with a clear libvirt error', async () => {
    const xml = buildDomainXml(unique(FIXTURE_SPECS['xen-pvh'])).replace("<domain type='xen'>", "<domain type='bogus'>");
    await expect(hypervisor.domainDefineXML(xml)).rejects.toThrow(/bogus/);
  });
});
