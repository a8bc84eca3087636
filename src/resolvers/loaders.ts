/**
 * Per-request DataLoaders: `ctx.loaders.get(factory)` builds each once per HTTP request (or per
 * subscription event), so that nested lists of many organizations cost one read-model query per
 * kind of item, whatever the number of organizations and items.
 */
import DataLoader from 'dataloader';
import type { CloneOperationRecord } from '../projections/clones/queries.js';
import type {
  OrganizationItemKind,
  OrganizationItemViews,
  OrganizationRecord,
} from '../projections/organizations/queries.js';
import type { AdministratorRecord } from '../projections/providers/queries.js';
import { callerOf, type OrgcloneContext } from './context.js';

/** Organizations the caller may see, by id: null for one that does not exist or that it may not see. */
export const visibleOrganizationById = (ctx: OrgcloneContext) =>
  new DataLoader<string, OrganizationRecord | null>(async (ids) =>
    ctx.services.organizations.visibleOrganizations(callerOf(ctx), ids),
  );

/**
 * Items of one kind, by organization id. Only for organizations the caller was already allowed to
 * see (the parent field checked it).
 */
function itemsOfKind<K extends OrganizationItemKind>(kind: K) {
  return (ctx: OrgcloneContext) =>
    new DataLoader<string, OrganizationItemViews[K][]>(async (organizationIds) =>
      ctx.services.readModels.organizations.itemsOf(organizationIds, kind),
    );
}

export const commandsOf = itemsOfKind('COMMAND');
export const policiesOf = itemsOfKind('POLICY');
export const policyGroupsOf = itemsOfKind('POLICY_GROUP');
export const userGroupsOf = itemsOfKind('USER_GROUP');
export const deviceGroupsOf = itemsOfKind('DEVICE_GROUP');
export const ipListsOf = itemsOfKind('IP_LIST');
export const conditionalAccessPoliciesOf = itemsOfKind('CONDITIONAL_ACCESS_POLICY');
export const adminAccessOf = itemsOfKind('ADMIN_ACCESS');

/** Administrators of the caller's provider, by id: null for an id the provider does not have. */
export const administratorById = (ctx: OrgcloneContext) =>
  new DataLoader<string, AdministratorRecord | null>(async (ids) =>
    ctx.services.readModels.providers.getAdministrators(ctx.principal.providerId, ids),
  );

/** Clone operations by id, of whichever provider: `clone-access.ts` decides what the caller may see. */
export const cloneOperationById = (ctx: OrgcloneContext) =>
  new DataLoader<string, CloneOperationRecord | null>(async (ids) =>
    ctx.services.readModels.clones.getCloneOperations(ids),
  );
