/**
 * Clones (SPEC §3, §5, §7): the preview, the clone itself, discarding what it created, and reading
 * operations. The clone service decides and authorizes every change; reads go to the clones read
 * model, through `clone-access.ts` for what the caller may see. The fields of an operation that
 * need more than its row are in `clone-operation.resolver.ts`; live progress in
 * `clone-progress.resolver.ts`.
 */
import 'reflect-metadata';
import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { NotFoundError } from '../domain/errors.js';
import { cloneOperationListKey } from '../projections/clones/queries.js';
import { CloneOperation, CloneOperationConnection } from '../schema/clone-operation.type.js';
import { CloneItemConnection, CloneItemsArgs, ClonePreview } from '../schema/clone-preview.type.js';
import {
  CloneOperationArgs,
  CloneOperationsArgs,
  CloneOrganizationInput,
  ClonePreviewInput,
  DiscardClonedOrganizationArgs,
} from '../schema/clone.input.js';
import { connectionOf, mapConnection, readPage } from '../schema/pagination.js';
import { readerOf, visibleCloneOperation } from './clone-access.js';
import {
  cloneOperationOf,
  clonePreviewOf,
  cloneRequestOf,
  itemPage,
  type CloneOperationView,
  type ClonePreviewView,
} from './clone.mapping.js';
import { callerOf, INPUT_ARGUMENT, type OrgcloneContext } from './context.js';

const OPERATIONS_LIST = 'cloneOperations';
const PREVIEW_ITEMS_LIST = 'clonePreviewItems';

@Resolver(() => CloneOperation)
export class CloneResolver {
  @Query(() => ClonePreview, {
    description:
      'What cloning the source with this name and selection would do, item by item, computed by the planner the clone runs. Writes nothing; any role but Billing Only.',
  })
  async clonePreview(
    @Arg('input', () => ClonePreviewInput, {
      description: 'The source, the new name and the selection: see the fields of its type.',
    })
    input: ClonePreviewInput,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<ClonePreviewView> {
    const plan = await ctx.services.clones.preview(callerOf(ctx), cloneRequestOf(input));
    return clonePreviewOf(plan);
  }

  @Query(() => CloneOperation, {
    description:
      "One clone operation. Another provider's (or one whose organizations the caller may not see) is NOT_FOUND.",
  })
  async cloneOperation(
    @Args(() => CloneOperationArgs) { id }: CloneOperationArgs,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<CloneOperationView> {
    const operation = await visibleCloneOperation(ctx, id);
    if (!operation) throw new NotFoundError('clone', id, 'id');
    return cloneOperationOf(operation);
  }

  @Query(() => CloneOperationConnection, {
    description:
      "The provider's clone operations, newest first (for an administrator with LINKED access, those of or into linked organizations).",
  })
  cloneOperations(@Args(() => CloneOperationsArgs) args: CloneOperationsArgs, @Ctx() ctx: OrgcloneContext) {
    const reader = readerOf(ctx);
    const page = readPage(args, OPERATIONS_LIST);
    const rows = ctx.services.readModels.clones.listCloneOperations(reader.providerId, {
      status: args.filter?.status ?? null,
      sourceOrganizationId: args.filter?.sourceOrganizationId ?? null,
      first: page.limit + 1,
      after: page.afterKey,
      ...(reader.orgAccess === 'LINKED' ? { visibleOrganizationIds: reader.linkedOrganizationIds } : {}),
    });
    return mapConnection(connectionOf(rows, page, OPERATIONS_LIST, cloneOperationListKey), cloneOperationOf);
  }

  @Mutation(() => CloneOperation, {
    description:
      'Starts a clone and returns at once (PENDING or RUNNING): the server runs it to the end whether or not the client stays. Administrator With Billing on a PAID plan only. Follow it with `cloneProgress`.',
  })
  async cloneOrganization(
    @Arg('input', () => CloneOrganizationInput, INPUT_ARGUMENT) input: CloneOrganizationInput,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<CloneOperationView> {
    const requested = await ctx.services.clones.requestClone(callerOf(ctx), cloneRequestOf(input));
    return operationShown(ctx, requested.cloneId);
  }

  @Mutation(() => CloneOperation, {
    description:
      'Discards the organization a finished clone created: hidden from listings, its name free again; its history is kept. Administrator With Billing on a PAID plan only.',
  })
  async discardClonedOrganization(
    @Args(() => DiscardClonedOrganizationArgs) { cloneId, force }: DiscardClonedOrganizationArgs,
    @Ctx() ctx: OrgcloneContext,
  ): Promise<CloneOperationView> {
    const discarded = await ctx.services.clones.discard(callerOf(ctx), cloneId, force);
    return operationShown(ctx, discarded.cloneId);
  }
}

@Resolver(() => ClonePreview)
export class ClonePreviewResolver {
  @FieldResolver(() => CloneItemConnection)
  items(@Root() preview: ClonePreviewView, @Args(() => CloneItemsArgs) args: CloneItemsArgs) {
    return itemPage(preview.planItems, readPage(args, PREVIEW_ITEMS_LIST), PREVIEW_ITEMS_LIST, args);
  }
}

/** The operation as the read model shows it once the clone service has waited for its write. */
function operationShown(ctx: OrgcloneContext, cloneId: string): CloneOperationView {
  const operation = ctx.services.readModels.clones.getCloneOperation(cloneId);
  if (!operation) throw new Error(`the read model does not show clone ${cloneId}`);
  return cloneOperationOf(operation);
}
