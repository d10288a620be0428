// A host is one machine reached through one endpoint per driver (README "Hosts"): an instance is
// managed through its host's endpoint of the instance's driver kind. Every call that reaches a
// guest's libvirt goes through `throughEndpoint`, so an LXC container on a host first registered
// for QEMU is driven over the host's LXC URI.
import { ConflictError } from '../common/domain-errors.js';
import type { Host, Prisma } from '../generated/prisma/client.js';
import type { DriverKind as DbDriverKind } from '../generated/prisma/enums.js';

type EndpointReader = Pick<Prisma.TransactionClient, 'hostEndpoint'>;

/**
 * `host` with `uri` set to its endpoint for driver `kind`. 409 when the host has none (the
 * endpoint was removed, which is refused while instances of that driver are on it).
 */
export async function throughEndpoint<H extends Pick<Host, 'id' | 'name' | 'uri'> & { driverKind?: DbDriverKind }>(
  db: EndpointReader,
  host: H,
  kind: DbDriverKind,
): Promise<H> {
  // The first endpoint is on the host row itself.
  if (host.driverKind === kind) return host;
  const endpoint = await db.hostEndpoint.findUnique({
    where: { hostId_driverKind: { hostId: host.id, driverKind: kind } },
    select: { uri: true },
  });
  if (!endpoint)
    throw new ConflictError(`host ${host.name} has no ${kind.replace('_', '-')} endpoint`, {
      hostId: host.id,
      driverKind: kind.replace('_', '-'),
    });
  return { ...host, uri: endpoint.uri };
}

/**
 * A host's traits: the union of what its endpoints' drivers give it (so placement's
 * `driver:<kind>` filter reads "has an endpoint of that kind"), plus the operator's own traits
 * (those `reserved` does not match) from `current`.
 */
export function hostTraitsOf(current: readonly string[], endpointTraits: ReadonlyArray<readonly string[]>, reserved: RegExp): string[] {
  return [...new Set([...endpointTraits.flat(), ...current.filter((t) => !reserved.test(t))])].sort();
}
