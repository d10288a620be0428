// Hostile strings in every user-controlled field: each is either refused by validation (and
// the error names the field) or escaped so that parsing the output gives back exactly the
// input and no element appears that the builder did not write.
import * as libvirt from '@unraid/libvirt';
import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { buildDomainXml } from './build-domain-xml.js';
import type { ContainerSpec, DomainSpec, HvmSpec } from './domain-spec.js';
import { FIXTURE_SPECS } from '../../../test/fixtures/domain-specs.js';
import { parseDomainXml } from './parse-domain-xml.js';
import { InvalidDomainSpecError } from './validate-spec.js';

const HOSTILE = `</name><devices><disk/></devices>'"&<>]]><!ENTITY x SYSTEM "file:///etc/passwd">&x;<![CDATA[`;
const kvm = FIXTURE_SPECS.kvm as HvmSpec;
const lxc = FIXTURE_SPECS['lxc-rootfs-limits'] as ContainerSpec;

function problemPaths(spec: DomainSpec): string[] {
  try {
    buildDomainXml(spec);
  } catch (error) {
    if (error instanceof InvalidDomainSpecError) return error.problems.map((p) => p.path);
    throw error;
  }
  return [];
}

interface FoundElement {
  name: string;
  attributes: Record<string, string>;
}

/** Every element in document order, decoded by an independent parser configuration. */
function elements(xml: string): FoundElement[] {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    htmlEntities: true,
    parseAttributeValue: false,
    parseTagValue: false,
  });
  const found: FoundElement[] = [];
  const walk = (nodes: Record<string, unknown>[]) => {
    for (const node of nodes) {
      const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
      if (!name) continue;
      found.push({ name, attributes: (node[':@'] ?? {}) as Record<string, string> });
      walk(node[name] as Record<string, unknown>[]);
    }
  };
  walk(parser.parse(xml) as Record<string, unknown>[]);
  return found;
}

const elementNames = (xml: string): string[] => elements(xml).map((e) => e.name);
const diskSources = (xml: string): string[] =>
  elements(xml)
    .filter((e) => e.name === 'source' && 'file' in e.attributes)
    .map((e) => e.attributes.file);

describe('refused by validation, with the field named', () => {
  it.each([
    ['name', { ...kvm, name: `web${HOSTILE}` }, 'name'],
    ['name with a newline', { ...kvm, name: 'web\nx' }, 'name'],
    ['instanceId', { ...kvm, instanceId: `id'"&<>` }, 'instanceId'],
    ['uuid', { ...kvm, uuid: `${kvm.uuid}</uuid>` }, 'uuid'],
    ['label key', { ...kvm, labels: { [`k"='x'`]: 'v' } }, 'labels["k\\"=\'x\'"]'],
    ['label value with NUL', { ...kvm, labels: { tier: 'a\u0000b' } }, 'labels["tier"]'],
    ['label value with newline', { ...kvm, labels: { tier: 'a\nb' } }, 'labels["tier"]'],
    ['label value with a lone surrogate', { ...kvm, labels: { tier: 'a\ud800b' } }, 'labels["tier"]'],
    ['description with NUL', { ...kvm, description: 'a\u0000b' }, 'description'],
    ['description with CR', { ...kvm, description: 'a\rb' }, 'description'],
    ['description with U+FFFE', { ...kvm, description: 'a\ufffeb' }, 'description'],
    ['disk path with a newline', { ...kvm, disks: [{ ...kvm.disks[0], path: '/img/a\n</source>' }] }, 'disks[0].path'],
    ['disk path with NUL', { ...kvm, disks: [{ ...kvm.disks[0], path: '/img/a\u0000.qcow2' }] }, 'disks[0].path'],
    ['bridge name', { ...kvm, networks: [{ kind: 'bridge', source: `br0'/><source bridge='evil` }] }, 'networks[0].source'],
    ['machine', { ...kvm, machine: `pc'><evil/>` }, 'machine'],
    ['kernel cmdline with a newline', { ...kvm, kernelBoot: { kernel: '/boot/vmlinuz', cmdline: 'a\nb' } }, 'kernelBoot.cmdline'],
    ['init arg with NUL', { ...lxc, initArgs: ['a\u0000b'] }, 'initArgs[0]'],
    ['env name', { ...lxc, env: { [`A'><x`]: '1' } }, `env["A'><x"]`],
    ['env value with newline', { ...lxc, env: { A: '1\n2' } }, 'env["A"]'],
    // libvirt 9.0 writes <initenv> values back unescaped (issue #14: a host's / in a container).
    [
      'env value with markup',
      {
        ...lxc,
        env: {
          A: "x</initenv></os><devices><filesystem type='mount'><source dir='/'/><target dir='/host'/></filesystem></devices><os><initenv name='B'>y",
        },
      },
      'env["A"]',
    ],
    ['env value with an entity', { ...lxc, env: { A: 'a&amp;b' } }, 'env["A"]'],
  ] as Array<[string, DomainSpec, string]>)('%s', (_label, spec, path) => {
    expect(problemPaths(spec)).toContain(path);
  });
});

describe('escaped, and read back exactly', () => {
  const spec: HvmSpec = {
    ...kvm,
    description: `${HOSTILE}\nsecond line\twith a tab`,
    labels: { hostile: HOSTILE, quote: `'"`, empty: '' },
    disks: [{ path: `/var/lib/img/${HOSTILE}.qcow2`, format: 'qcow2', bus: 'virtio' }],
    kernelBoot: { kernel: `/boot/vmlinuz-'"&<>`, cmdline: `console=ttyS0 x="a&b" y='<c>' ]]>` },
  };
  const xml = buildDomainXml(spec);

  it('writes no raw markup from user strings', () => {
    expect(xml).not.toContain('<!ENTITY');
    expect(xml).not.toContain(']]>');
    expect(xml).not.toContain('<![CDATA[');
    expect(xml.match(/<devices>/g)).toHaveLength(1);
  });

  it('adds no elements beyond what the builder writes for the same spec with harmless strings', () => {
    const harmless = buildDomainXml({
      ...spec,
      description: 'd',
      labels: { hostile: 'h', quote: 'q', empty: '' },
      disks: [{ ...spec.disks[0], path: '/img/a.qcow2' }],
      kernelBoot: { kernel: '/boot/vmlinuz', cmdline: 'c' },
    });
    expect(elementNames(xml)).toEqual(elementNames(harmless));
  });

  it('parses back to the exact input strings', () => {
    const parsed = parseDomainXml(xml);
    expect(parsed.description).toBe(spec.description);
    expect(parsed.labels).toEqual(spec.labels);
    expect(diskSources(xml)).toEqual([spec.disks[0].path]);
  });

  it('survives a round trip through libvirt test:///default', async () => {
    const hypervisor = new libvirt.Hypervisor({ uri: 'test:///default' });
    await hypervisor.connectOpen();
    const unique = { ...spec, name: `inj-${process.pid}`, uuid: randomUUID() };
    const domain = await hypervisor.domainDefineXML(buildDomainXml(unique));
    try {
      const back = await hypervisor.domainGetXMLDesc(domain);
      const parsed = parseDomainXml(back);
      expect(parsed.description).toBe(spec.description);
      expect(parsed.labels).toEqual(spec.labels);
      expect(diskSources(back)).toEqual([spec.disks[0].path]);
    } finally {
      await hypervisor.domainUndefine(domain);
      await hypervisor.connectClose();
    }
  });
});
