// Suites share one database and the real daemons: the private libvirtd (QEMU and LXC) and the
// simulated lvhosts are each one host, whichever suite registered it first and for which
// driver; its other drivers are endpoints of that host (README "Hosts").
import type request from 'supertest';

/** A supertest agent, or a wrapper that sets credentials. */
interface Http {
  get(url: string): request.Test;
  post(url: string): request.Test;
}
interface HostView {
  id: string;
  uri: string;
  simulated?: boolean;
  endpoints?: Array<{ uri: string; driverKind: string; connection?: unknown }>;
}

/** The registered host that `uri` reaches (as its first endpoint or another one), if any. */
export async function hostReaching(http: Http, uri: string): Promise<HostView | undefined> {
  const items = (await http.get('/api/v1/hosts?limit=200').expect(200)).body.items as HostView[];
  return items.find((h) => h.uri === uri || (h.endpoints ?? []).some((e) => e.uri === uri));
}

/**
 * The id of the host `uri` reaches for `driverKind`: an existing one (adding `uri` as its
 * endpoint when the machine is registered for another driver only), else one registered now
 * from `body` (`registered: true`: the caller may remove it).
 */
export async function ensureHost(
  http: Http,
  uri: string,
  driverKind: string,
  body: Record<string, unknown>,
): Promise<{ id: string; registered: boolean }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const known = await hostReaching(http, uri);
    if (known) return { id: known.id, registered: false };
    const res = await http.post('/api/v1/hosts').send({ ...body, uri, driverKind });
    if (res.status === 201) return { id: res.body.id as string, registered: true };
    if (res.status !== 409) throw new Error(`registering ${uri}: ${res.status} ${JSON.stringify(res.body)}`);
    if (typeof res.body.addEndpoint === 'string') {
      const added = await http.post(res.body.addEndpoint.replace(/^\/api\/v1/, '/api/v1')).send({ uri, driverKind });
      if (added.status === 201) return { id: added.body.id as string, registered: false };
      if (added.status !== 409) throw new Error(`adding ${uri} to host ${res.body.hostId}: ${added.status} ${JSON.stringify(added.body)}`);
    }
    // Registered concurrently by another suite: look again.
  }
  throw new Error(`could not find or register a host for ${uri}`);
}
