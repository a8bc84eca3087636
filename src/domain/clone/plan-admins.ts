import type { OrganizationState } from '../organization/state.js';
import type { Administrator } from '../provider/state.js';
import type { PlanEntry } from './evaluation.js';
import { copiedAsIs, excludedBySelection, Findings } from './evaluation.js';

export type AdministratorSummary = Pick<Administrator, 'id' | 'email'>;

/**
 * SPEC §2: the access of every administrator linked to the source is copied unless deselected.
 * With the provider's administrators at hand, a link to one the provider no longer has is left
 * behind (`ADMIN_NOT_FOUND`) and the others are named by their email.
 */
export function adminAccessEntries(
  source: OrganizationState,
  providerAdmins: readonly AdministratorSummary[] | undefined,
): PlanEntry<'ADMIN_ACCESS'>[] {
  const known = providerAdmins && new Map(providerAdmins.map((admin) => [admin.id, admin]));
  return [...new Set(source.adminIds)].map((administratorId) => {
    const admin = known?.get(administratorId);
    return {
      kind: 'ADMIN_ACCESS',
      sourceId: administratorId,
      name: admin?.email ?? administratorId,
      category: 'ADMINS',
      selectionCategory: null,
      deselectableBy: 'ADMIN',
      dependsOn: [],
      selectionDependsOn: [],
      evaluate: (context) => {
        if (context.excluded) return excludedBySelection();
        if (known && !admin)
          return { verdict: new Findings().add('ADMIN_NOT_FOUND').excluded(), content: null };
        return { verdict: copiedAsIs(), content: () => ({ administratorId }) };
      },
    };
  });
}
