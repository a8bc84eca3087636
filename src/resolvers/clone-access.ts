/**
 * Who may see a clone (SPEC §7). Reading a clone is reading organizations: a clone is visible to
 * whoever may see its source or its new organization, as `OrganizationService.visibleOrganizations`
 * decides (the caller's provider only, linked organizations only for a LINKED administrator,
 * FORBIDDEN for a role that may not read). Any other clone is NOT_FOUND, as if it did not exist.
 */
import { authorize, type Actor } from '../domain/provider/permissions.js';
import { UnauthenticatedError } from '../domain/errors.js';
import type { CloneOperationRecord } from '../projections/clones/queries.js';
import type { OrgcloneContext } from './context.js';
import { cloneOperationById, visibleOrganizationById } from './loaders.js';

export async function canSeeClone(
  ctx: OrgcloneContext,
  clone: { sourceOrganizationId: string; newOrganizationId: string },
): Promise<boolean> {
  const organizations = await ctx.loaders
    .get(visibleOrganizationById)
    .loadMany([clone.sourceOrganizationId, clone.newOrganizationId]);
  for (const organization of organizations) if (organization instanceof Error) throw organization;
  return organizations.some((organization) => organization !== null);
}

/** The operation, or null when it does not exist or the caller may not see it. */
export async function visibleCloneOperation(
  ctx: OrgcloneContext,
  cloneId: string,
): Promise<CloneOperationRecord | null> {
  const operation = await ctx.loaders.get(cloneOperationById).load(cloneId);
  if (operation === null) return null;
  return (await canSeeClone(ctx, operation)) ? operation : null;
}

/** The caller, allowed to read (every role but Billing Only): listings check nothing else. */
export function readerOf(ctx: OrgcloneContext): Actor {
  const actor = ctx.services.readModels.providers.actor(
    ctx.principal.providerId,
    ctx.principal.administratorId,
  );
  if (!actor) throw new UnauthenticatedError('the administrator is not known');
  authorize(actor, { type: 'READ' });
  return actor;
}
