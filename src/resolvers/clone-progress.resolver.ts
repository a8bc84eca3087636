/**
 * `Subscription.cloneProgress(cloneId)` (SPEC §7): the clone's current state, then updates (at most
 * about ten a second, plus every change of status or phase), then its terminal state, then the
 * subscription completes. Fed by the clone's own stream (`CloneProgressFeeds`), so it works right
 * after `cloneOrganization` and wherever the clone runs. The caller is checked before anything is
 * sent: a clone it may not see is NOT_FOUND, like `cloneOperation`.
 */
import 'reflect-metadata';
import { Args, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { firstEventOf } from '../clone/stream-reads.js';
import type { CloneProgressSnapshot } from '../clone/progress-feed.js';
import { cloneStreamId } from '../domain/clone/decider.js';
import type { CloneRequested } from '../domain/clone/events.js';
import { NotFoundError } from '../domain/errors.js';
import { CloneProgressArgs } from '../schema/clone.input.js';
import { CloneProgressEvent } from '../schema/clone-progress.type.js';
import { MAX_ID_LENGTH } from '../schema/input-bounds.js';
import { BadUserInputError } from '../server/api-errors.js';
import { canSeeClone } from './clone-access.js';
import { cloneProgressEventOf } from './clone.mapping.js';
import type { OrgcloneContext } from './context.js';

@Resolver(() => CloneProgressEvent)
export class CloneProgressResolver {
  @Subscription(() => CloneProgressEvent, {
    description:
      "A clone's progress, from its own stream: first its current state, then updates (at most about 10 a second, plus every change of status or phase), then its terminal state (COMPLETED, DISCARDED, or FAILED and not resumable), then completion. Works wherever the clone runs. NOT_FOUND for a clone the caller may not see.",
    subscribe: ({ args, context }: SubscribeResolverData<unknown, CloneProgressArgs, OrgcloneContext>) =>
      followClone(context, args.cloneId),
  })
  cloneProgress(
    @Args(() => CloneProgressArgs) _args: CloneProgressArgs,
    @Root() snapshot: CloneProgressSnapshot,
  ): CloneProgressEvent {
    return cloneProgressEventOf(snapshot);
  }
}

/**
 * The subscription's source. Who may follow is read from the clone's first event, not from a read
 * model, which may not show a clone requested a moment ago (by this process or another one).
 */
async function followClone(
  ctx: OrgcloneContext,
  cloneId: string,
): Promise<AsyncIterableIterator<CloneProgressSnapshot>> {
  // Arguments reach `subscribe` unvalidated.
  if (cloneId.length > MAX_ID_LENGTH) {
    throw new BadUserInputError('cloneId', `must be at most ${MAX_ID_LENGTH} characters`);
  }
  const requested = await firstEventOf(ctx.services.store, cloneStreamId(cloneId));
  if (requested?.type !== 'CloneRequested') throw new NotFoundError('clone', cloneId, 'cloneId');
  const { sourceOrganizationId, newOrganizationId } = requested.data as unknown as CloneRequested['data'];
  if (!(await canSeeClone(ctx, { sourceOrganizationId, newOrganizationId }))) {
    throw new NotFoundError('clone', cloneId, 'cloneId');
  }
  return ctx.services.cloneProgress.follow(cloneId);
}
