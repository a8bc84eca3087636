/** Inputs of the membership and binding mutations: one link between two items of an organization. */
import 'reflect-metadata';
import { InputType } from 'type-graphql';
import { IdField } from './input-fields.js';
import { OrganizationScopedInput } from './organization.input.js';

@InputType({ description: 'A user and a user group.' })
export class UserGroupMembershipInput extends OrganizationScopedInput {
  @IdField('The user group.')
  userGroupId!: string;

  @IdField('The user.')
  userId!: string;
}

@InputType({ description: 'A device and a device group.' })
export class DeviceGroupMembershipInput extends OrganizationScopedInput {
  @IdField('The device group.')
  deviceGroupId!: string;

  @IdField('The device.')
  deviceId!: string;
}

@InputType({ description: 'A policy and a policy group.' })
export class PolicyGroupMembershipInput extends OrganizationScopedInput {
  @IdField('The policy group.')
  policyGroupId!: string;

  @IdField('The policy.')
  policyId!: string;
}

@InputType({ description: 'A device group and a command it runs on.' })
export class CommandBindingInput extends OrganizationScopedInput {
  @IdField('The command.')
  commandId!: string;

  @IdField('The device group.')
  deviceGroupId!: string;
}

@InputType({ description: 'A device group and a policy applied to it.' })
export class PolicyBindingInput extends OrganizationScopedInput {
  @IdField('The policy.')
  policyId!: string;

  @IdField('The device group.')
  deviceGroupId!: string;
}

@InputType({ description: 'A device group and a policy group applied to it.' })
export class PolicyGroupBindingInput extends OrganizationScopedInput {
  @IdField('The policy group.')
  policyGroupId!: string;

  @IdField('The device group.')
  deviceGroupId!: string;
}
