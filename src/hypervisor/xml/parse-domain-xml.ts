// Reads back what libvirt's GetXMLDesc returns: identity, size, normalised guest type and the
// virtfleet metadata that marks a domain as ours. Tolerates libvirt's rewrites (units, OS type
// aliases, namespace prefixes), rejects anything that is not a well-formed domain document.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { HypervisorError } from '../../common/domain-errors.js';
import type { GuestType, LibvirtDomainType, ParsedDomain } from './domain-spec.js';
import { VIRTFLEET_METADATA_NS } from './domain-spec.js';

/** The XML is malformed or is not a domain description we understand. */
export class DomainXmlParseError extends HypervisorError {}

/** fast-xml-parser's preserveOrder shape: one key (tag name or #text/#comment) plus ':@' attributes. */
type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

interface Node {
  name: string;
  attributes: Record<string, string>;
  children: Node[];
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded below, strictly: the five predefined ones and character references.
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(raw: string): string {
  return raw.replace(/&([^;&\s]*);?/g, (match, body: string) => {
    if (!match.endsWith(';')) throw new DomainXmlParseError(`Unterminated entity reference ${JSON.stringify(match)}`);
    if (body in PREDEFINED_ENTITIES) return PREDEFINED_ENTITIES[body];
    const code = /^#x[0-9a-fA-F]+$/.test(body) ? parseInt(body.slice(2), 16) : /^#[0-9]+$/.test(body) ? parseInt(body.slice(1), 10) : NaN;
    if (Number.isNaN(code) || code > 0x10ffff) throw new DomainXmlParseError(`Undefined entity ${JSON.stringify(match)}`);
    return String.fromCodePoint(code);
  });
}

function toNode(raw: OrderedNode): Node | null {
  const name = Object.keys(raw).find((k) => k !== ':@');
  if (name === undefined || name === '#text' || name.startsWith('#') || name.startsWith('?')) return null;
  const rawChildren = (raw[name] as OrderedNode[]) ?? [];
  const attributes = Object.fromEntries(Object.entries(raw[':@'] ?? {}).map(([k, v]) => [k, decodeEntities(String(v))]));
  const text = rawChildren
    .filter((c) => '#text' in c)
    .map((c) => decodeEntities(String(c['#text'])))
    .join('');
  const children = rawChildren.map(toNode).filter((n): n is Node => n !== null);
  return { name, attributes, children, text };
}

const child = (node: Node, name: string): Node | undefined => node.children.find((c) => c.name === name);

function requiredText(node: Node, name: string): string {
  const found = child(node, name);
  if (!found) throw new DomainXmlParseError(`Domain XML has no <${name}>`);
  return found.text.trim();
}

const UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  bytes: 1,
  kb: 1e3,
  k: 1024,
  kib: 1024,
  mb: 1e6,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1e9,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  tb: 1e12,
  t: 1024 ** 4,
  tib: 1024 ** 4,
  pb: 1e15,
  p: 1024 ** 5,
  pib: 1024 ** 5,
  eb: 1e18,
  e: 1024 ** 6,
  eib: 1024 ** 6,
};

/** libvirt's scaled integers: the unit attribute defaults to KiB for <memory>. */
function memoryMiB(node: Node | undefined): number {
  if (!node) throw new DomainXmlParseError('Domain XML has no <memory>');
  const unit = (node.attributes.unit ?? 'KiB').toLowerCase();
  const factor = UNIT_BYTES[unit];
  const value = node.text.trim();
  if (factor === undefined) throw new DomainXmlParseError(`Unknown memory unit ${JSON.stringify(node.attributes.unit)}`);
  if (!/^[0-9]+$/.test(value)) throw new DomainXmlParseError(`Memory is not a whole number: ${JSON.stringify(value)}`);
  return (Number(value) * factor) / 1024 ** 2;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DOMAIN_TYPES: readonly LibvirtDomainType[] = ['kvm', 'qemu', 'xen', 'lxc', 'test'];

/**
 * Our guest type from libvirt's domain type and OS type. libvirt rewrites Xen PV's `xen` as
 * `linux`; `hvm` means a QEMU guest except under Xen, where it is Xen HVM; `exe` is LXC.
 */
function guestTypeOf(domainType: LibvirtDomainType, osType: string): GuestType {
  const xenFamily: Record<string, GuestType> = { xen: 'xen-pv', linux: 'xen-pv', xenpvh: 'xen-pvh', hvm: 'xen-hvm' };
  const table: Record<LibvirtDomainType, Record<string, GuestType>> = {
    kvm: { hvm: 'hvm' },
    qemu: { hvm: 'hvm' },
    xen: xenFamily,
    lxc: { exe: 'container' },
    // The test driver imitates every kind; its hvm is read as a QEMU guest.
    test: { ...xenFamily, hvm: 'hvm', exe: 'container' },
  };
  const guestType = table[domainType][osType];
  if (!guestType) throw new DomainXmlParseError(`Unsupported OS type ${JSON.stringify(osType)} for domain type ${domainType}`);
  return guestType;
}

/** Our metadata element, found by namespace URI whatever prefix libvirt chose to write. */
function virtfleetMetadata(domain: Node): Node | undefined {
  const metadata = child(domain, 'metadata');
  if (!metadata) return undefined;
  return metadata.children.find((c) => {
    const [prefix, local] = c.name.includes(':') ? c.name.split(':') : ['', c.name];
    const declared = prefix ? (c.attributes[`xmlns:${prefix}`] ?? metadata.attributes[`xmlns:${prefix}`]) : c.attributes.xmlns;
    return local === 'instance' && declared === VIRTFLEET_METADATA_NS;
  });
}

function parseDocument(xml: string): Node {
  if (typeof xml !== 'string' || xml.trim() === '') throw new DomainXmlParseError('Domain XML is empty');
  // libvirt never emits a DTD; refusing one shuts out entity-expansion tricks altogether.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new DomainXmlParseError('Domain XML must not contain a DOCTYPE or entity declarations');
  const verdict = XMLValidator.validate(xml);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    throw new DomainXmlParseError(`Malformed domain XML at line ${line}, column ${col}: ${msg}`);
  }
  const top = (parser.parse(xml) as OrderedNode[]).filter((n) => !('#comment' in n));
  const roots = top.map(toNode).filter((n): n is Node => n !== null);
  const strayText = top.some((n) => '#text' in n && String(n['#text']).trim() !== '');
  if (roots.length !== 1 || strayText) throw new DomainXmlParseError('Domain XML must have exactly one root element and nothing else');
  return roots[0];
}

export function parseDomainXml(xml: string): ParsedDomain {
  const domain = parseDocument(xml);
  if (domain.name !== 'domain') throw new DomainXmlParseError(`Root element is <${domain.name}>, not <domain>`);
  const domainType = domain.attributes.type as LibvirtDomainType;
  if (!DOMAIN_TYPES.includes(domainType))
    throw new DomainXmlParseError(`Unsupported domain type ${JSON.stringify(domain.attributes.type)}`);
  const os = child(domain, 'os');
  if (!os) throw new DomainXmlParseError('Domain XML has no <os>');
  const vcpuText = requiredText(domain, 'vcpu');
  if (!/^[0-9]+$/.test(vcpuText)) throw new DomainXmlParseError(`vcpu is not a whole number: ${JSON.stringify(vcpuText)}`);
  const description = child(domain, 'description');
  const metadata = virtfleetMetadata(domain);
  const labelName = metadata?.name.includes(':') ? `${metadata.name.split(':')[0]}:label` : 'label';
  // fromEntries defines own properties, so a hostile key such as __proto__ stays a plain key.
  const labels: Record<string, string> = Object.fromEntries(
    (metadata?.children ?? [])
      .filter((c) => c.name === labelName && c.attributes.key !== undefined)
      .map((c) => [c.attributes.key, c.attributes.value ?? '']),
  );
  const uuid = requiredText(domain, 'uuid').toLowerCase();
  if (!UUID.test(uuid)) throw new DomainXmlParseError(`Not a UUID: ${JSON.stringify(uuid)}`);
  return {
    name: requiredText(domain, 'name'),
    uuid,
    domainType,
    guestType: guestTypeOf(domainType, requiredText(os, 'type')),
    memoryMiB: memoryMiB(child(domain, 'memory')),
    vcpus: Number(vcpuText),
    description: description ? description.text : null,
    instanceId: metadata?.attributes.id ?? null,
    labels,
  };
}
