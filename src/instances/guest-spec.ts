// An instance's boot description (stored as JSON) + its resources -> the DomainSpec the drivers
// build XML from. Pure. The XML layer's validator is the single authority on what is valid.
import { ValidationError } from '../common/domain-errors.js';
import { DRIVER_CAPABILITIES, type DriverKind, type GuestType } from '../hypervisor/capabilities.js';
import type { DomainSpec } from '../hypervisor/xml/domain-spec.js';
import { validateDomainSpec } from '../hypervisor/xml/validate-spec.js';
import { posix } from 'node:path';

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
export const BOOT_FIELDS: Readonly<Record<GuestType, readonly string[]>> = {
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
  return {
    ...withDefaults(i.bootSpec),
    name: i.name,
    uuid: i.id,
    instanceId: i.id,
    vcpus: i.vcpus,
    memoryMiB: i.memoryMiB,
    labels: i.labels,
  } as unknown as DomainSpec;
}

/** Throws a 400 listing every problem of `boot` for a guest of `driverKind`. */
export function assertValidBoot(driverKind: DriverKind, shape: Omit<InstanceShape, 'id'>, paths?: HostPathPolicy): void {
  const boot = shape.bootSpec;
  const problems: { path: string; message: string }[] = paths ? hostPathProblems(boot, paths) : [];
  if (!DRIVER_CAPABILITIES[driverKind].guestTypes.includes(boot.guestType)) {
    problems.push({
      path: 'boot.guestType',
      message: `must be one of ${DRIVER_CAPABILITIES[driverKind].guestTypes.join(', ')} for the ${driverKind} driver`,
    });
  }
  const allowed = Object.hasOwn(BOOT_FIELDS, boot.guestType) ? BOOT_FIELDS[boot.guestType] : [];
  for (const f of Object.keys(boot)) {
    if (f === 'guestType') continue;
    if (COMMON_FIELDS.includes(f)) problems.push({ path: `boot.${f}`, message: 'is set on the instance, not in boot' });
    else if (!allowed.includes(f))
      problems.push({ path: `boot.${f}`, message: `is not a ${boot.guestType} boot field (allowed: ${allowed.join(', ')})` });
  }
  if (problems.length === 0) {
    const spec = toDomainSpec({ ...shape, id: '00000000-0000-4000-8000-000000000000' });
    try {
      problems.push(
        ...validateDomainSpec(spec).map((p) => ({
          path: COMMON_FIELDS.includes(p.path.split(/[.[]/)[0]!) ? p.path : `boot.${p.path}`,
          message: p.message,
        })),
      );
    } catch {
      // The validator reads nested fields by their declared shapes; null or a scalar where an
      // object or list belongs makes it throw. That is the client's malformed input, not a 500.
      problems.push({
        path: 'boot',
        message: 'is malformed: a nested field has the wrong type (null, scalar or object where a list or object belongs)',
      });
    }
  }
  if (problems.length > 0) {
    throw new ValidationError(`invalid instance: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, { errors: problems });
  }
}

export interface HostPathPolicy {
  /** Containers without a rootfs (sharing the host's /) are allowed. */
  allowHostRootContainers: boolean;
}

/** Where hypervisor binaries (emulator, loader, bootloader) may live. */
const BINARY_ROOTS = ['/usr/bin', '/usr/lib', '/usr/libexec', '/usr/local/bin', '/usr/local/lib'];

const within = (p: string, roots: readonly string[]) => {
  const n = posix.normalize(p);
  return !p.split('/').includes('..') && roots.some((r) => n === r || n.startsWith(`${r}/`));
};

/**
 * A path spelt once, plainly: absolute, below '/', without '.', '..', empty components, a
 * trailing slash or control characters. Whether it is allowed storage is for the host to say.
 */
const plainAbsolutePath = (p: string) =>
  p.length > 1 && p.startsWith('/') && posix.normalize(p) === p && !p.endsWith('/') && !/[\u0000-\u001f\u007f]/.test(p);

/**
 * Host paths a client names reach libvirt, which runs as root: a disk on /dev/sda or a bind
 * mount of / would hand the guest the host. Binaries must come from the system's binary
 * directories. Storage (disks, kernels, rootfs, mounts) is checked where it lives: the driver
 * accepts only managed volumes of the guest's host, in the allowed storage pools (STORAGE_POOLS); here a
 * storage path only has to be spelt plainly. Pure; the caller turns problems into a 400.
 */
export function hostPathProblems(boot: Record<string, unknown>, policy: HostPathPolicy): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const storage = (value: unknown, where: string) => {
    if (typeof value === 'string' && !plainAbsolutePath(value)) {
      problems.push({ path: where, message: "must be a plain absolute path (no '.', '..', '//', trailing '/' or control characters)" });
    }
  };
  const binary = (value: unknown, where: string) => {
    if (typeof value === 'string' && !within(value, BINARY_ROOTS))
      problems.push({ path: where, message: `must be under ${BINARY_ROOTS.join(', ')}` });
  };
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  const obj = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
  list(boot.disks).forEach((d, n) => storage(obj(d).path, `boot.disks[${n}].path`));
  list(boot.mounts).forEach((m, n) => storage(obj(m).source, `boot.mounts[${n}].source`));
  storage(boot.rootfs, 'boot.rootfs');
  for (const k of ['kernel', 'initrd'] as const) {
    storage(obj(boot.kernelBoot)[k], `boot.kernelBoot.${k}`);
    storage(obj(boot.boot)[k], `boot.boot.${k}`);
  }
  binary(obj(boot.boot).bootloader, 'boot.boot.bootloader');
  binary(boot.loader, 'boot.loader');
  binary(boot.emulator, 'boot.emulator');
  if (boot.guestType === 'container' && boot.rootfs === undefined && !policy.allowHostRootContainers) {
    problems.push({
      path: 'boot.rootfs',
      message: "is required: a container without one shares the host's root filesystem (ALLOW_HOST_ROOT_CONTAINERS is off)",
    });
  }
  return problems;
}
