/**
 * A clone operation: its status and progress, what it copies, its audit and its raw history
 * (SPEC §5, §7). Types only: the clone resolvers resolve `source`, `target`, `requestedBy`, `audit`
 * (`CloneItemsArgs`), `history` (`CloneHistoryArgs`), `auditAsOf` (`CloneAuditAsOfArgs`) and
 * `verification` through field resolvers.
 */
import 'reflect-metadata';
import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import type { JsonValue } from '../eventstore/types.js';
import type { CloneOperationStatus } from '../projections/clones/queries.js';
import type { CloneCategory, FeatureChoice } from '../domain/clone/selection.js';
import type { FeatureKey } from '../domain/organization/model.js';
import type { PlanCategory } from '../domain/clone/plan.js';
import type { CloneAuditProblem } from '../application/clone-audit.js';
import { CategoryTotals, CloneItemConnection } from './clone-preview.type.js';
import {
  CloneCategoryEnum,
  CloneStatusEnum,
  CloneVerificationProblemEnum,
  FeatureChoiceEnum,
  FeatureEnum,
  PlanCategoryEnum,
} from './enums.js';
import { Organization } from './organization.type.js';
import { ConnectionType, MAX_PAGE_SIZE, PageArgs } from './pagination.js';
import { Administrator } from './provider.type.js';
import { BigIntString, DateTime, JSONObject } from './scalars.js';

@ObjectType({ description: 'How far a clone is.' })
export class CloneProgress {
  @Field(() => Int, { description: 'Items recorded so far.' })
  done!: number;

  @Field(() => Int, { description: 'Items of the plan.' })
  total!: number;

  @Field(() => PlanCategoryEnum, {
    nullable: true,
    description:
      'Category of the item recorded last (items are recorded category by category); null before the first.',
  })
  phase!: PlanCategory | null;
}

@ObjectType({ description: 'What one feature of the new organization gets.' })
export class FeatureSelection {
  @Field(() => FeatureEnum, { description: 'The feature.' })
  feature!: FeatureKey;

  @Field(() => FeatureChoiceEnum, { description: "The source's value or JumpCloud's default." })
  choice!: FeatureChoice;
}

@ObjectType({
  description: 'The selection a clone was requested with, normalized (sorted, defaults explicit).',
})
export class CloneSelection {
  @Field(() => [CloneCategoryEnum], { description: 'Categories left out.' })
  deselectedCategories!: CloneCategory[];

  @Field(() => [ID], { description: 'Source items left out.' })
  deselectedItemIds!: string[];

  @Field(() => [FeatureSelection], { description: 'Choice per feature.' })
  features!: FeatureSelection[];

  @Field(() => [ID], { description: 'Administrators whose access is not copied.' })
  deselectedAdminIds!: string[];
}

@ObjectType({ description: 'Why a clone stopped.' })
export class CloneFailure {
  @Field(() => String, {
    description: 'Stable reason code, e.g. `SOURCE_CHANGED`, `INTERNAL_ERROR` (never an internal message).',
  })
  reason!: string;

  @Field(() => Boolean, { description: 'Whether the clone resumes after the last recorded item.' })
  resumable!: boolean;
}

@ObjectType({ description: 'How the cloned organization was discarded.' })
export class CloneDiscard {
  @Field(() => ID, { description: 'Administrator who discarded it.' })
  discardedBy!: string;

  @Field(() => Boolean, {
    description: 'The organization had changed after the clone and was discarded anyway.',
  })
  forced!: boolean;
}

@ObjectType({ description: "One event of a clone stream, as recorded: the auditors' raw history." })
export class CloneEvent {
  @Field(() => ID, { description: 'Event id (deterministic for item events: a resent append is a no-op).' })
  id!: string;

  @Field(() => BigIntString, { description: 'Revision in the clone stream, from 0.' })
  version!: bigint;

  @Field(() => BigIntString, { description: 'Position in the whole event log.' })
  globalPosition!: bigint;

  @Field(() => String, {
    description: 'Event type, e.g. `CloneRequested`, `PolicyCopied`, `CloneCompleted`.',
  })
  type!: string;

  @Field(() => DateTime, { description: 'When it was recorded.' })
  time!: Date;

  @Field(() => JSONObject, { description: 'Event data as recorded.' })
  data!: Record<string, JsonValue>;

  @Field(() => JSONObject, {
    description: 'Event metadata: `correlationId`, `causationId`, `actor`, `recordedAt`, `chainHash`.',
  })
  metadata!: Record<string, JsonValue>;
}

@ObjectType({ description: 'The first event of a clone stream that a verification found wrong.' })
export class CloneVerificationMismatch {
  @Field(() => BigIntString, { description: 'Revision of the event in the clone stream.' })
  version!: bigint;

  @Field(() => ID, { description: 'Id of the event.' })
  eventId!: string;

  @Field(() => String, { description: 'Type of the event, e.g. `PolicyCopied`.' })
  type!: string;

  @Field(() => CloneVerificationProblemEnum, { description: 'What is wrong with it.' })
  problem!: CloneAuditProblem;

  @Field(() => Int, {
    nullable: true,
    description: 'For a problem with an audit row: the plan index of the row; null otherwise.',
  })
  itemIndex!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'For `READ_MODEL_OPERATION_MISMATCH`: the first field of the operation that differs; null otherwise.',
  })
  field!: string | null;
}

@ObjectType({
  description:
    "An auditor's check: the clone stream re-folded from scratch (every chain hash, the item order, the completion's chain hash, audit digest and totals), and the read model compared with it row by row.",
})
export class CloneVerification {
  @Field(() => Boolean, {
    description: 'The history is intact and the read model agrees with it.',
  })
  valid!: boolean;

  @Field(() => Int, {
    description: 'Events of the clone stream checked: all of them when valid, else up to the mismatch.',
  })
  eventsChecked!: number;

  @Field(() => BigIntString, {
    nullable: true,
    description:
      'Revision of the clone stream the read model reflects (events after it are checked, not compared); null when the read model lacks the clone.',
  })
  readModelVersion!: bigint | null;

  @Field(() => CloneVerificationMismatch, {
    nullable: true,
    description: 'The first event found wrong; null when valid.',
  })
  firstMismatch!: CloneVerificationMismatch | null;
}

@ObjectType({ description: 'A clone of one organization into a new one: requested, running or finished.' })
export class CloneOperation {
  @Field(() => ID, { description: 'Clone id (its stream is `clone-{id}`).' })
  id!: string;

  @Field(() => CloneStatusEnum, { description: 'Where it stands.' })
  status!: CloneOperationStatus;

  @Field(() => CloneProgress, { description: 'Items recorded of the plan, and the current category.' })
  progress!: CloneProgress;

  @Field(() => ID, { description: 'Id of the organization cloned.' })
  sourceOrganizationId!: string;

  @Field(() => Organization, {
    nullable: true,
    description: 'The organization cloned; null when the caller can no longer see it.',
  })
  source!: Organization | null;

  @Field(() => ID, { description: 'Id of the new organization.' })
  targetOrganizationId!: string;

  @Field(() => Organization, {
    nullable: true,
    description: 'The new organization; null before it exists or when the caller cannot see it.',
  })
  target!: Organization | null;

  @Field(() => String, { description: 'Name of the new organization.' })
  name!: string;

  @Field(() => Administrator, {
    nullable: true,
    description: 'Who requested it; null if no longer an administrator.',
  })
  requestedBy!: Administrator | null;

  @Field(() => DateTime, { description: 'When it was requested.' })
  requestedAt!: Date;

  @Field(() => DateTime, { nullable: true, description: 'When copying (last) started.' })
  startedAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'When it completed.' })
  completedAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'When it failed, while failed.' })
  failedAt!: Date | null;

  @Field(() => DateTime, { nullable: true, description: 'When the cloned organization was discarded.' })
  discardedAt!: Date | null;

  @Field(() => DateTime, { description: 'Time of its last event.' })
  updatedAt!: Date;

  @Field(() => String, { description: 'The plan it runs (see `ClonePreview.planId`).' })
  planId!: string;

  @Field(() => BigIntString, {
    description: 'Version of the source it copies: later edits of the source do not leak in.',
  })
  sourceVersion!: bigint;

  @Field(() => CloneSelection, { description: 'The selection it was requested with.' })
  selection!: CloneSelection;

  @Field(() => String, { nullable: true, description: 'The idempotency key it was requested with.' })
  idempotencyKey!: string | null;

  @Field(() => [CategoryTotals], { description: "The plan's items per category and outcome." })
  totals!: CategoryTotals[];

  @Field(() => [CategoryTotals], { description: 'Items recorded so far per category and outcome.' })
  recordedTotals!: CategoryTotals[];

  @Field(() => Int, { description: 'Starts so far: 1, plus one per resumption; 0 while pending.' })
  attempt!: number;

  @Field(() => CloneFailure, { nullable: true, description: 'Why it stopped, while failed.' })
  failure!: CloneFailure | null;

  @Field(() => CloneDiscard, { nullable: true, description: 'How it was discarded, once discarded.' })
  discard!: CloneDiscard | null;

  @Field(() => String, { nullable: true, description: 'Chain hash of its last event (tamper evidence).' })
  chainHash!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Digest of the ordered item outcomes, once completed.',
  })
  auditDigest!: string | null;

  @Field(() => BigIntString, { description: 'Revision of its stream after its last event.' })
  version!: bigint;

  @Field(() => CloneItemConnection, {
    description: 'One row per source item recorded so far, in plan order; filter by outcome or category.',
  })
  audit!: CloneItemConnection;

  @Field(() => [CloneEvent], {
    description: 'The raw events of its stream from `fromVersion`, at most `first`.',
  })
  history!: CloneEvent[];

  @Field(() => CloneItemConnection, {
    description: 'The audit as it stood once the event at `version` was recorded.',
  })
  auditAsOf!: CloneItemConnection;

  @Field(() => CloneVerification, { description: 'Verification of the recorded history (chain and replay).' })
  verification!: CloneVerification;
}

@ObjectType({ description: 'A page of clone operations, newest first.' })
export class CloneOperationConnection extends ConnectionType(CloneOperation) {}

@ArgsType()
export class CloneHistoryArgs {
  @Field(() => BigIntString, { defaultValue: 0n, description: 'First version to return (0: the beginning).' })
  fromVersion!: bigint;

  @Field(() => Int, { defaultValue: 100, description: `How many events to return, 1 to ${MAX_PAGE_SIZE}.` })
  first!: number;
}

@ArgsType()
export class CloneAuditAsOfArgs extends PageArgs {
  @Field(() => BigIntString, {
    description: 'Version of the clone stream to fold the audit up to (inclusive).',
  })
  version!: bigint;
}
