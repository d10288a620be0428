// Storage volume XML for virStorageVolCreateXML, built from our own fields (never a client's
// XML). libvirt's directory-pool backend creates a directory for <format type='dir'/>, a sparse
// file for raw, and runs qemu-img for qcow2 (storage_util.c virStorageBackendGetBuildVolFromFunction),
// also for a qcow2 overlay of a backing volume.
import type { NewVolume } from '../volumes.js';
import { el, renderXml } from './xml-writer.js';

export function buildVolumeXml(volume: NewVolume): string {
  const dir = volume.kind === 'dir';
  return renderXml(
    el('volume', { type: dir ? 'dir' : 'file' }, [
      el('name', {}, volume.name),
      el('capacity', { unit: 'bytes' }, dir ? 0 : (volume.capacityBytes ?? 0)),
      // Sparse: nothing is allocated up front (the pool's free space is checked before).
      !dir && el('allocation', { unit: 'bytes' }, 0),
      el('target', {}, [
        el('format', { type: dir ? 'dir' : (volume.format ?? 'raw') }),
        // A directory others in the guest can traverse; files stay 0600 (libvirt's default).
        dir && el('permissions', {}, [el('mode', {}, '0755')]),
      ]),
      // An overlay: libvirt runs qemu-img create -b <path> -F <format>; the format is stated so
      // that nothing is probed from the backing file's contents.
      !dir &&
        volume.backing &&
        el('backingStore', {}, [el('path', {}, volume.backing.path), el('format', { type: volume.backing.format })]),
    ]),
  );
}
