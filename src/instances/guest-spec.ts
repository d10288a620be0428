// An instance's boot description (stored as JSON) + its resources -> the DomainSpec the drivers
// build XML from. Pure. The XML layer's validator is the single authority on what is valid.
import { ValidationError } from '../common/domain-errors.js';
import { DRIVER_CAPABILITIES, type DriverKind, type GuestType } from '../hypervisor/capabilities.js';
import type { DomainSpec } from '../hypervisor/xml/domain-spec.js';
import { validateDomainSpec } from '../hypervisor/xml/validate-spec.js';

/** The kind-specific part of a DomainSpec, as clients send it in `boot`. */
export type BootSpec = { guestType: GuestType } & Record<string, unknown>;

export interface InstanceShape {
  id: string;
  name: string;
  vcpus: number;
  memoryMiB: number;
  labels: Record<string, string>;
  bootSpec: BootSpec;
}

const COMMON_FIELDS = ['name', 'uuid', 'instanceId', 'vcpus', 'memoryMiB', 'labels', 'description'];

/** Fields a client may set in `boot`, per guest type (the rest of DomainSpec is ours to set). */
const BOOT_FIELDS: Readonly<Record<GuestType, readonly string[]>> = {
  hvm: ['arch', 'machine', 'kernelBoot', 'bootDevice', 'disks', 'networks', 'vnc'],
  'xen-pv': ['boot', 'disks', 'networks'],
  'xen-pvh': ['boot', 'disks', 'networks'],
  'xen-hvm': ['loader', 'bootDevice', 'disks', 'networks', 'vnc'],
  container: ['init', 'initArgs', 'env', 'rootfs', 'mounts', 'limits', 'networks'],
};

/** Kind defaults that make the smallest useful boot spec valid (a diskless VM, a bare container). */
function withDefaults(boot: BootSpec): Record<string, unknown> {
  switch (boot.guestType) {
    case 'hvm':
      // The driver replaces domainType with kvm or qemu from the host's capabilities.
      return { disks: [], networks: [], console: 'pty', domainType: 'qemu', ...boot };
    case 'xen-pv':
    case 'xen-pvh':
    case 'xen-hvm':
      return { disks: [], networks: [], ...boot };
    default:
      return { ...boot };
  }
}

export function toDomainSpec(i: InstanceShape): DomainSpec {
  return { ...withDefaults(i.bootSpec), name: i.name, uuid: i.id, instanceId: i.id, vcpus: i.vcpus, memoryMiB: i.memoryMiB, labels: i.labels } as unknown as DomainSpec;
}

/** Throws a 400 listing every problem of `boot` for a guest of `driverKind`. */
export function assertValidBoot(driverKind: DriverKind, shape: Omit<InstanceShape, 'id'>): void {
  const boot = shape.bootSpec;
  const problems: { path: string; message: string }[] = [];
  if (!DRIVER_CAPABILITIES[driverKind].guestTypes.includes(boot.guestType)) {
    problems.push({ path: 'boot.guestType', message: `must be one of ${DRIVER_CAPABILITIES[driverKind].guestTypes.join(', ')} for the ${driverKind} driver` });
  }
  const allowed = BOOT_FIELDS[boot.guestType] ?? [];
  for (const f of Object.keys(boot)) {
    if (f === 'guestType') continue;
    if (COMMON_FIELDS.includes(f)) problems.push({ path: `boot.${f}`, message: 'is set on the instance, not in boot' });
    else if (!allowed.includes(f)) problems.push({ path: `boot.${f}`, message: `is not a ${boot.guestType} boot field (allowed: ${allowed.join(', ')})` });
  }
  if (problems.length === 0) {
    const spec = toDomainSpec({ ...shape, id: '00000000-0000-4000-8000-000000000000' });
    problems.push(...validateDomainSpec(spec).map((p) => ({ path: COMMON_FIELDS.includes(p.path.split(/[.[]/)[0]!) ? p.path : `boot.${p.path}`, message: p.message })));
  }
  if (problems.length > 0) {
    throw new ValidationError(`invalid instance: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, { errors: problems });
  }
}
