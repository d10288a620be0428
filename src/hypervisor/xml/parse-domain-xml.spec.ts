// parseDomainXml on hand-written libvirt output: units, OS-type aliases, foreign domains,
// namespace prefixes and malformed input.
import { DomainXmlParseError, parseDomainXml } from './parse-domain-xml.js';

const NS = 'https://virtfleet.dev/xmlns/instance/1';

function domainXml({
  type = 'kvm',
  os = `<type arch='x86_64' machine='pc'>hvm</type>`,
  memory = `<memory unit='KiB'>524288</memory>`,
  metadata = '',
  extra = '',
} = {}): string {
  return `<domain type='${type}'>
  <name>d1</name>
  <uuid>3F2C1A8E-5B7D-4C9E-8A1F-0D2E3C4B5A61</uuid>
  ${metadata}
  ${memory}
  <vcpu placement='static' current='1'>2</vcpu>
  <os>${os}</os>${extra}
</domain>
`;
}

describe('parseDomainXml', () => {
  it('reads identity, size and our metadata', () => {
    const parsed = parseDomainXml(
      domainXml({
        metadata: `<metadata><vf:instance xmlns:vf="${NS}" id="inst-1"><vf:label key="tier" value="a &amp; b &#60;c&#x3E;"/></vf:instance></metadata>`,
        extra: '\n  <description>  two\nlines &amp; more </description>',
      }),
    );
    expect(parsed).toEqual({
      name: 'd1',
      uuid: '3f2c1a8e-5b7d-4c9e-8a1f-0d2e3c4b5a61',
      domainType: 'kvm',
      guestType: 'hvm',
      memoryMiB: 512,
      vcpus: 2,
      description: '  two\nlines & more ',
      instanceId: 'inst-1',
      labels: { tier: 'a & b <c>' },
    });
  });

  it('finds our metadata by namespace whatever the prefix, and ignores look-alikes', () => {
    const other = `<metadata><x:instance xmlns:x="https://example.com/other" id="not-ours"/><q:instance xmlns:q="${NS}" id="ours"><q:label key="k" value="v"/></q:instance></metadata>`;
    expect(parseDomainXml(domainXml({ metadata: other }))).toMatchObject({ instanceId: 'ours', labels: { k: 'v' } });
    const defaultNs = `<metadata><instance xmlns="${NS}" id="plain"/></metadata>`;
    expect(parseDomainXml(domainXml({ metadata: defaultNs })).instanceId).toBe('plain');
  });

  it('keeps a hostile label key as data', () => {
    const metadata = `<metadata><vf:instance xmlns:vf="${NS}" id="i"><vf:label key="__proto__" value="x"/><other:label xmlns:other="urn:x" key="y" value="z"/></vf:instance></metadata>`;
    const labels = parseDomainXml(domainXml({ metadata })).labels;
    expect(Object.keys(labels)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });

  it('gives null instanceId and no labels for a domain that is not ours', () => {
    expect(parseDomainXml(domainXml())).toMatchObject({ instanceId: null, labels: {}, description: null });
    const foreign = `<metadata><vf:instance xmlns:vf="https://evil.example/instance/1" id="x"/></metadata>`;
    expect(parseDomainXml(domainXml({ metadata: foreign })).instanceId).toBeNull();
  });

  it.each([
    [`<memory unit='KiB'>1048576</memory>`, 1024],
    [`<memory>1048576</memory>`, 1024],
    [`<memory unit='MiB'>300</memory>`, 300],
    [`<memory unit='M'>300</memory>`, 300],
    [`<memory unit='GiB'>2</memory>`, 2048],
    [`<memory unit='G'>2</memory>`, 2048],
    [`<memory unit='b'>16777216</memory>`, 16],
    [`<memory unit='bytes'>16777216</memory>`, 16],
    [`<memory unit='KB'>1048576</memory>`, 1_048_576_000 / 1024 ** 2],
    [`<memory unit='TiB'>1</memory>`, 1024 * 1024],
  ])('converts %s to %d MiB', (memory, mib) => {
    expect(parseDomainXml(domainXml({ memory })).memoryMiB).toBe(mib);
  });

  it.each([
    ['kvm', `<type arch='x86_64' machine='pc'>hvm</type>`, 'hvm'],
    ['qemu', `<type arch='x86_64' machine='pc'>hvm</type>`, 'hvm'],
    ['xen', `<type arch='x86_64' machine='xenpv'>xen</type>`, 'xen-pv'],
    ['xen', `<type arch='x86_64' machine='xenpv'>linux</type>`, 'xen-pv'],
    ['xen', `<type arch='x86_64'>xenpvh</type>`, 'xen-pvh'],
    ['xen', `<type arch='x86_64' machine='xenfv'>hvm</type>`, 'xen-hvm'],
    ['lxc', `<type arch='x86_64'>exe</type>`, 'container'],
    ['test', `<type arch='i686'>hvm</type>`, 'hvm'],
    ['test', `<type>linux</type>`, 'xen-pv'],
  ])('domain type %s with %s is %s', (type, os, guestType) => {
    expect(parseDomainXml(domainXml({ type, os }))).toMatchObject({ domainType: type, guestType });
  });

  it.each([
    ['empty input', ''],
    ['unclosed element', '<domain type="kvm"><name>x</domain>'],
    ['two root elements', `${domainXml()}<domain type='kvm'/>`],
    ['text after the root', `${domainXml()}junk`],
    ['a DOCTYPE with entities', `<!DOCTYPE domain [<!ENTITY x "y">]>${domainXml()}`],
    ['an undefined entity', domainXml({ extra: '<description>&nbsp;</description>' })],
    ['a bare ampersand', domainXml({ extra: '<description>a & b</description>' })],
    ['a root that is not <domain>', '<network><name>n</name></network>'],
    ['an unknown domain type', domainXml({ type: 'vbox' })],
    ['an OS type that does not fit the domain type', domainXml({ type: 'kvm', os: '<type>exe</type>' })],
    ['an unknown memory unit', domainXml({ memory: `<memory unit='parsecs'>1</memory>` })],
    ['a non-numeric memory size', domainXml({ memory: `<memory unit='KiB'>lots</memory>` })],
    ['a missing <name>', domainXml().replace('<name>d1</name>', '')],
    ['a missing <memory>', domainXml({ memory: '' })],
    ['a UUID that is not one', domainXml().replace('3F2C1A8E-', 'nope-')],
  ])('rejects %s with DomainXmlParseError', (_label, xml) => {
    expect(() => parseDomainXml(xml)).toThrow(DomainXmlParseError);
  });

  it('says where malformed XML breaks', () => {
    expect(() => parseDomainXml('<domain type="kvm">\n<name>x</nme>\n</domain>')).toThrow(/Malformed domain XML at line 2/);
  });
});
