// What a create asks of placement (and a preview, which asks as a create would) -> the placement
// request; and any placement request -> the request a claim makes, charged with its technique's
// overhead. The one statement of both for creates, previews and migrations. Pure.
import type { Resources } from '../common/resources.js';
import type { DriverKind, GuestType } from '../hypervisor/capabilities.js';
import type { OverheadCharges } from '../overhead/overhead-charges.js';
import type { GroupPolicy, PlacementRequest } from './placement-types.js';

/** The placement fields of a create request, by the API's names. */
export interface AskedPlacement {
  driverKind: DriverKind;
  guestType: GuestType;
  hostId?: string;
  requiredHostLabels?: Record<string, string>;
  requiredHostTraits?: string[];
  forbiddenHostTraits?: string[];
  /** `hard` defaults to true: a group is a rule unless asked to be a preference. */
  placementGroup?: { name: string; policy: GroupPolicy; hard?: boolean };
}

/** The placement request for a guest of size `asked` (its own size, not yet charged). */
export function placementRequestOf(asked: Resources, fields: AskedPlacement): PlacementRequest {
  const group = fields.placementGroup;
  return {
    resources: asked,
    driverKind: fields.driverKind,
    guestType: fields.guestType,
    hostId: fields.hostId,
    requiredLabels: fields.requiredHostLabels,
    requiredTraits: fields.requiredHostTraits,
    forbiddenTraits: fields.forbiddenHostTraits,
    group: group ? { name: group.name, policy: group.policy, strength: group.hard === false ? 'soft' : 'hard' } : undefined,
  };
}

/** `request` as a claim makes it: the host is charged the guest's size plus its technique's overhead. */
export function chargedRequest(request: PlacementRequest, overhead: OverheadCharges): PlacementRequest {
  return { ...request, resources: overhead.charged(request.driverKind, request.resources) };
}
