/** Inputs of the clone operations: the preview, the clone itself, and the listing filter. */
import 'reflect-metadata';
import { ArrayMaxSize, Matches } from 'class-validator';
import { ArgsType, Field, InputType } from 'type-graphql';
import type { CloneCategory, CloneSelection, FeatureChoice } from '../domain/clone/selection.js';
import type { FeatureKey } from '../domain/organization/model.js';
import { ID_PATTERN } from '../domain/organization/validation/primitives.js';
import type { CloneOperationStatus } from '../projections/clones/queries.js';
import { CloneCategoryEnum, CloneStatusEnum, FeatureChoiceEnum, FeatureEnum } from './enums.js';
import { MAX_DISPLAY_NAME_LENGTH, MAX_ID_LENGTH, MAX_NAME_LENGTH } from './input-bounds.js';
import { IdField, IdListField, NestedField, NestedListField, StringField } from './input-fields.js';
import { PageArgs } from './pagination.js';

const ID_MESSAGE = 'each of $property must be an id: 1–128 letters, digits, "_" or "-"';

@InputType({ description: 'What the new organization gets for one feature.' })
export class FeatureSelectionInput {
  @Field(() => FeatureEnum, { description: 'The feature.' })
  feature!: FeatureKey;

  @Field(() => FeatureChoiceEnum, { description: "The source's value or JumpCloud's default (disabled)." })
  choice!: FeatureChoice;
}

@InputType({
  description:
    'What to leave out of the clone. Everything left unsaid is copied; features keep the source value unless chosen otherwise.',
})
export class CloneSelectionInput {
  @Field(() => [CloneCategoryEnum], { nullable: true, description: 'Whole categories to leave out.' })
  @ArrayMaxSize(64)
  deselectedCategories?: CloneCategory[];

  @IdListField(
    'Source ids of single items to leave out: commands, policies, policy groups, user groups, device groups, IP lists, conditional access policies.',
    { optional: true },
  )
  // An id the source lacks is only a preflight warning, so it must at least be an id.
  @Matches(ID_PATTERN, { each: true, message: ID_MESSAGE })
  deselectedItemIds?: string[];

  @NestedListField(() => FeatureSelectionInput, 'Choice per feature.', 16, { optional: true })
  features?: FeatureSelectionInput[];

  @IdListField('Administrators whose access to the organization is not copied.', { optional: true })
  @Matches(ID_PATTERN, { each: true, message: ID_MESSAGE })
  deselectedAdminIds?: string[];
}

@InputType({ description: 'A clone to preview: source, new name, selection and idempotency key.' })
export class ClonePreviewInput {
  @IdField('The organization to clone.')
  sourceOrganizationId!: string;

  @StringField(
    'Name of the new organization (unique per provider, case-insensitive).',
    MAX_DISPLAY_NAME_LENGTH,
  )
  name!: string;

  @NestedField(() => CloneSelectionInput, 'What to leave out; absent: everything is copied.', {
    optional: true,
  })
  selection?: CloneSelectionInput;

  @StringField(
    'Per provider: the same key with the same input returns the same operation; with another input, CONFLICT `IDEMPOTENCY_KEY_REUSED`. A preview given the key the clone will be requested with shows the very ids that clone creates.',
    MAX_ID_LENGTH,
    { optional: true },
  )
  idempotencyKey?: string;
}

@InputType({ description: 'A clone to run: the preview input, plus the plan the admin accepted.' })
export class CloneOrganizationInput extends ClonePreviewInput {
  @StringField(
    'The `planId` of the preview the admin accepted: the clone is refused with CONFLICT `PLAN_OUTDATED` if the source changed since.',
    MAX_NAME_LENGTH,
    { optional: true },
  )
  expectedPlanId?: string;
}

@InputType({ description: 'Which clone operations to list.' })
export class CloneOperationFilterInput {
  @Field(() => CloneStatusEnum, { nullable: true, description: 'Only operations with this status.' })
  status?: CloneOperationStatus;

  @IdField('Only clones of this organization.', { optional: true })
  sourceOrganizationId?: string;
}

@ArgsType()
export class CloneOperationArgs {
  @IdField('The clone.')
  id!: string;
}

@ArgsType()
export class CloneOperationsArgs extends PageArgs {
  @NestedField(() => CloneOperationFilterInput, 'Which operations; absent: all of them.', { optional: true })
  filter?: CloneOperationFilterInput | null;
}

@ArgsType()
export class DiscardClonedOrganizationArgs {
  @IdField('The clone whose new organization to discard.')
  cloneId!: string;

  @Field(() => Boolean, {
    defaultValue: false,
    description:
      'Discard it even if it changed after the clone (otherwise CONFLICT `ORGANIZATION_CHANGED_SINCE_CLONE`).',
  })
  force!: boolean;
}

@ArgsType()
export class CloneProgressArgs {
  @IdField('The clone to follow.')
  cloneId!: string;
}

/** The domain's selection from the API's: `deselected…` are the domain's `excluded…`. */
export function cloneSelectionOf(input: CloneSelectionInput | null | undefined): CloneSelection {
  if (!input) return {};
  const features: Partial<Record<FeatureKey, FeatureChoice>> = {};
  for (const { feature, choice } of input.features ?? []) features[feature] = choice;
  return {
    excludedCategories: input.deselectedCategories ?? [],
    excludedItemIds: input.deselectedItemIds ?? [],
    features,
    excludedAdminIds: input.deselectedAdminIds ?? [],
  };
}
