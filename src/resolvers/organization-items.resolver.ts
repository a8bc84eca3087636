/**
 * Mutations on the items of an organization: commands, policies, policy groups, user and device
 * groups, users, devices, IP lists, conditional access policies, and the links between them
 * (memberships and device group bindings). Each answers with the organization after the change and
 * the item (for a link, the item that holds it); the organization service authorizes and validates.
 */
import 'reflect-metadata';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { ItemChange } from '../application/organizations.js';
import type { AuthnCondition } from '../domain/organization/model.js';
import type { OrganizationItemKind } from '../projections/organizations/queries.js';
import { AddCommandInput, RemoveCommandInput, UpdateCommandInput } from '../schema/command.input.js';
import {
  AddConditionalAccessPolicyInput,
  AddIpListInput,
  RemoveConditionalAccessPolicyInput,
  RemoveIpListInput,
  UpdateConditionalAccessPolicyInput,
  UpdateIpListInput,
} from '../schema/conditional-access.input.js';
import {
  AddDeviceInput,
  AddUserInput,
  RemoveDeviceInput,
  RemoveUserInput,
  UpdateDeviceInput,
  UpdateUserInput,
} from '../schema/directory.input.js';
import {
  AddDeviceGroupInput,
  AddUserGroupInput,
  RemoveDeviceGroupInput,
  RemoveUserGroupInput,
  UpdateDeviceGroupInput,
  UpdateUserGroupInput,
} from '../schema/group.input.js';
import {
  CommandBindingInput,
  DeviceGroupMembershipInput,
  PolicyBindingInput,
  PolicyGroupBindingInput,
  PolicyGroupMembershipInput,
  UserGroupMembershipInput,
} from '../schema/membership.input.js';
import {
  CommandPayload,
  ConditionalAccessPolicyPayload,
  DeviceGroupPayload,
  DevicePayload,
  IpListPayload,
  PolicyGroupPayload,
  PolicyPayload,
  UserGroupPayload,
  UserPayload,
} from '../schema/organization-payload.type.js';
import type { PolicyValueInput } from '../schema/policy.input.js';
import {
  AddPolicyGroupInput,
  AddPolicyInput,
  RemovePolicyGroupInput,
  RemovePolicyInput,
  UpdatePolicyGroupInput,
  UpdatePolicyInput,
} from '../schema/policy.input.js';
import { callerOf, INPUT_ARGUMENT, type OrgcloneContext } from './context.js';
import { exemptionsOf, memberQueryOf, organizationOf, withoutUndefined } from './organization.mapping.js';

/** The payload of an item mutation: the organization and the item under its field name. */
function payload<K extends OrganizationItemKind, F extends string>(field: F) {
  return (change: ItemChange<K>) =>
    ({ organization: organizationOf(change.organization), [field]: change.item }) as {
      organization: ReturnType<typeof organizationOf>;
    } & Record<F, ItemChange<K>['item']>;
}

const commandPayload = payload<'COMMAND', 'command'>('command');
const policyPayload = payload<'POLICY', 'policy'>('policy');
const policyGroupPayload = payload<'POLICY_GROUP', 'policyGroup'>('policyGroup');
const userGroupPayload = payload<'USER_GROUP', 'userGroup'>('userGroup');
const deviceGroupPayload = payload<'DEVICE_GROUP', 'deviceGroup'>('deviceGroup');
const userPayload = payload<'USER', 'user'>('user');
const devicePayload = payload<'DEVICE', 'device'>('device');
const ipListPayload = payload<'IP_LIST', 'ipList'>('ipList');
const conditionalAccessPolicyPayload = payload<'CONDITIONAL_ACCESS_POLICY', 'conditionalAccessPolicy'>(
  'conditionalAccessPolicy',
);

function policyValuesOf(values: PolicyValueInput[] | undefined) {
  return values?.map(({ configFieldID, value, sensitive }) => ({
    configFieldID,
    value,
    sensitive: sensitive ?? false,
  }));
}

/** Group inputs with the member query and exemptions in the domain's shape. */
function groupFieldsOf<
  T extends AddUserGroupInput | UpdateUserGroupInput | AddDeviceGroupInput | UpdateDeviceGroupInput,
>(input: T) {
  const memberQuery = memberQueryOf(input.memberQuery);
  const exemptions = 'memberQueryExemptions' in input ? exemptionsOf(input.memberQueryExemptions) : undefined;
  return withoutUndefined({ ...input, memberQuery, memberQueryExemptions: exemptions });
}

/** Conditions are JSON in the API; the domain checks their grammar. */
function conditionsOf(conditions: unknown) {
  return conditions as AuthnCondition | null | undefined;
}

@Resolver()
export class OrganizationItemsResolver {
  // ---- commands ---------------------------------------------------------------------------------

  @Mutation(() => CommandPayload, { description: 'Adds a command (bound to the device groups given).' })
  async addCommand(
    @Arg('input', () => AddCommandInput, INPUT_ARGUMENT) input: AddCommandInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return commandPayload(
      await ctx.services.organizations.addCommand(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => CommandPayload, { description: "Changes a command's own fields." })
  async updateCommand(
    @Arg('input', () => UpdateCommandInput, INPUT_ARGUMENT) input: UpdateCommandInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return commandPayload(
      await ctx.services.organizations.updateCommand(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => CommandPayload, { description: 'Removes a command.' })
  async removeCommand(
    @Arg('input', () => RemoveCommandInput, INPUT_ARGUMENT) input: RemoveCommandInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return commandPayload(
      await ctx.services.organizations.removeCommand(callerOf(ctx), withoutUndefined(input)),
    );
  }

  // ---- policies and policy groups ---------------------------------------------------------------

  @Mutation(() => PolicyPayload, {
    description: 'Adds a policy. Values of sensitive fields are stored sealed and read back as null.',
  })
  async addPolicy(
    @Arg('input', () => AddPolicyInput, INPUT_ARGUMENT) input: AddPolicyInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    const fields = withoutUndefined({ ...input, values: policyValuesOf(input.values) ?? [] });
    return policyPayload(await ctx.services.organizations.addPolicy(callerOf(ctx), fields));
  }

  @Mutation(() => PolicyPayload, {
    description:
      'Changes a policy: name, notes, values to set (by field) and fields to clear; other values stay.',
  })
  async updatePolicy(
    @Arg('input', () => UpdatePolicyInput, INPUT_ARGUMENT) input: UpdatePolicyInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    const fields = withoutUndefined({ ...input, setValues: policyValuesOf(input.setValues) });
    return policyPayload(await ctx.services.organizations.updatePolicy(callerOf(ctx), fields));
  }

  @Mutation(() => PolicyPayload, { description: 'Removes a policy (from its policy groups too).' })
  async removePolicy(
    @Arg('input', () => RemovePolicyInput, INPUT_ARGUMENT) input: RemovePolicyInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return policyPayload(
      await ctx.services.organizations.removePolicy(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => PolicyGroupPayload, { description: 'Adds a policy group.' })
  async addPolicyGroup(
    @Arg('input', () => AddPolicyGroupInput, INPUT_ARGUMENT) input: AddPolicyGroupInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return policyGroupPayload(
      await ctx.services.organizations.addPolicyGroup(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => PolicyGroupPayload, { description: "Changes a policy group's name or description." })
  async updatePolicyGroup(
    @Arg('input', () => UpdatePolicyGroupInput, INPUT_ARGUMENT) input: UpdatePolicyGroupInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return policyGroupPayload(
      await ctx.services.organizations.updatePolicyGroup(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => PolicyGroupPayload, { description: 'Removes a policy group (its policies stay).' })
  async removePolicyGroup(
    @Arg('input', () => RemovePolicyGroupInput, INPUT_ARGUMENT) input: RemovePolicyGroupInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return policyGroupPayload(
      await ctx.services.organizations.removePolicyGroup(callerOf(ctx), withoutUndefined(input)),
    );
  }

  // ---- user groups and device groups ------------------------------------------------------------

  @Mutation(() => UserGroupPayload, { description: 'Adds a user group.' })
  async addUserGroup(
    @Arg('input', () => AddUserGroupInput, INPUT_ARGUMENT) input: AddUserGroupInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return userGroupPayload(
      await ctx.services.organizations.addUserGroup(callerOf(ctx), groupFieldsOf(input)),
    );
  }

  @Mutation(() => UserGroupPayload, { description: "Changes a user group's own fields." })
  async updateUserGroup(
    @Arg('input', () => UpdateUserGroupInput, INPUT_ARGUMENT) input: UpdateUserGroupInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return userGroupPayload(
      await ctx.services.organizations.updateUserGroup(callerOf(ctx), groupFieldsOf(input)),
    );
  }

  @Mutation(() => UserGroupPayload, {
    description:
      'Removes a user group (refused with CONFLICT `REFERENCED` while a conditional access policy targets it).',
  })
  async removeUserGroup(
    @Arg('input', () => RemoveUserGroupInput, INPUT_ARGUMENT) input: RemoveUserGroupInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return userGroupPayload(
      await ctx.services.organizations.removeUserGroup(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => DeviceGroupPayload, { description: 'Adds a device group.' })
  async addDeviceGroup(
    @Arg('input', () => AddDeviceGroupInput, INPUT_ARGUMENT) input: AddDeviceGroupInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return deviceGroupPayload(
      await ctx.services.organizations.addDeviceGroup(callerOf(ctx), groupFieldsOf(input)),
    );
  }

  @Mutation(() => DeviceGroupPayload, { description: "Changes a device group's own fields." })
  async updateDeviceGroup(
    @Arg('input', () => UpdateDeviceGroupInput, INPUT_ARGUMENT) input: UpdateDeviceGroupInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return deviceGroupPayload(
      await ctx.services.organizations.updateDeviceGroup(callerOf(ctx), groupFieldsOf(input)),
    );
  }

  @Mutation(() => DeviceGroupPayload, {
    description: 'Removes a device group (unbound from commands, policies and policy groups first).',
  })
  async removeDeviceGroup(
    @Arg('input', () => RemoveDeviceGroupInput, INPUT_ARGUMENT) input: RemoveDeviceGroupInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return deviceGroupPayload(
      await ctx.services.organizations.removeDeviceGroup(callerOf(ctx), withoutUndefined(input)),
    );
  }

  // ---- users and devices ------------------------------------------------------------------------

  @Mutation(() => UserPayload, { description: 'Adds a user (never cloned; counted in reviews).' })
  async addUser(
    @Arg('input', () => AddUserInput, INPUT_ARGUMENT) input: AddUserInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return userPayload(await ctx.services.organizations.addUser(callerOf(ctx), withoutUndefined(input)));
  }

  @Mutation(() => UserPayload, { description: 'Changes a user.' })
  async updateUser(
    @Arg('input', () => UpdateUserInput, INPUT_ARGUMENT) input: UpdateUserInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return userPayload(await ctx.services.organizations.updateUser(callerOf(ctx), withoutUndefined(input)));
  }

  @Mutation(() => UserPayload, { description: 'Removes a user (from its groups too).' })
  async removeUser(
    @Arg('input', () => RemoveUserInput, INPUT_ARGUMENT) input: RemoveUserInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return userPayload(await ctx.services.organizations.removeUser(callerOf(ctx), withoutUndefined(input)));
  }

  @Mutation(() => DevicePayload, { description: 'Adds a device (never cloned; counted in reviews).' })
  async addDevice(
    @Arg('input', () => AddDeviceInput, INPUT_ARGUMENT) input: AddDeviceInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return devicePayload(await ctx.services.organizations.addDevice(callerOf(ctx), withoutUndefined(input)));
  }

  @Mutation(() => DevicePayload, { description: 'Changes a device.' })
  async updateDevice(
    @Arg('input', () => UpdateDeviceInput, INPUT_ARGUMENT) input: UpdateDeviceInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return devicePayload(
      await ctx.services.organizations.updateDevice(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => DevicePayload, { description: 'Removes a device (from its groups too).' })
  async removeDevice(
    @Arg('input', () => RemoveDeviceInput, INPUT_ARGUMENT) input: RemoveDeviceInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return devicePayload(
      await ctx.services.organizations.removeDevice(callerOf(ctx), withoutUndefined(input)),
    );
  }

  // ---- IP lists and conditional access policies -------------------------------------------------

  @Mutation(() => IpListPayload, { description: 'Adds an IP list.' })
  async addIpList(
    @Arg('input', () => AddIpListInput, INPUT_ARGUMENT) input: AddIpListInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return ipListPayload(await ctx.services.organizations.addIpList(callerOf(ctx), withoutUndefined(input)));
  }

  @Mutation(() => IpListPayload, { description: 'Changes an IP list.' })
  async updateIpList(
    @Arg('input', () => UpdateIpListInput, INPUT_ARGUMENT) input: UpdateIpListInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return ipListPayload(
      await ctx.services.organizations.updateIpList(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => IpListPayload, {
    description: 'Removes an IP list (refused with CONFLICT `REFERENCED` while a policy condition uses it).',
  })
  async removeIpList(
    @Arg('input', () => RemoveIpListInput, INPUT_ARGUMENT) input: RemoveIpListInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return ipListPayload(
      await ctx.services.organizations.removeIpList(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => ConditionalAccessPolicyPayload, { description: 'Adds a conditional access policy.' })
  async addConditionalAccessPolicy(
    @Arg('input', () => AddConditionalAccessPolicyInput, INPUT_ARGUMENT)
    input: AddConditionalAccessPolicyInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    const fields = withoutUndefined({ ...input, conditions: conditionsOf(input.conditions) });
    return conditionalAccessPolicyPayload(
      await ctx.services.organizations.addConditionalAccessPolicy(callerOf(ctx), fields),
    );
  }

  @Mutation(() => ConditionalAccessPolicyPayload, { description: 'Changes a conditional access policy.' })
  async updateConditionalAccessPolicy(
    @Arg('input', () => UpdateConditionalAccessPolicyInput, INPUT_ARGUMENT)
    input: UpdateConditionalAccessPolicyInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    const fields = withoutUndefined({ ...input, conditions: conditionsOf(input.conditions) });
    return conditionalAccessPolicyPayload(
      await ctx.services.organizations.updateConditionalAccessPolicy(callerOf(ctx), fields),
    );
  }

  @Mutation(() => ConditionalAccessPolicyPayload, { description: 'Removes a conditional access policy.' })
  async removeConditionalAccessPolicy(
    @Arg('input', () => RemoveConditionalAccessPolicyInput, INPUT_ARGUMENT)
    input: RemoveConditionalAccessPolicyInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return conditionalAccessPolicyPayload(
      await ctx.services.organizations.removeConditionalAccessPolicy(callerOf(ctx), withoutUndefined(input)),
    );
  }

  // ---- memberships ------------------------------------------------------------------------------

  @Mutation(() => UserGroupPayload, { description: 'Adds a user to a static user group.' })
  async addUserToUserGroup(
    @Arg('input', () => UserGroupMembershipInput, INPUT_ARGUMENT) input: UserGroupMembershipInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return userGroupPayload(
      await ctx.services.organizations.addUserToUserGroup(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => UserGroupPayload, { description: 'Takes a user out of a user group.' })
  async removeUserFromUserGroup(
    @Arg('input', () => UserGroupMembershipInput, INPUT_ARGUMENT) input: UserGroupMembershipInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return userGroupPayload(
      await ctx.services.organizations.removeUserFromUserGroup(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => DeviceGroupPayload, { description: 'Adds a device to a static device group.' })
  async addDeviceToDeviceGroup(
    @Arg('input', () => DeviceGroupMembershipInput, INPUT_ARGUMENT) input: DeviceGroupMembershipInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return deviceGroupPayload(
      await ctx.services.organizations.addDeviceToDeviceGroup(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => DeviceGroupPayload, { description: 'Takes a device out of a device group.' })
  async removeDeviceFromDeviceGroup(
    @Arg('input', () => DeviceGroupMembershipInput, INPUT_ARGUMENT) input: DeviceGroupMembershipInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return deviceGroupPayload(
      await ctx.services.organizations.removeDeviceFromDeviceGroup(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => PolicyGroupPayload, { description: 'Adds a policy to a policy group.' })
  async addPolicyToPolicyGroup(
    @Arg('input', () => PolicyGroupMembershipInput, INPUT_ARGUMENT) input: PolicyGroupMembershipInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return policyGroupPayload(
      await ctx.services.organizations.addPolicyToPolicyGroup(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => PolicyGroupPayload, { description: 'Takes a policy out of a policy group.' })
  async removePolicyFromPolicyGroup(
    @Arg('input', () => PolicyGroupMembershipInput, INPUT_ARGUMENT) input: PolicyGroupMembershipInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return policyGroupPayload(
      await ctx.services.organizations.removePolicyFromPolicyGroup(callerOf(ctx), withoutUndefined(input)),
    );
  }

  // ---- device group bindings --------------------------------------------------------------------

  @Mutation(() => CommandPayload, { description: 'Makes a command run on the devices of a device group.' })
  async bindDeviceGroupToCommand(
    @Arg('input', () => CommandBindingInput, INPUT_ARGUMENT) input: CommandBindingInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return commandPayload(
      await ctx.services.organizations.bindDeviceGroupToCommand(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => CommandPayload, { description: 'Stops a command from running on a device group.' })
  async unbindDeviceGroupFromCommand(
    @Arg('input', () => CommandBindingInput, INPUT_ARGUMENT) input: CommandBindingInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return commandPayload(
      await ctx.services.organizations.unbindDeviceGroupFromCommand(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => PolicyPayload, { description: 'Applies a policy to a device group.' })
  async bindDeviceGroupToPolicy(
    @Arg('input', () => PolicyBindingInput, INPUT_ARGUMENT) input: PolicyBindingInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return policyPayload(
      await ctx.services.organizations.bindDeviceGroupToPolicy(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => PolicyPayload, { description: 'Stops applying a policy to a device group.' })
  async unbindDeviceGroupFromPolicy(
    @Arg('input', () => PolicyBindingInput, INPUT_ARGUMENT) input: PolicyBindingInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return policyPayload(
      await ctx.services.organizations.unbindDeviceGroupFromPolicy(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => PolicyGroupPayload, { description: 'Applies a policy group to a device group.' })
  async bindDeviceGroupToPolicyGroup(
    @Arg('input', () => PolicyGroupBindingInput, INPUT_ARGUMENT) input: PolicyGroupBindingInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return policyGroupPayload(
      await ctx.services.organizations.bindDeviceGroupToPolicyGroup(callerOf(ctx), withoutUndefined(input)),
    );
  }

  @Mutation(() => PolicyGroupPayload, { description: 'Stops applying a policy group to a device group.' })
  async unbindDeviceGroupFromPolicyGroup(
    @Arg('input', () => PolicyGroupBindingInput, INPUT_ARGUMENT) input: PolicyGroupBindingInput,
    @Ctx() ctx: OrgcloneContext,
  ) {
    return policyGroupPayload(
      await ctx.services.organizations.unbindDeviceGroupFromPolicyGroup(
        callerOf(ctx),
        withoutUndefined(input),
      ),
    );
  }
}
