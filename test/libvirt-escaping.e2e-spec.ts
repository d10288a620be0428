// Which characters libvirt mishandles, asked of the real QEMU and LXC drivers: every string
// field a client controls is defined through our driver with each probe character in it, read
// back with GetXMLDesc, parsed, and handed back to libvirt's own parser. Whatever validation lets
// through must come back exactly, be accepted again, and not add or remove an element. (libvirt 9.0 writes <initenv> values back unescaped, issue
// #14; validate-spec.ts refuses what this finds.)
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { DriverKind } from '../src/hypervisor/capabilities.js';
import { DriverRegistry } from '../src/hypervisor/driver-registry.js';
import { LibvirtConnectionPool } from '../src/hypervisor/libvirt/libvirt-connection-pool.js';
import type { ManagedVolume } from '../src/hypervisor/volumes.js';
import type { ContainerSpec, DomainSpec, HvmSpec } from '../src/hypervisor/xml/domain-spec.js';
import { validateDomainSpec } from '../src/hypervisor/xml/validate-spec.js';
import { guestSpecFor } from './support/guest-fixtures.js';
import { describeWithLibvirtd, LXC_URI, QEMU_URI, uniqueName } from './support/libvirtd.js';
import { createDirPool, type TestPool } from './support/storage-pool.js';

const VIR_DOMAIN_XML_INACTIVE = 2;

/** Markup, quotes, whitespace controls, other controls, non-ASCII line breaks, astral, CDATA end. */
const PROBES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  cdataEnd: ']]>',
  entity: '&amp;',
  tab: '\t',
  lf: '\n',
  cr: '\r',
  nul: '\u0000',
  soh: '\u0001',
  del: '\u007f',
  nel: '\u0085',
  lineSeparator: '\u2028',
  bom: '\ufeff',
  emoji: '\u{1F600}',
  percent: '%',
  backslash: '\\',
  dollar: '$',
  space: ' ',
  nbsp: '\u00a0',
};

interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlNode[];
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
});

function tree(xml: string): XmlNode {
  const convert = (node: Record<string, unknown>): XmlNode | null => {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (!name || name === '#text') return null;
    const kids = (node[name] as Record<string, unknown>[]) ?? [];
    return {
      name,
      attributes: (node[':@'] ?? {}) as Record<string, string>,
      text: kids
        .filter((k) => '#text' in k)
        .map((k) => String(k['#text']))
        .join(''),
      children: kids.map(convert).filter((n): n is XmlNode => n !== null),
    };
  };
  const root = (parser.parse(xml) as Record<string, unknown>[]).map(convert).find((n) => n?.name === 'domain');
  if (!root) throw new Error('no <domain> element');
  return root;
}

const all = (node: XmlNode): XmlNode[] => [node, ...node.children.flatMap(all)];
const child = (node: XmlNode | undefined, name: string) => node?.children.find((c) => c.name === name);
const os = (d: XmlNode) => child(d, 'os');
const filesystems = (d: XmlNode) => child(d, 'devices')?.children.filter((c) => c.name === 'filesystem') ?? [];
const mountTarget = (d: XmlNode, root: boolean) => filesystems(d).find((f) => (child(f, 'target')?.attributes.dir === '/') === root);

interface Field {
  name: string;
  /** The spec with `value` in this field (paths get a directory in front: see `stored`). */
  apply: (value: string) => DomainSpec;
  /** What the field holds for `value`. */
  stored: (value: string) => string;
  read: (domain: XmlNode) => string | undefined;
}

/** A field whose stored value is `prefix` + the probe value. */
const field = (name: string, prefix: string, apply: (stored: string) => DomainSpec, read: Field['read']): Field => ({
  name,
  apply: (v) => apply(prefix + v),
  stored: (v) => prefix + v,
  read,
});

/**
 * Storage paths (rootfs, mount sources, kernel, initrd, disk paths) are not probed: the XML
 * carries the path libvirt's storage API gives for the volume (storage-paths.ts), never the
 * caller's string, so the base specs name real volumes of a pool this suite creates.
 */
function fieldsOf(kind: 'lxc' | 'qemu-kvm', pool: TestPool): Field[] {
  const label = (d: XmlNode) => all(d).find((n) => n.name.endsWith(':label'))?.attributes.value;
  const description = (d: XmlNode) => child(d, 'description')?.text;
  if (kind === 'lxc') {
    const base = (): ContainerSpec => {
      const spec = guestSpecFor('lxc', uniqueName('vf-esc'), randomUUID()) as ContainerSpec;
      return { ...spec, rootfs: `${pool.dir}/rootfs`, mounts: [{ source: `${pool.dir}/data`, target: '/data' }], env: { A: 'a' } };
    };
    return [
      field('description', '', (v) => ({ ...base(), description: v }), description),
      field('label value', '', (v) => ({ ...base(), labels: { k: v } }), label),
      field(
        'init',
        '/bin/',
        (v) => ({ ...base(), init: v }),
        (d) => child(os(d), 'init')?.text,
      ),
      field(
        'init argument',
        '',
        (v) => ({ ...base(), initArgs: [v] }),
        (d) => child(os(d), 'initarg')?.text,
      ),
      field(
        'env value',
        '',
        (v) => ({ ...base(), env: { A: v } }),
        (d) => child(os(d), 'initenv')?.text,
      ),
      field(
        'mount target',
        '/data/',
        (v) => ({ ...base(), mounts: [{ source: `${pool.dir}/data`, target: v }] }),
        (d) => child(mountTarget(d, false), 'target')?.attributes.dir,
      ),
    ];
  }
  const base = (): HvmSpec => guestSpecFor('qemu-kvm', uniqueName('vf-esc'), randomUUID()) as HvmSpec;
  const kernelBoot = { kernel: `${pool.dir}/vmlinuz`, initrd: `${pool.dir}/initrd`, cmdline: 'console=ttyS0' };
  return [
    field('description', '', (v) => ({ ...base(), description: v }), description),
    field('label value', '', (v) => ({ ...base(), labels: { k: v } }), label),
    field(
      'kernel cmdline',
      '',
      (v) => ({ ...base(), kernelBoot: { ...kernelBoot, cmdline: v } }),
      (d) => child(os(d), 'cmdline')?.text,
    ),
  ];
}

describeWithLibvirtd('characters libvirt writes back: what validation allows comes back unchanged', () => {
  const connections = new LibvirtConnectionPool(30_000);
  let storage: TestPool;
  let registry: DriverRegistry;
  let managed: ManagedVolume[];

  beforeAll(async () => {
    // One pool serves both drivers: they are the same daemon.
    storage = await createDirPool(QEMU_URI, 'vf-esc');
    mkdirSync(`${storage.dir}/rootfs`);
    mkdirSync(`${storage.dir}/data`);
    writeFileSync(`${storage.dir}/vmlinuz`, '');
    writeFileSync(`${storage.dir}/initrd`, '');
    await storage.refresh();
    registry = new DriverRegistry(connections, { allowedPools: [storage.name] });
    // The host's managed volumes, as the API would load them from its volumes table.
    managed = [
      { pool: storage.name, name: 'rootfs', kind: 'dir' },
      { pool: storage.name, name: 'data', kind: 'dir' },
      { pool: storage.name, name: 'vmlinuz', kind: 'file' },
      { pool: storage.name, name: 'initrd', kind: 'file' },
    ];
  });

  afterAll(async () => {
    await connections.closeAll();
    await storage?.remove();
  });

  it.each([
    ['lxc', LXC_URI],
    ['qemu-kvm', QEMU_URI],
  ] as Array<['lxc' | 'qemu-kvm', string]>)(
    '%s driver',
    async (kind, uri) => {
      const driver = registry.get(kind as DriverKind);
      const mishandled: string[] = [];
      const refused: string[] = [];
      for (const f of fieldsOf(kind, storage)) {
        /** What libvirt reports after our define, and whether libvirt's own (strict) parser takes that back. */
        const readBack = async (spec: DomainSpec): Promise<{ back: string; accepted: boolean }> => {
          const guest = { instanceId: spec.instanceId, name: spec.name };
          await driver.define(uri, spec, managed);
          try {
            return await connections.run(uri, 'reading back', async (s) => {
              const back = await s.hypervisor.domainGetXMLDesc(
                await s.hypervisor.domainLookupByUUIDString(spec.uuid),
                VIR_DOMAIN_XML_INACTIVE,
              );
              return {
                back,
                accepted: await s.hypervisor.domainDefineXML(back).then(
                  () => true,
                  () => false,
                ),
              };
            });
          } finally {
            await driver.undefine(uri, guest);
          }
        };
        const harmless = all(tree((await readBack(f.apply('ab'))).back)).map((n) => n.name);
        for (const [probe, c] of Object.entries(PROBES)) {
          const value = `a${c}b`;
          const spec = f.apply(value);
          if (validateDomainSpec(spec).length > 0) {
            refused.push(`${f.name}/${probe}`);
            continue;
          }
          const { back, accepted } = await readBack(spec);
          const domain = XMLValidator.validate(back) === true ? tree(back) : null;
          if (!domain) mishandled.push(`${f.name}/${probe}: not well-formed`);
          else if (!accepted) mishandled.push(`${f.name}/${probe}: refused by libvirt's own parser`);
          else if (f.read(domain) !== f.stored(value))
            mishandled.push(`${f.name}/${probe}: read back as ${JSON.stringify(f.read(domain))}`);
          else if (JSON.stringify(all(domain).map((n) => n.name)) !== JSON.stringify(harmless))
            mishandled.push(`${f.name}/${probe}: elements changed`);
        }
      }
      expect(mishandled).toEqual([]);
      // The probe did test something: most characters are allowed somewhere.
      expect(refused.length).toBeLessThan((Object.keys(PROBES).length * fieldsOf(kind, storage).length) / 2);
    },
    120_000,
  );
});
