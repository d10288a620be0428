// Where a guest definition names host storage: disk images, kernels and initrds, a container's
// rootfs and bind-mount sources. Pure; the driver resolves each on the host that defines the
// guest (libvirt/storage-paths.ts), the API uses it to know whether there is anything to resolve.
import type { DomainSpec } from './xml/domain-spec.js';

/** What the host path is for: it decides which kind of storage volume may back it. */
export type StorageUse = 'disk' | 'kernel' | 'rootfs' | 'mount';

export interface StorageRef {
  /** The field as clients spell it in an instance's `boot`, e.g. `boot.disks[0].path`. */
  field: string;
  path: string;
  use: StorageUse;
  /** For a disk: the format the guest definition reads it in. */
  format?: string;
}

/**
 * `spec` with every storage path replaced by `replace(ref)` (a copy; `spec` is not changed).
 * One walk serves both listing the paths and rewriting them, so the two cannot disagree.
 */
export function mapStoragePaths(spec: DomainSpec, replace: (ref: StorageRef) => string): DomainSpec {
  const kernelBoot = <K extends { kernel: string; initrd?: string }>(boot: K, field: string): K => ({
    ...boot,
    kernel: replace({ field: `${field}.kernel`, path: boot.kernel, use: 'kernel' }),
    ...(boot.initrd !== undefined ? { initrd: replace({ field: `${field}.initrd`, path: boot.initrd, use: 'kernel' }) } : {}),
  });
  const disks = <D extends { path: string; format?: string }>(list: D[]): D[] =>
    list.map((d, n) => ({ ...d, path: replace({ field: `boot.disks[${n}].path`, path: d.path, use: 'disk', format: d.format }) }));
  switch (spec.guestType) {
    case 'hvm':
      return {
        ...spec,
        disks: disks(spec.disks),
        ...(spec.kernelBoot ? { kernelBoot: kernelBoot(spec.kernelBoot, 'boot.kernelBoot') } : {}),
      };
    case 'xen-pv':
      return { ...spec, disks: disks(spec.disks), boot: spec.boot.kind === 'kernel' ? kernelBoot(spec.boot, 'boot.boot') : spec.boot };
    case 'xen-pvh':
      return { ...spec, disks: disks(spec.disks), boot: kernelBoot(spec.boot, 'boot.boot') };
    case 'xen-hvm':
      return { ...spec, disks: disks(spec.disks) };
    case 'container':
      return {
        ...spec,
        ...(spec.rootfs !== undefined ? { rootfs: replace({ field: 'boot.rootfs', path: spec.rootfs, use: 'rootfs' }) } : {}),
        ...(spec.mounts
          ? {
              mounts: spec.mounts.map((m, n) => ({
                ...m,
                source: replace({ field: `boot.mounts[${n}].source`, path: m.source, use: 'mount' }),
              })),
            }
          : {}),
      };
  }
}

/** Every host storage path `spec` names, with its field and use. */
export function storageRefsOf(spec: DomainSpec): StorageRef[] {
  const refs: StorageRef[] = [];
  mapStoragePaths(spec, (ref) => {
    refs.push(ref);
    return ref.path;
  });
  return refs;
}
