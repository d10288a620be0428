// Minimal guests per driver kind that really start: a diskless QEMU/TCG VM, a Xen PV guest with
// a bootloader (only ever started on libvirt's test driver), an LXC container running /bin/sleep.
import { randomUUID } from 'node:crypto';
import type { DriverKind } from '../../src/hypervisor/capabilities.js';
import type { DomainSpec } from '../../src/hypervisor/xml/domain-spec.js';

export function guestSpecFor(kind: DriverKind, name: string, instanceId: string = randomUUID()): DomainSpec {
  const common = { name, uuid: instanceId, instanceId, vcpus: 1, memoryMiB: 64, labels: { suite: 'contract' } };
  switch (kind) {
    case 'qemu-kvm':
      return { ...common, guestType: 'hvm', domainType: 'qemu', disks: [], networks: [], console: 'pty' };
    case 'xen':
      // A bootloader, not a kernel path: host storage must be a volume of an allowed pool, and
      // libvirt's test driver (where Xen guests run in the tests) has none.
      return { ...common, guestType: 'xen-pv', boot: { kind: 'bootloader', bootloader: '/usr/bin/pygrub' }, disks: [], networks: [] };
    case 'lxc':
      return { ...common, guestType: 'container', init: '/bin/sleep', initArgs: ['3600'] };
  }
}
