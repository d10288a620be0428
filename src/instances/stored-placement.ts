// The create request's placement rules as stored with an instance, and the placement request of
// a later move built from them. A move may add constraints (a drain's target labels) but never
// drops a stored one. The host a create named is kept for the record but is not a rule for
// later moves: a move away from it cannot honour it, and migrations and drains are moves away
// that an operator asks for. (Consolidation keeps its hands off instances marked `pinned`.) Pure.
import type { Instance } from '../generated/prisma/client.js';
import { ConflictError } from '../common/domain-errors.js';
import { fromDbGroupPolicy } from '../prisma/enum-mapping.js';
import type { PlacementGroup, PlacementRequest, UtilisationWeigherName } from '../placement/placement-types.js';
import type { InstancePlacementDto } from './dto/instance.dto.js';

export interface StoredPlacement {
  requiredHostLabels: Record<string, string>;
  requiredHostTraits: string[];
  forbiddenHostTraits: string[];
  weigher: UtilisationWeigherName;
  /** The host the create request named, or null (a record, not a rule for moves). */
  hostId: string | null;
  group: PlacementGroup | undefined;
}

type StoredColumns = Pick<
  Instance,
  | 'requiredHostLabels'
  | 'requiredHostTraits'
  | 'forbiddenHostTraits'
  | 'placementWeigher'
  | 'requestedHostId'
  | 'placementGroup'
  | 'groupPolicy'
  | 'groupHard'
>;

export function storedPlacementOf(i: StoredColumns): StoredPlacement {
  return {
    requiredHostLabels: { ...((i.requiredHostLabels ?? {}) as Record<string, string>) },
    requiredHostTraits: [...(i.requiredHostTraits ?? [])],
    forbiddenHostTraits: [...(i.forbiddenHostTraits ?? [])],
    weigher: i.placementWeigher === 'spread' ? 'spread' : 'pack',
    hostId: i.requestedHostId,
    group:
      i.placementGroup && i.groupPolicy
        ? { name: i.placementGroup, policy: fromDbGroupPolicy(i.groupPolicy), strength: i.groupHard ? 'hard' : 'soft' }
        : undefined,
  };
}

export function placementDtoOf(i: StoredColumns): InstancePlacementDto {
  const p = storedPlacementOf(i);
  return {
    requiredHostLabels: p.requiredHostLabels,
    requiredHostTraits: p.requiredHostTraits,
    forbiddenHostTraits: p.forbiddenHostTraits,
    weigher: p.weigher,
    hostId: p.hostId,
  };
}

/** What a move asks on top of the stored rules. */
export interface MoveConstraints {
  requiredHostLabels?: Record<string, string>;
}

/**
 * The stored rules combined with a move's, for the target whether placement chooses it or the
 * caller names it: labels are merged (a key the move asks with another value than the stored
 * one is a 409, since no host could satisfy both); traits, group and weigher always apply.
 */
export function movePlacement(
  instanceName: string,
  stored: StoredPlacement,
  move: MoveConstraints,
): Pick<PlacementRequest, 'requiredLabels' | 'requiredTraits' | 'forbiddenTraits' | 'group'> & { weigher: UtilisationWeigherName } {
  const requiredLabels = { ...stored.requiredHostLabels };
  for (const [key, value] of Object.entries(move.requiredHostLabels ?? {})) {
    const kept = stored.requiredHostLabels[key];
    if (kept !== undefined && kept !== value) {
      throw new ConflictError(
        `instance ${instanceName} must stay on hosts with ${key}=${kept} (its stored placement); the move asks for ${key}=${value}`,
        { label: key, stored: kept, requested: value },
      );
    }
    requiredLabels[key] = value;
  }
  return {
    requiredLabels: Object.keys(requiredLabels).length > 0 ? requiredLabels : undefined,
    requiredTraits: stored.requiredHostTraits.length > 0 ? stored.requiredHostTraits : undefined,
    forbiddenTraits: stored.forbiddenHostTraits.length > 0 ? stored.forbiddenHostTraits : undefined,
    group: stored.group,
    weigher: stored.weigher,
  };
}
