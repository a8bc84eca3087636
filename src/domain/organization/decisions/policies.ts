/**
 * Policies (instances of a catalogue template) and policy groups. Removing a policy first removes it
 * from the policy groups that contain it (explicit `PolicyRemovedFromPolicyGroup` events).
 */
import { NotFoundError, ValidationError } from '../../errors.js';
import { findPolicyTemplate } from '../../policy-templates/catalogue.js';
import { MAX_POLICY_LIST_ENTRIES } from '../../policy-templates/field-values.js';
import type {
  AddPolicy,
  AddPolicyGroup,
  RemovePolicy,
  RemovePolicyGroup,
  UpdatePolicy,
  UpdatePolicyGroup,
} from '../commands.js';
import type { OrganizationDecisionContext } from '../context.js';
import type { OrganizationEvent } from '../events.js';
import type { Policy, PolicyGroup, PolicyTemplate } from '../model.js';
import type { OrganizationState } from '../state.js';
import {
  requireRequiredValues,
  sealSensitiveValues,
  templateField,
  validatePolicyValues,
} from '../validation/policy-values.js';
import {
  fieldPath,
  jsonEqual,
  rejectDuplicates,
  rejectUnknownKeys,
  requireArray,
  requireText,
} from '../validation/primitives.js';
import {
  definedChanges,
  existingItem,
  lineage,
  rejectTakenName,
  requireExistingIds,
  requireNewId,
} from './references.js';

const MAX_NAME_LENGTH = 255;
const MAX_NOTES_LENGTH = 4_096;

function template(templateId: unknown): PolicyTemplate {
  const found = typeof templateId === 'string' ? findPolicyTemplate(templateId) : undefined;
  if (!found) throw new NotFoundError('policy template', String(templateId), 'templateId');
  return found;
}

function policyName(name: unknown, state: OrganizationState, ownId: string): string {
  const checked = requireText(name, 'name', { min: 1, max: MAX_NAME_LENGTH });
  rejectTakenName(state.policies, checked, ownId, 'policy', 'name');
  return checked;
}

export function addPolicy(
  { data }: AddPolicy,
  state: OrganizationState,
  context: OrganizationDecisionContext,
): OrganizationEvent[] {
  rejectUnknownKeys(
    data,
    ['policyId', 'name', 'notes', 'templateId', 'values', 'deviceGroupIds', 'clonedFromId'],
    '',
  );
  const id = requireNewId(state.policies, data.policyId, 'policy', 'policyId');
  const policyTemplate = template(data.templateId);
  const values = validatePolicyValues(policyTemplate, data.values, 'values');
  requireRequiredValues(policyTemplate, values, 'values');
  const policy: Policy = {
    id,
    name: policyName(data.name, state, id),
    notes: requireText(data.notes ?? '', 'notes', { max: MAX_NOTES_LENGTH }),
    templateId: policyTemplate.id,
    values: sealSensitiveValues(policyTemplate, values, context),
    deviceGroupIds: requireExistingIds(
      data.deviceGroupIds,
      state.deviceGroups,
      'device group',
      'deviceGroupIds',
    ),
    ...lineage(data.clonedFromId),
  };
  return [{ type: 'PolicyAdded', data: { policy } }];
}

export function updatePolicy(
  { data }: UpdatePolicy,
  state: OrganizationState,
  context: OrganizationDecisionContext,
): OrganizationEvent[] {
  const current = existingItem(state.policies, data.policyId, 'policy', 'policyId');
  const changes = definedChanges(data, 'policyId', ['name', 'notes', 'setValues', 'unsetValues']);
  const policyTemplate = template(current.templateId);
  const setValues =
    changes.setValues === undefined
      ? []
      : validatePolicyValues(policyTemplate, changes.setValues, 'setValues');
  const unset = unsetFieldIds(
    policyTemplate,
    changes.unsetValues,
    setValues.map((value) => value.configFieldID),
  );
  const replaced = new Set([...unset, ...setValues.map((value) => value.configFieldID)]);
  const kept = current.values.filter((value) => !replaced.has(value.configFieldID));
  requireRequiredValues(policyTemplate, [...kept, ...setValues], 'unsetValues');
  const policy: Policy = {
    ...current,
    name: changes.name === undefined ? current.name : policyName(changes.name, state, current.id),
    notes:
      changes.notes === undefined
        ? current.notes
        : requireText(changes.notes, 'notes', { max: MAX_NOTES_LENGTH }),
    values: [...kept, ...sealSensitiveValues(policyTemplate, setValues, context)],
  };
  // A value that is set again counts as a change even when equal: a sealed value cannot be compared.
  if (setValues.length === 0 && jsonEqual(policy, current)) return [];
  return [{ type: 'PolicyUpdated', data: { policy } }];
}

function unsetFieldIds(
  policyTemplate: PolicyTemplate,
  unsetValues: unknown,
  setFieldIds: readonly string[],
): string[] {
  if (unsetValues === undefined) return [];
  const ids = requireArray(unsetValues, 'unsetValues', MAX_POLICY_LIST_ENTRIES).map((id, index) => {
    const path = fieldPath('unsetValues', index);
    const field = templateField(policyTemplate, id);
    if (!field)
      throw new ValidationError(path, `${String(id)} is not a field of template ${policyTemplate.name}`);
    if (setFieldIds.includes(field.id))
      throw new ValidationError(path, `field ${field.id} is also in setValues`);
    return field.id;
  });
  rejectDuplicates(ids, 'unsetValues');
  return ids;
}

export function removePolicy({ data }: RemovePolicy, state: OrganizationState): OrganizationEvent[] {
  const policy = existingItem(state.policies, data.policyId, 'policy', 'policyId');
  const detached: OrganizationEvent[] = Object.values(state.policyGroups)
    .filter((group) => group.policyIds.includes(policy.id))
    .map((group) => ({
      type: 'PolicyRemovedFromPolicyGroup',
      data: { policyGroupId: group.id, policyId: policy.id },
    }));
  return [...detached, { type: 'PolicyRemoved', data: { policyId: policy.id } }];
}

function policyGroupName(name: unknown, state: OrganizationState, ownId: string): string {
  const checked = requireText(name, 'name', { min: 1, max: MAX_NAME_LENGTH });
  rejectTakenName(state.policyGroups, checked, ownId, 'policy group', 'name');
  return checked;
}

export function addPolicyGroup({ data }: AddPolicyGroup, state: OrganizationState): OrganizationEvent[] {
  rejectUnknownKeys(
    data,
    ['policyGroupId', 'name', 'description', 'policyIds', 'deviceGroupIds', 'clonedFromId'],
    '',
  );
  const id = requireNewId(state.policyGroups, data.policyGroupId, 'policy group', 'policyGroupId');
  const policyGroup: PolicyGroup = {
    id,
    name: policyGroupName(data.name, state, id),
    description: requireText(data.description ?? '', 'description', { max: MAX_NOTES_LENGTH }),
    policyIds: requireExistingIds(data.policyIds, state.policies, 'policy', 'policyIds'),
    deviceGroupIds: requireExistingIds(
      data.deviceGroupIds,
      state.deviceGroups,
      'device group',
      'deviceGroupIds',
    ),
    ...lineage(data.clonedFromId),
  };
  return [{ type: 'PolicyGroupAdded', data: { policyGroup } }];
}

export function updatePolicyGroup(
  { data }: UpdatePolicyGroup,
  state: OrganizationState,
): OrganizationEvent[] {
  const current = existingItem(state.policyGroups, data.policyGroupId, 'policy group', 'policyGroupId');
  const changes = definedChanges(data, 'policyGroupId', ['name', 'description']);
  const policyGroup: PolicyGroup = {
    ...current,
    name: changes.name === undefined ? current.name : policyGroupName(changes.name, state, current.id),
    description:
      changes.description === undefined
        ? current.description
        : requireText(changes.description, 'description', { max: MAX_NOTES_LENGTH }),
  };
  if (jsonEqual(policyGroup, current)) return [];
  return [{ type: 'PolicyGroupUpdated', data: { policyGroup } }];
}

export function removePolicyGroup(
  { data }: RemovePolicyGroup,
  state: OrganizationState,
): OrganizationEvent[] {
  const policyGroup = existingItem(state.policyGroups, data.policyGroupId, 'policy group', 'policyGroupId');
  return [{ type: 'PolicyGroupRemoved', data: { policyGroupId: policyGroup.id } }];
}
