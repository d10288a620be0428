// Guest storage paths resolved where they live: on the host that defines the guest, through its
// libvirt storage API. A path is accepted only when that host's libvirt lists a volume there in
// one of the allowed pools, of the kind the path is used for; the domain XML then carries the
// path as the pool spells it (virStorageVolGetPath), never the caller's string.
//
// What libvirt does and does not do (libvirt 9, src/storage/storage_driver.c
// storageVolLookupByPath): the path is cleaned by virFileSanitizePath (duplicate and trailing
// slashes only) and compared as a string with the volumes the active pools listed at their last
// refresh. A directory pool lists only the direct entries of its directory, so a nested path, a
// path through "..", the pool directory itself and anything outside every pool are no volume. It
// does not resolve symbolic links: an entry of a pool directory that is a link is listed as a
// volume of its target's type (storage_util.c virStorageBackendVolOpen follows it). So a volume
// must also be a managed one: created by virtfleet through libvirt (or adopted by an admin) and
// recorded for this host; a link someone placed at the top of a pool is no such volume. See
// README "Guest storage" for what remains possible.
import { XMLParser } from 'fast-xml-parser';
import { UnprocessableError } from '../../common/domain-errors.js';
import { type StorageRef, type StorageUse, mapStoragePaths, storageRefsOf } from '../storage-refs.js';
import type { ManagedVolumes } from '../volumes.js';
import type { DomainSpec } from '../xml/domain-spec.js';
import type { NativeConnection, StorageLookup, StorageVolume, StorageVolumeType } from './native-libvirt.js';

export interface StoragePolicy {
  /** Names of the libvirt storage pools guest storage may come from (STORAGE_POOLS). */
  allowedPools: readonly string[];
}

/** Pool types whose volumes are the direct entries of the pool's directory. */
export const DIRECTORY_POOLS: ReadonlySet<string> = new Set(['dir', 'fs', 'netfs']);

/** Volume types each use accepts: images are files or devices (of device pools), kernels files, rootfs and mounts directories. */
const ACCEPTED_TYPES: Readonly<Record<StorageUse, readonly StorageVolumeType[]>> = {
  disk: ['file', 'block'],
  kernel: ['file'],
  rootfs: ['dir'],
  mount: ['dir'],
};

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

interface PoolFacts {
  name: string;
  type: string;
  /** The pool's target directory as libvirt has it configured; null when it has none. */
  target: string | null;
}

interface VolumeFacts {
  pool: PoolFacts;
  backingStore: string | null;
}

function text(node: unknown): string | null {
  if (typeof node === 'string') return node;
  if (typeof node === 'object' && node !== null && typeof (node as { '#text'?: unknown })['#text'] === 'string')
    return (node as { '#text': string })['#text'];
  return null;
}

/** A pool's type and target directory from virStoragePoolGetXMLDesc. */
export function poolFacts(name: string, xml: string): PoolFacts {
  const pool = (parser.parse(xml) as { pool?: { '@type'?: string; target?: { path?: unknown } } }).pool ?? {};
  const target = text(pool.target?.path);
  return { name, type: pool['@type'] ?? 'unknown', target: target === null ? null : target.replace(/(.)\/+$/, '$1') };
}

/** The volume's pool and its backing store, from libvirt's XML. */
export function volumeFacts(volume: StorageVolume): VolumeFacts {
  const vol = (parser.parse(volume.volumeXml) as { volume?: { backingStore?: { path?: unknown } } }).volume ?? {};
  return {
    pool: poolFacts(volume.pool, volume.poolXml),
    backingStore: vol.backingStore ? (text(vol.backingStore.path) ?? '(unnamed)') : null,
  };
}

const contains = (dir: string, path: string) => path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);

/**
 * Why `volume` (libvirt's answer for `ref.path`, null: no volume there) may not back `ref`; null
 * when it may. `managed`: the host's managed volumes; `allowedPools`: the allowed pools that
 * exist on the host. Pure.
 */
export function storageProblem(
  ref: StorageRef,
  volume: StorageVolume | null,
  policy: StoragePolicy,
  managed: ManagedVolumes,
  allowedPools: readonly PoolFacts[] = [],
  instanceId?: string,
): string | null {
  const allowed =
    policy.allowedPools.length > 0 ? `allowed pools: ${policy.allowedPools.join(', ')}` : 'no pool is allowed: STORAGE_POOLS is empty';
  if (volume === null)
    return `is not a volume of any active storage pool on this host (${allowed}; only a pool's direct entries are volumes)`;
  if (!policy.allowedPools.includes(volume.pool))
    return `is a volume of storage pool "${volume.pool}", which guests may not use (${allowed})`;
  const facts = volumeFacts(volume);
  const directoryPool = DIRECTORY_POOLS.has(facts.pool.type);
  const accepted = ACCEPTED_TYPES[ref.use];
  if (!accepted.includes(volume.type)) return `is a ${volume.type} volume; a ${ref.use} must be a ${accepted.join(' or ')} volume`;
  const record = managed.find((m) => m.pool === volume.pool && m.name === volume.name);
  if (!record)
    return `is volume "${volume.name}" of pool "${volume.pool}", which virtfleet does not manage on this host (create it through the volumes API, or have an admin adopt it)`;
  if (record.kind !== volume.type)
    return `is volume "${volume.name}" of pool "${volume.pool}", managed as a ${record.kind} volume but now a ${volume.type} volume on the host`;
  if (record.instanceId && record.instanceId !== instanceId)
    return `is volume "${volume.name}" of pool "${volume.pool}", the root disk of instance ${record.instanceId}; no other guest may use it`;
  if (record.image)
    return `is volume "${volume.name}" of pool "${volume.pool}", an image's volume; guests use an image through a root disk made from it (rootDisk), never directly`;
  // A guest may write a qcow2 header (naming any host file as its backing store or data file)
  // into a raw volume: a disk is read in the format it was created in, never another.
  if (ref.use === 'disk' && record.format && ref.format !== undefined && ref.format !== record.format) {
    return `is volume "${volume.name}" of pool "${volume.pool}", created as ${record.format}; it cannot be read as ${ref.format}`;
  }
  if (
    directoryPool &&
    facts.pool.target !== null &&
    volume.path !== `${facts.pool.target === '/' ? '' : facts.pool.target}/${volume.name}`
  ) {
    return `resolves to ${volume.path}, which is not a direct entry of pool "${volume.pool}" (${facts.pool.target})`;
  }
  // A guest writes inside its rootfs and mounts: one holding an allowed pool's directory could
  // put links at that pool's top level, which libvirt would then list as volumes.
  const holds =
    ref.use === 'rootfs' || ref.use === 'mount'
      ? allowedPools.find((p) => p.target !== null && DIRECTORY_POOLS.has(p.type) && contains(volume.path, p.target))
      : undefined;
  if (holds)
    return `holds the directory of allowed storage pool "${holds.name}" (${holds.target}); a guest must never write a pool's top level`;
  // QEMU opens a disk's backing store too: only an image's volume may be one (it has none of its
  // own: checked when it was registered), and only under a root disk made for this guest.
  if (ref.use === 'disk' && facts.backingStore !== null) {
    const backing = managed.find((m) => m.kind === 'file' && m.path === facts.backingStore);
    if (!backing?.image)
      return `has a backing store (${facts.backingStore}) that is not an image's volume on this host; use an image through rootDisk`;
    if (!record.instanceId)
      return `has a backing store (${facts.backingStore}) but is not a root disk virtfleet made; use an image through rootDisk`;
  }
  return null;
}

/**
 * `spec` with every storage path replaced by the path the host's libvirt gives for its volume.
 * Throws 422 naming each field whose path is not a managed volume of an allowed pool there.
 */
export async function resolveGuestStorage(
  native: NativeConnection,
  spec: DomainSpec,
  policy: StoragePolicy,
  managed: ManagedVolumes,
): Promise<DomainSpec> {
  const refs = storageRefsOf(spec);
  if (refs.length === 0) return spec;
  const { volumes, pools }: StorageLookup = await native.storageVolumesByPath(
    refs.map((r) => r.path),
    policy.allowedPools,
  );
  const allowedPools = pools.map((p) => poolFacts(p.name, p.xml));
  const errors = refs.flatMap((ref, n) => {
    const problem = storageProblem(ref, volumes[n] ?? null, policy, managed, allowedPools, spec.instanceId);
    return problem === null ? [] : [{ path: ref.field, message: `${ref.path} ${problem}` }];
  });
  if (errors.length > 0) {
    throw new UnprocessableError(`guest storage refused by the host: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, {
      errors,
    });
  }
  const canonical = new Map(refs.map((ref, n) => [ref.field, volumes[n]!.path]));
  return mapStoragePaths(spec, (ref) => canonical.get(ref.field)!);
}
