/**
 * What a clone would do (SPEC §3), and the parts the clone operation's review shares with it: an
 * item with its outcome and reasons, totals per category and outcome, the remap table, the effects
 * of each deselection and the pre-flight findings. Types only: the clone resolvers resolve them
 * (`ClonePreview.items` through a field resolver taking `CloneItemsArgs`).
 */
import 'reflect-metadata';
import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import type {
  DroppedReferenceCause,
  ItemKind,
  Outcome,
  PlanCategory,
  PreflightCode,
  ReasonCode,
  ReferenceTargetKind,
} from '../domain/clone/plan.js';
import type { CloneCategory } from '../domain/clone/selection.js';
import {
  CloneCategoryEnum,
  DeselectionTypeEnum,
  DroppedReferenceCauseEnum,
  ItemKindEnum,
  OutcomeEnum,
  PlanCategoryEnum,
  PreflightCodeEnum,
  ReasonCodeEnum,
  ReferenceTargetKindEnum,
  SeverityEnum,
} from './enums.js';
import { ConnectionType, PageArgs } from './pagination.js';
import { BigIntString } from './scalars.js';

@ObjectType({
  description:
    'A reference of a source item that its copy does not carry, or that keeps it from being copied.',
})
export class DroppedReference {
  @Field(() => String, {
    description: 'Path of the referencing field in the source item, e.g. `deviceGroupIds`.',
  })
  field!: string;

  @Field(() => ReferenceTargetKindEnum, { description: 'What the reference points at.' })
  targetKind!: ReferenceTargetKind;

  @Field(() => ID, { description: 'Id of the referenced item.' })
  targetId!: string;

  @Field(() => DroppedReferenceCauseEnum, { description: 'Why it is dropped.' })
  cause!: DroppedReferenceCause;
}

@ObjectType({
  description:
    'The fate of one source item in a clone: in a preview what will happen, in an audit what happened. Never carries a sensitive value.',
})
export class CloneItem {
  @Field(() => Int, {
    description: 'Position in the plan, from 0: the order in which the clone records items.',
  })
  index!: number;

  @Field(() => ItemKindEnum, { description: 'Kind of source item.' })
  kind!: ItemKind;

  @Field(() => PlanCategoryEnum, { description: 'Category it is counted in.' })
  category!: PlanCategory;

  @Field(() => ID, {
    description:
      'Source item id; settings, MFA methods and features use their key, admin access the administrator id.',
  })
  sourceId!: string;

  @Field(() => String, { description: 'Name of the source item.' })
  name!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Id of the item created in the new organization; null when none.',
  })
  newId!: string | null;

  @Field(() => OutcomeEnum, { description: 'What the clone does with it.' })
  outcome!: Outcome;

  @Field(() => [ReasonCodeEnum], { description: 'Why, when not copied as it is.' })
  reasons!: ReasonCode[];

  @Field(() => [String], {
    description:
      'What the copy leaves empty, by name: policy fields by template field name (never their values), or item fields such as `files`, `memberUserIds`, `mdm`.',
  })
  omittedFields!: string[];

  @Field(() => [DroppedReference], { description: 'References the copy does not carry.' })
  droppedReferences!: DroppedReference[];
}

@ObjectType({ description: 'A page of clone items.' })
export class CloneItemConnection extends ConnectionType(CloneItem) {}

@ArgsType()
export class CloneItemsArgs extends PageArgs {
  @Field(() => OutcomeEnum, { nullable: true, description: 'Only items with this outcome.' })
  outcome?: Outcome | null;

  @Field(() => PlanCategoryEnum, { nullable: true, description: 'Only items of this category.' })
  category?: PlanCategory | null;
}

@ObjectType({ description: 'How many items of one category end with each outcome.' })
export class CategoryTotals {
  @Field(() => PlanCategoryEnum, { description: 'The category.' })
  category!: PlanCategory;

  @Field(() => Int, { description: 'Items copied as they are.' })
  copied!: number;

  @Field(() => Int, { description: 'Items copied without some parts.' })
  copiedWithOmissions!: number;

  @Field(() => Int, { description: "Items set to JumpCloud's default." })
  resetToDefault!: number;

  @Field(() => Int, { description: 'Items skipped by a clone rule.' })
  skipped!: number;

  @Field(() => Int, { description: 'Items left out by the selection.' })
  excluded!: number;

  @Field(() => Int, { description: 'All items of the category.' })
  total!: number;
}

@ObjectType({ description: 'A source item id and the id of its copy in the new organization.' })
export class RemapEntry {
  @Field(() => ItemKindEnum, { description: 'Kind of item.' })
  kind!: ItemKind;

  @Field(() => ID, { description: 'Id in the source organization.' })
  sourceId!: string;

  @Field(() => ID, { description: 'Id in the new organization.' })
  newId!: string;
}

@ObjectType({ description: 'A source item, by kind, id and name.' })
export class CloneItemRef {
  @Field(() => ItemKindEnum, { description: 'Kind of item.' })
  kind!: ItemKind;

  @Field(() => ID, { description: 'Source item id.' })
  sourceId!: string;

  @Field(() => String, { description: 'Name of the source item.' })
  name!: string;
}

@ObjectType({
  description: 'An item that loses a reference, or whose outcome changes, because of one deselection.',
})
export class AffectedItem {
  @Field(() => ItemKindEnum, { description: 'Kind of item.' })
  kind!: ItemKind;

  @Field(() => ID, { description: 'Source item id.' })
  sourceId!: string;

  @Field(() => String, { description: 'Name of the source item.' })
  name!: string;

  @Field(() => OutcomeEnum, { description: 'Its outcome with the selection as it is.' })
  outcome!: Outcome;

  @Field(() => OutcomeEnum, { description: 'Its outcome were this one deselection taken back.' })
  outcomeIfReselected!: Outcome;

  @Field(() => [DroppedReference], {
    description: 'References it drops that it would keep were the deselection taken back.',
  })
  lostReferences!: DroppedReference[];
}

@ObjectType({ description: 'One deselection of a selection: a category, an item or an administrator.' })
export class Deselection {
  @Field(() => DeselectionTypeEnum, { description: 'What is deselected.' })
  type!: string;

  @Field(() => CloneCategoryEnum, { nullable: true, description: 'The category, for `CATEGORY`.' })
  category!: CloneCategory | null;

  @Field(() => ID, { nullable: true, description: 'The source item id, for `ITEM`.' })
  sourceId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The administrator id, for `ADMIN`.' })
  administratorId!: string | null;
}

@ObjectType({
  description:
    'The consequences of one deselection: exactly what would differ were it alone taken back (an item also left out by another deselection affects nothing through either alone).',
})
export class DeselectionEffect {
  @Field(() => Deselection, { description: 'The deselection.' })
  deselection!: Deselection;

  @Field(() => [CloneItemRef], { description: 'Items it leaves out.' })
  excludedItems!: CloneItemRef[];

  @Field(() => [AffectedItem], {
    description: 'Items that lose a reference or change outcome because of it.',
  })
  affectedItems!: AffectedItem[];
}

@ObjectType({
  description:
    'A pre-flight check that failed (ERROR: the clone cannot start) or deserves attention (WARNING).',
})
export class PreflightFinding {
  @Field(() => PreflightCodeEnum, { description: 'The check.' })
  code!: PreflightCode;

  @Field(() => SeverityEnum, { description: 'How serious it is.' })
  severity!: string;

  @Field(() => String, { description: 'What is wrong, for people.' })
  message!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Path of the input to blame, e.g. `name`; null when none.',
  })
  field!: string | null;
}

@ObjectType({
  description:
    'What cloning the source with this name and selection would do, computed by the same planner the clone runs. Writes nothing.',
})
export class ClonePreview {
  @Field(() => String, {
    description:
      'Hash of (source id, source version, normalized selection, name): give it as `expectedPlanId` to `cloneOrganization` to refuse a clone of a changed source.',
  })
  planId!: string;

  @Field(() => ID, { description: 'The source organization.' })
  sourceOrganizationId!: string;

  @Field(() => BigIntString, { description: 'Version of the source the preview reads.' })
  sourceVersion!: bigint;

  @Field(() => String, { description: 'Name of the new organization (trimmed).' })
  name!: string;

  @Field(() => CloneItemConnection, {
    description:
      'Every source item exactly once, in plan order, with its outcome and reasons; filter by outcome or category.',
  })
  items!: CloneItemConnection;

  @Field(() => [CategoryTotals], { description: 'Items per category and outcome, every category present.' })
  totals!: CategoryTotals[];

  @Field(() => [RemapEntry], {
    description: 'Source id → new id of every item the clone creates with a new id, in plan order.',
  })
  remap!: RemapEntry[];

  @Field(() => [DeselectionEffect], {
    description: 'One entry per deselection of the selection, in its order.',
  })
  deselectionEffects!: DeselectionEffect[];

  @Field(() => [PreflightFinding], {
    description: 'Pre-flight checks: ERROR findings keep the clone from starting.',
  })
  preflight!: PreflightFinding[];

  @Field(() => Int, { description: 'Users of the source: never cloned.' })
  userCount!: number;

  @Field(() => Int, { description: 'Devices of the source: never cloned.' })
  deviceCount!: number;
}
