/** What a new organization should hold after a clone of a plan, built from the plan's items directly (not through events). */
import type { ClonePlan } from '../../src/domain/clone/plan.js';
import { defaultFeatures, defaultMfa, defaultSettings } from '../../src/domain/organization/defaults.js';
import { initialState } from '../../src/domain/organization/evolve.js';
import type { OrganizationState } from '../../src/domain/organization/state.js';

export function organizationOfPlan(
  plan: ClonePlan,
  context: { providerId: string; created: string },
): OrganizationState {
  const expected: OrganizationState = {
    ...initialState(),
    status: 'active',
    id: plan.newOrganizationId,
    providerId: context.providerId,
    displayName: plan.name,
    created: context.created,
    clonedFrom: {
      cloneId: plan.cloneId,
      sourceOrganizationId: plan.sourceOrganizationId,
      sourceVersion: plan.sourceVersion,
    },
    settings: defaultSettings(),
    features: defaultFeatures(),
    mfa: defaultMfa(),
  };
  for (const item of plan.items) {
    if (!item.content) continue;
    switch (item.kind) {
      case 'SETTING':
        expected.settings = { ...expected.settings, [item.content.category]: item.content.values };
        break;
      case 'USER_GROUP':
        expected.userGroups = { ...expected.userGroups, [item.content.id]: item.content };
        break;
      case 'DEVICE_GROUP':
        expected.deviceGroups = { ...expected.deviceGroups, [item.content.id]: item.content };
        break;
      case 'COMMAND':
        expected.commands = { ...expected.commands, [item.content.id]: item.content };
        break;
      case 'POLICY':
        expected.policies = { ...expected.policies, [item.content.id]: item.content };
        break;
      case 'POLICY_GROUP':
        expected.policyGroups = { ...expected.policyGroups, [item.content.id]: item.content };
        break;
      case 'MFA_METHOD':
        expected.mfa = { ...expected.mfa, [item.content.method]: item.content.settings };
        break;
      case 'IP_LIST':
        expected.ipLists = { ...expected.ipLists, [item.content.id]: item.content };
        break;
      case 'CONDITIONAL_ACCESS_POLICY':
        expected.conditionalAccessPolicies = {
          ...expected.conditionalAccessPolicies,
          [item.content.id]: item.content,
        };
        break;
      case 'FEATURE':
        expected.features = { ...expected.features, [item.content.feature]: item.content.enabled };
        break;
      case 'ADMIN_ACCESS':
        expected.adminIds = [...expected.adminIds, item.content.administratorId];
        break;
    }
  }
  return expected;
}
