// Who may call what. Reads (GET) need viewer, changes need operator, fleet administration
// (hosts, API keys, forced reconcile) needs admin; routes override with @Role or @Public.
// `scraper` is below viewer: it may read /metrics only (a key for Prometheus), and its scrapes
// draw on a bucket of their own instead of the API rate limit.
import { SetMetadata } from '@nestjs/common';

export const ROLES = ['scraper', 'viewer', 'operator', 'admin'] as const;
export type ApiRoleName = (typeof ROLES)[number];

export const ROLE_KEY = 'virtfleet:role';
export const PUBLIC_KEY = 'virtfleet:public';

/** The least role a route needs. */
export const Role = (role: ApiRoleName) => SetMetadata(ROLE_KEY, role);

/** Scrapes by `scraper` keys on this route do not count against the API rate limit. */
export const SCRAPE_KEY = 'virtfleet:scrape';
export const ScrapeRoute = () => SetMetadata(SCRAPE_KEY, true);

/** No API key needed (health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export function defaultRoleFor(method: string): ApiRoleName {
  return method === 'GET' || method === 'HEAD' ? 'viewer' : 'operator';
}

export function roleAllows(have: ApiRoleName, need: ApiRoleName): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}
