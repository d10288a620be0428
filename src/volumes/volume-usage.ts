// Whether a guest spec uses a volume, decided the way the host's libvirt matched the spec's
// paths when it accepted them: virStorageVolLookupByPath compares the path string after
// virFileSanitizePath (duplicate slashes collapsed, a trailing slash dropped; "//" kept at the
// start, as POSIX allows) with the volume's path. Pure.
import { storageRefsOf } from '../hypervisor/storage-refs.js';
import type { DomainSpec } from '../hypervisor/xml/domain-spec.js';

/** libvirt's virFileSanitizePath (src/util/virfile.c), for local paths. */
export function sanitizePath(path: string): string {
  const lead = /^\/\/(?!\/)/.test(path) ? '//' : '';
  const cleaned = path.slice(lead.length).replace(/\/{2,}/g, '/');
  const trimmed = cleaned.length > 1 ? cleaned.replace(/\/$/, '') : cleaned;
  return lead + (lead && trimmed.startsWith('/') ? trimmed.slice(1) : trimmed);
}

/** The fields of `spec` whose host path is the volume at `volumePath`. */
export function fieldsUsing(spec: DomainSpec, volumePath: string): string[] {
  return storageRefsOf(spec)
    .filter((ref) => sanitizePath(ref.path) === volumePath)
    .map((ref) => ref.field);
}
