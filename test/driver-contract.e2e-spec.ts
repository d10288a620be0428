// One contract, every driver (test/support/driver-contract.ts): libvirt's test driver for all
// three kinds (Xen included), the real libvirtd for QEMU (TCG) and LXC, and the in-memory fake
// for all three, reached through the registry as the app reaches it with FAKE_HOSTS on. Cold
// migration goes to a second host of the same kind: another simulated host, simulated physical
// host 1 of scripts/lvhosts.sh (QEMU and LXC), or a second fake host.
import { DriverRegistry } from '../src/hypervisor/driver-registry.js';
import { FakeFleet } from '../src/hypervisor/fake/fake-fleet.js';
import { LibvirtConnectionPool } from '../src/hypervisor/libvirt/libvirt-connection-pool.js';
import type { DomainSpec } from '../src/hypervisor/xml/domain-spec.js';
import { buildDomainXml } from '../src/hypervisor/xml/build-domain-xml.js';
import { type ContractTarget, type HostBackdoor, describeDriverContract } from './support/driver-contract.js';
import { fakeBackdoor } from './support/fake-backdoor.js';
import { LXC_URI, QEMU_URI, SKIP_LIBVIRTD } from './support/libvirtd.js';
import { LVHOST_URIS } from './support/lvhosts.js';
import { simulatedHostUri } from './support/simulated-hosts.js';

const fleet = new FakeFleet();
const fakeA = fleet.addHost('contract-a');
const fakeB = fleet.addHost('contract-b');

const targets: ContractTarget[] = [
  { kind: 'qemu-kvm', uri: 'test:///default', host: 'test-driver', peerUri: simulatedHostUri() },
  { kind: 'xen', uri: 'test:///default', host: 'test-driver', peerUri: simulatedHostUri() },
  { kind: 'lxc', uri: 'test:///default', host: 'test-driver', peerUri: simulatedHostUri() },
  ...(SKIP_LIBVIRTD
    ? []
    : [
        { kind: 'qemu-kvm' as const, uri: QEMU_URI, host: 'libvirtd' as const, peerUri: LVHOST_URIS[0]! },
        { kind: 'lxc' as const, uri: LXC_URI, host: 'libvirtd' as const, peerUri: LVHOST_URIS[0]!.replace(/^qemu\+/, 'lxc+') },
      ]),
  { kind: 'qemu-kvm', uri: fakeA, host: 'fake', peerUri: fakeB },
  { kind: 'xen', uri: fakeA, host: 'fake', peerUri: fakeB },
  { kind: 'lxc', uri: fakeA, host: 'fake', peerUri: fakeB },
];

const VIR_DOMAIN_XML_INACTIVE = 2;

/**
 * Something other than our builder rewrites the guest's definition on its host. For a container
 * it is libvirt itself: it writes <initenv> values back unescaped, so this value (escaped, as any
 * client would send it) reads back as a <filesystem> sharing the host's /. For a VM the element
 * goes in directly (an operator's virsh edit, another tool).
 */
function tampered(xml: string, spec: DomainSpec): string {
  const filesystem = "<filesystem type='mount' accessmode='passthrough'><source dir='/'/><target dir='/host'/></filesystem>";
  if (spec.guestType === 'container') {
    const escaped = `x</initenv></os><devices>${filesystem}</devices><os><initenv name='B'>y`
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;');
    return xml.replace('</os>', `<initenv name='A'>${escaped}</initenv></os>`);
  }
  return xml.replace('</devices>', `${filesystem}</devices>`);
}

const pool = new LibvirtConnectionPool(30_000);
const registry = new DriverRegistry(pool);
const withFakes = new DriverRegistry(pool, undefined, 'auto', fleet);

/** The host's libvirt, through the drivers' own pooled connection. */
const libvirtBackdoor: HostBackdoor = {
  definitionOn: (host, instanceId) =>
    pool.run(host, 'reading a definition', async (s) =>
      s.hypervisor.domainGetXMLDesc(await s.hypervisor.domainLookupByUUIDString(instanceId), VIR_DOMAIN_XML_INACTIVE),
    ),
  shareHostRoot: async (host, spec) => {
    const source = await libvirtBackdoor.definitionOn(host, spec.instanceId);
    await pool.run(host, 'tampering with the source definition', (s) => s.hypervisor.domainDefineXML(tampered(source, spec)));
  },
  domainId: (host, instanceId) =>
    pool.run(host, 'reading the domain id', async (s) => s.hypervisor.domainGetID(await s.hypervisor.domainLookupByUUIDString(instanceId))),
  breakNextBoot: async (host, spec) => {
    const broken = buildDomainXml(
      spec.guestType === 'container'
        ? { ...spec, init: '/nonexistent/init' }
        : ({ ...spec, disks: [{ path: '/nonexistent/disk.img', format: 'raw', bus: 'virtio' }] } as DomainSpec),
    );
    await pool.run(host, 'breaking the next boot', (s) => s.hypervisor.domainDefineXML(broken));
  },
};

beforeAll(async () => {
  const statuses = await registry.probeLibraries();
  expect(statuses.every((s) => s.operational)).toBe(true);
  await withFakes.probeLibraries();
});

afterAll(async () => {
  await pool.closeAll();
});

describeDriverContract(targets, {
  driver: (t) => (t.host === 'fake' ? withFakes : registry).get(t.kind),
  backdoor: (t) => (t.host === 'fake' ? fakeBackdoor(fleet) : libvirtBackdoor),
});
