/** `me`: the calling administrator and its provider. */
import 'reflect-metadata';
import { Ctx, Query, Resolver } from 'type-graphql';
import { UnauthenticatedError } from '../domain/errors.js';
import { Me } from '../schema/provider.type.js';
import type { OrgcloneContext } from './context.js';

@Resolver()
export class MeResolver {
  @Query(() => Me, { description: 'The calling administrator (the owner of the API key) and its provider.' })
  me(@Ctx() ctx: OrgcloneContext): Me {
    const { providerId, administratorId } = ctx.principal;
    const { providers } = ctx.services.readModels;
    const administrator = providers.getAdministrator(providerId, administratorId);
    const provider = providers.getProvider(providerId);
    if (!administrator || !provider) throw new UnauthenticatedError('the administrator is not known');
    return { administrator, provider: { ...provider, billing: { plan: provider.plan } } };
  }
}
