// Managed storage volumes: the only storage a guest may use. virtfleet creates them through the
// host's libvirt (or an admin adopts an existing one) and records each in PostgreSQL; a guest's
// storage path is accepted only when the host's libvirt resolves it to a volume on that list.
// Pure types and rules; the driver talks to libvirt, the volumes feature to the database.

/** What a volume holds: a disk image or kernel (file), or a container's rootfs or bind mount (dir). */
export const VOLUME_KINDS = ['file', 'dir'] as const;
export type VolumeKind = (typeof VOLUME_KINDS)[number];

/** Image formats virtfleet creates file volumes in. */
export const VOLUME_FORMATS = ['raw', 'qcow2'] as const;
export type VolumeFormat = (typeof VOLUME_FORMATS)[number];

/**
 * A volume name is one plain file name: lower-case letters, digits, '.', '_' and '-', not
 * starting with a dot, no "..", at most 63 characters. It never spells a path.
 */
export const VOLUME_NAME_PATTERN = /^(?!.*\.\.)[a-z0-9][a-z0-9._-]{0,62}$/;

/** A storage pool name as a client may spell it (the allowed list decides the rest). */
export const POOL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

/** A volume virtfleet manages on one host, as the guest storage check needs it. */
export interface ManagedVolume {
  pool: string;
  name: string;
  kind: VolumeKind;
  /** libvirt's path when it was recorded: a disk's backing store must be an image's. */
  path?: string;
  /**
   * The format it was created in (or, adopted, probed as then). A guest may write any bytes into
   * a raw volume, a qcow2 header naming host files included: a disk is read only in this format.
   */
  format?: string | null;
  /** The instance whose root disk it is: no other guest may use it. */
  instanceId?: string | null;
  /** Whether it is an image's volume: only ever a root disk's read-only backing store. */
  image?: boolean;
}

/** The managed volumes of the host a call targets (loaded by the caller from PostgreSQL). */
export type ManagedVolumes = readonly ManagedVolume[];

/** An empty volume to create. */
export interface NewVolume {
  pool: string;
  name: string;
  kind: VolumeKind;
  /** Files only; default raw. */
  format?: VolumeFormat;
  /** Files only (a directory has no size of its own). */
  capacityBytes?: number;
  /**
   * A qcow2 overlay's backing store: the path and format of a managed volume as the host's
   * libvirt reported them (an image's volume), never a caller's string.
   */
  backing?: { path: string; format: VolumeFormat };
}

/** A volume as the host's libvirt describes it. */
export interface HostVolume {
  pool: string;
  name: string;
  kind: VolumeKind;
  /** The file's image format as libvirt reports it (raw, qcow2, ...); null for directories. */
  format: string | null;
  capacityBytes: number;
  /** virStorageVolGetKey and virStorageVolGetPath. */
  key: string;
  path: string;
  /** The backing store libvirt reports (qcow2 overlays); null without one. */
  backingPath: string | null;
}
