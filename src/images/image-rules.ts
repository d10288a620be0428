// What an image is allowed to be, decided from the facts the host's libvirt reported for its
// volume. Pure.
import type { HostVolume, VolumeFormat } from '../hypervisor/volumes.js';
import { VOLUME_FORMATS } from '../hypervisor/volumes.js';

export const IMAGE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export const OS_FAMILY_PATTERN = /^[a-z0-9-]{1,32}$/;

const GiB = 1024 ** 3;

/** Why `volume` cannot be an image claimed to be `claimed` (undefined: no claim); null when it can. */
export function imageProblem(volume: HostVolume, claimed: VolumeFormat | undefined): string | null {
  if (volume.kind !== 'file') return `volume "${volume.name}" is a ${volume.kind} volume; an image is a file volume`;
  if (volume.backingPath !== null)
    return `volume "${volume.name}" has a backing store of its own (${volume.backingPath}); an image must be self-contained`;
  if (!(VOLUME_FORMATS as readonly string[]).includes(volume.format ?? ''))
    return `volume "${volume.name}" is in format ${volume.format ?? 'unknown'}; images are raw or qcow2`;
  if (claimed !== undefined && claimed !== volume.format)
    return `volume "${volume.name}" is said to be ${claimed} but the host's libvirt finds ${volume.format}`;
  if (volume.capacityBytes <= 0) return `volume "${volume.name}" is empty (virtual size 0)`;
  return null;
}

/** The root disk size for an image of `sizeBytes`: `diskGiB` when given, else the image's size rounded up; null when `diskGiB` is too small. */
export function rootDiskGiB(sizeBytes: number, diskGiB: number | undefined): number | null {
  const least = Math.ceil(sizeBytes / GiB);
  if (diskGiB === undefined || diskGiB === 0) return least;
  return diskGiB * GiB >= sizeBytes ? diskGiB : null;
}
