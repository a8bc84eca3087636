/**
 * Organizations: `organizations`, `organization(id)`, their nested lists (through per-request
 * DataLoaders: a fixed number of read-model queries whatever the number of organizations and
 * items), and the mutations on the organization itself (create, settings, features, MFA, Duo,
 * administrator access). Item mutations are in `organization-items.resolver.ts`.
 */
import 'reflect-metadata';
import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { NotFoundError } from '../domain/errors.js';
import type {
  Command as CommandItem,
  ConditionalAccessPolicy as ConditionalAccessPolicyItem,
  DeviceGroup as DeviceGroupItem,
  IpList as IpListItem,
  Policy as PolicyItem,
  PolicyGroup as PolicyGroupItem,
  UserGroup as UserGroupItem,
} from '../domain/organization/model.js';
import { organizationListKey } from '../projections/organizations/queries.js';
import type { OrganizationItemViews } from '../projections/organizations/queries.js';
import type { AdministratorRecord } from '../projections/providers/queries.js';
import {
  AdminAccessInput,
  ConfigureDuoInput,
  ConfigureMfaInput,
  CreateOrganizationInput,
  OrganizationArgs,
  OrganizationRefInput,
  OrganizationsArgs,
  SetOrganizationFeaturesInput,
  UpdateOrganizationSettingsInput,
} from '../schema/organization.input.js';
import { AdminAccessPayload } from '../schema/organization-payload.type.js';
import {
  Command,
  ConditionalAccessPolicy,
  DeviceConnection,
  DeviceGroup,
  IpList,
  Organization,
  OrganizationConnection,
  Policy,
  PolicyGroup,
  UserConnection,
  UserGroup,
} from '../schema/organization.type.js';
import { connectionOf, mapConnection, PageArgs, readPage, type Connection } from '../schema/pagination.js';
import { Administrator } from '../schema/provider.type.js';
import { callerOf, INPUT_ARGUMENT, type OrgcloneContext } from './context.js';
import {
  adminAccessOf,
  administratorById,
  commandsOf,
  conditionalAccessPoliciesOf,
  deviceGroupsOf,
  ipListsOf,
  policiesOf,
  policyGroupsOf,
  userGroupsOf,
  visibleOrganizationById,
} from './loaders.js';
import {
  organizationOf,
  settingsPatchOf,
  withoutUndefined,
  withSettingsInputPaths,
} from './organization.mapping.js';

const ORGANIZATIONS_LIST = 'organizations';
const ITEM_LISTS = { USER: 'users', DEVICE: 'devices' } as const;

@Resolver(() => Organization)
export class OrganizationResolver {
  // ---- queries ----------------------------------------------------------------------------------

  @Query(() => OrganizationConnection, {
    description:
      "The provider's organizations that are not discarded, by name (only linked ones for an administrator with LINKED access).",
  })
  organizations(@Args(() => OrganizationsArgs) args: OrganizationsArgs, @Ctx() ctx: OrgcloneContext) {
    const page = readPage(args, ORGANIZATIONS_LIST);
    const rows = ctx.services.organizations.listOrganizations(callerOf(ctx), {
      search: args.search ?? null,
      first: page.limit + 1,
      after: page.afterKey,
    });
    return mapConnection(connectionOf(rows, page, ORGANIZATIONS_LIST, organizationListKey), organizationOf);
  }

  @Query(() => Organization, {
    description:
      "One organization, discarded ones included. Another provider's (or one not visible to the caller) is NOT_FOUND.",
  })
  async organization(@Args(() => OrganizationArgs) { id }: OrganizationArgs, @Ctx() ctx: OrgcloneContext) {
    const record = await ctx.loaders.get(visibleOrganizationById).load(id);
    if (!record) throw new NotFoundError('organization', id, 'id');
    return organizationOf(record);
  }

  // ---- nested lists -----------------------------------------------------------------------------

  @FieldResolver(() => [Command], { description: 'Commands, in the order they were added.' })
  commands(@Root() organization: Organization, @Ctx() ctx: OrgcloneContext): Promise<CommandItem[]> {
    return ctx.loaders.get(commandsOf).load(organization.id);
  }

  @FieldResolver(() => [Policy], {
    description:
      'Policies, in the order they were added. Values of sensitive fields read `null` with `sensitive: true`.',
  })
  policies(@Root() organization: Organization, @Ctx() ctx: OrgcloneContext): Promise<PolicyItem[]> {
    return ctx.loaders.get(policiesOf).load(organization.id);
  }

  @FieldResolver(() => [PolicyGroup], { description: 'Policy groups, in the order they were added.' })
  policyGroups(@Root() organization: Organization, @Ctx() ctx: OrgcloneContext): Promise<PolicyGroupItem[]> {
    return ctx.loaders.get(policyGroupsOf).load(organization.id);
  }

  @FieldResolver(() => [UserGroup], { description: 'User groups, in the order they were added.' })
  userGroups(@Root() organization: Organization, @Ctx() ctx: OrgcloneContext): Promise<UserGroupItem[]> {
    return ctx.loaders.get(userGroupsOf).load(organization.id);
  }

  @FieldResolver(() => [DeviceGroup], { description: 'Device groups, in the order they were added.' })
  deviceGroups(@Root() organization: Organization, @Ctx() ctx: OrgcloneContext): Promise<DeviceGroupItem[]> {
    return ctx.loaders.get(deviceGroupsOf).load(organization.id);
  }

  @FieldResolver(() => [IpList], { description: 'IP lists, in the order they were added.' })
  ipLists(@Root() organization: Organization, @Ctx() ctx: OrgcloneContext): Promise<IpListItem[]> {
    return ctx.loaders.get(ipListsOf).load(organization.id);
  }

  @FieldResolver(() => [ConditionalAccessPolicy], {
    description: 'Conditional access policies, in the order they were added.',
  })
  conditionalAccessPolicies(
    @Root() organization: Organization,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<ConditionalAccessPolicyItem[]> {
    return ctx.loaders.get(conditionalAccessPoliciesOf).load(organization.id);
  }

  @FieldResolver(() => [Administrator], {
    description:
      "Administrators allowed to manage the organization (JumpCloud's administrator–organization links).",
  })
  async admins(
    @Root() organization: Organization,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<AdministratorRecord[]> {
    const accesses = await ctx.loaders.get(adminAccessOf).load(organization.id);
    const administrators = await ctx.loaders
      .get(administratorById)
      .loadMany(accesses.map((access) => access.administratorId));
    return administrators.filter((administrator): administrator is AdministratorRecord => {
      if (administrator instanceof Error) throw administrator;
      return administrator !== null;
    });
  }

  @FieldResolver(() => UserConnection, {
    description:
      'Users, in the order they were added (one read per organization: ask for it on few organizations).',
  })
  users(
    @Root() organization: Organization,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return itemPage(ctx, organization.id, 'USER', args);
  }

  @FieldResolver(() => DeviceConnection, {
    description:
      'Devices, in the order they were added (one read per organization: ask for it on few organizations).',
  })
  devices(
    @Root() organization: Organization,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return itemPage(ctx, organization.id, 'DEVICE', args);
  }

  // ---- mutations on the organization itself ------------------------------------------------------

  @Mutation(() => Organization, {
    description:
      "Creates an empty organization with JumpCloud's defaults. An administrator with LINKED access is linked to it.",
  })
  async createOrganization(
    @Arg('input', () => CreateOrganizationInput, INPUT_ARGUMENT) input: CreateOrganizationInput,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<Organization> {
    const record = await ctx.services.organizations.createOrganization(callerOf(ctx), {
      displayName: input.displayName,
    });
    return organizationOf(record);
  }

  @Mutation(() => Organization, {
    description: 'Changes settings of one or more categories; fields left out stay as they are.',
  })
  async updateOrganizationSettings(
    @Arg('input', () => UpdateOrganizationSettingsInput, INPUT_ARGUMENT)
    input: UpdateOrganizationSettingsInput,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<Organization> {
    try {
      const record = await ctx.services.organizations.updateSettings(callerOf(ctx), {
        organizationId: input.organizationId,
        settings: settingsPatchOf(input.settings),
      });
      return organizationOf(record);
    } catch (error) {
      throw withSettingsInputPaths(error);
    }
  }

  @Mutation(() => Organization, {
    description: 'Turns features on or off; features left out stay as they are.',
  })
  async setOrganizationFeatures(
    @Arg('input', () => SetOrganizationFeaturesInput, INPUT_ARGUMENT) input: SetOrganizationFeaturesInput,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<Organization> {
    const { organizationId, ...features } = input;
    const record = await ctx.services.organizations.setFeatures(callerOf(ctx), {
      organizationId,
      features: withoutUndefined(features),
    });
    return organizationOf(record);
  }

  @Mutation(() => Organization, {
    description: 'Turns MFA methods on or off (push, TOTP, WebAuthn); methods left out stay as they are.',
  })
  async configureMfa(
    @Arg('input', () => ConfigureMfaInput, INPUT_ARGUMENT) input: ConfigureMfaInput,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<Organization> {
    const record = await ctx.services.organizations.configureMfa(callerOf(ctx), withoutUndefined(input));
    return organizationOf(record);
  }

  @Mutation(() => Organization, {
    description:
      'Configures the Duo integration. The secret key is stored sealed and never returned (`mfa.duo` shows the rest).',
  })
  async configureDuo(
    @Arg('input', () => ConfigureDuoInput, INPUT_ARGUMENT) input: ConfigureDuoInput,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<Organization> {
    const record = await ctx.services.organizations.configureDuo(callerOf(ctx), withoutUndefined(input));
    return organizationOf(record);
  }

  @Mutation(() => Organization, { description: 'Removes the Duo integration.' })
  async removeDuo(
    @Arg('input', () => OrganizationRefInput, INPUT_ARGUMENT) input: OrganizationRefInput,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<Organization> {
    const record = await ctx.services.organizations.removeDuo(callerOf(ctx), {
      organizationId: input.organizationId,
    });
    return organizationOf(record);
  }

  @Mutation(() => AdminAccessPayload, {
    description:
      'Lets an administrator of the provider manage the organization (an administrator with LINKED access is linked to it).',
  })
  grantAdminAccess(
    @Arg('input', () => AdminAccessInput, INPUT_ARGUMENT) input: AdminAccessInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return this.changeAdminAccess(ctx, input, true);
  }

  @Mutation(() => AdminAccessPayload, {
    description: 'Stops an administrator from managing the organization (and unlinks a LINKED one).',
  })
  revokeAdminAccess(
    @Arg('input', () => AdminAccessInput, INPUT_ARGUMENT) input: AdminAccessInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return this.changeAdminAccess(ctx, input, false);
  }

  private async changeAdminAccess(ctx: OrgcloneContext, input: AdminAccessInput, granted: boolean) {
    const { organizationId, administratorId } = input;
    const service = ctx.services.organizations;
    const change = granted
      ? await service.grantAdminAccess(callerOf(ctx), { organizationId, administratorId })
      : await service.revokeAdminAccess(callerOf(ctx), { organizationId, administratorId });
    return {
      organization: organizationOf(change.organization),
      administrator:
        change.item && (await ctx.loaders.get(administratorById).load(change.item.administratorId)),
    };
  }
}

/** A page of one organization's users or devices (one read: these lists can be long). */
function itemPage<K extends 'USER' | 'DEVICE'>(
  ctx: OrgcloneContext,
  organizationId: string,
  kind: K,
  args: PageArgs,
): Connection<OrganizationItemViews[K]> {
  const list = ITEM_LISTS[kind];
  const page = readPage(args, list);
  const rows = ctx.services.readModels.organizations.listItems<K>(organizationId, kind, {
    first: page.limit + 1,
    after: page.afterKey,
  });
  return mapConnection(
    connectionOf(rows, page, list, (row) => row.key),
    (row) => row.item,
  );
}
