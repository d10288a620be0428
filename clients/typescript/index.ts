// The virtfleet API client: openapi-fetch over the generated path types. Hand-written, and kept
// this small on purpose; everything the API says lives in virtfleet-api.generated.ts.
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './virtfleet-api.generated.js';

export type { components, operations, paths };
export type ProblemDetails = components['schemas']['ProblemDetails'];
export type VirtfleetClient = Client<paths>;

/** `baseUrl` is the server root, e.g. http://127.0.0.1:3000 (paths already start with /api/v1 or /health). */
export function createVirtfleetClient(baseUrl: string, init: Omit<RequestInit, 'body' | 'method'> = {}): VirtfleetClient {
  return createClient<paths>({ baseUrl, ...init });
}
