// Pieces every builder shares: the domain skeleton (identity, virtfleet metadata, memory, vcpus,
// lifecycle actions), disks with deterministic target names, interfaces, console and VNC.
import type { BootDevice, DiskBus, DiskSpec, DomainSpec, KernelBoot, NetworkSpec, NicModel } from './domain-spec.js';
import { VIRTFLEET_METADATA_NS, VIRTFLEET_METADATA_PREFIX } from './domain-spec.js';
import { assertValidDomainSpec } from './validate-spec.js';
import { el, renderXml, type XmlElement } from './xml-writer.js';

const DEV_PREFIX: Readonly<Record<DiskBus, string>> = { virtio: 'vd', ide: 'hd', sata: 'sd', xen: 'xvd' };

/** libvirt's disk naming: a..z, then aa..az, ba.. (virDiskNameToIndex). */
function diskSuffix(index: number): string {
  let suffix = '';
  for (let n = index; n >= 0; n = Math.floor(n / 26) - 1) suffix = String.fromCharCode(97 + (n % 26)) + suffix;
  return suffix;
}

/**
 * Target device per disk, in spec order: an explicit `dev` is kept, the others take the next
 * name on their bus that no disk claims explicitly, so the result depends only on the spec.
 */
export function assignDiskTargets(disks: readonly DiskSpec[]): string[] {
  const claimed = new Set(disks.map((d) => d.dev).filter((dev): dev is string => dev !== undefined));
  const nextIndex: Partial<Record<DiskBus, number>> = {};
  return disks.map((disk) => {
    if (disk.dev !== undefined) return disk.dev;
    let index = nextIndex[disk.bus] ?? 0;
    while (claimed.has(DEV_PREFIX[disk.bus] + diskSuffix(index))) index++;
    nextIndex[disk.bus] = index + 1;
    return DEV_PREFIX[disk.bus] + diskSuffix(index);
  });
}

export function diskElements(disks: readonly DiskSpec[]): XmlElement[] {
  const targets = assignDiskTargets(disks);
  return disks.map((disk, i) =>
    el('disk', { type: 'file', device: 'disk' }, [
      el('driver', { name: 'qemu', type: disk.format }),
      el('source', { file: disk.path }),
      el('target', { dev: targets[i], bus: disk.bus }),
      disk.readonly && el('readonly'),
    ]),
  );
}

export function interfaceElements(networks: readonly NetworkSpec[], defaultModel?: NicModel): XmlElement[] {
  return networks.map((nic) => {
    const model = nic.model ?? defaultModel;
    return el('interface', { type: nic.kind }, [
      nic.mac !== undefined && el('mac', { address: nic.mac }),
      el('source', nic.kind === 'bridge' ? { bridge: nic.source } : { network: nic.source }),
      model !== undefined && el('model', { type: model }),
    ]);
  });
}

/** A pty console; the target type says which console device the guest sees. */
export const ptyConsole = (target: 'serial' | 'xen' | 'lxc', logFile?: string): XmlElement =>
  el('console', { type: 'pty' }, [
    el('target', { type: target, port: 0 }),
    logFile !== undefined && el('log', { file: logFile, append: 'off' }),
  ]);

/**
 * Where a QEMU guest's serial console is also written on its host (by virtlogd, or QEMU itself
 * with stdio_handler = "file"): libvirt's QEMU log directory, named by the domain UUID (ours,
 * never a caller's string). What the guest printed since its last start.
 */
export const consoleLogPath = (uuid: string) => `/var/log/libvirt/qemu/${uuid}-console.log`;

/** VNC only ever listens on loopback; remote access goes through a tunnel. */
export const loopbackVnc = (): XmlElement =>
  el('graphics', { type: 'vnc', autoport: 'yes' }, [el('listen', { type: 'address', address: '127.0.0.1' })]);

export const kernelBootElements = (boot: KernelBoot): XmlElement[] =>
  [
    el('kernel', {}, boot.kernel),
    boot.initrd !== undefined && el('initrd', {}, boot.initrd),
    boot.cmdline !== undefined && el('cmdline', {}, boot.cmdline),
  ].filter((e): e is XmlElement => Boolean(e));

export const bootDeviceElement = (device: BootDevice = 'hd'): XmlElement => el('boot', { dev: device });

export const featureElements = (...names: string[]): XmlElement =>
  el(
    'features',
    {},
    names.map((n) => el(n)),
  );

/** Entries by key in code-unit order, so a differently ordered input object yields the same bytes. */
export const sortedEntries = (record: Readonly<Record<string, string>> = {}): Array<[string, string]> =>
  Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function metadataElement(spec: DomainSpec): XmlElement {
  const p = VIRTFLEET_METADATA_PREFIX;
  const labels = sortedEntries(spec.labels);
  return el('metadata', {}, [
    el(
      `${p}:instance`,
      { [`xmlns:${p}`]: VIRTFLEET_METADATA_NS, id: spec.instanceId },
      labels.map(([key, value]) => el(`${p}:label`, { key, value })),
    ),
  ]);
}

export interface DomainParts {
  domainType: 'kvm' | 'qemu' | 'xen' | 'lxc';
  /** Right after <memory> (LXC memtune). */
  memoryTuning?: XmlElement;
  /** Right after <vcpu> (LXC cputune). */
  cpuTuning?: XmlElement;
  /** Before <os> (Xen PV bootloader). */
  bootloader?: XmlElement;
  os: XmlElement;
  features?: XmlElement;
  devices: ReadonlyArray<XmlElement | false | undefined>;
}

/**
 * The whole document in libvirt's own element order, so read-back diffs stay small. Every
 * builder ends here, so no builder can emit XML for a spec that fails validation.
 */
export function renderDomain(spec: DomainSpec, parts: DomainParts): string {
  assertValidDomainSpec(spec);
  return renderXml(
    el('domain', { type: parts.domainType }, [
      el('name', {}, spec.name),
      el('uuid', {}, spec.uuid),
      spec.description !== undefined && el('description', {}, spec.description),
      metadataElement(spec),
      el('memory', { unit: 'MiB' }, spec.memoryMiB),
      parts.memoryTuning,
      el('vcpu', {}, spec.vcpus),
      parts.cpuTuning,
      parts.bootloader,
      parts.os,
      parts.features,
      el('on_poweroff', {}, 'destroy'),
      el('on_reboot', {}, 'restart'),
      el('on_crash', {}, 'destroy'),
      el('devices', {}, parts.devices),
    ]),
  );
}
