// Who may call what. Reads (GET) need viewer, changes need operator, fleet administration
// (hosts, API keys, forced reconcile) needs admin; routes override with @Role or @Public.
import { SetMetadata } from '@nestjs/common';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type ApiRoleName = (typeof ROLES)[number];

export const ROLE_KEY = 'virtfleet:role';
export const PUBLIC_KEY = 'virtfleet:public';

/** The least role a route needs. */
export const Role = (role: ApiRoleName) => SetMetadata(ROLE_KEY, role);

/** No API key needed (health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export function defaultRoleFor(method: string): ApiRoleName {
  return method === 'GET' || method === 'HEAD' ? 'viewer' : 'operator';
}

export function roleAllows(have: ApiRoleName, need: ApiRoleName): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}
