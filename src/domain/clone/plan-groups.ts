import type { DeviceGroup, UserGroup, UserGroupBindingType } from '../organization/model.js';
import type { OrganizationState } from '../organization/state.js';
import type { Evaluation, EvaluationContext, PlanEntry } from './evaluation.js';
import { excludedBySelection, Findings } from './evaluation.js';
import type { ReferenceTargetKind } from './plan.js';

const BINDING_TARGET_KIND: Record<UserGroupBindingType, ReferenceTargetKind> = {
  application: 'APPLICATION',
  active_directory: 'ACTIVE_DIRECTORY',
  g_suite: 'G_SUITE',
  office_365: 'OFFICE_365',
  ldap_server: 'LDAP_SERVER',
  radius_server: 'RADIUS_SERVER',
};

/**
 * SPEC §2: a user group is copied without its users and their exemptions from its member query,
 * and without its bindings to applications and directories (neither is cloned). The reasons say
 * what was actually left out: a group that had none of it is copied as it is.
 */
function evaluateUserGroup(group: UserGroup, context: EvaluationContext): Evaluation<'USER_GROUP'> {
  if (context.excluded) return excludedBySelection();
  const findings = new Findings();
  if (group.memberUserIds.length > 0) findings.omit('MEMBERS_NOT_COPIED', 'memberUserIds');
  if (group.memberQueryExemptions.length > 0) findings.omit('MEMBERS_NOT_COPIED', 'memberQueryExemptions');
  if (group.bindings.length > 0) {
    findings.omit('BINDING_NOT_CLONED', 'bindings');
    for (const binding of group.bindings) {
      findings.drop('BINDING_NOT_CLONED', {
        field: 'bindings',
        targetKind: BINDING_TARGET_KIND[binding.type],
        targetId: binding.id,
        cause: 'TARGET_NEVER_CLONED',
      });
    }
  }
  return {
    verdict: findings.copied(),
    content: (remap) => ({
      id: remap('USER_GROUP', group.id),
      name: group.name,
      description: group.description,
      email: group.email,
      attributes: structuredClone(group.attributes),
      membershipMethod: group.membershipMethod,
      memberQuery: structuredClone(group.memberQuery),
      memberQueryExemptions: [],
      memberUserIds: [],
      bindings: [],
      clonedFromId: group.id,
    }),
  };
}

export function userGroupEntries(source: OrganizationState): PlanEntry<'USER_GROUP'>[] {
  return Object.values(source.userGroups).map((group) => ({
    kind: 'USER_GROUP',
    sourceId: group.id,
    name: group.name,
    category: 'USER_GROUPS',
    selectionCategory: 'USER_GROUPS',
    deselectableBy: 'ITEM',
    dependsOn: [],
    selectionDependsOn: [],
    evaluate: (context) => evaluateUserGroup(group, context),
  }));
}

/** SPEC §2: a device group is copied without its devices and without its MDM settings. */
function evaluateDeviceGroup(group: DeviceGroup, context: EvaluationContext): Evaluation<'DEVICE_GROUP'> {
  if (context.excluded) return excludedBySelection();
  const findings = new Findings();
  if (group.memberDeviceIds.length > 0) findings.omit('DEVICES_NOT_COPIED', 'memberDeviceIds');
  if (group.mdm !== null) findings.omit('MDM_SETTINGS_NOT_COPIED', 'mdm');
  return {
    verdict: findings.copied(),
    content: (remap) => ({
      id: remap('DEVICE_GROUP', group.id),
      name: group.name,
      description: group.description,
      attributes: structuredClone(group.attributes),
      membershipMethod: group.membershipMethod,
      memberQuery: structuredClone(group.memberQuery),
      memberDeviceIds: [],
      mdm: null,
      clonedFromId: group.id,
    }),
  };
}

export function deviceGroupEntries(source: OrganizationState): PlanEntry<'DEVICE_GROUP'>[] {
  return Object.values(source.deviceGroups).map((group) => ({
    kind: 'DEVICE_GROUP',
    sourceId: group.id,
    name: group.name,
    category: 'DEVICE_GROUPS',
    selectionCategory: 'DEVICE_GROUPS',
    deselectableBy: 'ITEM',
    dependsOn: [],
    selectionDependsOn: [],
    evaluate: (context) => evaluateDeviceGroup(group, context),
  }));
}
