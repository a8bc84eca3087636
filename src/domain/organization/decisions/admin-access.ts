/**
 * Which provider administrators may manage this organization (JumpCloud's administrator–organization
 * links, the "Select Admins" step of a clone). That the administrator belongs to the organization's
 * provider is checked by the application, which holds both aggregates.
 */
import type { GrantAdminAccess, RevokeAdminAccess } from '../commands.js';
import type { OrganizationEvent } from '../events.js';
import type { OrganizationState } from '../state.js';
import { requireId } from '../validation/primitives.js';

export function grantAdminAccess({ data }: GrantAdminAccess, state: OrganizationState): OrganizationEvent[] {
  const administratorId = requireId(data.administratorId, 'administratorId');
  if (state.adminIds.includes(administratorId)) return [];
  return [{ type: 'AdminAccessGranted', data: { administratorId } }];
}

export function revokeAdminAccess(
  { data }: RevokeAdminAccess,
  state: OrganizationState,
): OrganizationEvent[] {
  const administratorId = requireId(data.administratorId, 'administratorId');
  if (!state.adminIds.includes(administratorId)) return [];
  return [{ type: 'AdminAccessRevoked', data: { administratorId } }];
}
