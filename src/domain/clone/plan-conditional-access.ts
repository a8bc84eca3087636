import type {
  AuthnCondition,
  AuthnResourceType,
  ConditionalAccessPolicy,
  IpList,
} from '../organization/model.js';
import type { OrganizationState } from '../organization/state.js';
import type { Evaluation, EvaluationContext, PlanEntry } from './evaluation.js';
import { copiedAsIs, excludedBySelection, Findings } from './evaluation.js';
import type { ReferenceTargetKind } from './plan.js';

const RESOURCE_TARGET_KIND: Record<AuthnResourceType, ReferenceTargetKind> = {
  application: 'APPLICATION',
  ldap: 'LDAP_SERVER',
  user_portal: 'USER_PORTAL',
  admin_portal: 'ADMIN_PORTAL',
};

/** Ids of the IP lists a condition uses, each once, in order of appearance. */
export function ipListIdsIn(condition: AuthnCondition | null): string[] {
  const ids = new Set<string>();
  const visit = (node: AuthnCondition): void => {
    if ('ipAddressIn' in node) for (const id of node.ipAddressIn) ids.add(id);
    else if ('not' in node) visit(node.not);
    else if ('all' in node) node.all.forEach(visit);
    else if ('any' in node) node.any.forEach(visit);
  };
  if (condition) visit(condition);
  return [...ids];
}

function remapCondition(node: AuthnCondition, remapIpList: (id: string) => string): AuthnCondition {
  if ('ipAddressIn' in node) return { ipAddressIn: node.ipAddressIn.map(remapIpList) };
  if ('not' in node) return { not: remapCondition(node.not, remapIpList) };
  if ('all' in node) return { all: node.all.map((child) => remapCondition(child, remapIpList)) };
  if ('any' in node) return { any: node.any.map((child) => remapCondition(child, remapIpList)) };
  return structuredClone(node);
}

function namesResource(resource: ConditionalAccessPolicy['targets']['resources'][number]): resource is {
  type: AuthnResourceType;
  id: string;
} {
  // JumpCloud: "If undefined, then all resources of the given type are targeted".
  return resource.id !== undefined && resource.id !== '';
}

/**
 * SPEC §2 and the seed: a policy for one application is not copied (applications are not cloned);
 * neither is one whose user-group inclusions or exclusions name a group the clone does not create
 * (dropping an exclusion would widen access, dropping an inclusion could leave "all users"). By the
 * same reasoning, a policy that targets users one by one (users are never cloned) or whose
 * condition uses a deselected IP list is not copied either. Every other policy is copied with its
 * user groups and IP lists remapped to their copies.
 */
function evaluateConditionalAccessPolicy(
  policy: ConditionalAccessPolicy,
  context: EvaluationContext,
): Evaluation<'CONDITIONAL_ACCESS_POLICY'> {
  if (context.excluded) return excludedBySelection();
  const findings = new Findings();
  for (const resource of policy.targets.resources.filter(namesResource)) {
    findings.drop(resource.type === 'application' ? 'APP_SPECIFIC_POLICY' : 'RESOURCE_NOT_CLONED', {
      field: 'targets.resources',
      targetKind: RESOURCE_TARGET_KIND[resource.type],
      targetId: resource.id,
      cause: 'TARGET_NEVER_CLONED',
    });
  }
  findings.dropNeverCloned(
    'USER_NOT_CLONED',
    'targets.users.inclusions',
    'USER',
    policy.targets.users.inclusions,
  );
  const { inclusions, exclusions } = policy.targets.userGroups;
  findings.keepCreated(
    context,
    'USER_GROUP_NOT_CLONED',
    'targets.userGroups.inclusions',
    'USER_GROUP',
    inclusions,
  );
  findings.keepCreated(
    context,
    'USER_GROUP_NOT_CLONED',
    'targets.userGroups.exclusions',
    'USER_GROUP',
    exclusions,
  );
  findings.keepSelected(
    context,
    'IP_LIST_NOT_CLONED',
    'conditions.ipAddressIn',
    'IP_LIST',
    ipListIdsIn(policy.conditions),
  );
  if (!findings.empty) return { verdict: findings.skipped(), content: null };

  return {
    verdict: copiedAsIs(),
    content: (remap) => ({
      id: remap('CONDITIONAL_ACCESS_POLICY', policy.id),
      name: policy.name,
      description: policy.description,
      disabled: policy.disabled,
      type: policy.type,
      targets: {
        users: { inclusions: [] },
        userGroups: {
          inclusions: inclusions.map((id) => remap('USER_GROUP', id)),
          exclusions: exclusions.map((id) => remap('USER_GROUP', id)),
        },
        resources: policy.targets.resources.map((resource) => ({ type: resource.type })),
      },
      conditions: policy.conditions && remapCondition(policy.conditions, (id) => remap('IP_LIST', id)),
      effect: structuredClone(policy.effect),
      clonedFromId: policy.id,
    }),
  };
}

export function conditionalAccessPolicyEntries(
  source: OrganizationState,
): PlanEntry<'CONDITIONAL_ACCESS_POLICY'>[] {
  return Object.values(source.conditionalAccessPolicies).map((policy) => {
    const { inclusions, exclusions } = policy.targets.userGroups;
    return {
      kind: 'CONDITIONAL_ACCESS_POLICY',
      sourceId: policy.id,
      name: policy.name,
      category: 'CONDITIONAL_ACCESS_POLICIES',
      selectionCategory: 'CONDITIONAL_ACCESS_POLICIES',
      deselectableBy: 'ITEM',
      dependsOn: [...inclusions, ...exclusions].map((sourceId) => ({ kind: 'USER_GROUP', sourceId })),
      selectionDependsOn: ipListIdsIn(policy.conditions).map((sourceId) => ({ kind: 'IP_LIST', sourceId })),
      evaluate: (context) => evaluateConditionalAccessPolicy(policy, context),
    };
  });
}

/**
 * SPEC §2: IP lists travel with the conditional access policies that use them. One that no copied
 * policy uses is left behind (`EXCLUDED: NOT_REFERENCED`): it would grant or deny nothing in the new
 * organization, and the review shows which deselection or rule left it unused.
 */
function evaluateIpList(
  list: IpList,
  usedBy: readonly string[],
  context: EvaluationContext,
): Evaluation<'IP_LIST'> {
  if (context.excluded) return excludedBySelection();
  if (!usedBy.some((policyId) => context.status('CONDITIONAL_ACCESS_POLICY', policyId) === 'CREATED')) {
    return { verdict: new Findings().add('NOT_REFERENCED').excluded(), content: null };
  }
  return {
    verdict: copiedAsIs(),
    content: (remap) => ({
      id: remap('IP_LIST', list.id),
      name: list.name,
      description: list.description,
      ips: [...list.ips],
      clonedFromId: list.id,
    }),
  };
}

export function ipListEntries(source: OrganizationState): PlanEntry<'IP_LIST'>[] {
  const usedBy = new Map<string, string[]>();
  for (const policy of Object.values(source.conditionalAccessPolicies)) {
    for (const listId of ipListIdsIn(policy.conditions)) {
      const policies = usedBy.get(listId);
      if (policies) policies.push(policy.id);
      else usedBy.set(listId, [policy.id]);
    }
  }
  return Object.values(source.ipLists).map((list) => {
    const policies = usedBy.get(list.id) ?? [];
    return {
      kind: 'IP_LIST',
      sourceId: list.id,
      name: list.name,
      category: 'CONDITIONAL_ACCESS_POLICIES',
      selectionCategory: 'CONDITIONAL_ACCESS_POLICIES',
      deselectableBy: 'ITEM',
      dependsOn: policies.map((sourceId) => ({ kind: 'CONDITIONAL_ACCESS_POLICY', sourceId })),
      selectionDependsOn: [],
      evaluate: (context) => evaluateIpList(list, policies, context),
    };
  });
}
