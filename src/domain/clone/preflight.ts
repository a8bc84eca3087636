import type { BillingPlan } from '../organization/model.js';
import type { OrganizationState } from '../organization/state.js';
import type { PreflightFinding } from './plan.js';
import type { PlanGraph } from './resolution.js';
import type { NormalizedSelection } from './selection.js';

/** Facts about the caller and the provider that the planner cannot read from the source itself. */
export interface PreflightContext {
  /** Another organization of the provider, not discarded, has the new name (case-insensitively). */
  nameTaken: boolean;
  /** The caller may clone this source (SPEC §7: Administrator With Billing, with access to it). */
  callerMayClone: boolean;
  providerPlan: BillingPlan;
  orgCreationDisabled: boolean;
}

/** SPEC §3's checks: errors keep the clone from starting, warnings only inform. */
export function preflightFindings(input: {
  source: OrganizationState;
  name: string;
  selection: NormalizedSelection;
  graph: PlanGraph;
  context: PreflightContext;
}): PreflightFinding[] {
  const { source, name, selection, graph, context } = input;
  const findings: PreflightFinding[] = [];
  const error = (code: PreflightFinding['code'], message: string, field: string | null = null) =>
    findings.push({ code, severity: 'ERROR', message, field });
  const warning = (code: PreflightFinding['code'], message: string, field: string | null = null) =>
    findings.push({ code, severity: 'WARNING', message, field });

  if (source.status === 'absent')
    error('SOURCE_NOT_FOUND', 'the source organization does not exist', 'sourceOrganizationId');
  if (source.status === 'discarded') {
    error('SOURCE_DISCARDED', 'the source organization is discarded', 'sourceOrganizationId');
  }
  if (!context.callerMayClone)
    error('NOT_ALLOWED', 'only an Administrator With Billing with access to the source may clone it');
  if (context.providerPlan !== 'PAID') error('PLAN_NOT_PAID', 'cloning an organization needs a paid plan');
  if (context.orgCreationDisabled)
    error('ORG_CREATION_DISABLED', 'the provider may not create organizations');
  if (name === '') error('NAME_REQUIRED', 'the new organization needs a name', 'name');
  else if (context.nameTaken) error('NAME_TAKEN', `an organization named "${name}" already exists`, 'name');

  const items = [
    source.commands,
    source.policies,
    source.policyGroups,
    source.userGroups,
    source.deviceGroups,
    source.ipLists,
    source.conditionalAccessPolicies,
  ];
  if (source.status === 'active' && items.every((collection) => Object.keys(collection).length === 0)) {
    warning(
      'SOURCE_EMPTY',
      'the source organization has settings only: no commands, policies, groups or access policies',
    );
  }
  for (const sourceId of selection.excludedItemIds) {
    if (graph.matching({ type: 'ITEM', sourceId }).length === 0) {
      warning('UNKNOWN_ITEM', `no item of the source has id ${sourceId}`, 'selection.excludedItemIds');
    }
  }
  for (const administratorId of selection.excludedAdminIds) {
    if (graph.matching({ type: 'ADMIN', administratorId }).length === 0) {
      warning(
        'UNKNOWN_ADMIN',
        `administrator ${administratorId} has no access to the source`,
        'selection.excludedAdminIds',
      );
    }
  }
  return findings;
}
