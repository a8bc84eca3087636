/** The policy template catalogue, and each policy's template. */
import 'reflect-metadata';
import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { UnauthenticatedError } from '../domain/errors.js';
import type { PolicyTemplate as PolicyTemplateData } from '../domain/organization/model.js';
import { findPolicyTemplate, POLICY_TEMPLATES } from '../domain/policy-templates/catalogue.js';
import { authorize } from '../domain/provider/permissions.js';
import { Policy } from '../schema/organization.type.js';
import { PolicyTemplate } from '../schema/policy-template.type.js';
import type { OrgcloneContext } from './context.js';

@Resolver(() => PolicyTemplate)
export class PolicyTemplateResolver {
  @Query(() => [PolicyTemplate], { description: 'Every policy template a policy can be made from.' })
  policyTemplates(@Ctx() ctx: OrgcloneContext): readonly PolicyTemplateData[] {
    const { providerId, administratorId } = ctx.principal;
    const actor = ctx.services.readModels.providers.actor(providerId, administratorId);
    if (!actor) throw new UnauthenticatedError('the administrator is not known');
    authorize(actor, { type: 'READ' });
    return POLICY_TEMPLATES;
  }
}

@Resolver(() => Policy)
export class PolicyResolver {
  @FieldResolver(() => PolicyTemplate, {
    nullable: true,
    description: 'Its template from the catalogue; null if the catalogue no longer has it.',
  })
  template(@Root() policy: Policy): PolicyTemplateData | null {
    return findPolicyTemplate(policy.templateId) ?? null;
  }
}
