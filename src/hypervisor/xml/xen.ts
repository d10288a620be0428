// Xen guests under libxl: PV (kernel or bootloader such as pygrub), PVH (kernel) and HVM.
import type { XenHvmSpec, XenPvhSpec, XenPvSpec } from './domain-spec.js';
import { XEN_HVM_DEFAULTS } from './domain-spec.js';
import {
  bootDeviceElement,
  diskElements,
  featureElements,
  interfaceElements,
  kernelBootElements,
  loopbackVnc,
  ptyConsole,
  renderDomain,
} from './domain-elements.js';
import { el, type XmlElement } from './xml-writer.js';

/** PV and PVH differ only in the OS type and PV's choice of bootloader. */
function paravirtDevices(spec: XenPvSpec | XenPvhSpec): XmlElement[] {
  return [...diskElements(spec.disks), ...interfaceElements(spec.networks, 'netfront'), ptyConsole('xen')];
}

const XEN_ARCH = 'x86_64';

export function buildXenPvXml(spec: XenPvSpec): string {
  const boot = spec.boot;
  return renderDomain(spec, {
    domainType: 'xen',
    bootloader: boot.kind === 'bootloader' ? el('bootloader', {}, boot.bootloader) : undefined,
    os: el('os', {}, [
      el('type', { arch: XEN_ARCH, machine: 'xenpv' }, 'xen'),
      ...(boot.kind === 'kernel' ? kernelBootElements(boot) : []),
    ]),
    devices: paravirtDevices(spec),
  });
}

export function buildXenPvhXml(spec: XenPvhSpec): string {
  return renderDomain(spec, {
    domainType: 'xen',
    os: el('os', {}, [el('type', { arch: XEN_ARCH }, 'xenpvh'), ...kernelBootElements(spec.boot)]),
    devices: paravirtDevices(spec),
  });
}

export function buildXenHvmXml(spec: XenHvmSpec): string {
  return renderDomain(spec, {
    domainType: 'xen',
    os: el('os', {}, [
      el('type', { arch: XEN_ARCH, machine: 'xenfv' }, 'hvm'),
      el('loader', { type: 'rom' }, spec.loader ?? XEN_HVM_DEFAULTS.loader),
      bootDeviceElement(spec.bootDevice),
    ]),
    features: featureElements('acpi', 'apic', 'pae'),
    devices: [
      spec.emulator !== undefined && el('emulator', {}, spec.emulator),
      ...diskElements(spec.disks),
      ...interfaceElements(spec.networks, 'e1000'),
      ptyConsole('serial'),
      spec.vnc && loopbackVnc(),
    ],
  });
}
