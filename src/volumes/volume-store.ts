// The volumes table as the rest of virtfleet reads it: the managed volumes of one host, which
// every guest storage check (define, pre-check, migration target) hands to the driver.
import type { Prisma } from '../generated/prisma/client.js';
import type { ManagedVolume } from '../hypervisor/volumes.js';

type Db = Pick<Prisma.TransactionClient, 'volume'>;

/** The managed volumes of host `hostId` (none for no host). */
export async function managedVolumesOn(db: Db, hostId: string | null | undefined): Promise<ManagedVolume[]> {
  if (!hostId) return [];
  const rows = await db.volume.findMany({
    where: { hostId },
    select: { pool: true, name: true, kind: true, path: true, format: true, instanceId: true, image: { select: { id: true } } },
  });
  return rows.map(({ image, ...v }) => ({ ...v, image: image !== null }));
}
