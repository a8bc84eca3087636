/** Inputs of the user group and device group mutations. */
import 'reflect-metadata';
import { Field, InputType, Int } from 'type-graphql';
import type { JsonValue } from '../eventstore/types.js';
import type { MemberQuery, MembershipMethod, UserGroupBindingType } from '../domain/organization/model.js';
import { MemberQueryOperatorEnum, MembershipMethodEnum, UserGroupBindingTypeEnum } from './enums.js';
import { MAX_LIST_LENGTH, MAX_NAME_LENGTH, MAX_REFERENCES, MAX_TEXT_LENGTH } from './input-bounds.js';
import { IdField, IdListField, NestedField, NestedListField, StringField } from './input-fields.js';
import { OrganizationScopedInput } from './organization.input.js';
import { JSONObject } from './scalars.js';

@InputType({ description: 'One condition of a member query.' })
export class MemberQueryFilterInput {
  @StringField('User or device attribute compared.', MAX_NAME_LENGTH)
  field!: string;

  @Field(() => MemberQueryOperatorEnum, { description: 'Comparison.' })
  operator!: MemberQuery['filters'][number]['operator'];

  @StringField('Value compared with.', MAX_TEXT_LENGTH)
  value!: string;
}

@InputType({
  description: "A member query (JumpCloud `FilterQuery`): the filters that choose a dynamic group's members.",
})
export class MemberQueryInput {
  @NestedListField(() => MemberQueryFilterInput, 'All must hold; at least one.', MAX_LIST_LENGTH)
  filters!: MemberQueryFilterInput[];
}

@InputType({ description: 'A user exempted from the member query.' })
export class MemberQueryExemptionInput {
  @IdField('User id.')
  id!: string;
}

@InputType({ description: 'Sudo rights the group grants.' })
export class SudoAttributesInput {
  @Field(() => Boolean, { description: 'Members get sudo.' })
  enabled!: boolean;

  @Field(() => Boolean, { description: 'Without asking for a password (needs `enabled`).' })
  withoutPassword!: boolean;
}

@InputType({ description: 'An LDAP group.' })
export class LdapGroupInput {
  @StringField('LDAP group name.', MAX_NAME_LENGTH)
  name!: string;
}

@InputType({ description: 'A POSIX group.' })
export class PosixGroupInput {
  @Field(() => Int, { description: 'GID (0..4294967294; values above 2^31 are refused by GraphQL `Int`).' })
  id!: number;

  @StringField('POSIX group name.', MAX_NAME_LENGTH)
  name!: string;
}

@InputType({ description: 'A RADIUS reply attribute.' })
export class RadiusReplyInput {
  @StringField('Attribute name.', MAX_NAME_LENGTH)
  name!: string;

  @StringField('Attribute value.', MAX_TEXT_LENGTH)
  value!: string;
}

@InputType({ description: 'RADIUS settings.' })
export class RadiusAttributesInput {
  @NestedListField(() => RadiusReplyInput, 'Reply attributes.', MAX_LIST_LENGTH)
  reply!: RadiusReplyInput[];
}

@InputType({ description: 'User group attributes; parts not given stay as they are.' })
export class UserGroupAttributesInput {
  @NestedField(() => SudoAttributesInput, 'Sudo rights.', { optional: true })
  sudo?: SudoAttributesInput;

  @NestedListField(() => LdapGroupInput, 'LDAP groups (replaces the list).', MAX_LIST_LENGTH, {
    optional: true,
  })
  ldapGroups?: LdapGroupInput[];

  @NestedListField(() => PosixGroupInput, 'POSIX groups (replaces the list).', MAX_LIST_LENGTH, {
    optional: true,
  })
  posixGroups?: PosixGroupInput[];

  @NestedField(() => RadiusAttributesInput, 'RADIUS settings.', { optional: true })
  radius?: RadiusAttributesInput;

  @Field(() => Boolean, { nullable: true, description: 'Samba is enabled for members.' })
  sambaEnabled?: boolean;
}

@InputType({ description: 'A binding of a user group to an application or a directory.' })
export class UserGroupBindingInput {
  @Field(() => UserGroupBindingTypeEnum, { description: 'What the group is bound to.' })
  type!: UserGroupBindingType;

  @IdField('Id of the application or directory.')
  id!: string;
}

@InputType({ description: 'A new user group.' })
export class AddUserGroupInput extends OrganizationScopedInput {
  @StringField('Name, unique in the organization.', MAX_NAME_LENGTH)
  name!: string;

  @StringField('Free text.', MAX_TEXT_LENGTH, { optional: true })
  description?: string;

  @StringField('Email address of the group.', MAX_NAME_LENGTH, { optional: true })
  email?: string;

  @NestedField(() => UserGroupAttributesInput, 'Sudo, LDAP, POSIX, RADIUS and Samba settings.', {
    optional: true,
  })
  attributes?: UserGroupAttributesInput;

  @Field(() => MembershipMethodEnum, {
    nullable: true,
    description: 'How members are chosen; default `STATIC`.',
  })
  membershipMethod?: MembershipMethod;

  @NestedField(() => MemberQueryInput, 'Filter of a dynamic group (required for `DYNAMIC_*`).', {
    optional: true,
  })
  memberQuery?: MemberQueryInput | null;

  @NestedListField(() => MemberQueryExemptionInput, 'Users exempted from the member query.', MAX_REFERENCES, {
    optional: true,
  })
  memberQueryExemptions?: MemberQueryExemptionInput[];

  @NestedListField(() => UserGroupBindingInput, 'Bindings to applications and directories.', MAX_REFERENCES, {
    optional: true,
  })
  bindings?: UserGroupBindingInput[];

  @IdListField('Member users.', { optional: true })
  memberUserIds?: string[];
}

@InputType({
  description:
    "Changes to a user group's own fields; fields not given stay, `memberQuery: null` removes the query. Members change with `addUserToUserGroup`.",
})
export class UpdateUserGroupInput extends OrganizationScopedInput {
  @IdField('The user group.')
  userGroupId!: string;

  @StringField('Name, unique in the organization.', MAX_NAME_LENGTH, { optional: true })
  name?: string;

  @StringField('Free text.', MAX_TEXT_LENGTH, { optional: true })
  description?: string;

  @StringField('Email address of the group.', MAX_NAME_LENGTH, { optional: true })
  email?: string;

  @NestedField(() => UserGroupAttributesInput, 'Attribute changes.', { optional: true })
  attributes?: UserGroupAttributesInput;

  @Field(() => MembershipMethodEnum, { nullable: true, description: 'How members are chosen.' })
  membershipMethod?: MembershipMethod;

  @NestedField(() => MemberQueryInput, 'Filter of a dynamic group; null removes it.', { optional: true })
  memberQuery?: MemberQueryInput | null;

  @NestedListField(() => MemberQueryExemptionInput, 'Users exempted (replaces the list).', MAX_REFERENCES, {
    optional: true,
  })
  memberQueryExemptions?: MemberQueryExemptionInput[];

  @NestedListField(() => UserGroupBindingInput, 'Bindings (replaces the list).', MAX_REFERENCES, {
    optional: true,
  })
  bindings?: UserGroupBindingInput[];
}

@InputType({ description: 'A user group to remove (refused while a conditional access policy targets it).' })
export class RemoveUserGroupInput extends OrganizationScopedInput {
  @IdField('The user group.')
  userGroupId!: string;
}

@InputType({ description: 'MDM settings of a device group.' })
export class DeviceGroupMdmInput {
  @Field(() => Boolean, { description: 'The default enrollment group of Apple MDM (one per organization).' })
  appleMdmDefaultEnrollmentGroup!: boolean;

  @Field(() => Boolean, { description: 'The default enrollment group of ADE (one per organization).' })
  adeDefaultEnrollmentGroup!: boolean;
}

@InputType({ description: 'A new device group.' })
export class AddDeviceGroupInput extends OrganizationScopedInput {
  @StringField('Name, unique in the organization.', MAX_NAME_LENGTH)
  name!: string;

  @StringField('Free text.', MAX_TEXT_LENGTH, { optional: true })
  description?: string;

  @Field(() => JSONObject, {
    nullable: true,
    description: "JumpCloud's free-form device group `attributes`.",
  })
  attributes?: Record<string, JsonValue>;

  @Field(() => MembershipMethodEnum, {
    nullable: true,
    description: 'How members are chosen; default `STATIC`.',
  })
  membershipMethod?: MembershipMethod;

  @NestedField(() => MemberQueryInput, 'Filter of a dynamic group (required for `DYNAMIC_*`).', {
    optional: true,
  })
  memberQuery?: MemberQueryInput | null;

  @NestedField(() => DeviceGroupMdmInput, 'MDM settings.', { optional: true })
  mdm?: DeviceGroupMdmInput | null;

  @IdListField('Member devices.', { optional: true })
  memberDeviceIds?: string[];
}

@InputType({
  description:
    "Changes to a device group's own fields; fields not given stay, `memberQuery: null` and `mdm: null` remove them.",
})
export class UpdateDeviceGroupInput extends OrganizationScopedInput {
  @IdField('The device group.')
  deviceGroupId!: string;

  @StringField('Name, unique in the organization.', MAX_NAME_LENGTH, { optional: true })
  name?: string;

  @StringField('Free text.', MAX_TEXT_LENGTH, { optional: true })
  description?: string;

  @Field(() => JSONObject, { nullable: true, description: 'Replaces the attributes.' })
  attributes?: Record<string, JsonValue>;

  @Field(() => MembershipMethodEnum, { nullable: true, description: 'How members are chosen.' })
  membershipMethod?: MembershipMethod;

  @NestedField(() => MemberQueryInput, 'Filter of a dynamic group; null removes it.', { optional: true })
  memberQuery?: MemberQueryInput | null;

  @NestedField(() => DeviceGroupMdmInput, 'MDM settings; null removes them.', { optional: true })
  mdm?: DeviceGroupMdmInput | null;
}

@InputType({
  description: 'A device group to remove (it is unbound from commands, policies and policy groups first).',
})
export class RemoveDeviceGroupInput extends OrganizationScopedInput {
  @IdField('The device group.')
  deviceGroupId!: string;
}
