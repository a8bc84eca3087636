import type { JsonValue } from '../../eventstore/types.js';
import type { Policy, PolicyGroup, PolicyTemplate, PolicyValue, SealedValue } from '../organization/model.js';
import type { OrganizationState } from '../organization/state.js';
import { isSensitivePolicyValue } from '../policy-templates/sensitivity.js';
import type { Evaluation, EvaluationContext, PlanEntry } from './evaluation.js';
import { excludedBySelection, Findings } from './evaluation.js';

export type PolicyTemplateLookup = (templateId: string) => PolicyTemplate | undefined;

function isSealed(value: JsonValue): value is SealedValue {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value.sealed === 'string'
  );
}

/**
 * SPEC §2: a value whose field is text, textarea or file, or that the field or the value marks
 * sensitive, is not copied (the copy leaves the field empty, the plan names the field); a policy
 * with such a field that is required is not copied at all, since its copy could not be valid. A
 * value held sealed is sensitive whatever the template says now. A policy whose template is
 * unknown cannot be checked, so it is skipped; a value for a field the template lacks is left out.
 */
function evaluatePolicy(
  policy: Policy,
  template: PolicyTemplate | undefined,
  context: EvaluationContext,
): Evaluation<'POLICY'> {
  if (context.excluded) return excludedBySelection();
  const findings = new Findings();
  if (!template) return { verdict: findings.add('TEMPLATE_NOT_FOUND').skipped(), content: null };

  const sensitive = (field: PolicyTemplate['configFields'][number], value: PolicyValue | undefined) =>
    isSensitivePolicyValue(field, value) || (value !== undefined && isSealed(value.value));
  const valueOf = (fieldId: string) => policy.values.find((value) => value.configFieldID === fieldId);
  const requiredSensitive = template.configFields.filter(
    (field) => field.required && sensitive(field, valueOf(field.id)),
  );
  if (requiredSensitive.length > 0) {
    for (const field of requiredSensitive) findings.omit('REQUIRED_SENSITIVE_VALUE', field.name);
    return { verdict: findings.skipped(), content: null };
  }

  const kept: PolicyValue[] = [];
  for (const value of policy.values) {
    const field = template.configFields.find((candidate) => candidate.id === value.configFieldID);
    if (!field) findings.omit('UNKNOWN_CONFIG_FIELD', value.configFieldID);
    else if (sensitive(field, value)) findings.omit('SENSITIVE_VALUE_OMITTED', field.name);
    else kept.push(value);
  }
  const deviceGroupIds = findings.keepCreated(
    context,
    'BINDING_NOT_CLONED',
    'deviceGroupIds',
    'DEVICE_GROUP',
    policy.deviceGroupIds,
  );
  return {
    verdict: findings.copied(),
    content: (remap) => ({
      id: remap('POLICY', policy.id),
      name: policy.name,
      notes: policy.notes,
      templateId: policy.templateId,
      values: kept.map((value) => ({
        configFieldID: value.configFieldID,
        value: structuredClone(value.value),
        sensitive: value.sensitive,
      })),
      deviceGroupIds: deviceGroupIds.map((id) => remap('DEVICE_GROUP', id)),
      clonedFromId: policy.id,
    }),
  };
}

export function policyEntries(
  source: OrganizationState,
  templates: PolicyTemplateLookup,
): PlanEntry<'POLICY'>[] {
  return Object.values(source.policies).map((policy) => {
    const template = templates(policy.templateId);
    return {
      kind: 'POLICY',
      sourceId: policy.id,
      name: policy.name,
      category: 'POLICIES',
      selectionCategory: 'POLICIES',
      deselectableBy: 'ITEM',
      dependsOn: policy.deviceGroupIds.map((sourceId) => ({ kind: 'DEVICE_GROUP', sourceId })),
      selectionDependsOn: [],
      evaluate: (context) => evaluatePolicy(policy, template, context),
    };
  });
}

/**
 * SPEC §2: a policy group is copied with those of its member policies that are copied, and bound to
 * the copies of its device groups. A group none of whose members is copied is still copied, empty:
 * it carries its name, description and bindings, grants nothing by itself, and the review lists
 * every member it lost.
 */
function evaluatePolicyGroup(group: PolicyGroup, context: EvaluationContext): Evaluation<'POLICY_GROUP'> {
  if (context.excluded) return excludedBySelection();
  const findings = new Findings();
  const policyIds = findings.keepCreated(
    context,
    'MEMBER_NOT_CLONED',
    'policyIds',
    'POLICY',
    group.policyIds,
  );
  const deviceGroupIds = findings.keepCreated(
    context,
    'BINDING_NOT_CLONED',
    'deviceGroupIds',
    'DEVICE_GROUP',
    group.deviceGroupIds,
  );
  return {
    verdict: findings.copied(),
    content: (remap) => ({
      id: remap('POLICY_GROUP', group.id),
      name: group.name,
      description: group.description,
      policyIds: policyIds.map((id) => remap('POLICY', id)),
      deviceGroupIds: deviceGroupIds.map((id) => remap('DEVICE_GROUP', id)),
      clonedFromId: group.id,
    }),
  };
}

export function policyGroupEntries(source: OrganizationState): PlanEntry<'POLICY_GROUP'>[] {
  return Object.values(source.policyGroups).map((group) => ({
    kind: 'POLICY_GROUP',
    sourceId: group.id,
    name: group.name,
    category: 'POLICIES',
    selectionCategory: 'POLICIES',
    deselectableBy: 'ITEM',
    dependsOn: [
      ...group.policyIds.map((sourceId) => ({ kind: 'POLICY' as const, sourceId })),
      ...group.deviceGroupIds.map((sourceId) => ({ kind: 'DEVICE_GROUP' as const, sourceId })),
    ],
    selectionDependsOn: [],
    evaluate: (context) => evaluatePolicyGroup(group, context),
  }));
}
