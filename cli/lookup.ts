// Names or ids wherever an id is taken: a UUID is used as is, anything else is looked up by
// the API's unique-name filter (GET /hosts?name=, /instances?name=).
import { unwrap, VirtfleetProblemError, type components, type VirtfleetClient } from '../clients/typescript/index.js';

export type Host = components['schemas']['HostDto'];
export type Instance = components['schemas']['InstanceDto'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

function notFound(kind: string, name: string): VirtfleetProblemError {
  return new VirtfleetProblemError({ type: 'about:blank', title: 'Not Found', status: 404, detail: `no ${kind} is named "${name}"` });
}

export async function hostId(client: VirtfleetClient, ref: string): Promise<string> {
  if (isUuid(ref)) return ref;
  const page = await unwrap(client.GET('/api/v1/hosts', { params: { query: { name: ref } } }));
  const found = page.items[0];
  if (!found) throw notFound('host', ref);
  return found.id;
}

export async function instanceId(client: VirtfleetClient, ref: string): Promise<string> {
  if (isUuid(ref)) return ref;
  const page = await unwrap(client.GET('/api/v1/instances', { params: { query: { name: ref } } }));
  const found = page.items[0];
  if (!found) throw notFound('instance', ref);
  return found.id;
}

/** Every page of a cursor list, up to `max` items. */
export async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | null }>,
  max = 10_000,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && items.length < max);
  return items.slice(0, max);
}

/** id → name of every host, for tables that show where things are. */
export async function hostNames(client: VirtfleetClient): Promise<Map<string, string>> {
  const hosts = await allPages((cursor) => unwrap(client.GET('/api/v1/hosts', { params: { query: { limit: 200, cursor } } })));
  return new Map(hosts.map((h) => [h.id, h.name]));
}
