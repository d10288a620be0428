// LXC application containers: libvirt starts `init` in new namespaces, optionally on a rootfs
// directory, with cgroup memory limits and cpu shares.
import type { ContainerSpec } from './domain-spec.js';
import { interfaceElements, ptyConsole, renderDomain, sortedEntries } from './domain-elements.js';
import { el, type XmlElement } from './xml-writer.js';

const KIB_PER_MIB = 1024;

const mountElement = (source: string, target: string, readonly = false): XmlElement =>
  el('filesystem', { type: 'mount', accessmode: 'passthrough' }, [
    el('source', { dir: source }),
    el('target', { dir: target }),
    readonly && el('readonly'),
  ]);

export function buildContainerXml(spec: ContainerSpec): string {
  const { memoryHardLimitMiB: hard, memorySoftLimitMiB: soft, cpuShares } = spec.limits ?? {};
  return renderDomain(spec, {
    domainType: 'lxc',
    memoryTuning:
      hard === undefined && soft === undefined
        ? undefined
        : el('memtune', {}, [
            hard !== undefined && el('hard_limit', { unit: 'KiB' }, hard * KIB_PER_MIB),
            soft !== undefined && el('soft_limit', { unit: 'KiB' }, soft * KIB_PER_MIB),
          ]),
    cpuTuning: cpuShares === undefined ? undefined : el('cputune', {}, [el('shares', {}, cpuShares)]),
    os: el('os', {}, [
      // Without an explicit arch the test driver reads the guest back as i686.
      el('type', { arch: 'x86_64' }, 'exe'),
      el('init', {}, spec.init),
      ...(spec.initArgs ?? []).map((arg) => el('initarg', {}, arg)),
      ...sortedEntries(spec.env).map(([name, value]) => el('initenv', { name }, value)),
    ]),
    devices: [
      spec.rootfs !== undefined && mountElement(spec.rootfs, '/'),
      ...(spec.mounts ?? []).map((m) => mountElement(m.source, m.target, m.readonly)),
      ...interfaceElements(spec.networks ?? []),
      ptyConsole('lxc'),
    ],
  });
}
