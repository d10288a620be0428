// QEMU guests (KVM or TCG): firmware boot or direct kernel boot, virtio/IDE/SATA disks.
import { HVM_DEFAULTS, type HvmSpec } from './domain-spec.js';
import {
  bootDeviceElement,
  consoleLogPath,
  diskElements,
  featureElements,
  interfaceElements,
  kernelBootElements,
  loopbackVnc,
  ptyConsole,
  renderDomain,
} from './domain-elements.js';
import { el } from './xml-writer.js';

export function buildHvmXml(spec: HvmSpec): string {
  return renderDomain(spec, {
    domainType: spec.domainType,
    os: el('os', {}, [
      el('type', { arch: spec.arch ?? HVM_DEFAULTS.arch, machine: spec.machine ?? HVM_DEFAULTS.machine }, 'hvm'),
      ...(spec.kernelBoot ? kernelBootElements(spec.kernelBoot) : [bootDeviceElement(spec.bootDevice)]),
    ]),
    features: featureElements('acpi', 'apic'),
    devices: [
      el('emulator', {}, spec.emulator ?? HVM_DEFAULTS.emulator),
      ...diskElements(spec.disks),
      ...interfaceElements(spec.networks, 'virtio'),
      ptyConsole('serial', consoleLogPath(spec.uuid)),
      spec.vnc && loopbackVnc(),
    ],
  });
}
