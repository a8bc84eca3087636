/** Inputs of the policy and policy group mutations. */
import 'reflect-metadata';
import { Field, InputType } from 'type-graphql';
import type { JsonValue } from '../eventstore/types.js';
import { MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_POLICY_LIST_ENTRIES, MAX_TEXT_LENGTH } from './input-bounds.js';
import { IdField, IdListField, NestedListField, StringField, StringListField } from './input-fields.js';
import { OrganizationScopedInput } from './organization.input.js';
import { JSONValue } from './scalars.js';

@InputType({
  description:
    'A value for one template field, as JSON of the shape its display type takes (checked against the template). A sensitive value is stored sealed and never returned.',
})
export class PolicyValueInput {
  @IdField('Id of the template field (`configFields[].id`).')
  configFieldID!: string;

  @Field(() => JSONValue, { description: 'The value, as JSON (never null: leave the entry out instead).' })
  value!: JsonValue;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Marks the value sensitive even if its field is not (it is then never returned nor cloned).',
  })
  sensitive?: boolean;
}

@InputType({ description: 'A new policy.' })
export class AddPolicyInput extends OrganizationScopedInput {
  @StringField('Name, unique in the organization.', MAX_NAME_LENGTH)
  name!: string;

  @StringField('Free text.', MAX_TEXT_LENGTH, { optional: true })
  notes?: string;

  @IdField('Its policy template (see `policyTemplates`).')
  templateId!: string;

  @NestedListField(() => PolicyValueInput, 'One value per configured field.', MAX_POLICY_LIST_ENTRIES)
  values!: PolicyValueInput[];

  @IdListField('Device groups to bind the policy to.', { optional: true })
  deviceGroupIds?: string[];
}

@InputType({
  description:
    'Changes to a policy. `setValues` replaces the values of the fields it names, `unsetValues` clears fields; other values (sensitive ones included, which cannot be read back) stay.',
})
export class UpdatePolicyInput extends OrganizationScopedInput {
  @IdField('The policy.')
  policyId!: string;

  @StringField('Name, unique in the organization.', MAX_NAME_LENGTH, { optional: true })
  name?: string;

  @StringField('Free text.', MAX_TEXT_LENGTH, { optional: true })
  notes?: string;

  @NestedListField(() => PolicyValueInput, 'Values to set, by field.', MAX_POLICY_LIST_ENTRIES, {
    optional: true,
  })
  setValues?: PolicyValueInput[];

  @StringListField(
    'Field ids whose values to clear.',
    { maxItems: MAX_POLICY_LIST_ENTRIES, maxLength: MAX_ID_LENGTH },
    {
      optional: true,
    },
  )
  unsetValues?: string[];
}

@InputType({
  description: 'A policy to remove (it leaves its policy groups and device group bindings first).',
})
export class RemovePolicyInput extends OrganizationScopedInput {
  @IdField('The policy.')
  policyId!: string;
}

@InputType({ description: 'A new policy group.' })
export class AddPolicyGroupInput extends OrganizationScopedInput {
  @StringField('Name, unique in the organization.', MAX_NAME_LENGTH)
  name!: string;

  @StringField('Free text.', MAX_TEXT_LENGTH, { optional: true })
  description?: string;

  @IdListField('Member policies.', { optional: true })
  policyIds?: string[];

  @IdListField('Device groups to bind the policy group to.', { optional: true })
  deviceGroupIds?: string[];
}

@InputType({
  description:
    "Changes to a policy group's own fields. Members and bindings change with their own mutations.",
})
export class UpdatePolicyGroupInput extends OrganizationScopedInput {
  @IdField('The policy group.')
  policyGroupId!: string;

  @StringField('Name, unique in the organization.', MAX_NAME_LENGTH, { optional: true })
  name?: string;

  @StringField('Free text.', MAX_TEXT_LENGTH, { optional: true })
  description?: string;
}

@InputType({ description: 'A policy group to remove.' })
export class RemovePolicyGroupInput extends OrganizationScopedInput {
  @IdField('The policy group.')
  policyGroupId!: string;
}
