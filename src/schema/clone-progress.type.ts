/** What `Subscription.cloneProgress` sends: the state of one clone, update after update (SPEC §7). */
import 'reflect-metadata';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { CloneOperationStatus } from '../projections/clones/queries.js';
import { CloneFailure, CloneProgress } from './clone-operation.type.js';
import { CategoryTotals } from './clone-preview.type.js';
import { CloneStatusEnum } from './enums.js';
import { BigIntString, DateTime } from './scalars.js';

@ObjectType({
  description:
    "One update of a clone's progress, as the clone's own stream tells it (not a read model): the first is the current state, the last is terminal.",
})
export class CloneProgressEvent {
  @Field(() => ID, { description: 'The clone (`cloneOperation(id)` tells the rest).' })
  cloneId!: string;

  @Field(() => CloneStatusEnum, { description: 'Where it stands.' })
  status!: CloneOperationStatus;

  @Field(() => CloneProgress, { description: 'Items recorded of the plan, and the current category.' })
  progress!: CloneProgress;

  @Field(() => Int, { description: 'Starts so far: 1, plus one per resumption; 0 while pending.' })
  attempt!: number;

  @Field(() => CloneFailure, {
    nullable: true,
    description: 'Why it stopped, while failed. A resumable failure is not terminal: the server retries it.',
  })
  failure!: CloneFailure | null;

  @Field(() => [CategoryTotals], {
    nullable: true,
    description: 'On the terminal update: the recorded items per category and outcome; null before.',
  })
  totals!: CategoryTotals[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Digest of the ordered item outcomes, once completed.',
  })
  auditDigest!: string | null;

  @Field(() => BigIntString, {
    description: "Revision of the clone stream's last event this update reflects.",
  })
  version!: bigint;

  @Field(() => DateTime, { description: 'Time of that event.' })
  updatedAt!: Date;

  @Field(() => Boolean, {
    description:
      'The last update, after which the subscription completes: the clone is COMPLETED, DISCARDED, or FAILED and not resumable.',
  })
  terminal!: boolean;
}
