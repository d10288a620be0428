// Managed volumes on a host, through its libvirt storage API: create an empty one in an allowed
// pool, look one up by pool and name (for adoption), delete one. Pools and volumes are named,
// never given as paths, so nothing here resolves a client's path.
import { ConflictError, UnprocessableError } from '../../common/domain-errors.js';
import { XMLParser } from 'fast-xml-parser';
import type { HostVolume, NewVolume, VolumeKind } from '../volumes.js';
import { buildVolumeXml } from '../xml/volume-xml.js';
import { libvirtCodeName, toDomainError } from './libvirt-errors.js';
import type { NativeConnection, StoragePoolState, StorageVolume } from './native-libvirt.js';
import { type StoragePolicy, DIRECTORY_POOLS, poolFacts } from './storage-paths.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

function allowedText(policy: StoragePolicy): string {
  return policy.allowedPools.length > 0 ? `allowed pools: ${policy.allowedPools.join(', ')}` : 'no pool is allowed: STORAGE_POOLS is empty';
}

/** The pool's state when guests may use it and it is active on the host; 422 otherwise. */
async function usablePool(native: NativeConnection, pool: string, policy: StoragePolicy): Promise<StoragePoolState> {
  if (!policy.allowedPools.includes(pool))
    throw new UnprocessableError(`storage pool "${pool}" is not one guests may use (${allowedText(policy)})`, { pool });
  const state = await native.storagePoolState(pool);
  if (!state.exists || !state.active) throw new UnprocessableError(`this host has no active storage pool "${pool}"`, { pool });
  return state;
}

/** A libvirt volume as a managed volume's facts; 422 when it is of a kind virtfleet does not manage. */
export function hostVolumeOf(volume: StorageVolume): HostVolume {
  if (volume.type !== 'file' && volume.type !== 'dir') {
    throw new UnprocessableError(
      `volume "${volume.name}" of pool "${volume.pool}" is a ${volume.type} volume; only file and dir volumes can be managed`,
      { pool: volume.pool, name: volume.name },
    );
  }
  const vol =
    (
      parser.parse(volume.volumeXml) as {
        volume?: { key?: unknown; capacity?: unknown; target?: { format?: { '@type'?: string } }; backingStore?: { path?: unknown } };
      }
    ).volume ?? {};
  const backing = vol.backingStore?.path;
  const capacity =
    typeof vol.capacity === 'object' && vol.capacity !== null ? (vol.capacity as { '#text'?: unknown })['#text'] : vol.capacity;
  const kind: VolumeKind = volume.type;
  return {
    pool: volume.pool,
    name: volume.name,
    kind,
    format: kind === 'dir' ? null : (vol.target?.format?.['@type'] ?? null),
    capacityBytes: Number(capacity ?? 0),
    key: typeof vol.key === 'string' ? vol.key : volume.path,
    path: volume.path,
    backingPath: vol.backingStore ? (typeof backing === 'string' ? backing : '(unnamed)') : null,
  };
}

/** Create `volume` empty in an allowed, active directory pool with room for it. */
export async function createVolume(native: NativeConnection, volume: NewVolume, policy: StoragePolicy): Promise<HostVolume> {
  const state = await usablePool(native, volume.pool, policy);
  const pool = poolFacts(volume.pool, state.xml);
  if (!DIRECTORY_POOLS.has(pool.type)) {
    throw new UnprocessableError(
      `storage pool "${volume.pool}" is a ${pool.type} pool; volumes are created in directory pools (dir, fs, netfs) only`,
      { pool: volume.pool },
    );
  }
  const capacityBytes = volume.kind === 'file' ? (volume.capacityBytes ?? 0) : 0;
  if (volume.backing && (volume.kind !== 'file' || volume.format !== 'qcow2')) {
    throw new UnprocessableError(`only a qcow2 file volume can have a backing store`, { pool: volume.pool, name: volume.name });
  }
  // Files are sparse: the check is that the pool could hold the whole image today.
  if (capacityBytes > state.available) {
    throw new UnprocessableError(
      `storage pool "${volume.pool}" has ${state.available} bytes available; a ${capacityBytes}-byte volume does not fit`,
      { pool: volume.pool, availableBytes: state.available, capacityBytes },
    );
  }
  try {
    return hostVolumeOf(await native.createStorageVolume(volume.pool, buildVolumeXml(volume)));
  } catch (error) {
    const code = libvirtCodeName(error);
    const message = error instanceof Error ? error.message : String(error);
    if (code === 'VIR_ERR_STORAGE_VOL_EXIST') {
      throw new ConflictError(`storage pool "${volume.pool}" already has a volume "${volume.name}" on this host (an admin may adopt it)`, {
        pool: volume.pool,
        name: volume.name,
      });
    }
    // libvirt builds non-raw images with qemu-img on the host; without it the host cannot.
    if (code === 'VIR_ERR_INTERNAL_ERROR' && volume.kind === 'file' && volume.format === 'qcow2') {
      throw new UnprocessableError(`this host cannot create ${volume.format} volumes: ${message}`, {
        libvirtCode: code,
        libvirtMessage: message,
      });
    }
    // The storage driver's own system call failed on the host (e.g. "File too large"): not a
    // broken connection, whatever libvirt's generic code says.
    if (isStorageSystemError(error)) {
      throw new UnprocessableError(`the host could not create volume "${volume.name}" in pool "${volume.pool}": ${message}`, {
        libvirtCode: code,
        libvirtMessage: message,
      });
    }
    throw toDomainError(error, `creating volume "${volume.name}" in pool "${volume.pool}"`);
  }
}

/** Volume `name` of allowed pool `pool` as the host has it; null when the pool has no such volume. */
export async function findVolume(native: NativeConnection, pool: string, name: string, policy: StoragePolicy): Promise<HostVolume | null> {
  await usablePool(native, pool, policy);
  const found = await native.storageVolumeByName(pool, name);
  return found === null ? null : hostVolumeOf(found);
}

/**
 * Delete volume `name` of pool `pool`; false when it was not there (any more). libvirt removes a
 * directory volume only when it is empty (rmdir): a full one is a 409 and stays.
 */
export async function deleteVolume(native: NativeConnection, pool: string, name: string): Promise<boolean> {
  const state = await native.storagePoolState(pool);
  if (!state.exists || !state.active)
    throw new UnprocessableError(`this host has no active storage pool "${pool}"; the volume cannot be deleted now`, { pool });
  try {
    return await native.deleteStorageVolume(pool, name);
  } catch (error) {
    if (!isStorageSystemError(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ConflictError(
      `the host could not delete volume "${name}" of pool "${pool}": ${message} (libvirt deletes only empty directory volumes)`,
      { libvirtCode: libvirtCodeName(error), libvirtMessage: message },
    );
  }
}

/** A system call of the host's storage driver failed (VIR_ERR_SYSTEM_ERROR from VIR_FROM_STORAGE), not the connection. */
function isStorageSystemError(error: unknown): boolean {
  return libvirtCodeName(error) === 'VIR_ERR_SYSTEM_ERROR' && (error as { domainName?: unknown }).domainName === 'VIR_FROM_STORAGE';
}

/**
 * Copy volume `name` of pool `pool` from the host of `source` to a new volume of the same pool
 * and name on the host of `target`: a flattened copy is made on the source first (a qcow2 overlay
 * loses its backing store), streamed into an empty file volume on the target, and removed again.
 * Nothing stays on the target when it fails. Resolves with the target's volume and the bytes sent.
 */
export async function copyVolumeBetweenHosts(
  source: NativeConnection,
  target: NativeConnection,
  pool: string,
  name: string,
  capacityBytes: number,
  policy: StoragePolicy,
): Promise<{ volume: HostVolume; bytes: number }> {
  const flat = `${name}.copy`;
  // Made here, so removed here; a volume of that name that was there before is never touched.
  await source
    .createStorageVolumeFrom(pool, buildVolumeXml({ pool, name: flat, kind: 'file', format: 'qcow2', capacityBytes }), name)
    .catch((error: unknown) => {
      if (libvirtCodeName(error) === 'VIR_ERR_STORAGE_VOL_EXIST')
        throw new ConflictError(`pool "${pool}" on the source already has a volume "${flat}"; the copy needs that name`, {
          pool,
          name: flat,
        });
      throw toDomainError(error, `copying volume "${name}" of pool "${pool}" on the source`);
    });
  try {
    // An empty file: the upload writes the copy's bytes from its start (no stale tail).
    await createVolume(target, { pool, name, kind: 'file', format: 'raw', capacityBytes: 0 }, policy);
    try {
      const bytes = await source.sendStorageVolume(pool, flat, target, pool, name);
      const found = await target.storageVolumeByName(pool, name);
      if (!found) throw new UnprocessableError(`volume "${name}" vanished from pool "${pool}" on the target after the copy`);
      return { volume: hostVolumeOf(found), bytes };
    } catch (error) {
      await target.deleteStorageVolume(pool, name).catch(() => undefined);
      throw toDomainError(error, `sending volume "${name}" of pool "${pool}" to the target`);
    }
  } finally {
    await source.deleteStorageVolume(pool, flat).catch(() => undefined);
  }
}
