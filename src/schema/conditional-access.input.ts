/** Inputs of the IP list and conditional access policy mutations. */
import 'reflect-metadata';
import { Field, InputType } from 'type-graphql';
import type {
  AuthnPolicyType,
  AuthnResourceType,
  ConditionalAccessPolicy,
  MfaFactorType,
} from '../domain/organization/model.js';
import type { JsonValue } from '../eventstore/types.js';
import {
  ConditionalAccessActionEnum,
  ConditionalAccessPolicyTypeEnum,
  ConditionalAccessResourceTypeEnum,
  MfaFactorTypeEnum,
} from './enums.js';
import { MAX_LIST_LENGTH, MAX_NAME_LENGTH, MAX_REFERENCES, MAX_TEXT_LENGTH } from './input-bounds.js';
import {
  IdField,
  IdListField,
  NestedField,
  NestedListField,
  StringField,
  StringListField,
} from './input-fields.js';
import { OrganizationScopedInput } from './organization.input.js';
import { JSONValue } from './scalars.js';

const IPS_DESCRIPTION = 'Addresses, ranges `a - b`, or CIDR blocks (at least one).';
const IP_LIMITS = { maxItems: MAX_LIST_LENGTH, maxLength: MAX_NAME_LENGTH };

@InputType({ description: 'A new IP list.' })
export class AddIpListInput extends OrganizationScopedInput {
  @StringField('Name.', MAX_NAME_LENGTH)
  name!: string;

  @StringField('Free text.', MAX_TEXT_LENGTH, { optional: true })
  description?: string;

  @StringListField(IPS_DESCRIPTION, IP_LIMITS)
  ips!: string[];
}

@InputType({ description: 'Changes to an IP list; fields not given stay.' })
export class UpdateIpListInput extends OrganizationScopedInput {
  @IdField('The IP list.')
  ipListId!: string;

  @StringField('Name.', MAX_NAME_LENGTH, { optional: true })
  name?: string;

  @StringField('Free text.', MAX_TEXT_LENGTH, { optional: true })
  description?: string;

  @StringListField(IPS_DESCRIPTION, IP_LIMITS, { optional: true })
  ips?: string[];
}

@InputType({
  description: 'An IP list to remove (refused while a conditional access policy condition uses it).',
})
export class RemoveIpListInput extends OrganizationScopedInput {
  @IdField('The IP list.')
  ipListId!: string;
}

@InputType({ description: 'Users a policy applies to one by one.' })
export class ConditionalAccessUserTargetsInput {
  @IdListField('User ids, or `["ALL"]` for every user.', { optional: true })
  inclusions?: string[];
}

@InputType({ description: 'User groups a policy includes or excludes.' })
export class ConditionalAccessUserGroupTargetsInput {
  @IdListField('User groups the policy applies to.', { optional: true })
  inclusions?: string[];

  @IdListField('User groups the policy does not apply to.', { optional: true })
  exclusions?: string[];
}

@InputType({ description: 'A resource the policy governs.' })
export class ConditionalAccessResourceInput {
  @Field(() => ConditionalAccessResourceTypeEnum, { description: "Type of resource: the policy's own type." })
  type!: AuthnResourceType;

  @IdField('One application by id (only for `APPLICATION`); absent: all of that type.', { optional: true })
  id?: string;
}

@InputType({ description: 'Who and what the policy applies to; users or user groups must be given.' })
export class ConditionalAccessTargetsInput {
  @NestedField(() => ConditionalAccessUserTargetsInput, 'Single users.', { optional: true })
  users?: ConditionalAccessUserTargetsInput;

  @NestedField(() => ConditionalAccessUserGroupTargetsInput, 'User groups.', { optional: true })
  userGroups?: ConditionalAccessUserGroupTargetsInput;

  @NestedListField(() => ConditionalAccessResourceInput, 'Resources (at least one).', MAX_REFERENCES)
  resources!: ConditionalAccessResourceInput[];
}

@InputType({ description: 'Whether a sign-in must pass MFA.' })
export class MfaObligationInput {
  @Field(() => Boolean, { description: 'MFA is required (not with `DENY`).' })
  required!: boolean;
}

@InputType({ description: 'An MFA factor the policy accepts.' })
export class MfaFactorInput {
  @Field(() => MfaFactorTypeEnum, { description: 'The factor.' })
  type!: MfaFactorType;
}

@InputType({ description: 'Obligations of an allowed sign-in.' })
export class ConditionalAccessObligationsInput {
  @NestedField(() => MfaObligationInput, 'MFA requirement; default not required.', { optional: true })
  mfa?: MfaObligationInput;

  @NestedListField(() => MfaFactorInput, 'Factors accepted (needs `mfa.required`).', MAX_LIST_LENGTH, {
    optional: true,
  })
  mfaFactors?: MfaFactorInput[];
}

@InputType({ description: 'The effect of the policy.' })
export class ConditionalAccessEffectInput {
  @Field(() => ConditionalAccessActionEnum, { description: 'Allow or deny.' })
  action!: ConditionalAccessPolicy['effect']['action'];

  @NestedField(() => ConditionalAccessObligationsInput, 'Obligations of an allowed sign-in.', {
    optional: true,
  })
  obligations?: ConditionalAccessObligationsInput;
}

const CONDITIONS_DESCRIPTION =
  'Conditions as JSON in JumpCloud grammar, checked by the server: `{"deviceManaged": true}`, `{"deviceEncrypted": true}`, `{"ipAddressIn": [ipListId]}`, `{"locationIn": {"countries": ["DE"]}}`, `{"not": c}`, `{"all": [c]}`, `{"any": [c]}`. Null: always applies.';

@InputType({ description: 'A new conditional access policy.' })
export class AddConditionalAccessPolicyInput extends OrganizationScopedInput {
  @StringField('Name, unique in the organization.', MAX_NAME_LENGTH)
  name!: string;

  @StringField('Free text.', MAX_TEXT_LENGTH, { optional: true })
  description?: string;

  @Field(() => Boolean, { nullable: true, description: 'Create it disabled; default false.' })
  disabled?: boolean;

  @Field(() => ConditionalAccessPolicyTypeEnum, { description: 'The sign-in it governs.' })
  type!: AuthnPolicyType;

  @NestedField(() => ConditionalAccessTargetsInput, 'Users, user groups and resources.')
  targets!: ConditionalAccessTargetsInput;

  @Field(() => JSONValue, { nullable: true, description: CONDITIONS_DESCRIPTION })
  conditions?: JsonValue;

  @NestedField(() => ConditionalAccessEffectInput, 'What happens when it applies.')
  effect!: ConditionalAccessEffectInput;
}

@InputType({ description: 'Changes to a conditional access policy; fields not given stay.' })
export class UpdateConditionalAccessPolicyInput extends OrganizationScopedInput {
  @IdField('The conditional access policy.')
  conditionalAccessPolicyId!: string;

  @StringField('Name, unique in the organization.', MAX_NAME_LENGTH, { optional: true })
  name?: string;

  @StringField('Free text.', MAX_TEXT_LENGTH, { optional: true })
  description?: string;

  @Field(() => Boolean, { nullable: true, description: 'Disable or enable it.' })
  disabled?: boolean;

  @Field(() => ConditionalAccessPolicyTypeEnum, { nullable: true, description: 'The sign-in it governs.' })
  type?: AuthnPolicyType;

  @NestedField(() => ConditionalAccessTargetsInput, 'Replaces the targets.', { optional: true })
  targets?: ConditionalAccessTargetsInput;

  @Field(() => JSONValue, { nullable: true, description: `${CONDITIONS_DESCRIPTION} Absent: unchanged.` })
  conditions?: JsonValue;

  @NestedField(() => ConditionalAccessEffectInput, 'Replaces the effect.', { optional: true })
  effect?: ConditionalAccessEffectInput;
}

@InputType({ description: 'A conditional access policy to remove.' })
export class RemoveConditionalAccessPolicyInput extends OrganizationScopedInput {
  @IdField('The conditional access policy.')
  conditionalAccessPolicyId!: string;
}
